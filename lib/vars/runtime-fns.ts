/**
 * Functions a TypeScript role passes for values known at run time (`when: () => r.result.rc === 0`).
 * Each is registered once and named in the task as `__agri_fn(N)`; the template engine calls it
 * when the step runs, with the step's variables readable through `runtimeVars()` (how a handle's
 * `result` finds what an earlier step registered).
 */
import { processWide } from '../source/process-wide.js';

/** (one per process: the role's copy of agri-play reads what the engine's copy set) */
const state = processWide('runtime-fns', () => ({ fns: [] as (() => unknown)[], current: undefined as Record<string, unknown> | undefined }));
/** Functions by host and name: a role's `tasks(t, ctx)` names its N-th function the same for every host, so the step's template is one text for all of them (compiled once). */
const byHost = processWide('runtime-fns-by-host', () => new Map<string, () => unknown>());

export function registerRuntimeFn(f: () => unknown): number {
  state.fns.push(f);
  return state.fns.length - 1;
}

/** Registers host's function `key` (called for a step of that host as `__agri_fn('key')`); a later expansion for the host replaces it. */
export function registerHostFn(host: string, key: string, f: () => unknown): void {
  byHost.set(`${host}\0${key}`, f);
}

/** The variables of the step whose run-time function is being called; undefined at plan time. */
export function runtimeVars(): Record<string, unknown> | undefined {
  return state.current;
}

/** Calls run-time function N (or the step's host's function named N) with a step's variables. */
export function callRuntimeFn(id: unknown, vars: Record<string, unknown>): unknown {
  const f = typeof id === 'string' ? byHost.get(`${String(vars.inventory_hostname)}\0${id}`) : state.fns[Number(id)];
  if (!f) throw new Error(`no run-time function ${String(id)}`);
  const before = state.current;
  state.current = vars;
  try {
    return f();
  } finally {
    state.current = before;
  }
}
