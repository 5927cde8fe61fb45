/**
 * State that must be one per process even when agri-play's code is loaded twice: the CLI runs a
 * bundled build while a TypeScript role's `import … from 'agri-play'` loads the package's
 * unbundled one, and a role package may bring its own copy. The engine registers lookups and
 * calls a role's run-time functions in its copy; the role reads `stepVars()` or calls `secret()`
 * in its own. So such state lives on `globalThis` under a registered symbol, made by whichever
 * copy asks first.
 */
export function processWide<T>(name: string, make: () => T): T {
  const g = globalThis as unknown as Record<symbol, T | undefined>;
  const key = Symbol.for(`agri-play:${name}`);
  return (g[key] ??= make());
}
