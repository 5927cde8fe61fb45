import { Type } from '@sinclair/typebox';
import { defineModule } from './types.js';
import { toolError } from './util/kube.js';

const Args = Type.Object(
  {
    kind: Type.String({ description: 'deployment, daemonset, statefulset, crd, or any kind kubectl knows.' }),
    name: Type.String(),
    namespace: Type.Optional(Type.String()),
    condition: Type.Optional(Type.String({ description: 'Wait for this condition (Available, Established, Ready…); without it, wait for the rollout.' })),
    timeout: Type.Optional(Type.Integer({ minimum: 1, description: 'Seconds (default 300).' })),
  },
  { additionalProperties: false },
);

export default defineModule({
  name: 'kube_wait',
  kind: 'action',
  description: 'Waits until a workload has rolled out, or an object has a condition (kubectl rollout status / kubectl wait); fails with kubectl\'s reason on timeout.',
  args: Args,
  async run(ctx, a) {
    const k = await ctx.kube();
    const timeout = `--timeout=${a.timeout ?? 300}s`;
    const ns = a.namespace ? ['-n', a.namespace] : [];
    const obj = `${a.kind}/${a.name}`;
    const args = a.condition ? ['wait', `--for=condition=${a.condition}`, obj, ...ns, timeout] : ['rollout', 'status', obj, ...ns, timeout];
    const t0 = Date.now();
    const r = await k.kubectl(args, { timeoutMs: ((a.timeout ?? 300) + 30) * 1000 });
    const data = { elapsed: Math.round((Date.now() - t0) / 100) / 10 };
    if (r.rc !== 0) return { failed: true, msg: `${obj}: ${toolError(r)}`, data };
    return { changed: false, msg: r.stdout.trim() || `${obj} ready`, data };
  },
});
