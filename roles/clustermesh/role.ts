import { defineRole, stepVars, Type } from 'agri-play';

type Resource = { spec?: { ports?: { nodePort?: number }[] }; data?: Record<string, unknown> };

/** Cluster Mesh, verified: the clustermesh-apiserver rolled out on this cluster's own NodePort, and every other cluster of the run is a peer. */
export default defineRole({
  name: 'clustermesh',
  description: 'Cluster Mesh verification: the apiserver on its NodePort, every other cluster a peer',
  params: Type.Object({ clustermesh_nodeport: Type.Integer({ minimum: 30000, maximum: 32767 }) }),
  tasks(t, { host, params: p, vars, groups }) {
    t.kube_wait({ kind: 'deployment', name: 'cilium-clustermesh-apiserver', namespace: 'kube-system', timeout: 300 }, { name: 'clustermesh-apiserver rolled out' });
    const svc = t.kube_info({ kind: 'service', name: 'clustermesh-apiserver', namespace: 'kube-system' }, { name: 'clustermesh-apiserver service' });
    const svcs = () => (svc.result.resources ?? []) as Resource[];
    t.assert(
      { that: [() => svcs().length === 1 && svcs()[0].spec?.ports?.[0]?.nodePort === p.clustermesh_nodeport], fail_msg: `clustermesh-apiserver is not exposed on NodePort ${p.clustermesh_nodeport}` },
      { name: "exposed on this cluster's own NodePort" },
    );
    const secret = t.kube_info({ kind: 'secret', name: 'cilium-clustermesh', namespace: 'kube-system' }, { name: "agents' mesh configuration (Secret cilium-clustermesh)" });
    for (const other of (groups.clusters ?? []).filter((h) => h !== host)) {
      const peer = () => String((stepVars().hostvars as Record<string, Record<string, unknown>>)[other].cluster_name);
      t.assert(
        { that: [() => ((secret.result.resources ?? []) as Resource[]).length === 1 && peer() in (((secret.result.resources as Resource[])[0].data ?? {}) as object)], fail_msg: () => `${peer()} is not in ${String(vars.cluster_name)}'s mesh` },
        { name: 'every other cluster is a peer' },
      );
    }
  },
});
