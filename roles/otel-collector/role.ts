import { defineRole, secret, Type } from 'agri-play';

/**
 * OpenTelemetry collector exporting traces, metrics and logs to Honeycomb over OTLP, with the API
 * key from Doppler (`HONEYCOMB_API_KEY`, fetched when the step runs, never shown).
 */
export default defineRole({
  name: 'otel-collector',
  description: 'OpenTelemetry collector exporting traces, metrics and logs to Honeycomb over OTLP',
  params: Type.Object({
    otel_collector_version: Type.String(),
    otel_chart_repo: Type.Optional(Type.String()),
    otel_mode: Type.Optional(Type.Union([Type.Literal('daemonset'), Type.Literal('deployment'), Type.Literal('statefulset')])),
    honeycomb_endpoint: Type.Optional(Type.String()),
  }),
  defaults: { otel_collector_version: '0.137.0', otel_chart_repo: 'https://open-telemetry.github.io/opentelemetry-helm-charts', otel_mode: 'deployment', honeycomb_endpoint: 'api.honeycomb.io:443' },
  tasks(t, { params: p }) {
    const pipeline = { exporters: ['otlp'] };
    t.helm_release(
      {
        name: 'otel-collector',
        namespace: 'observability',
        chart: 'opentelemetry-collector',
        repo: p.otel_chart_repo,
        chart_version: p.otel_collector_version,
        wait: true,
        timeout: '10m',
        values: {
          mode: p.otel_mode,
          image: { repository: 'otel/opentelemetry-collector-k8s' },
          config: {
            exporters: { otlp: { endpoint: p.honeycomb_endpoint, headers: { 'x-honeycomb-team': secret('HONEYCOMB_API_KEY') } } },
            service: { pipelines: { traces: pipeline, metrics: pipeline, logs: pipeline } },
          },
        },
      },
      // a transient API error (etcd timeout, apiserver restarting) gets two more tries
      { name: `opentelemetry-collector ${p.otel_collector_version}`, retries: 2, delay: 3 },
    );
  },
});
