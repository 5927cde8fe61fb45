import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

/** A Doppler failure, worded for a person; never carries a token or a secret value. */
export class SecretError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretError';
  }
}

export interface DopplerScope {
  project?: string;
  config?: string;
}

export interface DopplerOptions {
  token?: string;
  apiHost?: string;
  /** First retry delay; doubles each time (the CLI starts at 500 ms). */
  backoffMs?: number;
  retries?: number;
}

/** Token from DOPPLER_TOKEN, or a file named by DOPPLER_TOKEN_FILE. */
export function dopplerFromEnv(env: NodeJS.ProcessEnv = process.env): DopplerOptions {
  let token = env.DOPPLER_TOKEN;
  if (!token && env.DOPPLER_TOKEN_FILE) token = readFileSync(env.DOPPLER_TOKEN_FILE, 'utf8').trim();
  return { token, apiHost: env.DOPPLER_API_HOST };
}

const MANAGED = new Set(['DOPPLER_PROJECT', 'DOPPLER_CONFIG', 'DOPPLER_ENVIRONMENT']);

/**
 * The part of Doppler's REST API (v3) agri-play needs, over fetch: one download per config per
 * run (cached in memory only), and setting secrets. Retries what the Doppler CLI retries: 429
 * (honouring Retry-After), 5xx with a non-JSON body, and connection failures.
 */
export class DopplerClient {
  private cache = new Map<string, Promise<Record<string, string>>>();

  constructor(private readonly o: DopplerOptions) {}

  private where(s: DopplerScope): string {
    return s.project || s.config ? `${s.project ?? '?'}/${s.config ?? '?'}` : 'the token’s config';
  }

  private async request(method: string, path: string, scope: DopplerScope, body?: unknown): Promise<unknown> {
    if (!this.o.token) throw new SecretError('no Doppler token: set DOPPLER_TOKEN (or DOPPLER_TOKEN_FILE)');
    const url = new URL(path, this.o.apiHost ?? 'https://api.doppler.com');
    if (method === 'GET') {
      if (scope.project) url.searchParams.set('project', scope.project);
      if (scope.config) url.searchParams.set('config', scope.config);
    }
    const retries = this.o.retries ?? 3;
    let delay = this.o.backoffMs ?? 500;
    for (let attempt = 0; ; attempt++) {
      let res: Response;
      try {
        res = await fetch(url, {
          method,
          headers: { authorization: `Bearer ${this.o.token}`, accept: 'application/json', ...(body ? { 'content-type': 'application/json' } : {}) },
          body: body ? JSON.stringify({ ...scope, ...(body as object) }) : undefined,
          signal: AbortSignal.timeout(10_000),
        });
      } catch (e) {
        if (attempt < retries) {
          await sleep(delay);
          delay *= 2;
          continue;
        }
        throw new SecretError(`Doppler is unreachable at ${url.origin}: ${(e as Error).cause ? String(((e as Error).cause as Error).message ?? (e as Error).cause) : (e as Error).message}`);
      }
      const text = await res.text();
      let json: unknown;
      try {
        json = text ? JSON.parse(text) : {};
      } catch {
        json = undefined;
      }
      if (res.ok) return json;
      const retryable = res.status === 429 || (res.status >= 500 && json === undefined);
      if (retryable && attempt < retries) {
        const after = Number(res.headers.get('retry-after'));
        await sleep(Number.isFinite(after) && after > 0 ? after * 1000 : delay);
        delay *= 2;
        continue;
      }
      const messages = (json as { messages?: string[] } | undefined)?.messages?.join('; ') ?? `HTTP ${res.status}`;
      const what = res.status === 401 ? 'Doppler rejected the token' : res.status === 403 ? 'the Doppler token has no access' : res.status === 404 ? `Doppler has no ${this.where(scope)}` : `Doppler answered ${res.status}`;
      throw new SecretError(`${what} (${res.status}: ${messages})`);
    }
  }

  /** Every secret of a config (Doppler's managed DOPPLER_* keys left out), fetched once. */
  download(scope: DopplerScope = {}): Promise<Record<string, string>> {
    const key = `${scope.project ?? ''}/${scope.config ?? ''}`;
    let p = this.cache.get(key);
    if (!p) {
      p = this.request('GET', '/v3/configs/config/secrets/download?format=json', scope).then((all) =>
        Object.fromEntries(Object.entries(all as Record<string, string>).filter(([k]) => !MANAGED.has(k))),
      );
      p.catch(() => this.cache.delete(key));
      this.cache.set(key, p);
    }
    return p;
  }

  async set(name: string, value: string | null, scope: DopplerScope = {}): Promise<void> {
    await this.request('POST', '/v3/configs/config/secrets', scope, { secrets: { [name]: value } });
    this.cache.delete(`${scope.project ?? ''}/${scope.config ?? ''}`);
  }
}
