import { existsSync, readFileSync, statSync } from 'node:fs';
import { Type } from '@sinclair/typebox';
import { parse, stringify } from 'yaml';
import { talosPki } from '../connections/index.js';
import { defineModule } from './types.js';
import { readBundle, secretsFile, talosconfigFile, writePrivate } from './util/talos.js';

const Args = Type.Object(
  {
    dir: Type.String({ description: 'Controller folder for secrets.yaml and talosconfig (mode 0600).' }),
    cluster_name: Type.String(),
    endpoints: Type.Array(Type.String(), { description: 'Control plane addresses (host or host:port) for the talosconfig.' }),
  },
  { additionalProperties: false },
);

/** One cluster's bundle is made by one step at a time (a chain per folder), even when every node asks for it. */
const busy = new Map<string, Promise<unknown>>();

export default defineModule({
  name: 'talos_secrets',
  kind: 'state',
  description: "A cluster's Talos secrets bundle (generated once, never regenerated) and an admin talosconfig, on the controller with mode 0600. Their contents are never shown.",
  args: Args,
  async check(_ctx, a) {
    await busy.get(a.dir);
    const fields = [];
    if (!existsSync(secretsFile(a.dir))) fields.push({ path: 'secrets.yaml', to: '(generated)' });
    const tc = talosconfigFile(a.dir);
    const have = existsSync(tc) ? (parse(readFileSync(tc, 'utf8')) as { contexts?: Record<string, { endpoints?: string[] }> }).contexts?.[a.cluster_name]?.endpoints : undefined;
    if (JSON.stringify(have) !== JSON.stringify(a.endpoints)) fields.push({ path: 'talosconfig.endpoints', from: have ?? null, to: a.endpoints });
    if (existsSync(tc) && (statSync(tc).mode & 0o077) !== 0) fields.push({ path: 'talosconfig.mode', from: (statSync(tc).mode & 0o777).toString(8), to: '600' });
    if (!fields.length) return { kind: 'ok', why: `secrets and talosconfig of ${a.cluster_name} are in place` };
    return { kind: fields[0].path === 'secrets.yaml' ? 'create' : 'modify', target: a.dir, fields };
  },
  async apply(_ctx, a) {
    const work = (async () => {
      await busy.get(a.dir)?.catch(() => undefined);
      const { generateSecrets, issue } = await talosPki();
      if (!existsSync(secretsFile(a.dir))) writePrivate(secretsFile(a.dir), stringify(await generateSecrets()));
      const b = readBundle(a.dir);
      const admin = await issue(b.certs.os, { subject: 'O=os:admin, CN=agri-play', client: true });
      const ctx = { endpoints: a.endpoints, nodes: a.endpoints.slice(0, 1), ca: b.certs.os.crt, crt: Buffer.from(admin.crt).toString('base64'), key: Buffer.from(admin.key).toString('base64') };
      writePrivate(talosconfigFile(a.dir), stringify({ context: a.cluster_name, contexts: { [a.cluster_name]: ctx } }));
    })();
    busy.set(a.dir, work);
    await work;
    return { secrets: secretsFile(a.dir), talosconfig: talosconfigFile(a.dir) };
  },
});
