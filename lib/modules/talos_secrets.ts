import { existsSync, readFileSync, statSync } from 'node:fs';
import { Type } from '../source/vendor/typebox.js';
import { parse, stringify } from '../source/vendor/yaml.js';
import { talosPki } from '../connections/talos/index.js';
import { defineModule, ModuleFailure, type ModuleCtx } from './types.js';
import { readBundle, secretsFile, talosconfigFile, writePrivate } from './util/talos.js';

const Args = Type.Object(
  {
    dir: Type.String({ description: 'Controller folder for secrets.yaml and talosconfig (mode 0600).' }),
    cluster_name: Type.String(),
    endpoints: Type.Array(Type.String(), { description: 'Control plane addresses (host or host:port) for the talosconfig.' }),
    doppler_secret: Type.Optional(Type.String({ pattern: '^[A-Z0-9_]+$', description: 'Also keep the bundle in Doppler under this name: taken from there when the controller has none, uploaded when Doppler has none; never regenerated.' })),
  },
  { additionalProperties: false },
);

/** The bundle kept in Doppler (undefined: none there, or not kept there); its text is a secret. */
async function fromDoppler(ctx: ModuleCtx, a: typeof Args.static): Promise<string | undefined> {
  if (!a.doppler_secret) return undefined;
  if (!ctx.secrets) throw new ModuleFailure(`doppler_secret ${a.doppler_secret} needs Doppler: set DOPPLER_TOKEN`);
  const v = await ctx.secrets.get(a.doppler_secret, {});
  if (v !== undefined) ctx.secrets.protect(v);
  return v;
}

/** One cluster's bundle is made by one step at a time (a chain per folder), even when every node asks for it. */
const busy = new Map<string, Promise<unknown>>();

export default defineModule({
  name: 'talos_secrets',
  kind: 'state',
  description: "A cluster's Talos secrets bundle (generated once, never regenerated) and an admin talosconfig, on the controller with mode 0600. Their contents are never shown.",
  args: Args,
  async check(ctx, a) {
    await busy.get(a.dir);
    const fields = [];
    const local = existsSync(secretsFile(a.dir)) ? readFileSync(secretsFile(a.dir), 'utf8') : undefined;
    const kept = await fromDoppler(ctx, a);
    if (local && kept !== undefined && kept !== local) throw new ModuleFailure(`${secretsFile(a.dir)} differs from Doppler's ${a.doppler_secret}: two bundles for one cluster; keep the one the running nodes use and remove the other (neither is ever regenerated)`);
    if (!local) fields.push({ path: 'secrets.yaml', to: kept !== undefined ? `(from Doppler ${a.doppler_secret})` : '(generated)' });
    if (a.doppler_secret && kept === undefined) fields.push({ path: `doppler:${a.doppler_secret}`, to: '(the bundle, not shown)' });
    const tc = talosconfigFile(a.dir);
    const have = existsSync(tc) ? (parse(readFileSync(tc, 'utf8')) as { contexts?: Record<string, { endpoints?: string[] }> }).contexts?.[a.cluster_name]?.endpoints : undefined;
    if (JSON.stringify(have) !== JSON.stringify(a.endpoints)) fields.push({ path: 'talosconfig.endpoints', from: have ?? null, to: a.endpoints });
    if (existsSync(tc) && (statSync(tc).mode & 0o077) !== 0) fields.push({ path: 'talosconfig.mode', from: (statSync(tc).mode & 0o777).toString(8), to: '600' });
    if (!fields.length) return { kind: 'ok', why: `secrets and talosconfig of ${a.cluster_name} are in place` };
    return { kind: fields[0].path === 'secrets.yaml' ? 'create' : 'modify', target: a.dir, fields };
  },
  async apply(ctx, a) {
    const work = (async () => {
      await busy.get(a.dir)?.catch(() => undefined);
      const { generateSecrets, issue } = await talosPki();
      const kept = await fromDoppler(ctx, a);
      if (!existsSync(secretsFile(a.dir))) writePrivate(secretsFile(a.dir), kept ?? stringify(await generateSecrets()));
      if (a.doppler_secret && kept === undefined) await ctx.secrets!.set(a.doppler_secret, readFileSync(secretsFile(a.dir), 'utf8'), {});
      const b = readBundle(a.dir);
      const admin = await issue(b.certs.os, { subject: 'O=os:admin, CN=agri-play', client: true });
      const context = { endpoints: a.endpoints, nodes: a.endpoints.slice(0, 1), ca: b.certs.os.crt, crt: Buffer.from(admin.crt).toString('base64'), key: Buffer.from(admin.key).toString('base64') };
      writePrivate(talosconfigFile(a.dir), stringify({ context: a.cluster_name, contexts: { [a.cluster_name]: context } }));
    })();
    busy.set(a.dir, work);
    await work;
    return { secrets: secretsFile(a.dir), talosconfig: talosconfigFile(a.dir) };
  },
});
