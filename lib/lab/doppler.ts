import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

/**
 * A simulated Doppler API (v3) on loopback: the secrets endpoints the CLI and SDK use, with
 * Doppler's auth (Bearer or Basic with the token as user), JSON shapes, error bodies
 * ({"messages":[…],"success":false}), ETags on download, and managed DOPPLER_* keys.
 * State is kept in memory and, when given a file, persisted there (for `agri-play lab`).
 */
export interface DopplerSim {
  url: string;
  port: number;
  /** A service token scoped to one project/config (write access unless readOnly). */
  serviceToken(project: string, config: string, readOnly?: boolean): string;
  /** A personal token: any project/config, which must then be named in each request. */
  personalToken(): string;
  set(project: string, config: string, name: string, value: string): void;
  get(project: string, config: string, name: string): string | undefined;
  /** Fail the next n requests with this status (500 with a non-JSON body, or 429). */
  failNext(n: number, status: 500 | 429): void;
  requests: { method: string; path: string; status: number }[];
  close(): Promise<void>;
}

type Store = Record<string, Record<string, Record<string, string>>>; // project → config → name → value
interface Token {
  project?: string;
  config?: string;
  write: boolean;
}

const MANAGED = ['DOPPLER_PROJECT', 'DOPPLER_CONFIG', 'DOPPLER_ENVIRONMENT'];

export async function startDoppler(opts: { port?: number; stateFile?: string } = {}): Promise<DopplerSim> {
  const store: Store = opts.stateFile && existsSync(opts.stateFile) ? (JSON.parse(readFileSync(opts.stateFile, 'utf8')) as Store) : {};
  const tokens = new Map<string, Token>();
  const requests: DopplerSim['requests'] = [];
  let faults: { n: number; status: number } = { n: 0, status: 500 };
  const save = () => opts.stateFile && writeFileSync(opts.stateFile, JSON.stringify(store, null, 2), { mode: 0o600 });
  const configOf = (p: string, c: string) => ((store[p] ??= {})[c] ??= {});

  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };
  const fail = (res: ServerResponse, status: number, ...messages: string[]) => send(res, status, { messages, success: false });

  const auth = (req: IncomingMessage): Token | undefined => {
    const h = req.headers.authorization ?? '';
    let tok: string | undefined;
    if (h.startsWith('Bearer ')) tok = h.slice(7);
    else if (h.startsWith('Basic ')) tok = Buffer.from(h.slice(6), 'base64').toString().split(':')[0];
    return tok ? tokens.get(tok) : undefined;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse, url: URL, body: string): Promise<void> => {
    if (faults.n > 0) {
      faults.n--;
      if (faults.status === 429) return void send(res, 429, { messages: ['Too many requests'], success: false }, { 'retry-after': '0' });
      res.writeHead(faults.status, { 'content-type': 'text/html' });
      return void res.end('<html>upstream error</html>');
    }
    const token = auth(req);
    if (!token) return fail(res, 401, 'Invalid Auth token');
    const q = url.searchParams;
    const parsed = body ? (JSON.parse(body) as Record<string, unknown>) : {};
    const project = (q.get('project') || (parsed.project as string) || token.project) ?? '';
    const config = (q.get('config') || (parsed.config as string) || token.config) ?? '';
    if (!project || !config) return fail(res, 400, 'Missing project or config');
    if (token.project && (token.project !== project || token.config !== config)) return fail(res, 403, 'This token does not have access to the requested project and config');
    if (!store[project]?.[config]) return fail(res, 404, 'Could not find requested config');
    const secrets = configOf(project, config);
    const withManaged = (): Record<string, string> => ({ ...secrets, DOPPLER_PROJECT: project, DOPPLER_CONFIG: config, DOPPLER_ENVIRONMENT: config.split('_')[0] });
    const only = q.get('secrets')?.split(',').filter(Boolean);
    const pick = (all: Record<string, string>) => (only ? Object.fromEntries(Object.entries(all).filter(([k]) => only.includes(k))) : all);
    const listShape = (all: Record<string, string>) =>
      Object.fromEntries(Object.entries(all).map(([k, v]) => [k, { raw: v, computed: v, note: '', rawVisibility: 'masked', computedVisibility: 'masked', rawValueType: { type: 'string' }, computedValueType: { type: 'string' } }]));
    const path = url.pathname;
    if (req.method === 'GET' && path === '/v3/configs/config/secrets/download') {
      if ((q.get('format') ?? 'json') !== 'json') return fail(res, 400, 'Only format=json is simulated');
      const payload = JSON.stringify(pick(withManaged()));
      const etag = `"${createHash('sha1').update(payload).digest('hex')}"`;
      if (req.headers['if-none-match'] === etag) {
        res.writeHead(304, { etag });
        return void res.end();
      }
      res.writeHead(200, { 'content-type': 'application/json', etag });
      return void res.end(payload);
    }
    if (req.method === 'GET' && path === '/v3/configs/config/secrets') return send(res, 200, { success: true, secrets: listShape(pick(withManaged())) });
    if (req.method === 'GET' && path === '/v3/configs/config/secrets/names') return send(res, 200, { success: true, names: Object.keys(withManaged()) });
    if (req.method === 'GET' && path === '/v3/configs/config/secret') {
      const name = q.get('name') ?? '';
      const v = withManaged()[name];
      if (v === undefined) return fail(res, 404, 'Could not find requested secret');
      return send(res, 200, { success: true, name, value: { raw: v, computed: v } });
    }
    if ((req.method === 'POST' && path === '/v3/configs/config/secrets') || (req.method === 'DELETE' && path === '/v3/configs/config/secret')) {
      if (!token.write) return fail(res, 403, 'This token does not have write access');
      if (req.method === 'DELETE') delete secrets[q.get('name') ?? ''];
      for (const [k, v] of Object.entries((parsed.secrets as Record<string, string | null>) ?? {})) {
        if (!/^[A-Z0-9_]+$/.test(k)) return fail(res, 400, `Secret name ${k} must contain only uppercase letters, numbers, and underscores`);
        if (MANAGED.includes(k)) return fail(res, 400, `${k} is managed by Doppler`);
        if (v === null) delete secrets[k];
        else secrets[k] = String(v);
      }
      save();
      return send(res, 200, { success: true, secrets: listShape(withManaged()) });
    }
    return fail(res, 404, 'Not found');
  };

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      res.on('finish', () => requests.push({ method: req.method ?? '', path: url.pathname, status: res.statusCode }));
      handle(req, res, url, Buffer.concat(chunks).toString()).catch((e: Error) => fail(res, 400, e.message));
    });
  });
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    serviceToken(project, config, readOnly = false) {
      const t = `dp.st.${config}.${randomBytes(20).toString('hex')}`;
      tokens.set(t, { project, config, write: !readOnly });
      configOf(project, config);
      return t;
    },
    personalToken() {
      const t = `dp.pt.${randomBytes(20).toString('hex')}`;
      tokens.set(t, { write: true });
      return t;
    },
    set(project, config, name, value) {
      configOf(project, config)[name] = value;
      save();
    },
    get: (project, config, name) => store[project]?.[config]?.[name],
    failNext(n, status) {
      faults = { n, status };
    },
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
