import { defineRole, secret, Type } from 'agri-play';

/**
 * Robusta (alerts enriched and routed to its UI sink) in the namespace `robusta`, labelled Pod
 * Security `privileged`; account id, signing key and UI sink token from Doppler (never shown).
 */
export default defineRole({
  name: 'robusta',
  description: 'Robusta, with its account id, signing key and UI sink token from Doppler',
  params: Type.Object({
    robusta_version: Type.String(),
    robusta_chart_repo: Type.Optional(Type.String()),
    robusta_cluster_name: Type.Optional(Type.String()),
  }),
  defaults: { robusta_version: '0.29.1', robusta_chart_repo: 'https://robusta-charts.storage.googleapis.com' },
  tasks(t, { params: p, vars }) {
    const privileged = 'privileged';
    t.helm_release(
      {
        name: 'robusta',
        namespace: 'robusta',
        chart: 'robusta',
        repo: p.robusta_chart_repo,
        chart_version: p.robusta_version,
        wait: true,
        timeout: '10m',
        namespace_labels: { 'pod-security.kubernetes.io/enforce': privileged, 'pod-security.kubernetes.io/audit': privileged, 'pod-security.kubernetes.io/warn': privileged },
        values: {
          clusterName: p.robusta_cluster_name ?? String(vars.cluster_name),
          enablePrometheusStack: false,
          globalConfig: { account_id: secret('ROBUSTA_ACCOUNT_ID'), signing_key: secret('ROBUSTA_SIGNING_KEY') },
          sinksConfig: [{ robusta_sink: { name: 'robusta_ui_sink', token: secret('ROBUSTA_SINK_TOKEN') } }],
        },
      },
      // a transient API error (etcd timeout, apiserver restarting) gets two more tries
      { name: `robusta ${p.robusta_version}`, retries: 2, delay: 3 },
    );
  },
});
