import { setTimeout as sleep } from 'node:timers/promises';
import { Type } from '@sinclair/typebox';
import { UnreachableError } from '../connections/index.js';
import { defineModule, ModuleFailure } from './types.js';

const Args = Type.Object(
  {
    etcd_members: Type.Optional(Type.Integer({ minimum: 1, description: 'On a control plane: the etcd member count to wait for.' })),
    timeout: Type.Optional(Type.Number({ description: 'Seconds (default 600).' })),
  },
  { additionalProperties: false },
);

type Svc = { id: string; state: string };

export default defineModule({
  name: 'talos_health',
  kind: 'action',
  description: 'Waits until the node answers over mutual TLS with kubelet (and on control planes etcd, with the expected member count) running. Reads only.',
  args: Args,
  async run(ctx, a) {
    const t = await ctx.talos();
    const deadline = Date.now() + (a.timeout ?? 600) * 1000;
    let last = '';
    for (;;) {
      try {
        const s = await (await t.secure()).call<{ messages: { services: Svc[] }[] }>('ServiceList');
        const svcs = s.messages[0]?.services ?? [];
        const state = (id: string) => svcs.find((x) => x.id === id)?.state;
        const cp = state('etcd') !== undefined;
        const waiting = ['kubelet', ...(cp ? ['etcd'] : [])].filter((id) => state(id) !== 'Running');
        let members: number | undefined;
        if (cp && !waiting.length && a.etcd_members) {
          const m = await (await t.secure()).call<{ messages: { members: unknown[] }[] }>('EtcdMemberList', {});
          members = m.messages[0]?.members.length ?? 0;
        }
        if (!waiting.length && (members === undefined || members >= a.etcd_members!)) return { changed: false, data: { services: Object.fromEntries(svcs.map((x) => [x.id, x.state])), ...(members !== undefined ? { etcd_members: members } : {}) } };
        last = waiting.length ? `waiting for ${waiting.map((id) => `${id} (${state(id) ?? 'absent'})`).join(', ')}` : `etcd has ${members} of ${a.etcd_members} members`;
      } catch (e) {
        // no talosconfig yet is not something waiting fixes (in --check, talos_secrets has not run)
        if (!(e instanceof UnreachableError) || /talosconfig .* does not exist/.test(e.message)) throw e;
        last = e.message;
      }
      if (Date.now() >= deadline || ctx.signal.aborted) throw new ModuleFailure(`${t.endpoint} not healthy after ${a.timeout ?? 600}s: ${last}`);
      await sleep(300, undefined, { signal: ctx.signal }).catch(() => undefined);
    }
  },
});
