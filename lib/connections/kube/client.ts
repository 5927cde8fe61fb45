import { readFileSync } from 'node:fs';
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { dirname, isAbsolute, join } from 'node:path';
import { parse } from '../../source/vendor/yaml.js';
import { UnreachableError } from '../types.js';

/** One resource kind as the API's discovery documents describe it. */
export interface KubeResource {
  group: string;
  version: string;
  /** The plural, as in the URL path. */
  name: string;
  kind: string;
  namespaced: boolean;
  singularName?: string;
  shortNames?: string[];
}

/** A non-2xx answer of the API, with the Status message the server gave. */
export class KubeHttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'KubeHttpError';
  }
}

type Named<T> = { name: string } & T;
interface Kubeconfig {
  'current-context'?: string;
  contexts?: Named<{ context?: { cluster?: string; user?: string; namespace?: string } }>[];
  clusters?: Named<{ cluster?: Record<string, unknown> }>[];
  users?: Named<{ user?: Record<string, unknown> }>[];
}

/** Network errors that mean the API server could not be reached (as kubectl's "Unable to connect"). */
const DOWN: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset by peer',
  EHOSTUNREACH: 'no route to host',
  ENETUNREACH: 'network is unreachable',
  ENOTFOUND: 'no such host',
  EAI_AGAIN: 'no such host (temporary DNS failure)',
  ETIMEDOUT: 'i/o timeout',
  EPIPE: 'broken pipe',
};

/**
 * The Kubernetes API over one keep-alive connection per cluster, from a kubeconfig: for reads
 * (objects, lists, helm's release Secrets, discovery) without starting kubectl or helm. Covers
 * server + CA (data or file, or insecure-skip-tls-verify), client certificates, bearer tokens
 * and basic auth; a kubeconfig that needs an exec or auth-provider plugin, or a proxy, gets
 * undefined from `fromKubeconfig` and the callers use kubectl/helm instead, which run those.
 *
 * Why not @kubernetes/client-node: 2.x needs Node 22 (undici 8); 1.x brings 15 packages for
 * the two things used here, reading a kubeconfig and a GET.
 */
export class KubeClient {
  private readonly agent: HttpAgent;
  private discovered?: Promise<KubeResource[]>;
  private readonly groupVersions = new Map<string, Promise<KubeResource[]>>();

  private constructor(
    private readonly server: URL,
    tls: { ca?: Buffer; cert?: Buffer; key?: Buffer; rejectUnauthorized: boolean },
    private readonly headers: Record<string, string>,
    readonly namespace: string,
    private readonly label: string,
  ) {
    this.agent = server.protocol === 'https:' ? new HttpsAgent({ keepAlive: true, maxSockets: 8, ...tls }) : new HttpAgent({ keepAlive: true, maxSockets: 8 });
  }

  /** `label` starts its error messages (e.g. `kube talos-east`). */
  static fromKubeconfig(file: string, context?: string, label = 'kube'): KubeClient | undefined {
    try {
      return KubeClient.read(file, context, label);
    } catch {
      return undefined; // kubectl and helm say what is wrong with it, in their words
    }
  }

  private static read(file: string, context: string | undefined, label: string): KubeClient | undefined {
    const cfg = parse(readFileSync(file, 'utf8')) as Kubeconfig | null;
    const ctxName = context ?? cfg?.['current-context'];
    const ctx = cfg?.contexts?.find((c) => c.name === ctxName)?.context;
    const cluster = cfg?.clusters?.find((c) => c.name === ctx?.cluster)?.cluster;
    const user = cfg?.users?.find((u) => u.name === ctx?.user)?.user ?? {};
    if (!ctx || !cluster || typeof cluster.server !== 'string' || cluster['proxy-url'] || user.exec || user['auth-provider']) return undefined;
    const rel = (p: unknown) => (typeof p === 'string' ? (isAbsolute(p) ? p : join(dirname(file), p)) : undefined);
    const bytes = (data: unknown, path: unknown) => (typeof data === 'string' ? Buffer.from(data, 'base64') : rel(path) ? readFileSync(rel(path)!) : undefined);
    const headers: Record<string, string> = { accept: 'application/json' };
    const token = typeof user.token === 'string' ? user.token : rel(user.tokenFile) ? readFileSync(rel(user.tokenFile)!, 'utf8').trim() : undefined;
    if (token) headers.authorization = `Bearer ${token}`;
    else if (typeof user.username === 'string') headers.authorization = `Basic ${Buffer.from(`${user.username}:${String(user.password ?? '')}`).toString('base64')}`;
    const tls = {
      ca: bytes(cluster['certificate-authority-data'], cluster['certificate-authority']),
      cert: bytes(user['client-certificate-data'], user['client-certificate']),
      key: bytes(user['client-key-data'], user['client-key']),
      rejectUnauthorized: cluster['insecure-skip-tls-verify'] !== true,
    };
    return new KubeClient(new URL(cluster.server), tls, headers, ctx.namespace ?? 'default', label);
  }

  /** GET a path; 404 is undefined, any other non-2xx a KubeHttpError with the server's message. */
  async get<T>(path: string): Promise<T | undefined> {
    const { status, body } = await this.request(path);
    if (status === 404) return undefined;
    if (status < 200 || status >= 300) {
      const msg = (body as { message?: string } | undefined)?.message;
      throw new KubeHttpError(status, `GET ${path}: ${status}${msg ? ` ${msg}` : ''}`);
    }
    return body as T;
  }

  /** Every resource kind the server serves (one discovery per connection). */
  resources(): Promise<KubeResource[]> {
    return (this.discovered ??= (async () => {
      const groups = (await this.get<{ groups: { preferredVersion: { groupVersion: string } }[] }>('/apis'))?.groups ?? [];
      const lists = await Promise.all(['v1', ...groups.map((g) => g.preferredVersion.groupVersion)].map((gv) => this.groupVersion(gv)));
      return lists.flat();
    })());
  }

  /** The resource of an apiVersion + kind (`apps/v1`, `Deployment`); undefined when not served. */
  async resourceFor(apiVersion: string, kind: string): Promise<KubeResource | undefined> {
    const found = (await this.groupVersion(apiVersion)).find((r) => r.kind === kind);
    if (found) return found;
    // a CRD may have been created since this group was read: read it again once
    this.groupVersions.delete(apiVersion);
    return (await this.groupVersion(apiVersion)).find((r) => r.kind === kind);
  }

  /** A resource as kubectl names it: kind, plural, singular or short name, optionally `.group`. */
  async resolve(name: string): Promise<KubeResource | undefined> {
    const [head, ...rest] = name.toLowerCase().split('.');
    const group = rest.join('.');
    const find = (all: KubeResource[]) => all.find((r) => (!group || r.group === group) && (r.name === head || r.singularName === head || r.kind.toLowerCase() === head || r.shortNames?.includes(head)));
    const found = find(await this.resources());
    if (found) return found;
    this.discovered = undefined;
    this.groupVersions.clear();
    return find(await this.resources());
  }

  /** The URL path of a resource (a collection without a name; cluster-scoped ones ignore the namespace). */
  path(r: KubeResource, name?: string, namespace?: string): string {
    const base = r.group ? `/apis/${r.group}/${r.version}` : `/api/${r.version}`;
    const ns = r.namespaced && namespace ? `/namespaces/${segment(namespace)}` : '';
    return `${base}${ns}/${r.name}${name ? `/${segment(name)}` : ''}`;
  }

  close(): void {
    this.agent.destroy();
  }

  private groupVersion(gv: string): Promise<KubeResource[]> {
    let p = this.groupVersions.get(gv);
    if (!p) {
      p = this.get<{ resources: (Omit<KubeResource, 'group' | 'version'> & { name: string })[] }>(gv.includes('/') ? `/apis/${gv}` : `/api/${gv}`).then((l) => {
        const [group, version] = gv.includes('/') ? gv.split('/') : ['', gv];
        return (l?.resources ?? []).filter((r) => !r.name.includes('/')).map((r) => ({ ...r, group, version }));
      });
      this.groupVersions.set(gv, p);
    }
    return p;
  }

  /**
   * One GET. A kept-alive socket the server closed while it idled fails the request with ECONNRESET
   * before a byte came back; as Node's docs advise for idempotent requests, such a request is sent
   * once more on a fresh socket.
   */
  private request(path: string, retried = false): Promise<{ status: number; body: unknown }> {
    const url = new URL(path, this.server);
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      const req = send(url, { method: 'GET', headers: this.headers, agent: this.agent, timeout: 30_000 }, (res: IncomingMessage) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          try {
            resolve({ status: res.statusCode ?? 0, body: text ? (JSON.parse(text) as unknown) : undefined });
          } catch {
            resolve({ status: res.statusCode ?? 0, body: { message: text.slice(0, 200) } });
          }
        });
      });
      req.on('timeout', () => req.destroy(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })));
      req.on('error', (e: NodeJS.ErrnoException) => {
        if (!retried && req.reusedSocket && (e.code === 'ECONNRESET' || e.code === 'EPIPE')) {
          this.request(path, true).then(resolve, reject);
          return;
        }
        const tlsFail = /certificate|self[- ]signed|SSL|TLS/i.test(e.message) || e.code?.startsWith('ERR_TLS') || e.code?.startsWith('ERR_SSL');
        const why = DOWN[e.code ?? ''] ?? (tlsFail ? `TLS: ${e.message}` : undefined);
        reject(why ? new UnreachableError(`${this.label}: unable to connect to the server ${this.server.origin}: ${why}`) : e);
      });
      req.end();
    });
  }
}

/** A path segment as Go's url package writes it: ':' and '@' stay (RBAC names hold them), the rest escaped. */
const segment = (s: string) => encodeURIComponent(s).replace(/%3A/gi, ':').replace(/%40/g, '@');
