/**
 * Functions a TypeScript role passes for values known at run time (`when: () => r.result.rc === 0`).
 * Each is registered once and named in the task as `__agri_fn(N)`; the template engine calls it
 * when the step runs, with the step's variables readable through `runtimeVars()` (how a handle's
 * `result` finds what an earlier step registered).
 */
import { processWide } from '../source/process-wide.js';

/** (one per process: the role's copy of agri-play reads what the engine's copy set) */
const state = processWide('runtime-fns', () => ({ fns: [] as (() => unknown)[], current: undefined as Record<string, unknown> | undefined }));

export function registerRuntimeFn(f: () => unknown): number {
  state.fns.push(f);
  return state.fns.length - 1;
}

/** The variables of the step whose run-time function is being called; undefined at plan time. */
export function runtimeVars(): Record<string, unknown> | undefined {
  return state.current;
}

/** Calls run-time function N with a step's variables. */
export function callRuntimeFn(id: unknown, vars: Record<string, unknown>): unknown {
  const f = state.fns[Number(id)];
  if (!f) throw new Error(`no run-time function ${String(id)}`);
  const before = state.current;
  state.current = vars;
  try {
    return f();
  } finally {
    state.current = before;
  }
}
