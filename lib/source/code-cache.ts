import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire, Module } from 'node:module';
import { dirname } from 'node:path';
import { Script } from 'node:vm';

/** Whether a load used its code cache: there was none, V8 used it, or V8 refused it. */
export interface CacheUse {
  cache?: 'none' | 'used' | 'refused';
}

/**
 * A generated CommonJS file (an ajv validator) loaded with V8's code cache beside it (`FILE.v8`):
 * compiling the validators a run uses was ≈ 40 ms of a --syntax-check, the cached code ≈ 8 ms.
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
 * Writes FILE.v8: the file compiled, its export called with `inputs` first so that the functions
 * they reach are compiled too (V8 compiles a function when it is first called, and only compiled
 * functions go into the cache).
 */
export function writeCodeCache(file: string, inputs: unknown[]): void {
  const { exports, script } = run<unknown>(file);
  for (const input of inputs) {
    try {
      if (typeof exports === 'function') (exports as (v: unknown) => unknown)(input);
    } catch {
      /* an input it refuses still compiled what it reached */
    }
  }
  const tmp = `${file}.v8.${process.pid}.tmp`;
  writeFileSync(tmp, script.createCachedData(), { mode: 0o600 });
  renameSync(tmp, `${file}.v8`);
}
