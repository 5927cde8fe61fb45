import { defineRole, stepVars, Type } from 'agri-play';

/**
 * A Talos cluster from its nodes' machine API (no talosctl): secrets bundle → machine configs →
 * etcd bootstrapped once on the first control plane → health → kubeconfig → Kubernetes API ready.
 * Runs on every Talos node host of a site; `cp_group` names the site's control planes. Addresses
 * are read when the steps run: the VM step before sets each node's `ansible_host`.
 */
export default defineRole({
  name: 'talos-cluster',
  description: 'A Talos cluster from its nodes machine API (no talosctl)',
  params: Type.Object({
    cluster_name: Type.String({ pattern: '^[a-z0-9]([a-z0-9-]{0,30}[a-z0-9])?$' }),
    cp_group: Type.String({ description: "inventory group of this site's control planes" }),
    node_role: Type.Union([Type.Literal('controlplane'), Type.Literal('worker')]),
    pod_cidr: Type.String(),
    service_cidr: Type.String(),
    talos_install_disk: Type.Optional(Type.String()),
    talos_wait: Type.Optional(Type.Integer({ minimum: 1 })),
    talos_patches: Type.Optional(Type.Array(Type.Unknown())),
    talos_extra_manifests: Type.Optional(Type.Array(Type.Unknown())),
    talos_ntp_servers: Type.Optional(Type.Array(Type.String())),
    // where the secrets bundle, talosconfig and kubeconfig live on the controller (0600); the
    // talos connection and later plays read talosconfig/kubeconfig_path as variables
    talos_dir: Type.Optional(Type.String()),
    talosconfig: Type.Optional(Type.String()),
    kubeconfig_path: Type.Optional(Type.String()),
  }),
  defaults: {
    talos_install_disk: '/dev/vda',
    talos_wait: 300,
    talos_patches: [],
    talos_extra_manifests: [],
    talos_ntp_servers: ['pool.ntp.org'],
    talos_dir: '{{ playbook_dir }}/../.agri-play/talos/{{ cluster_name }}',
    talosconfig: '{{ talos_dir }}/talosconfig',
    kubeconfig_path: '{{ talos_dir }}/kubeconfig',
  },
  tasks(t, { host, params: p, vars, groups }) {
    const cps = groups[p.cp_group] ?? [];
    const first = host === cps[0];
    const addressOf = (h: string) => String((stepVars().hostvars as Record<string, Record<string, unknown>>)[h]?.ansible_host);
    const dir = String(p.talos_dir);
    const kubeconfig = String(p.kubeconfig_path);
    const wait = p.talos_wait ?? 300;
    t.talos_secrets(
      { dir, cluster_name: p.cluster_name, endpoints: () => cps.map(addressOf), ...(vars.talos_secrets_doppler !== undefined ? { doppler_secret: String(vars.talos_secrets_doppler) } : {}) },
      { name: `secrets bundle and talosconfig of ${p.cluster_name}` },
    );
    t.talos_config(
      {
        secrets_dir: dir,
        role: p.node_role,
        cluster_name: p.cluster_name,
        endpoint: () => `https://${addressOf(cps[0])}:${String(vars.k8s_api_port ?? 6443)}`,
        node_ip: () => String(stepVars().ansible_host),
        install_disk: p.talos_install_disk,
        install_image: `factory.talos.dev/metal-installer/${String(vars.talos_schematic)}:${String(vars.talos_version)}`,
        kubernetes_version: String(vars.kubernetes_version),
        pod_subnets: [p.pod_cidr],
        service_subnets: [p.service_cidr],
        ntp_servers: p.talos_ntp_servers,
        cni: 'none',
        kube_proxy: false,
        extra_manifests: p.talos_extra_manifests as string[],
        patches: p.talos_patches as Record<string, unknown>[],
        wait,
      },
      { name: 'machine config' },
    );
    if (first) t.talos_bootstrap({}, { name: 'bootstrap etcd once, on the first control plane' });
    t.talos_health({ ...(p.node_role === 'controlplane' ? { etcd_members: cps.length } : {}), timeout: wait }, { name: 'healthy' });
    if (first) {
      t.talos_kubeconfig({ dest: kubeconfig }, { name: `kubeconfig of ${p.cluster_name}` });
      t.talos_health({ kubeconfig, timeout: wait }, { name: `Kubernetes API of ${p.cluster_name} ready` });
    }
  },
});
