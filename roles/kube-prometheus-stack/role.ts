import { defineRole, Type } from 'agri-play';

/** kube-prometheus-stack (Prometheus operator, Prometheus with a volume on the Rook StorageClass, Grafana) in `monitoring`. */
export default defineRole({
  name: 'kube-prometheus-stack',
  description: 'kube-prometheus-stack: Prometheus with a volume on the Rook StorageClass, Grafana',
  params: Type.Object({
    kube_prometheus_stack_version: Type.String(),
    prometheus_chart_repo: Type.Optional(Type.String()),
    prometheus_storage_class: Type.Optional(Type.String()),
    prometheus_storage: Type.Optional(Type.String({ pattern: '^\\d+(Ki|Mi|Gi|Ti)$' })),
  }),
  defaults: { kube_prometheus_stack_version: '79.5.0', prometheus_chart_repo: 'https://prometheus-community.github.io/helm-charts', prometheus_storage_class: 'ceph-block', prometheus_storage: '10Gi' },
  tasks(t, { params: p }) {
    const volume = { spec: { storageClassName: p.prometheus_storage_class, resources: { requests: { storage: p.prometheus_storage } } } };
    t.helm_release(
      {
        name: 'kube-prometheus-stack',
        namespace: 'monitoring',
        chart: 'kube-prometheus-stack',
        repo: p.prometheus_chart_repo,
        chart_version: p.kube_prometheus_stack_version,
        wait: true,
        timeout: '10m',
        values: { prometheus: { prometheusSpec: { retention: '10d', storageSpec: { volumeClaimTemplate: volume } } } },
      },
      // a transient API error (etcd timeout, apiserver restarting) gets two more tries
      { name: `kube-prometheus-stack ${p.kube_prometheus_stack_version}`, retries: 2, delay: 3 },
    );
  },
});
