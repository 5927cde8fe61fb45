import { Type } from '../source/vendor/typebox.js';
import { defineModule, ModuleFailure, type ModuleCtx } from './types.js';
import { shq } from '../connections/quote.js';
import { PVE_ETC, pve, pveJson } from './util/pve.js';
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

const MARK = '@@agri-pve-iso';

/**
 * What the check needs in one round trip: the node (given, or the one /etc/pve/local names), the
 * storage's ISO list, and, beside it, the volume's path and sha256 when a checksum is wanted (two PVE
 * commands at once where they were three in turn).
 */
async function readIso(ctx: ModuleCtx, a: typeof Args.static, volid: string) {
  const storage = a.storage ?? 'local';
  const script = `set -u
${PVE_ETC}
node=${shq(a.node ?? '')}
if [ -z "$node" ]; then node=$(readlink "$etc/local") || { echo "not a Proxmox VE node: no $etc/local" >&2; exit 2; }; node=\${node##*/}; fi
d=$(mktemp -d) || exit 1
${a.checksum ? `pvesm path ${shq(volid)} > "$d/path" 2>/dev/null &` : ''}
pvesh get "/nodes/$node/storage/"${shq(storage)}/content --content iso --output-format json > "$d/list" 2> "$d/err"
rc=$?
wait
if [ "$rc" != 0 ]; then cat "$d/err" >&2; rm -rf "$d"; exit "$rc"; fi
echo "$node"; cat "$d/list"; echo; echo ${MARK}
p=$(cat "$d/path" 2>/dev/null); [ -n "$p" ] && [ -f "$p" ] && sha256sum "$p"
rm -rf "$d"; exit 0
`;
  const r = await ctx.exec({ shell: script });
  if (r.rc !== 0) throw commandFailure(['pvesh', 'get', `/nodes/…/storage/${storage}/content`], r);
  const [head, tail = ''] = r.stdout.split(MARK);
  const nl = head.indexOf('\n');
  let list: { volid: string; size: number }[];
  try {
    list = JSON.parse(head.slice(nl + 1)) as typeof list;
  } catch {
    throw new ModuleFailure(`pvesh get /nodes/${head.slice(0, nl)}/storage/${storage}/content: not JSON: ${head.slice(nl + 1, nl + 201)}`);
  }
  return { node: head.slice(0, nl), list, sha256: tail.trim().split(/\s+/)[0] || undefined };
}

export default defineModule({
  name: 'proxmox_iso',
  kind: 'state',
  description: 'An ISO in a PVE storage, downloaded by the PVE host itself only when absent (or its checksum differs).',
  args: Args,
  async check(ctx, a) {
    const volid = `${a.storage ?? 'local'}:iso/${a.filename}`;
    const { node, list, sha256 } = await readIso(ctx, a, volid);
    const have = list.find((v) => v.volid === volid);
    const data = { volid, node };
    if (a.state === 'absent') return have ? { kind: 'remove', target: volid, data } : { kind: 'ok', why: `${volid} is absent`, data };
    if (have && a.checksum) {
      if (!sha256) throw new ModuleFailure(`${volid}: its path or sha256 could not be read on the PVE node`);
      if (sha256.toLowerCase() !== a.checksum.toLowerCase()) return { kind: 'modify', target: volid, fields: [{ path: 'sha256', from: sha256, to: a.checksum }], data };
    }
    if (have) return { kind: 'ok', why: `${volid} is present (${have.size} bytes)`, data };
    return { kind: 'create', target: volid, fields: [{ path: 'url', to: a.url }], data };
  },
  async apply(ctx, a, diff) {
    // the node the check found (given, or the one /etc/pve/local names)
    const node = String(diff.data!.node);
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
