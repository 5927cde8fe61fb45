/** One REST resource of the simulated API server (what discovery lists and routes serve). */
export interface Resource {
  group: string;
  version: string;
  kind: string;
  plural: string;
  namespaced: boolean;
  shortNames?: string[];
  categories?: string[];
  /** Has a /status subresource: user writes keep the stored status. */
  status?: boolean;
}

const core = (kind: string, plural: string, namespaced = true, extra: Partial<Resource> = {}): Resource => ({ group: '', version: 'v1', kind, plural, namespaced, ...extra });
const of = (group: string, version: string) => (kind: string, plural: string, namespaced = true, extra: Partial<Resource> = {}): Resource => ({ group, version, kind, plural, namespaced, ...extra });
const apps = of('apps', 'v1');
const rbac = of('rbac.authorization.k8s.io', 'v1');
const all = { categories: ['all'] };

/** The built-in kinds the charts and manifests of the platform use. */
export const BUILTIN: Resource[] = [
  core('Namespace', 'namespaces', false, { shortNames: ['ns'], status: true }),
  core('Secret', 'secrets'),
  core('ConfigMap', 'configmaps', true, { shortNames: ['cm'] }),
  core('Service', 'services', true, { shortNames: ['svc'], status: true, ...all }),
  core('ServiceAccount', 'serviceaccounts', true, { shortNames: ['sa'] }),
  core('Pod', 'pods', true, { shortNames: ['po'], status: true, ...all }),
  core('PersistentVolumeClaim', 'persistentvolumeclaims', true, { shortNames: ['pvc'], status: true }),
  core('PersistentVolume', 'persistentvolumes', false, { shortNames: ['pv'], status: true }),
  core('Endpoints', 'endpoints', true, { shortNames: ['ep'] }),
  core('Event', 'events', true, { shortNames: ['ev'] }),
  core('Node', 'nodes', false, { shortNames: ['no'], status: true }),
  core('ResourceQuota', 'resourcequotas', true, { status: true }),
  core('LimitRange', 'limitranges'),
  apps('Deployment', 'deployments', true, { shortNames: ['deploy'], status: true, ...all }),
  apps('DaemonSet', 'daemonsets', true, { shortNames: ['ds'], status: true, ...all }),
  apps('StatefulSet', 'statefulsets', true, { shortNames: ['sts'], status: true, ...all }),
  apps('ReplicaSet', 'replicasets', true, { shortNames: ['rs'], status: true, ...all }),
  apps('ControllerRevision', 'controllerrevisions'),
  of('batch', 'v1')('Job', 'jobs', true, { status: true, ...all }),
  of('batch', 'v1')('CronJob', 'cronjobs', true, { shortNames: ['cj'], status: true, ...all }),
  rbac('Role', 'roles'),
  rbac('RoleBinding', 'rolebindings'),
  rbac('ClusterRole', 'clusterroles', false),
  rbac('ClusterRoleBinding', 'clusterrolebindings', false),
  of('apiextensions.k8s.io', 'v1')('CustomResourceDefinition', 'customresourcedefinitions', false, { shortNames: ['crd', 'crds'], status: true }),
  of('apiregistration.k8s.io', 'v1')('APIService', 'apiservices', false, { status: true }),
  of('storage.k8s.io', 'v1')('StorageClass', 'storageclasses', false, { shortNames: ['sc'] }),
  of('storage.k8s.io', 'v1')('CSIDriver', 'csidrivers', false),
  of('policy', 'v1')('PodDisruptionBudget', 'poddisruptionbudgets', true, { shortNames: ['pdb'], status: true }),
  of('networking.k8s.io', 'v1')('Ingress', 'ingresses', true, { shortNames: ['ing'], status: true }),
  of('networking.k8s.io', 'v1')('IngressClass', 'ingressclasses', false),
  of('networking.k8s.io', 'v1')('NetworkPolicy', 'networkpolicies', true, { shortNames: ['netpol'] }),
  of('admissionregistration.k8s.io', 'v1')('ValidatingWebhookConfiguration', 'validatingwebhookconfigurations', false),
  of('admissionregistration.k8s.io', 'v1')('MutatingWebhookConfiguration', 'mutatingwebhookconfigurations', false),
  of('scheduling.k8s.io', 'v1')('PriorityClass', 'priorityclasses', false, { shortNames: ['pc'] }),
  of('coordination.k8s.io', 'v1')('Lease', 'leases'),
  of('certificates.k8s.io', 'v1')('CertificateSigningRequest', 'certificatesigningrequests', false, { shortNames: ['csr'], status: true }),
];

export const gv = (r: { group: string; version: string }) => (r.group ? `${r.group}/${r.version}` : r.version);

interface CrdVersion {
  name: string;
  served?: boolean;
  storage?: boolean;
  subresources?: { status?: unknown };
}
export interface CrdSpec {
  group: string;
  scope: 'Namespaced' | 'Cluster';
  names: { kind: string; plural: string; shortNames?: string[]; categories?: string[] };
  versions: CrdVersion[];
}

/** The resources a CustomResourceDefinition serves (one per served version). */
export function crdResources(spec: CrdSpec): Resource[] {
  return spec.versions
    .filter((v) => v.served !== false)
    .map((v) => ({
      group: spec.group,
      version: v.name,
      kind: spec.names.kind,
      plural: spec.names.plural,
      namespaced: spec.scope !== 'Cluster',
      shortNames: spec.names.shortNames,
      categories: spec.names.categories,
      status: v.subresources?.status !== undefined,
    }));
}
