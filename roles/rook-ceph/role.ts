import { defineRole, Type } from 'agri-play';

/** Rook operator, then the Ceph cluster whose block pool backs the default StorageClass `ceph-block` (Prometheus' volume). */
export default defineRole({
  name: 'rook-ceph',
  description: 'Rook operator, then the Ceph cluster backing the default StorageClass ceph-block',
  params: Type.Object({
    rook_version: Type.String(),
    rook_chart_repo: Type.Optional(Type.String()),
    ceph_devices: Type.Optional(Type.String()),
    ceph_mon_count: Type.Optional(Type.Integer({ minimum: 1, maximum: 9 })),
  }),
  defaults: { rook_version: 'v1.18.8', rook_chart_repo: 'https://charts.rook.io/release', ceph_devices: '', ceph_mon_count: 3 },
  tasks(t, { params: p }) {
    // a transient API error (etcd timeout, apiserver restarting) gets two more tries
    const retrying = { retries: 2, delay: 3 };
    const release = { namespace: 'rook-ceph', repo: p.rook_chart_repo, chart_version: p.rook_version };
    t.helm_release({ ...release, name: 'rook-ceph', chart: 'rook-ceph', wait: true, timeout: '10m', values: { crds: { enabled: true }, monitoring: { enabled: false } } }, { name: `rook-ceph ${p.rook_version}`, ...retrying });
    t.helm_release(
      {
        ...release,
        name: 'rook-ceph-cluster',
        chart: 'rook-ceph-cluster',
        values: {
          operatorNamespace: 'rook-ceph',
          cephClusterSpec: { dataDirHostPath: '/var/lib/rook', mon: { count: p.ceph_mon_count }, storage: { useAllNodes: true, useAllDevices: false, deviceFilter: p.ceph_devices } },
          cephBlockPools: [{ name: 'ceph-blockpool', storageClass: { enabled: true, name: 'ceph-block', isDefault: true } }],
        },
      },
      { name: `Ceph cluster ${p.rook_version}`, ...retrying },
    );
  },
});
