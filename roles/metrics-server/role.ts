import { defineRole, Type } from 'agri-play';

/**
 * metrics-server (resource metrics for `kubectl top` and autoscaling); kubelet certificates are
 * served by Talos with `rotate-server-certificates` and approved by the
 * kubelet-serving-cert-approver role (installed just before).
 */
export default defineRole({
  name: 'metrics-server',
  description: 'metrics-server: resource metrics for kubectl top and autoscaling',
  params: Type.Object({
    metrics_server_version: Type.String(),
    metrics_server_chart_repo: Type.Optional(Type.String()),
    metrics_server_replicas: Type.Optional(Type.Integer({ minimum: 1 })),
  }),
  defaults: { metrics_server_version: '3.13.0', metrics_server_chart_repo: 'https://kubernetes-sigs.github.io/metrics-server/', metrics_server_replicas: 1 },
  tasks(t, { params: p }) {
    t.helm_release(
      {
        name: 'metrics-server',
        namespace: 'kube-system',
        chart: 'metrics-server',
        repo: p.metrics_server_chart_repo,
        chart_version: p.metrics_server_version,
        wait: true,
        timeout: '10m',
        values: { replicas: p.metrics_server_replicas, apiService: { create: true } },
      },
      // a transient API error (etcd timeout, apiserver restarting) gets two more tries
      { name: `metrics-server ${p.metrics_server_version}`, retries: 2, delay: 3 },
    );
  },
});
