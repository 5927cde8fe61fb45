import { addLookup, onSecretLookup } from './jinja/lookups.js';
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
// env lookups of secret-looking names are secrets too
onSecretLookup((v) => currentRedactor?.register(v));

/** Installs the run's secret store and redactor for template lookups. */
export function useSecrets(store: SecretStore | undefined, redactor: Redactor | undefined): void {
  current = store;
  currentRedactor = redactor;
}

/** lookup('doppler', NAME, project=, config=): a secret from the run's Doppler store. */
addLookup('doppler', (terms, { kw }) =>
  terms.map((t) => {
    if (!current) throw new SecretError(`lookup('doppler', '${String(t)}'): secrets are not available here`);
    return current.lookupDoppler(String(t), { project: kw.project as string | undefined, config: kw.config as string | undefined });
  }),
);

/** `{{ value | secret }}`: marks a value as secret, so it is never shown. */
/** A filter's result is secret when one of its inputs held a secret (`{{ token | upper }}`). */
export function deriveSecret(inputs: unknown[], result: unknown): void {
  const r = currentRedactor;
  // a string made from a secret (lists and dicts hold secrets that are registered already)
  if (!r?.active || typeof result !== 'string' || result.length === 0) return;
  if (inputs.some((v) => typeof v === 'string' && r.holds(v))) r.register(result);
}

export function markSecret(value: unknown): unknown {
  currentRedactor?.register(typeof value === 'string' ? value : JSON.stringify(value));
  return value;
}
