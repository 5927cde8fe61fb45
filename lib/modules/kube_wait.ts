import { Type } from '../source/vendor/typebox.js';
import { defineModule } from './types.js';
import type { KubeApi } from '../connections/index.js';
import { toolError, KubeTarget } from './util/kube.js';

const Args = Type.Object(
  {
    kind: Type.String({ description: 'deployment, daemonset, statefulset, crd, or any kind kubectl knows.' }),
    name: Type.String(),
    namespace: Type.Optional(Type.String()),
    condition: Type.Optional(Type.String({ description: 'Wait for this condition (Available, Established, Ready…); without it, wait for the rollout.' })),
    timeout: Type.Optional(Type.Integer({ minimum: 1, description: 'Seconds (default 300).' })),
    ...KubeTarget,
  },
  { additionalProperties: false },
);

export default defineModule({
  name: 'kube_wait',
  kind: 'action',
  description: 'Waits until a workload has rolled out, or an object has a condition (kubectl rollout status / kubectl wait); fails with kubectl\'s reason on timeout.',
  args: Args,
  async run(ctx, a) {
    const k = await ctx.kube(a);
    const timeout = `--timeout=${a.timeout ?? 300}s`;
    const ns = a.namespace ? ['-n', a.namespace] : [];
    const obj = `${a.kind}/${a.name}`;
    const args = a.condition ? ['wait', `--for=condition=${a.condition}`, obj, ...ns, timeout] : ['rollout', 'status', obj, ...ns, timeout];
    const t0 = Date.now();
    // already there (a re-run): one GET says so; anything to wait for is kubectl's to wait on
    const done = await alreadyDone(k, a);
    if (done) return { changed: false, msg: done, data: { elapsed: 0 } };
    const r = await k.kubectl(args, { timeoutMs: ((a.timeout ?? 300) + 30) * 1000 });
    const data = { elapsed: Math.round((Date.now() - t0) / 100) / 10 };
    if (r.rc !== 0) return { failed: true, msg: `${obj}: ${toolError(r)}`, data };
    return { changed: false, msg: r.stdout.trim() || `${obj} ready`, data };
  },
});

type Obj = { metadata?: { generation?: number }; spec?: { replicas?: number }; status?: Record<string, unknown> & { conditions?: { type: string; status: string }[] } };

/** kubectl's words when the object is already rolled out / has the condition; undefined when not (or not known here). */
async function alreadyDone(k: KubeApi, a: typeof Args.static): Promise<string | undefined> {
  const api = await k.api();
  const r = api && (await api.resolve(a.kind));
  if (!api || !r) return undefined;
  const o = await api.get<Obj>(api.path(r, a.name, a.namespace ?? api.namespace));
  const s = o?.status;
  if (!o || !s) return undefined;
  const current = (o.metadata?.generation ?? 0) <= Number(s.observedGeneration ?? 0);
  if (a.condition) {
    const met = s.conditions?.some((c) => c.type.toLowerCase() === a.condition!.toLowerCase() && c.status === 'True');
    return met ? `${r.kind.toLowerCase()}${r.group ? `.${r.group}` : ''}/${a.name} condition met` : undefined;
  }
  const n = (k: string) => Number(s[k] ?? 0);
  if (r.kind === 'Deployment' && current) {
    const want = o.spec?.replicas ?? 1;
    if (n('updatedReplicas') >= want && n('replicas') === n('updatedReplicas') && n('availableReplicas') >= n('updatedReplicas')) return `deployment "${a.name}" successfully rolled out`;
  }
  if (r.kind === 'DaemonSet' && current) {
    if (n('updatedNumberScheduled') >= n('desiredNumberScheduled') && n('numberAvailable') >= n('desiredNumberScheduled')) return `daemon set "${a.name}" successfully rolled out`;
  }
  return undefined;
}
