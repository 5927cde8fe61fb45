import { Type } from '../source/vendor/typebox.js';
import { defineModule, ModuleFailure } from './types.js';
import { pve, pveJson, pveNode } from './util/pve.js';
import { commandFailure } from './util/run.js';

const Args = Type.Object(
  {
    url: Type.String({ description: 'Where the PVE host downloads it from (e.g. the Talos image factory).' }),
    filename: Type.String({ pattern: '^[\\w.-]+\\.iso$' }),
    checksum: Type.Optional(Type.String({ pattern: '^[0-9a-fA-F]{64}$', description: 'sha256 the file must have.' })),
    storage: Type.Optional(Type.String({ description: 'Default local.' })),
    node: Type.Optional(Type.String()),
    state: Type.Optional(Type.Union([Type.Literal('present'), Type.Literal('absent')])),
  },
  { additionalProperties: false },
);

export default defineModule({
  name: 'proxmox_iso',
  kind: 'state',
  description: 'An ISO in a PVE storage, downloaded by the PVE host itself only when absent (or its checksum differs).',
  args: Args,
  async check(ctx, a) {
    const node = await pveNode(ctx, a.node);
    const storage = a.storage ?? 'local';
    const volid = `${storage}:iso/${a.filename}`;
    const list = await pveJson<{ volid: string; size: number }[]>(ctx, `/nodes/${node}/storage/${storage}/content`, ['--content', 'iso']);
    const have = list.find((v) => v.volid === volid);
    const data = { volid, node };
    if (a.state === 'absent') return have ? { kind: 'remove', target: volid, data } : { kind: 'ok', why: `${volid} is absent`, data };
    if (have && a.checksum) {
      const path = (await pve(ctx, ['pvesm', 'path', volid])).trim();
      const sum = (await pve(ctx, ['sha256sum', path])).split(/\s+/)[0];
      if (sum.toLowerCase() !== a.checksum.toLowerCase()) return { kind: 'modify', target: volid, fields: [{ path: 'sha256', from: sum, to: a.checksum }], data };
    }
    if (have) return { kind: 'ok', why: `${volid} is present (${have.size} bytes)`, data };
    return { kind: 'create', target: volid, fields: [{ path: 'url', to: a.url }], data };
  },
  async apply(ctx, a, diff) {
    const node = await pveNode(ctx, a.node);
    const storage = a.storage ?? 'local';
    const volid = `${storage}:iso/${a.filename}`;
    if (diff.kind !== 'create') {
      // gone meanwhile (the other site sharing this PVE node removed it): absent is what we want
      const r = await ctx.exec(['pvesh', 'delete', `/nodes/${node}/storage/${storage}/content/${volid}`]);
      if (r.rc !== 0 && !(diff.kind === 'remove' && /does not exist/.test(r.stderr))) throw commandFailure(['pvesh', 'delete', volid], r);
    }
    if (diff.kind === 'remove') return;
    const sum = a.checksum ? ['--checksum', a.checksum, '--checksum-algorithm', 'sha256'] : [];
    try {
      await pve(ctx, ['pvesh', 'create', `/nodes/${node}/storage/${storage}/download-url`, '--content', 'iso', '--filename', a.filename, '--url', a.url, ...sum]);
    } catch (e) {
      // another run (or the other site sharing this PVE node) downloaded it meanwhile
      const list = await pveJson<{ volid: string }[]>(ctx, `/nodes/${node}/storage/${storage}/content`, ['--content', 'iso']);
      if (diff.kind === 'create' && !a.checksum && list.some((v) => v.volid === volid)) return;
      throw new ModuleFailure(`downloading ${a.url} on the PVE host failed: ${(e as Error).message}`);
    }
  },
});
