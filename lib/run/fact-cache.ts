import { readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { canonicalJson, makeDirs, type FactCacheSettings } from '../source/index.js';

export type Facts = Record<string, unknown>;

/** Where a run's host facts persist: ansible-core's fact cache plugins (memory, jsonfile). */
export interface FactStore {
  get(host: string): Facts | undefined;
  set(host: string, facts: Facts): void;
  delete(host: string): void;
}

/**
 * ansible.builtin.jsonfile's layout: the file `<connection>/<prefix><host>` holds the host's
 * facts as JSON (sorted keys, 4-space indent); a file older than the timeout reads as absent.
 * The folder is made on first write, the files are the user's own (0600: facts may hold the
 * host's environment). A file that cannot be written is a warning, as in ansible-core (the run goes on).
 */
export class JsonFileFacts implements FactStore {
  constructor(
    private readonly dir: string,
    private readonly prefix: string,
    private readonly timeout: number,
    private readonly warn: (msg: string) => void = () => undefined,
    private readonly now = () => Date.now(),
  ) {}

  private path(host: string): string {
    return join(this.dir, this.prefix + host);
  }

  get(host: string): Facts | undefined {
    try {
      const p = this.path(host);
      if (this.timeout > 0 && this.now() - statSync(p).mtimeMs > this.timeout * 1000) return undefined;
      const v = JSON.parse(readFileSync(p, 'utf8')) as unknown;
      return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Facts) : undefined;
    } catch {
      return undefined;
    }
  }

  set(host: string, facts: Facts): void {
    try {
      makeDirs(this.dir);
      writeFileSync(this.path(host), canonicalJson(facts, 4), { mode: 0o600 });
    } catch (e) {
      this.warn(`error in 'jsonfile' cache plugin while trying to write to '${this.path(host)}': ${(e as Error).message}`);
    }
  }

  delete(host: string): void {
    try {
      rmSync(this.path(host), { force: true });
    } catch (e) {
      this.warn(`error in 'jsonfile' cache plugin while trying to remove '${this.path(host)}': ${(e as Error).message}`);
    }
  }
}

/** The store the settings name; undefined for the memory plugin (the run keeps facts itself). */
export function factStore(s: FactCacheSettings | undefined, warn?: (msg: string) => void): FactStore | undefined {
  return s?.plugin === 'jsonfile' && s.connection ? new JsonFileFacts(s.connection, s.prefix, s.timeout, warn) : undefined;
}
