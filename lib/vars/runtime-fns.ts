/**
 * Functions a TypeScript role passes for values known at run time (`when: () => r.result.rc === 0`).
 * Each is registered once and named in the task as `__agri_fn(N)`; the template engine calls it
 * when the step runs, with the step's variables readable through `runtimeVars()` (how a handle's
 * `result` finds what an earlier step registered).
 */
const fns: (() => unknown)[] = [];
let current: Record<string, unknown> | undefined;

export function registerRuntimeFn(f: () => unknown): number {
  fns.push(f);
  return fns.length - 1;
}

/** The variables of the step whose run-time function is being called; undefined at plan time. */
export function runtimeVars(): Record<string, unknown> | undefined {
  return current;
}

/** Calls run-time function N with a step's variables. */
export function callRuntimeFn(id: unknown, vars: Record<string, unknown>): unknown {
  const f = fns[Number(id)];
  if (!f) throw new Error(`no run-time function ${String(id)}`);
  const before = current;
  current = vars;
  try {
    return f();
  } finally {
    current = before;
  }
}
