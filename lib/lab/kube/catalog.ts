/**
 * The lab chart repository's charts: the platform's charts by name and version, with their
 * main values, rendering a few small workloads each (no real images run in the lab). A
 * `values.schema.json` makes bad values fail in helm as they would upstream.
 */
export interface Workload {
  kind: 'Deployment' | 'DaemonSet' | 'StatefulSet';
  /** Name suffix after the release name ('' = the release name). */
  suffix: string;
  /** Values path holding the replica count (Deployments/StatefulSets). */
  replicas?: string;
  /** Rendered only when this values path is true. */
  when?: string;
  image: string;
}

export interface LabChart {
  name: string;
  versions: string[];
  appVersion: (v: string) => string;
  description: string;
  values: Record<string, unknown>;
  schema?: Record<string, unknown>;
  workloads: Workload[];
  /** Extra templates (Go template text) and CRDs (YAML), by file name. */
  templates?: Record<string, string>;
  crds?: Record<string, string>;
}

const same = (v: string) => v.replace(/^v/, '');

/** A minimal CRD (no schema validation: x-kubernetes-preserve-unknown-fields). */
export function crd(group: string, kind: string, plural: string, scope: 'Namespaced' | 'Cluster' = 'Namespaced', version = 'v1'): string {
  return `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: ${plural}.${group}
spec:
  group: ${group}
  scope: ${scope}
  names: {kind: ${kind}, plural: ${plural}, singular: ${kind.toLowerCase()}, listKind: ${kind}List}
  versions:
  - name: ${version}
    served: true
    storage: true
    subresources: {status: {}}
    schema:
      openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}
`;
}

const obj = (properties: Record<string, unknown>) => ({ type: 'object', properties });

export const CATALOG: LabChart[] = [
  {
    name: 'cilium',
    versions: ['1.18.4', '1.18.5'],
    appVersion: same,
    description: 'eBPF-based Networking, Security, and Observability',
    values: {
      cluster: { name: 'default', id: 0 },
      ipam: { mode: 'cluster-pool' },
      kubeProxyReplacement: 'false',
      k8sServiceHost: '',
      k8sServicePort: '',
      devices: '',
      cgroup: { autoMount: { enabled: true }, hostRoot: '/run/cilium/cgroupv2' },
      securityContext: { capabilities: { ciliumAgent: ['CHOWN', 'KILL', 'NET_ADMIN'], cleanCiliumState: ['NET_ADMIN', 'SYS_ADMIN'] } },
      gatewayAPI: { enabled: false },
      l2announcements: { enabled: false },
      hubble: { enabled: true, relay: { enabled: false }, ui: { enabled: false } },
      operator: { replicas: 2 },
      clustermesh: { useAPIServer: false, apiserver: { service: { type: 'NodePort', nodePort: 32379 } }, config: { enabled: false, clusters: [] } },
    },
    schema: obj({ cluster: obj({ name: { type: 'string', maxLength: 32 }, id: { type: 'integer', minimum: 0, maximum: 255 } }), operator: obj({ replicas: { type: 'integer', minimum: 0 } }) }),
    workloads: [
      { kind: 'DaemonSet', suffix: '', image: 'quay.io/cilium/cilium' },
      { kind: 'Deployment', suffix: '-operator', replicas: 'operator.replicas', image: 'quay.io/cilium/operator-generic' },
      { kind: 'Deployment', suffix: '-hubble-relay', when: 'hubble.relay.enabled', image: 'quay.io/cilium/hubble-relay' },
      { kind: 'Deployment', suffix: '-hubble-ui', when: 'hubble.ui.enabled', image: 'quay.io/cilium/hubble-ui' },
      { kind: 'Deployment', suffix: '-clustermesh-apiserver', when: 'clustermesh.useAPIServer', image: 'quay.io/cilium/clustermesh-apiserver' },
    ],
    templates: {
      'clustermesh-service.yaml': `{{- if .Values.clustermesh.useAPIServer }}
apiVersion: v1
kind: Service
metadata:
  name: clustermesh-apiserver
  namespace: {{ .Release.Namespace }}
spec:
  type: {{ .Values.clustermesh.apiserver.service.type }}
  selector: {app.kubernetes.io/name: {{ .Release.Name }}-clustermesh-apiserver}
  ports:
  - {name: apiserv, port: 2379, targetPort: 2379{{ if eq .Values.clustermesh.apiserver.service.type "NodePort" }}, nodePort: {{ .Values.clustermesh.apiserver.service.nodePort }}{{ end }}}
{{- end }}
`,
      'clustermesh-secret.yaml': `{{- if .Values.clustermesh.config.enabled }}
apiVersion: v1
kind: Secret
metadata:
  name: cilium-clustermesh
  namespace: {{ .Release.Namespace }}
data:
{{- range .Values.clustermesh.config.clusters }}
  {{ .name }}: {{ printf "endpoints:\\n- https://%s.mesh.cilium.io:%v\\n" .name .port | b64enc }}
{{- end }}
{{- end }}
`,
    },
  },
  {
    name: 'tetragon',
    versions: ['1.5.0', '1.6.0'],
    appVersion: same,
    description: 'eBPF-based Security Observability and Runtime Enforcement',
    values: { tetragon: { exportFilename: 'tetragon.log', enableProcessCred: false }, tetragonOperator: { enabled: true } },
    workloads: [
      { kind: 'DaemonSet', suffix: '', image: 'quay.io/cilium/tetragon' },
      { kind: 'Deployment', suffix: '-operator', when: 'tetragonOperator.enabled', image: 'quay.io/cilium/tetragon-operator' },
    ],
  },
  {
    name: 'rook-ceph',
    versions: ['v1.18.7', 'v1.18.8'],
    appVersion: (v) => v,
    description: 'File, Block, and Object Storage Services for your Cloud-Native Environment',
    values: { crds: { enabled: true }, csi: { enableRbdDriver: true, enableCephfsDriver: true }, monitoring: { enabled: false } },
    workloads: [{ kind: 'Deployment', suffix: '-operator', image: 'docker.io/rook/ceph' }],
    crds: { 'cephclusters.yaml': crd('ceph.rook.io', 'CephCluster', 'cephclusters'), 'cephblockpools.yaml': crd('ceph.rook.io', 'CephBlockPool', 'cephblockpools') },
  },
  {
    name: 'rook-ceph-cluster',
    versions: ['v1.18.7', 'v1.18.8'],
    appVersion: (v) => v,
    description: 'Manages a single Ceph cluster namespace for Rook',
    values: {
      operatorNamespace: 'rook-ceph',
      cephClusterSpec: { dataDirHostPath: '/var/lib/rook', mon: { count: 3 }, storage: { useAllNodes: true, useAllDevices: false, deviceFilter: '' } },
      cephBlockPools: [{ name: 'ceph-blockpool', storageClass: { enabled: true, name: 'ceph-block', isDefault: true } }],
    },
    workloads: [],
    templates: {
      'cephcluster.yaml': `apiVersion: ceph.rook.io/v1
kind: CephCluster
metadata:
  name: {{ .Release.Namespace }}
  namespace: {{ .Release.Namespace }}
spec:
{{ toYaml .Values.cephClusterSpec | indent 2 }}
`,
      'storageclass.yaml': `{{- range .Values.cephBlockPools }}
{{- if .storageClass.enabled }}
---
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: {{ .storageClass.name }}
  annotations:
    storageclass.kubernetes.io/is-default-class: "{{ .storageClass.isDefault }}"
provisioner: {{ $.Values.operatorNamespace }}.rbd.csi.ceph.com
parameters: {pool: {{ .name }}, clusterID: {{ $.Release.Namespace }}}
reclaimPolicy: Delete
allowVolumeExpansion: true
{{- end }}
{{- end }}
`,
    },
  },
  {
    name: 'metrics-server',
    versions: ['3.12.2', '3.13.0'],
    appVersion: (v) => (v === '3.13.0' ? '0.8.0' : '0.7.2'),
    description: 'Metrics Server is a scalable, efficient source of container resource metrics.',
    values: { replicas: 1, args: [], apiService: { create: true } },
    workloads: [{ kind: 'Deployment', suffix: '', replicas: 'replicas', image: 'registry.k8s.io/metrics-server/metrics-server' }],
  },
  {
    name: 'kube-prometheus-stack',
    versions: ['79.4.0', '79.5.0'],
    appVersion: () => 'v0.86.2',
    description: 'kube-prometheus-stack collects Kubernetes manifests, Grafana dashboards, and Prometheus rules',
    values: {
      prometheus: { prometheusSpec: { retention: '10d', storageSpec: { volumeClaimTemplate: { spec: { storageClassName: 'ceph-block', resources: { requests: { storage: '10Gi' } } } } } } },
      grafana: { enabled: true },
      alertmanager: { enabled: true },
    },
    workloads: [
      { kind: 'Deployment', suffix: '-operator', image: 'quay.io/prometheus-operator/prometheus-operator' },
      { kind: 'StatefulSet', suffix: '-prometheus', image: 'quay.io/prometheus/prometheus' },
      { kind: 'Deployment', suffix: '-grafana', when: 'grafana.enabled', image: 'docker.io/grafana/grafana' },
    ],
  },
  {
    name: 'robusta',
    versions: ['0.28.1', '0.29.1'],
    appVersion: same,
    description: 'Robusta Helm chart for Kubernetes',
    values: { clusterName: '', globalConfig: { signing_key: '', account_id: '' }, sinksConfig: [], enablePrometheusStack: false, enablePlatformPlaybooks: true, runner: { sendAdditionalTelemetry: false } },
    schema: obj({ clusterName: { type: 'string' }, enablePrometheusStack: { type: 'boolean' } }),
    workloads: [
      { kind: 'Deployment', suffix: '-runner', image: 'robustadev/robusta-runner' },
      { kind: 'Deployment', suffix: '-forwarder', image: 'robustadev/kubewatch' },
    ],
  },
  {
    name: 'ollama',
    versions: ['1.29.0', '1.30.0'],
    appVersion: () => '0.12.6',
    description: 'Get up and running with large language models locally.',
    values: { replicaCount: 1, ollama: { gpu: { enabled: false, type: 'nvidia', number: 1 }, models: { pull: [] } }, nodeSelector: {}, persistentVolume: { enabled: false, size: '30Gi' } },
    workloads: [{ kind: 'Deployment', suffix: '', replicas: 'replicaCount', image: 'ollama/ollama' }],
  },
  {
    name: 'opentelemetry-collector',
    versions: ['0.136.0', '0.137.0'],
    appVersion: () => '0.137.0',
    description: 'OpenTelemetry Collector Helm chart for Kubernetes',
    values: { mode: 'deployment', image: { repository: 'otel/opentelemetry-collector-k8s' }, replicaCount: 1, config: { exporters: {}, service: { pipelines: {} } }, extraEnvs: [] },
    schema: obj({ mode: { type: 'string', enum: ['daemonset', 'deployment', 'statefulset'] } }),
    workloads: [{ kind: 'Deployment', suffix: '', replicas: 'replicaCount', image: 'otel/opentelemetry-collector-k8s' }],
  },
  {
    name: 'gateway-api',
    versions: ['1.1.0', '1.2.1'],
    appVersion: (v) => `v${v}`,
    description: 'Gateway API CRDs (standard channel)',
    values: {},
    workloads: [],
    crds: {
      'gatewayclasses.yaml': crd('gateway.networking.k8s.io', 'GatewayClass', 'gatewayclasses', 'Cluster'),
      'gateways.yaml': crd('gateway.networking.k8s.io', 'Gateway', 'gateways'),
      'httproutes.yaml': crd('gateway.networking.k8s.io', 'HTTPRoute', 'httproutes'),
      'grpcroutes.yaml': crd('gateway.networking.k8s.io', 'GRPCRoute', 'grpcroutes'),
      'referencegrants.yaml': crd('gateway.networking.k8s.io', 'ReferenceGrant', 'referencegrants', 'Namespaced', 'v1beta1'),
    },
  },
];
