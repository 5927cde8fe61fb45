import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

/**
 * A package loaded when first used, not at start-up (`--version`, `--syntax-check` and a run that
 * never asks for an IP filter or a crypt hash do not pay for it): the returned object stands for
 * the module's exports. `from` is the caller's `import.meta.url`; an ESM-only package (exports
 * with only an `import` condition) is resolved as an import would and loaded with `require`,
 * which Node ≥ 20.19 does for ES modules.
 */
export function lazyModule<T extends object>(specifier: string, from: string, resolveEsm?: (s: string) => string): T {
  let mod: T | undefined;
  const load = (): T => (mod ??= createRequire(from)(resolveEsm ? fileURLToPath(resolveEsm(specifier)) : specifier) as T);
  return new Proxy({} as T, {
    get: (_t, k) => Reflect.get(load(), k),
    has: (_t, k) => Reflect.has(load(), k),
  });
}
