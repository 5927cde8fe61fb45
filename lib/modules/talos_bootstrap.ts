import { Type } from '../source/vendor/typebox.js';
import { TalosCallError } from '../connections/talos/index.js';
import { defineModule, ModuleFailure } from './types.js';
import { retrying } from './util/talos.js';

const Args = Type.Object({ timeout: Type.Optional(Type.Number({ description: 'Seconds to wait for the node to accept (default 300).' })) }, { additionalProperties: false });

export default defineModule({
  name: 'talos_bootstrap',
  kind: 'state',
  description: 'Bootstraps etcd on this control plane exactly once per cluster: checks membership first; "already bootstrapped" is success, never a second bootstrap.',
  args: Args,
  async check(ctx) {
    const t = await ctx.talos();
    const r = await (await t.secure()).call<{ messages: { members: unknown[] }[] }>('EtcdMemberList', { query_local: false });
    const n = r.messages[0]?.members.length ?? 0;
    if (n > 0) return { kind: 'ok', why: `etcd already has ${n} member(s)` };
    return { kind: 'create', target: `talos ${t.endpoint}`, fields: [{ path: 'etcd', from: 'not bootstrapped', to: 'bootstrapped' }] };
  },
  async apply(ctx, a) {
    const t = await ctx.talos();
    try {
      await retrying(async () => (await t.secure()).call('Bootstrap', { recover_etcd: false }), Date.now() + (a.timeout ?? 300) * 1000, ctx.signal);
    } catch (e) {
      // another run bootstrapped it meanwhile: the state we wanted
      if (e instanceof TalosCallError && e.codeName === 'ALREADY_EXISTS') return { changed: false, msg: 'already bootstrapped' };
      if (e instanceof TalosCallError) throw new ModuleFailure(`${t.endpoint}: Bootstrap: ${e.message}`);
      throw e;
    }
  },
});
