import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parse, stringify } from '../../source/vendor/yaml.js';
import { UnreachableError } from '../../connections/types.js';
import { TalosCallError, type SecretsBundle, type TalosApi, type TalosClient } from '../../connections/talos/index.js';
import { ModuleFailure } from '../types.js';
import { makeDirs, writeWhole } from '../../source/index.js';

export const secretsFile = (dir: string) => join(dir, 'secrets.yaml');
export const talosconfigFile = (dir: string) => join(dir, 'talosconfig');

export function readBundle(dir: string): SecretsBundle {
  const f = secretsFile(dir);
  if (!existsSync(f)) throw new Error(`no Talos secrets bundle at ${f} (talos_secrets creates it)`);
  return parse(readFileSync(f, 'utf8')) as SecretsBundle;
}

/** Controller-side write: temp file, mode, rename (secrets and kubeconfigs are 0600). */
export function writePrivate(path: string, text: string, mode = 0o600): void {
  makeDirs(dirname(path), 0o700);
  writeWhole(path, text, mode);
}

export interface MachineOpts {
  role: 'controlplane' | 'worker';
  cluster_name: string;
  endpoint: string;
  install_disk?: string;
  install_image?: string;
  kubernetes_version?: string;
  node_ip?: string;
  pod_subnets?: string[];
  service_subnets?: string[];
  ntp_servers?: string[];
  cni?: string;
  extra_manifests?: string[];
  rotate_server_certificates?: boolean;
  kube_proxy?: boolean;
  patches?: Record<string, unknown>[];
}

/** Talos' patch merge: maps merge per key, lists concatenate, except these, which replace. */
const REPLACE = new Set(['podSubnets', 'serviceSubnets', 'servers', 'certSANs']);
export function mergePatch(base: unknown, patch: unknown, key = ''): unknown {
  if (Array.isArray(base) && Array.isArray(patch)) return REPLACE.has(key) ? patch : [...base, ...patch];
  if (base && patch && typeof base === 'object' && typeof patch === 'object' && !Array.isArray(base) && !Array.isArray(patch)) {
    const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
    for (const [k, v] of Object.entries(patch)) out[k] = k in out ? mergePatch(out[k], v, k) : v;
    return out;
  }
  return patch === undefined ? base : patch;
}

/** A v1alpha1 machine config from the bundle: deterministic, so an unchanged node compares equal. */
export function machineConfig(b: SecretsBundle, o: MachineOpts): string {
  const cp = o.role === 'controlplane';
  const k8s = o.kubernetes_version ?? 'v1.34.1';
  const doc: Record<string, unknown> = {
    version: 'v1alpha1',
    debug: false,
    persist: true,
    machine: {
      type: o.role,
      token: b.trustdinfo.token,
      ca: cp ? b.certs.os : { crt: b.certs.os.crt, key: '' },
      certSANs: o.node_ip ? [o.node_ip] : [],
      kubelet: { image: `ghcr.io/siderolabs/kubelet:${k8s}`, ...(o.rotate_server_certificates !== false ? { extraArgs: { 'rotate-server-certificates': 'true' } } : {}) },
      install: { disk: o.install_disk ?? '/dev/vda', image: o.install_image ?? 'ghcr.io/siderolabs/installer:v1.11.3', wipe: false },
      time: { servers: o.ntp_servers ?? ['pool.ntp.org'] },
      features: { rbac: true, stableHostname: true, apidCheckExtKeyUsage: true, diskQuotaSupport: true, kubePrism: { enabled: true, port: 7445 }, hostDNS: { enabled: true, forwardKubeDNSToHost: true } },
      ...(cp ? { nodeLabels: { 'node.kubernetes.io/exclude-from-external-load-balancers': '' } } : {}),
    },
    cluster: {
      id: b.cluster.id,
      secret: b.cluster.secret,
      clusterName: o.cluster_name,
      controlPlane: { endpoint: o.endpoint },
      network: { cni: { name: o.cni ?? 'none' }, dnsDomain: 'cluster.local', podSubnets: o.pod_subnets ?? ['10.244.0.0/16'], serviceSubnets: o.service_subnets ?? ['10.96.0.0/12'] },
      token: b.secrets.bootstraptoken,
      ca: cp ? b.certs.k8s : { crt: b.certs.k8s.crt, key: '' },
      ...(o.kube_proxy === false ? { proxy: { disabled: true } } : {}),
      ...(o.extra_manifests?.length ? { extraManifests: o.extra_manifests } : {}),
      ...(cp
        ? {
            secretboxEncryptionSecret: b.secrets.secretboxencryptionsecret,
            aggregatorCA: b.certs.k8saggregator,
            serviceAccount: { key: b.certs.k8sserviceaccount.key },
            etcd: { ca: b.certs.etcd },
            apiServer: { certSANs: o.node_ip ? [o.node_ip] : [] },
          }
        : {}),
      allowSchedulingOnControlPlanes: false,
    },
  };
  const merged = (o.patches ?? []).reduce<unknown>((d, p) => mergePatch(d, p), doc);
  return stringify(merged, { lineWidth: 0 });
}

/** Retries a call while the node is down or not ready, until the deadline. */
export async function retrying<T>(f: () => Promise<T>, deadline: number, signal: AbortSignal, retryOn = (e: unknown) => e instanceof UnreachableError || (e instanceof TalosCallError && e.codeName === 'FAILED_PRECONDITION')): Promise<T> {
  for (;;) {
    try {
      return await f();
    } catch (e) {
      if (!retryOn(e) || Date.now() >= deadline || signal.aborted) throw e;
      await sleep(250, undefined, { signal }).catch(() => undefined);
    }
  }
}

/** A call over mutual TLS (or, given, over the insecure maintenance API); Talos' refusal is the task's failure. */
export async function callOrFail<T>(t: TalosApi, method: string, req: unknown, via: 'secure' | 'insecure' = 'secure'): Promise<T> {
  try {
    return await (await t[via]()).call<T>(method, req);
  } catch (e) {
    if (e instanceof TalosCallError) throw new ModuleFailure(`${t.endpoint}: ${method}: ${e.message}`);
    throw e;
  }
}

/** Waits until a rebooting node answers over mutual TLS again. */
export function answering(t: TalosApi, seconds: number, signal: AbortSignal): Promise<unknown> {
  return retrying(async () => (await t.secure()).call('Version'), Date.now() + seconds * 1000, signal);
}

/** What mode a node answers in: running (mTLS works), maintenance (insecure, reduced API), or down. */
export async function nodeMode(secure: () => Promise<TalosClient>, insecure: () => Promise<TalosClient>): Promise<'running' | 'maintenance'> {
  try {
    await (await secure()).call('Version');
    return 'running';
  } catch (e) {
    if (!(e instanceof UnreachableError)) throw e;
    try {
      await (await insecure()).call('Version');
      return 'running';
    } catch (e2) {
      if (e2 instanceof TalosCallError && /maintenance mode/.test(e2.details)) return 'maintenance';
      // answering neither way: say why without a certificate (a booting node: connection refused)
      throw e2 instanceof UnreachableError ? e2 : e;
    }
  }
}
