import { existsSync, readFileSync } from 'node:fs';
import { defineRole, stepVars, Type } from 'agri-play';

type Dict = Record<string, unknown>;
const isDict = (v: unknown): v is Dict => typeof v === 'object' && v !== null && !Array.isArray(v);
/** combine(recursive=true): dicts merged key by key, anything else replaced. */
const merge = (a: Dict, b: Dict): Dict => Object.fromEntries([...Object.keys(a), ...Object.keys(b).filter((k) => !(k in a))].map((k) => [k, isDict(a[k]) && isDict(b[k]) ? merge(a[k] as Dict, b[k] as Dict) : k in b ? b[k] : a[k]]));
/** A controller file as base64, as `lookup('file', f) | b64encode` gives it (trailing whitespace dropped). */
const b64 = (file: string) => Buffer.from(readFileSync(file, 'utf8').replace(/\s+$/, '')).toString('base64');

/**
 * Cilium CNI with Talos' values, Hubble, Gateway API and Cluster Mesh: the mesh's shared CA
 * (made once per run on the controller, never regenerated) and, as peers, every other cluster of
 * the run at its first control plane's address (known when the step runs) and its NodePort.
 */
export default defineRole({
  name: 'cilium',
  description: 'Cilium CNI with Talos values, Hubble, Gateway API and Cluster Mesh settings',
  params: Type.Object({
    cluster_name: Type.String({ pattern: '^[a-z0-9]([a-z0-9-]{0,30}[a-z0-9])?$' }),
    cluster_id: Type.Integer({ minimum: 1, maximum: 255 }),
    cilium_version: Type.String({ pattern: '^\\d+\\.\\d+\\.\\d+$' }),
    clustermesh_nodeport: Type.Integer({ minimum: 30000, maximum: 32767 }),
    cilium_chart_repo: Type.Optional(Type.String()),
    cilium_devices: Type.Optional(Type.String()),
    cilium_extra_values: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    cilium_values_files: Type.Optional(Type.Array(Type.String())),
    cilium_mesh: Type.Optional(Type.Boolean()),
    cilium_ca_dir: Type.Optional(Type.String()),
  }),
  defaults: { cilium_chart_repo: 'https://helm.cilium.io', cilium_devices: 'ens18', cilium_extra_values: {}, cilium_values_files: [], cilium_mesh: true },
  tasks(t, { host, params: p, vars, groups }) {
    const mesh = p.cilium_mesh ?? true;
    const caDir = p.cilium_ca_dir ?? `${String(vars.playbook_dir)}/../.agri-play/mesh`;
    if (mesh) t.x509_ca({ dir: caDir, subject: 'CN=Cilium CA' }, { name: 'shared Cilium CA of the mesh (once per run, on the controller; never regenerated)', run_once: true });
    // the other clusters of this run; their control planes' addresses are facts by the time this runs
    const others = (groups.clusters ?? []).filter((h) => h !== host);
    const peers = () => {
      const hv = stepVars().hostvars as Record<string, Dict>;
      return others.map((h) => {
        const cp = (groups[String(hv[h].cp_group)] ?? [])[0];
        return { name: hv[h].cluster_name, ips: [hv[cp]?.ansible_host ?? hv[h].cluster_name], port: Number(hv[h].clustermesh_nodeport) };
      });
    };
    const caFile = (name: string): string => {
      if (!mesh) return '';
      const f = `${caDir}/${name}`;
      return !existsSync(f) && stepVars().ansible_check_mode === true ? '(made by the CA step)' : b64(f);
    };
    const values: Dict = {
      cluster: { name: p.cluster_name, id: p.cluster_id },
      ipam: { mode: 'kubernetes' },
      kubeProxyReplacement: true,
      k8sServiceHost: 'localhost',
      k8sServicePort: 7445,
      devices: p.cilium_devices,
      securityContext: {
        capabilities: {
          ciliumAgent: ['CHOWN', 'KILL', 'NET_ADMIN', 'NET_RAW', 'IPC_LOCK', 'SYS_ADMIN', 'SYS_RESOURCE', 'DAC_OVERRIDE', 'FOWNER', 'SETGID', 'SETUID'],
          cleanCiliumState: ['NET_ADMIN', 'SYS_ADMIN', 'SYS_RESOURCE'],
        },
      },
      cgroup: { autoMount: { enabled: false }, hostRoot: '/sys/fs/cgroup' },
      gatewayAPI: { enabled: true },
      l2announcements: { enabled: true },
      hubble: { enabled: true, relay: { enabled: true }, ui: { enabled: true } },
      clustermesh: { useAPIServer: mesh, apiserver: { service: { type: 'NodePort', nodePort: p.clustermesh_nodeport } }, config: { enabled: mesh, clusters: mesh ? peers : [] } },
      // the CA exists once the step above ran: read when this step runs (a dry run before the CA
      // exists shows a placeholder, so the rest of the release is still checked)
      tls: { ca: { cert: () => caFile('ca.crt'), key: () => caFile('ca.key') } },
    };
    t.helm_release(
      {
        name: 'cilium',
        namespace: 'kube-system',
        chart: 'cilium',
        repo: p.cilium_chart_repo,
        chart_version: p.cilium_version,
        wait: true,
        timeout: '10m',
        values: merge(values, p.cilium_extra_values ?? {}),
        values_files: p.cilium_values_files,
      },
      // a transient API error (etcd timeout, apiserver restarting) gets two more tries
      { name: `cilium ${p.cilium_version}`, retries: 2, delay: 3 },
    );
  },
});
