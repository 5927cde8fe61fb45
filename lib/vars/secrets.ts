import { readFileSync } from 'node:fs';
import { DopplerClient, SecretError, type DopplerScope } from './doppler.js';
import type { Redactor } from './redact.js';

/** A template needs secrets that are not fetched yet; the step waits for them and renders again. */
export class SecretsPending extends Error {
  constructor(readonly scope: DopplerScope) {
    super('secrets not loaded yet');
    this.name = 'SecretsPending';
  }
}

const keyOf = (s: DopplerScope) => `${s.project ?? ''}/${s.config ?? ''}`;

/**
 * Secrets for one run: Doppler configs fetched once (memory only) and every value registered with
 * the redactor before anyone can print it. Templates are synchronous, so a lookup of a config not
 * yet loaded throws SecretsPending; the engine awaits `load` and renders again.
 */
export class SecretStore {
  private loaded = new Map<string, Record<string, string>>();
  private failed = new Map<string, SecretError>();

  constructor(
    readonly doppler: DopplerClient,
    readonly redactor: Redactor,
  ) {}

  async load(scope: DopplerScope): Promise<Record<string, string>> {
    const k = keyOf(scope);
    try {
      const all = await this.doppler.download(scope);
      for (const v of Object.values(all)) this.redactor.register(v);
      this.loaded.set(k, all);
      this.failed.delete(k);
      return all;
    } catch (e) {
      if (e instanceof SecretError) this.failed.set(k, e);
      throw e;
    }
  }

  /** lookup('doppler', NAME): the value, or SecretsPending until its config is loaded. */
  lookupDoppler(name: string, scope: DopplerScope): string {
    const k = keyOf(scope);
    const err = this.failed.get(k);
    if (err) throw new SecretError(`lookup('doppler', '${name}'): ${err.message}`);
    const all = this.loaded.get(k);
    if (!all) throw new SecretsPending(scope);
    if (!(name in all)) throw new SecretError(`lookup('doppler', '${name}'): no secret named ${name} in Doppler ${scope.project || scope.config ? keyOf(scope) : '(the token’s config)'}`);
    return all[name];
  }

  async set(name: string, value: string | null, scope: DopplerScope): Promise<void> {
    if (value !== null) this.redactor.register(value);
    await this.doppler.set(name, value, scope);
    const all = this.loaded.get(keyOf(scope));
    if (all) {
      if (value === null) delete all[name];
      else all[name] = value;
    }
  }

  protect(value: string): void {
    this.redactor.register(value);
  }

  /** Whether the text holds a secret value (so what it replaces is treated as one too). */
  isSecret(value: string): boolean {
    return this.redactor.redact(value) !== value;
  }

  async get(name: string, scope: DopplerScope): Promise<string | undefined> {
    const all = this.loaded.get(keyOf(scope)) ?? (await this.load(scope));
    return all[name];
  }
}

let current: SecretStore | undefined;
let currentRedactor: Redactor | undefined;

/** Installs the run's secret store and redactor for template lookups. */
export function useSecrets(store: SecretStore | undefined, redactor: Redactor | undefined): void {
  current = store;
  currentRedactor = redactor;
}

type Kw = { __keywords?: boolean; project?: string; config?: string; default?: string };

/** Ansible's lookup(): doppler (secret), env, file; several terms join with ','. */
export function lookup(kind: string, ...args: unknown[]): unknown {
  const last = args[args.length - 1] as Kw | undefined;
  const kw: Kw = last && typeof last === 'object' && last.__keywords ? (args.pop() as Kw) : {};
  const terms = args.map(String);
  const one = (t: string): string => {
    if (kind === 'env') return process.env[t] ?? kw.default ?? '';
    if (kind === 'file') return readFileSync(t, 'utf8').replace(/\n$/, '');
    if (kind === 'doppler') {
      if (!current) throw new SecretError(`lookup('doppler', '${t}'): secrets are not available here`);
      return current.lookupDoppler(t, { project: kw.project, config: kw.config });
    }
    throw new SecretError(`unknown lookup '${kind}' (known: doppler, env, file)`);
  };
  const values = terms.map(one);
  return values.length === 1 ? values[0] : values.join(',');
}

/** `{{ value | secret }}`: marks a value as secret, so it is never shown. */
export function markSecret(value: unknown): unknown {
  currentRedactor?.register(typeof value === 'string' ? value : JSON.stringify(value));
  return value;
}
