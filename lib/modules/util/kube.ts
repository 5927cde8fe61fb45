import { Type } from '../../source/vendor/typebox.js';
import { parseAllDocuments, stringify } from '../../source/vendor/yaml.js';
import type { ExecResult, KubeApi } from '../../connections/index.js';
import { isRecord } from '../../source/index.js';
import { ModuleFailure, type FieldChange } from '../types.js';

export interface KubeObj {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [k: string]: unknown;
}

/**
 * kubernetes.core's way to a cluster, for a task on a host that is not a cluster host (localhost,
 * as Ansible runs these modules): a kubeconfig on the controller (default $K8S_AUTH_KUBECONFIG,
 * $KUBECONFIG, ~/.kube/config) and its context.
 */
export const KubeTarget = {
  kubeconfig: Type.Optional(Type.String({ description: 'Kubeconfig on the controller (kubernetes.core); on a cluster host (ansible_connection: kube) its own is used unless this is given.' })),
  context: Type.Optional(Type.String({ description: 'Context in the kubeconfig (kubernetes.core).' })),
};

/** The tool's own error line(s), without the usage text. */
export function toolError(r: ExecResult): string {
  const lines = r.stderr.split('\n').filter((l) => l.trim() && !/^(W\d{4}|WARNING:)/.test(l));
  return lines.join('\n').replace(/^Error: /, '').trim() || `exit ${r.rc}`;
}

export function must(r: ExecResult): ExecResult {
  if (r.rc !== 0) throw new ModuleFailure(`${r.cmd.split(' ')[0]}: ${toolError(r)}`, { rc: r.rc });
  return r;
}

/** Objects from YAML text (multi-document), a list, or one object; `List` kinds are flattened. */
export function objectsOf(input: unknown, where: string): KubeObj[] {
  const docs = typeof input === 'string' ? parseAllDocuments(input).map((d) => d.toJSON() as unknown) : Array.isArray(input) ? input : [input];
  const out: KubeObj[] = [];
  for (const d of docs) {
    if (d == null) continue;
    if (isRecord(d) && Array.isArray(d.items) && String(d.kind).endsWith('List')) out.push(...objectsOf(d.items, where));
    else if (isRecord(d) && typeof d.kind === 'string' && typeof d.apiVersion === 'string' && isRecord(d.metadata) && typeof d.metadata.name === 'string') out.push(d as unknown as KubeObj);
    else throw new ModuleFailure(`${where}: every object needs apiVersion, kind and metadata.name`);
  }
  return out;
}

/** Multi-document YAML (kubectl validates each object; a v1 List would need List in the OpenAPI). */
export const yamlDocs = (objs: unknown[]) => objs.map((o) => stringify(o)).join('---\n');

export const ref = (o: KubeObj) => `${o.kind}/${o.metadata.namespace ? o.metadata.namespace + '/' : ''}${o.metadata.name}`;

/**
 * Where the desired object differs from the live one: every field the manifest sets must
 * hold the same value live (fields the server or others add are not differences).
 */
export function differences(desired: unknown, live: unknown, path = ''): FieldChange[] {
  if (isRecord(desired)) {
    if (!isRecord(live)) return [{ path: path || '.', from: live, to: desired }];
    return Object.entries(desired).flatMap(([k, v]) => differences(v, live[k], path ? `${path}.${k}` : k));
  }
  if (Array.isArray(desired)) {
    if (!Array.isArray(live) || live.length !== desired.length) return [{ path, from: live, to: desired }];
    return desired.flatMap((v, i) => differences(v, live[i], `${path}[${i}]`));
  }
  if (desired === null) return live === undefined || live === null ? [] : [{ path, from: live, to: null }];
  return live !== undefined && String(live) === String(desired) ? [] : [{ path, from: live, to: desired }];
}

/** A Secret as the server keeps it: stringData folded into base64 data. */
export function asStored(o: KubeObj): KubeObj {
  if (o.kind !== 'Secret' || !isRecord(o.stringData)) return o;
  const data = { ...(o.data as Record<string, string>), ...Object.fromEntries(Object.entries(o.stringData).map(([k, v]) => [k, Buffer.from(String(v)).toString('base64')])) };
  const { stringData: _, ...rest } = o;
  return { ...rest, data };
}

/** The live objects (by ref) among these; missing ones are absent from the map. */
export async function liveObjects(k: KubeApi, objs: KubeObj[], namespace?: string): Promise<Map<string, KubeObj>> {
  const out = new Map<string, KubeObj>();
  if (!objs.length) return out;
  const api = await k.api();
  if (api) {
    // one GET each over the cluster's connection; a kind the server doesn't know is kubectl's to explain
    const res = await Promise.all(objs.map((o) => api.resourceFor(o.apiVersion, o.kind)));
    if (res.every(Boolean)) {
      const got = await Promise.all(objs.map((o, i) => api.get<KubeObj>(api.path(res[i]!, o.metadata.name, o.metadata.namespace ?? namespace ?? api.namespace))));
      for (const o of got) if (o) out.set(ref(o), o);
      return out;
    }
  }
  const r = must(await k.kubectl(['get', '-f', '-', '-o', 'json', '--ignore-not-found', ...(namespace ? ['-n', namespace] : [])], { stdin: yamlDocs(objs) }));
  if (!r.stdout.trim()) return out;
  for (const o of objectsOf(JSON.parse(r.stdout), 'kubectl get')) out.set(ref(o), o);
  return out;
}

/** Server-side apply (field manager agri-play), objects on stdin (so Secret data never is in argv). */
export async function serverSideApply(k: KubeApi, objs: KubeObj[], namespace?: string): Promise<void> {
  must(await k.kubectl(['apply', '--server-side', '--field-manager=agri-play', '--force-conflicts', '-f', '-', ...(namespace ? ['-n', namespace] : [])], { stdin: yamlDocs(objs) }));
}

/** The live object for a desired one; one without a namespace matches in the default (or given) namespace. */
export function liveOf(live: Map<string, KubeObj>, o: KubeObj, ns?: string): KubeObj | undefined {
  return live.get(ref(o)) ?? live.get(ref({ ...o, metadata: { ...o.metadata, namespace: ns ?? 'default' } }));
}
