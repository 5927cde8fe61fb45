import { createServer as http, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as https } from 'node:https';
import type { AddressInfo } from 'node:net';
import { parse as parseYaml } from '../../source/vendor/yaml.js';
import { startControllers } from './controller.js';
import { apiGroupList, openapiDoc, openapiRoot, resourceList, versionInfo } from './discovery.js';
import type { Json } from './patch.js';
import { decodeProtobuf } from './protobuf.js';
import { gv, type Resource } from './resources.js';
import { fieldSelector, labelSelector } from './selectors.js';
import { KubeError, KubeStore, type KubeObject, type WatchEvent } from './store.js';

/**
 * A simulated Kubernetes API server (no kube-apiserver exists here): /version, discovery,
 * an OpenAPI v3 stub, CRUD/list/watch of any kind (CRDs add kinds), server-side apply, merge
 * and JSON patches, protobuf request bodies, fake controllers that roll workloads out. Good
 * enough for the real kubectl and helm 4; plain HTTP unless given a TLS key pair.
 */
export interface KubeSim {
  url: string;
  port: number;
  store: KubeStore;
  /** Requests seen (method, path, status), for tests. */
  requests: { method: string; path: string; status: number }[];
  close(): Promise<void>;
}

export interface KubeSimOptions {
  port?: number;
  host?: string;
  tls?: { cert: string; key: string; ca?: string };
  /** Kubernetes minor version reported by /version. */
  minor?: number;
  /** Delay before a written workload reports ready. */
  readyDelayMs?: number;
  nodes?: () => number;
  /** Injected fault: the first write of this kind fails as an overloaded etcd does (500). */
  failFirstWriteOf?: string;
}

const statusBody = (e: KubeError) => ({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: e.message, reason: e.reason, code: e.code });

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

interface Route {
  r: Resource;
  ns?: string;
  name?: string;
  sub?: string;
}

/** /api/v1/..., /apis/G/V/...: the resource, namespace, name and subresource a path names. */
function route(store: KubeStore, parts: string[]): Route | { discovery: [string, string] } | undefined {
  let group = '';
  let version: string;
  let rest: string[];
  if (parts[0] === 'api') [version, rest] = [parts[1], parts.slice(2)];
  else [group, version, rest] = [parts[1], parts[2], parts.slice(3)];
  if (!version) return undefined;
  if (rest.length === 0) return { discovery: [group, version] };
  let ns: string | undefined;
  if (rest[0] === 'namespaces' && rest.length >= 3 && rest[2] !== 'status' && rest[2] !== 'finalize') {
    ns = rest[1];
    rest = rest.slice(2);
  }
  const r = store.find(group, rest[0], version);
  if (!r || (ns && !r.namespaced)) return undefined;
  return { r, ns, name: rest[1], sub: rest[2] };
}

export async function startKubeApi(opts: KubeSimOptions = {}): Promise<KubeSim> {
  const store = new KubeStore();
  const stopControllers = startControllers(store, { delayMs: opts.readyDelayMs, nodes: opts.nodes });
  let pendingFault = opts.failFirstWriteOf;
  const requests: KubeSim['requests'] = [];
  const streams = new Set<ServerResponse>();

  const send = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-cache, private' });
    res.end(JSON.stringify(body));
  };

  const parseBody = (req: IncomingMessage, raw: Buffer): Json => {
    const type = req.headers['content-type'] ?? 'application/json';
    if (type.startsWith('application/vnd.kubernetes.protobuf')) return decodeProtobuf(raw) as unknown as Json;
    const text = raw.toString('utf8');
    try {
      return (type.includes('yaml') ? parseYaml(text) : JSON.parse(text || 'null')) as Json;
    } catch (e) {
      throw new KubeError(400, 'BadRequest', `the request body is not valid: ${(e as Error).message}`);
    }
  };

  const watch = (res: ServerResponse, rt: Route, q: URLSearchParams) => {
    res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
    res.flushHeaders();
    streams.add(res);
    const key = `${rt.r.group}/${rt.r.plural}`;
    const byLabel = labelSelector(q.get('labelSelector'));
    const byField = fieldSelector(q.get('fieldSelector'));
    const inScope = (o: KubeObject) => (!rt.ns || o.metadata.namespace === rt.ns) && (!rt.name || o.metadata.name === rt.name) && byLabel(o.metadata.labels ?? {}) && byField(o);
    const write = (type: string, object: unknown) => res.write(JSON.stringify({ type, object }) + '\n');
    const rv = q.get('resourceVersion');
    if (q.get('sendInitialEvents') === 'true' || !rv || rv === '0') {
      for (const o of store.list(rt.r, rt.ns, null, null).filter(inScope)) write('ADDED', o);
      if (q.get('sendInitialEvents') === 'true')
        write('BOOKMARK', { kind: rt.r.kind, apiVersion: gv(rt.r), metadata: { resourceVersion: String(store.resourceVersion), annotations: { 'k8s.io/initial-events-end': 'true' } } });
    } else for (const e of store.since(Number(rv), key)) if (inScope(e.object)) write(e.type, e.object);
    const off = store.subscribe((e: WatchEvent) => e.res === key && inScope(e.object) && write(e.type, e.object));
    const end = () => {
      off();
      clearTimeout(timer);
      streams.delete(res);
      res.end();
    };
    const timer = setTimeout(end, Number(q.get('timeoutSeconds') ?? 1800) * 1000);
    res.on('close', end);
  };

  const crud = async (req: IncomingMessage, res: ServerResponse, rt: Route, q: URLSearchParams): Promise<number> => {
    const { r, ns, name, sub } = rt;
    const dryRun = q.get('dryRun') === 'All';
    const manager = q.get('fieldManager') ?? (req.headers['user-agent'] ?? 'unknown').split('/')[0];
    const w = { dryRun, manager };
    const method = req.method ?? 'GET';
    if (method === 'GET' && q.get('watch') === 'true') return watch(res, rt, q), 200;
    if (method === 'GET' && !name) {
      const items = store.list(r, ns, q.get('labelSelector'), q.get('fieldSelector'));
      return send(res, 200, { kind: `${r.kind}List`, apiVersion: gv(r), metadata: { resourceVersion: String(store.resourceVersion) }, items }), 200;
    }
    if (method === 'GET') return send(res, 200, store.get(r, ns, name!)), 200;
    if (r.kind === pendingFault && !dryRun) {
      pendingFault = undefined;
      throw new KubeError(500, 'InternalError', 'etcdserver: request timed out (fault injected by agri-play lab)');
    }
    const body = method === 'DELETE' ? null : parseBody(req, await readBody(req));
    if (method === 'DELETE') await readBody(req); // DeleteOptions (maybe protobuf): cascading is immediate here
    if (method === 'POST') return send(res, 201, store.create(r, ns, body as unknown as KubeObject, w)), 201;
    if (method === 'PUT') return send(res, 200, store.replace(r, ns, name!, body as unknown as KubeObject, sub, w)), 200;
    if (method === 'PATCH') {
      const { obj, created } = store.patch(r, ns, name!, req.headers['content-type'] ?? '', body, sub, w);
      return send(res, created ? 201 : 200, obj), created ? 201 : 200;
    }
    if (method === 'DELETE' && name) return send(res, 200, store.delete(r, ns, name, w)), 200;
    if (method === 'DELETE') {
      for (const o of store.list(r, ns, q.get('labelSelector'), q.get('fieldSelector'))) store.delete(r, o.metadata.namespace, o.metadata.name!, w);
      return send(res, 200, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success' }), 200;
    }
    throw new KubeError(405, 'MethodNotAllowed', `${method} is not supported`);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<number> => {
    const url = new URL(req.url ?? '/', 'http://x');
    // segments percent-decoded, as the API server does (a name may hold ':' or '@', escaped or not)
    const parts = url.pathname.split('/').filter(Boolean).map((x) => decodeURIComponent(x));
    const p = url.pathname;
    if (p === '/version') return send(res, 200, versionInfo(opts.minor ?? 34)), 200;
    if (p === '/healthz' || p === '/readyz' || p === '/livez') return res.end('ok'), 200;
    if (p === '/api') return send(res, 200, { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: req.headers.host }] }), 200;
    if (p === '/apis') return send(res, 200, apiGroupList(store.resources)), 200;
    if (p === '/openapi/v3') return send(res, 200, openapiRoot(store.resources)), 200;
    if (parts[0] === 'openapi' && parts[1] === 'v3') {
      const [group, version] = parts[2] === 'api' ? ['', parts[3]] : [parts[3], parts[4]];
      if (store.resources.some((r) => r.group === group && r.version === version)) return send(res, 200, openapiDoc(store.resources, group, version)), 200;
    }
    if (parts[0] === 'api' || parts[0] === 'apis') {
      const rt = route(store, parts);
      if (rt && 'discovery' in rt) {
        const list = resourceList(store.resources, ...rt.discovery);
        if (list.resources.length) return send(res, 200, list), 200;
      } else if (rt) return crud(req, res, rt, url.searchParams);
    }
    throw new KubeError(404, 'NotFound', 'the server could not find the requested resource');
  };

  const listener = (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res).then(
      (status) => requests.push({ method: req.method ?? '', path: req.url ?? '', status }),
      (e: unknown) => {
        const err = e instanceof KubeError ? e : new KubeError(500, 'InternalError', (e as Error).message);
        requests.push({ method: req.method ?? '', path: req.url ?? '', status: err.code });
        if (!res.headersSent) send(res, err.code, statusBody(err));
        else res.end();
      },
    );
  };
  const server: Server = opts.tls ? https({ cert: opts.tls.cert, key: opts.tls.key, ca: opts.tls.ca, requestCert: !!opts.tls.ca, rejectUnauthorized: !!opts.tls.ca }, listener) : http(listener);
  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(opts.port ?? 0, host, resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `${opts.tls ? 'https' : 'http'}://${host}:${port}`,
    port,
    store,
    requests,
    close: async () => {
      stopControllers();
      for (const s of streams) s.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
