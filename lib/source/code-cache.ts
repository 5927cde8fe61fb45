import { readFileSync, statSync } from 'node:fs';
import { createRequire, Module } from 'node:module';
import { dirname } from 'node:path';
import { Script } from 'node:vm';
import { writeWhole } from './write-whole.js';

/** Whether a load used its code cache: there was none, V8 used it, or V8 refused it. */
export interface CacheUse {
  cache?: 'none' | 'used' | 'refused';
}

/**
 * A generated CommonJS file (an ajv validator, a vendor package: scripts/vendor.mjs) loaded with
 * V8's code cache beside it (`FILE.v8`): the 12 largest validators took 41 ms to load with
 * require(), 8 ms with their caches (timed by hand on 4 Dec).
 * Node 20 has no compile cache of its own (module.enableCompileCache is Node 22). V8 refuses a
 * cache made by another V8 or with other flags, and the file is then compiled as require() would
 * (`used` says which happened).
 */
export function loadCached<T>(file: string, used?: CacheUse): T {
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(`${file}.v8`);
  } catch {
    /* no cache: compiled now */
  }
  const { exports, script } = run<T>(file, cachedData);
  if (used) used.cache = !cachedData ? 'none' : script.cachedDataRejected ? 'refused' : 'used';
  return exports;
}

function run<T>(file: string, cachedData?: Buffer): { exports: T; script: Script } {
  const script = new Script((Module as unknown as { wrap(src: string): string }).wrap(readFileSync(file, 'utf8')), { filename: file, cachedData });
  const mod = { exports: {} as T };
  (script.runInThisContext() as (e: unknown, r: NodeJS.Require, m: unknown, f: string, d: string) => void)(mod.exports, createRequire(file), mod, file, dirname(file));
  return { exports: mod.exports, script };
}

/**
 * Writes FILE.v8: the file compiled, and `warm` run on its exports first, so that the functions it
 * reaches are compiled too (V8 compiles a function when it is first called, and only compiled
 * functions go into the cache).
 */
export function writeCodeCache<T>(file: string, warm: (exports: T) => void): void {
  const { exports, script } = run<T>(file);
  warm(exports);
  // (readable by whoever may read the file itself)
  writeWhole(`${file}.v8`, script.createCachedData(), statSync(file).mode & 0o666);
}
