import { existsSync, readFileSync, statSync } from 'node:fs';
import { Type } from '../source/vendor/typebox.js';
import { parse } from '../source/vendor/yaml.js';
import { defineModule } from './types.js';
import { writePrivate } from './util/talos.js';

const Args = Type.Object({ dest: Type.String({ description: 'Controller path for the admin kubeconfig (mode 0600).' }) }, { additionalProperties: false });

type Kc = { clusters?: { cluster?: { server?: string; 'certificate-authority-data'?: string } }[] };
const identity = (text: string) => {
  const c = (parse(text) as Kc).clusters?.[0]?.cluster;
  return `${c?.server}|${c?.['certificate-authority-data']}`;
};

export default defineModule({
  name: 'talos_kubeconfig',
  kind: 'state',
  description: "The cluster's admin kubeconfig from a control plane (Kubeconfig stream), written with mode 0600 when the file is missing or names another server or CA.",
  args: Args,
  async check(ctx, a) {
    const t = await ctx.talos();
    const fresh = await (await t.secure()).kubeconfig();
    for (const m of fresh.match(/(client-key-data|client-certificate-data): (\S+)/g) ?? []) ctx.secrets?.protect(m.split(': ')[1]);
    const have = existsSync(a.dest) ? readFileSync(a.dest, 'utf8') : undefined;
    const modeOk = have !== undefined && (statSync(a.dest).mode & 0o077) === 0;
    if (have !== undefined && modeOk && identity(have) === identity(fresh)) return { kind: 'ok', why: `${a.dest} is current` };
    return { kind: have === undefined ? 'create' : 'modify', target: a.dest, fields: [{ path: 'kubeconfig', to: 'admin credentials (not shown)' }] };
  },
  async apply(ctx, a) {
    // fetched again rather than carried in the diff: results are shown and journalled, keys are not
    writePrivate(a.dest, await (await (await ctx.talos()).secure()).kubeconfig());
    return { dest: a.dest, mode: '0600' };
  },
});
