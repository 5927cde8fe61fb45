import { randomBytes, randomUUID } from 'node:crypto';
import { clone, isObj, jsonPatch, mergePatch, serverSideApply, type Json, type JsonObject } from './patch.js';
import { BUILTIN, crdResources, gv, type CrdSpec, type Resource } from './resources.js';
import { fieldSelector, labelSelector } from './selectors.js';

export interface Meta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  managedFields?: JsonObject[];
  [k: string]: unknown;
}
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: Meta;
  [k: string]: unknown;
}

/** An API error, answered as a Kubernetes Status object. */
export class KubeError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
  ) {
    super(message);
  }
}

export interface WatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  rv: number;
  res: string;
  object: KubeObject;
}

export interface WriteOpts {
  dryRun?: boolean;
  manager?: string;
}

const resKey = (r: Resource) => `${r.group}/${r.plural}`;
const objKey = (r: Resource, ns: string | undefined, name: string) => `${resKey(r)}/${r.namespaced ? ns : ''}/${name}`;
const now = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');
const SERVER_META = ['uid', 'resourceVersion', 'generation', 'creationTimestamp', 'managedFields', 'selfLink', 'deletionTimestamp'];
const gone = (r: Resource, name: string) => new KubeError(404, 'NotFound', `${r.plural}${r.group ? '.' + r.group : ''} "${name}" not found`);

/** Everything but metadata and status: a change here is a new generation. */
const specOf = (o: KubeObject) => JSON.stringify({ ...o, metadata: undefined, status: undefined });
/** What a write must change for it to count (no-op writes keep the resourceVersion). */
const contentOf = (o: KubeObject) => JSON.stringify({ ...o, metadata: { ...o.metadata, managedFields: undefined, resourceVersion: undefined } });

/** The objects of the simulated cluster: one resourceVersion counter, an event log for watches. */
export class KubeStore {
  private rv = 1;
  private objects = new Map<string, KubeObject>();
  private applied = new Map<string, JsonObject>();
  private log: WatchEvent[] = [];
  private listeners = new Set<(e: WatchEvent) => void>();
  private ips = 10;
  resources: Resource[] = [...BUILTIN];
  /** Called after every persisted write (the fake controllers and persistence hook in here). */
  onWrite: (r: Resource, o: KubeObject, type: WatchEvent['type']) => void = () => {};

  constructor() {
    for (const ns of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) this.create(this.find('', 'namespaces')!, undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  }

  get resourceVersion(): number {
    return this.rv;
  }

  find(group: string, plural: string, version?: string): Resource | undefined {
    return this.resources.find((r) => r.group === group && (r.plural === plural || r.kind.toLowerCase() === plural) && (!version || r.version === version));
  }

  subscribe(f: (e: WatchEvent) => void): () => void {
    this.listeners.add(f);
    return () => this.listeners.delete(f);
  }

  /** Events after a resourceVersion, for watches that resume from a list. */
  since(rv: number, res: string): WatchEvent[] {
    return this.log.filter((e) => e.rv > rv && e.res === res);
  }

  list(r: Resource, ns: string | undefined, labels: string | null, fields: string | null): KubeObject[] {
    const prefix = `${resKey(r)}/${r.namespaced && ns ? ns + '/' : ''}`;
    const byLabel = labelSelector(labels);
    const byField = fieldSelector(fields);
    return [...this.objects.entries()]
      .filter(([k, o]) => k.startsWith(prefix) && byLabel(o.metadata.labels ?? {}) && byField(o))
      .map(([, o]) => this.shown(r, o))
      .sort((a, b) => `${a.metadata.namespace}/${a.metadata.name}`.localeCompare(`${b.metadata.namespace}/${b.metadata.name}`));
  }

  get(r: Resource, ns: string | undefined, name: string): KubeObject {
    const o = this.objects.get(objKey(r, ns, name));
    if (!o) throw gone(r, name);
    return this.shown(r, o);
  }

  private shown(r: Resource, o: KubeObject): KubeObject {
    return { ...clone(o), apiVersion: gv(r), kind: r.kind };
  }

  create(r: Resource, ns: string | undefined, body: KubeObject, o: WriteOpts = {}): KubeObject {
    const name = body.metadata?.name ?? (body.metadata?.generateName ? body.metadata.generateName + randomBytes(3).toString('hex').slice(0, 5) : '');
    if (!name) throw new KubeError(422, 'Invalid', `${r.kind} is invalid: metadata.name: Required value: name or generateName is required`);
    if (r.namespaced && !this.objects.has(objKey(this.find('', 'namespaces')!, undefined, ns!))) throw new KubeError(404, 'NotFound', `namespaces "${ns}" not found`);
    if (this.objects.has(objKey(r, ns, name))) throw new KubeError(409, 'AlreadyExists', `${r.plural}${r.group ? '.' + r.group : ''} "${name}" already exists`);
    const obj = this.normalize(r, { ...clone(body), metadata: { ...clone(body.metadata), name, ...(r.namespaced ? { namespace: ns } : {}) } }, undefined);
    obj.metadata = { ...obj.metadata, uid: randomUUID(), creationTimestamp: now(), generation: 1 };
    if (r.status) obj.status = r.kind === 'Namespace' ? { phase: 'Active' } : {};
    return this.commit(r, ns, obj, undefined, o, 'Update');
  }

  /** PUT: the whole object (or its status), refused on a stale resourceVersion. */
  replace(r: Resource, ns: string | undefined, name: string, body: KubeObject, sub: string | undefined, o: WriteOpts = {}): KubeObject {
    const live = this.objects.get(objKey(r, ns, name));
    if (!live) {
      if (sub) throw gone(r, name);
      return this.create(r, ns, { ...body, metadata: { ...body.metadata, name } }, o);
    }
    const rv = body.metadata?.resourceVersion;
    if (rv && rv !== live.metadata.resourceVersion)
      throw new KubeError(409, 'Conflict', `Operation cannot be fulfilled on ${r.plural} "${name}": the object has been modified; please apply your changes to the latest version and try again`);
    const next = sub === 'status' ? { ...clone(live), status: clone(body.status) } : this.normalize(r, clone(body), live);
    return this.commit(r, ns, next, live, o, 'Update');
  }

  patch(r: Resource, ns: string | undefined, name: string, type: string, body: Json, sub: string | undefined, o: WriteOpts & { manager: string }): { obj: KubeObject; created: boolean } {
    const key = objKey(r, ns, name);
    const live = this.objects.get(key);
    const isApply = type.startsWith('application/apply-patch');
    if (!live && !isApply) throw gone(r, name);
    if (!isObj(body)) throw new KubeError(400, 'BadRequest', 'the patch body is not a JSON object');
    if (isApply) {
      const applied = clone(body);
      if (isObj(applied.metadata)) for (const k of SERVER_META) delete (applied.metadata as JsonObject)[k];
      if (r.status && sub !== 'status') delete applied.status;
      const aKey = `${key}|${o.manager}|${sub ?? ''}`;
      if (!live) {
        const obj = this.create(r, ns, { ...(applied as unknown as KubeObject), metadata: { ...(applied.metadata as Meta), name } }, o);
        if (!o.dryRun) this.applied.set(aKey, applied);
        return { obj, created: true };
      }
      const merged = serverSideApply(live as unknown as JsonObject, this.applied.get(aKey), applied) as unknown as KubeObject;
      const next = sub === 'status' ? { ...clone(live), status: merged.status } : this.normalize(r, merged, live);
      const obj = this.commit(r, ns, next, live, o, 'Apply');
      if (!o.dryRun) this.applied.set(aKey, applied);
      return { obj, created: false };
    }
    let patched: Json;
    try {
      patched = type === 'application/json-patch+json' ? jsonPatch(live as unknown as Json, body as never) : mergePatch(live as unknown as Json, body);
    } catch (e) {
      throw new KubeError(422, 'Invalid', (e as Error).message);
    }
    const p = patched as unknown as KubeObject;
    const next = sub === 'status' ? { ...clone(live!), status: p.status } : this.normalize(r, p, live);
    return { obj: this.commit(r, ns, next, live, o, 'Update'), created: false };
  }

  delete(r: Resource, ns: string | undefined, name: string, o: WriteOpts = {}): KubeObject {
    const key = objKey(r, ns, name);
    const live = this.objects.get(key);
    if (!live) throw gone(r, name);
    if (o.dryRun) return this.shown(r, live);
    if (r.kind === 'Namespace') for (const res of this.resources.filter((x) => x.namespaced)) for (const child of this.list(res, name, null, null)) this.delete(res, name, child.metadata.name!);
    this.objects.delete(key);
    for (const k of [...this.applied.keys()]) if (k.startsWith(key + '|')) this.applied.delete(k);
    if (r.kind === 'CustomResourceDefinition') this.unregister(live);
    this.emit(r, 'DELETED', { ...live, metadata: { ...live.metadata, resourceVersion: String(++this.rv) } });
    return this.shown(r, live);
  }

  /** Server-side defaults and invariants of a user write: kept status, Secret stringData, Service IPs. */
  private normalize(r: Resource, o: KubeObject, live: KubeObject | undefined): KubeObject {
    o.metadata ??= {};
    if (live) {
      for (const k of SERVER_META) if (k in live.metadata) o.metadata[k] = clone(live.metadata[k]);
      o.metadata.name = live.metadata.name;
      if (live.metadata.namespace) o.metadata.namespace = live.metadata.namespace;
      if (r.status) o.status = clone(live.status);
    }
    if (r.kind === 'Secret') {
      const sd = o.stringData as Record<string, string> | undefined;
      if (sd) o.data = { ...(o.data as object), ...Object.fromEntries(Object.entries(sd).map(([k, v]) => [k, Buffer.from(v).toString('base64')])) };
      delete o.stringData;
      o.type ??= 'Opaque';
    }
    if (r.kind === 'Service') {
      const spec = (o.spec ??= {}) as Record<string, unknown>;
      spec.type ??= 'ClusterIP';
      const had = (live?.spec as Record<string, unknown> | undefined)?.clusterIP;
      if (spec.type !== 'ExternalName' && !spec.clusterIP) spec.clusterIP = had ?? (spec.clusterIP === 'None' ? 'None' : `10.96.${this.ips >> 8}.${this.ips++ & 255}`);
      spec.clusterIPs ??= [spec.clusterIP];
    }
    return o;
  }

  private commit(r: Resource, ns: string | undefined, next: KubeObject, live: KubeObject | undefined, o: WriteOpts, operation: 'Apply' | 'Update'): KubeObject {
    next.apiVersion = gv(r);
    next.kind = r.kind;
    if (live && contentOf(next) === contentOf(live)) return this.shown(r, live);
    if (live && specOf(next) !== specOf(live)) next.metadata.generation = (live.metadata.generation ?? 0) + 1;
    if (o.manager) {
      const others = (next.metadata.managedFields ?? []).filter((m) => !(m.manager === o.manager && m.operation === operation));
      next.metadata.managedFields = [...others, { manager: o.manager, operation, apiVersion: gv(r), time: now(), fieldsType: 'FieldsV1', fieldsV1: {} }];
    }
    if (o.dryRun) return this.shown(r, { ...next, metadata: { ...next.metadata, resourceVersion: live?.metadata.resourceVersion ?? '' } });
    next.metadata.resourceVersion = String(++this.rv);
    this.objects.set(objKey(r, ns, next.metadata.name!), next);
    if (r.kind === 'CustomResourceDefinition') this.register(next);
    this.emit(r, live ? 'MODIFIED' : 'ADDED', next);
    return this.shown(r, next);
  }

  private emit(r: Resource, type: WatchEvent['type'], o: KubeObject): void {
    const e: WatchEvent = { type, rv: this.rv, res: resKey(r), object: this.shown(r, o) };
    this.log.push(e);
    if (this.log.length > 20000) this.log.splice(0, 10000);
    for (const f of this.listeners) f(e);
    this.onWrite(r, o, type);
  }

  private register(crd: KubeObject): void {
    this.unregister(crd);
    this.resources.push(...crdResources(crd.spec as CrdSpec));
  }

  private unregister(crd: KubeObject): void {
    const spec = crd.spec as CrdSpec;
    this.resources = this.resources.filter((r) => !(r.group === spec.group && r.plural === spec.names.plural));
  }

  /** Everything, for persistence (`agri-play lab` keeps its cluster across restarts). */
  dump(): { rv: number; objects: KubeObject[]; applied: [string, JsonObject][] } {
    return { rv: this.rv, objects: [...this.objects.values()], applied: [...this.applied.entries()] };
  }

  restore(d: ReturnType<KubeStore['dump']>): void {
    this.objects.clear();
    this.rv = d.rv;
    this.applied = new Map(d.applied);
    const crds = d.objects.filter((o) => o.kind === 'CustomResourceDefinition');
    for (const c of crds) this.register(c);
    for (const o of d.objects) {
      const [group] = o.apiVersion.includes('/') ? o.apiVersion.split('/') : [''];
      const r = this.resources.find((x) => x.group === group && x.kind === o.kind);
      if (r) this.objects.set(objKey(r, o.metadata.namespace, o.metadata.name!), o);
    }
  }
}
