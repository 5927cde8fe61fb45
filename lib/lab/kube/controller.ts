import type { Json } from './patch.js';
import type { Resource } from './resources.js';
import type { KubeObject, KubeStore } from './store.js';

/** A workload with this annotation never becomes ready (to test waits that time out). */
export const NEVER_READY = 'lab.agri-play.dev/never-ready';

type Spec = { replicas?: number };
const crdStatus = (o: KubeObject): Json => {
  const names = (o.spec as { names: Json }).names;
  const cond = (type: string) => ({ type, status: 'True', reason: type === 'Established' ? 'InitialNamesAccepted' : 'NoConflicts', message: '', lastTransitionTime: new Date().toISOString() });
  return { acceptedNames: names, conditions: [cond('NamesAccepted'), cond('Established')], storedVersions: ((o.spec as { versions: { name: string; storage?: boolean }[] }).versions.filter((v) => v.storage).map((v) => v.name)) };
};

const GENERATIONAL = new Set(['Deployment', 'StatefulSet', 'DaemonSet']);
/** The kinds readyStatus answers for. */
const CONTROLLED = new Set([...GENERATIONAL, 'Job', 'PersistentVolumeClaim', 'CustomResourceDefinition', 'APIService']);

/** The status a real controller would report once the workload has rolled out. */
function readyStatus(o: KubeObject, nodes: number): Json | undefined {
  const gen = o.metadata.generation ?? 1;
  const want = (o.spec as Spec | undefined)?.replicas ?? 1;
  const cond = (type: string, reason: string) => ({ type, status: 'True', reason, message: '', lastUpdateTime: new Date().toISOString(), lastTransitionTime: new Date().toISOString() });
  switch (o.kind) {
    case 'Deployment':
      return { observedGeneration: gen, replicas: want, updatedReplicas: want, readyReplicas: want, availableReplicas: want, conditions: [cond('Available', 'MinimumReplicasAvailable'), cond('Progressing', 'NewReplicaSetAvailable')] };
    case 'StatefulSet':
      return { observedGeneration: gen, replicas: want, readyReplicas: want, currentReplicas: want, updatedReplicas: want, availableReplicas: want, currentRevision: `${o.metadata.name}-${gen}`, updateRevision: `${o.metadata.name}-${gen}` };
    case 'DaemonSet':
      return { observedGeneration: gen, desiredNumberScheduled: nodes, currentNumberScheduled: nodes, numberReady: nodes, updatedNumberScheduled: nodes, numberAvailable: nodes, numberMisscheduled: 0 };
    case 'Job':
      return { succeeded: 1, conditions: [cond('Complete', 'Completed')], startTime: new Date().toISOString(), completionTime: new Date().toISOString() };
    case 'PersistentVolumeClaim':
      return { phase: 'Bound' };
    case 'CustomResourceDefinition':
      return crdStatus(o);
    case 'APIService':
      return { conditions: [cond('Available', 'Passed')] };
    default:
      return undefined;
  }
}

/**
 * Fake controllers: a little after a workload is written with a new generation, its status
 * says it rolled out (what helm's --wait and kubectl rollout/wait look for).
 */
export function startControllers(store: KubeStore, opts: { delayMs?: number; nodes?: () => number } = {}): () => void {
  const timers = new Set<NodeJS.Timeout>();
  const settle = (r: Resource, ns: string | undefined, name: string) => {
    let o: KubeObject;
    try {
      o = store.get(r, ns, name);
    } catch {
      return; // deleted meanwhile
    }
    if (o.metadata.annotations?.[NEVER_READY] === 'true') return;
    const status = readyStatus(o, Math.max(1, opts.nodes?.() ?? 1));
    if (status !== undefined) store.patch(r, ns, name, 'application/merge-patch+json', { status }, 'status', { manager: 'lab-controller' });
  };
  store.onWrite = (r, o, type) => {
    if (type === 'DELETED' || !CONTROLLED.has(r.kind)) return;
    const status = (o.status ?? {}) as { observedGeneration?: number };
    // workloads settle per generation; the others once (any status at all)
    const settled = GENERATIONAL.has(r.kind) ? status.observedGeneration === o.metadata.generation : Object.keys(status).length > 0;
    if (settled) return;
    const t = setTimeout(() => {
      timers.delete(t);
      settle(r, o.metadata.namespace, o.metadata.name!);
    }, opts.delayMs ?? 30);
    timers.add(t);
  };
  return () => {
    for (const t of timers) clearTimeout(t);
  };
}
