import type { Frame, Step } from '../plan/index.js';
import { renderValue } from '../vars/index.js';
import { Slots } from './slots.js';

type Vars = Record<string, unknown>;

/** The slots of each throttled task (sized by the first host to reach it). */
export type Throttles = Map<string, Slots>;

/**
 * ansible-core's `throttle: N`: at most N hosts run this task at once (across the play's hosts,
 * whatever --forks allows). The task's throttle, or its innermost block's (ansible-core's
 * inheritance); 0 when none (most tasks: the caller runs them without a slot or a closure).
 */
export function throttleOf(step: Step, vars: () => Vars): number {
  const raw = step.flat.task.kw.throttle ?? step.flat.chain.findLast(blockThrottles)?.block.kw.throttle;
  if (raw === undefined || raw === null) return 0;
  const n = Number(renderValue(raw, vars()));
  return Number.isInteger(n) && n > 0 ? n : 0;
}

/** (one function for every step, not a closure made for each) */
const blockThrottles = (f: Frame): boolean => f.block.kw.throttle !== undefined;

/** A throttled step: it waits for one of its task's slots, runs, and hands the slot on. */
export function inSlot<T>(slots: Throttles, step: Step, limit: number, run: () => Promise<T>): Promise<T> {
  const key = `${step.play.play.index}:${step.flat.task.id}`;
  let s = slots.get(key);
  if (!s) slots.set(key, (s = new Slots(limit)));
  return s.run(run);
}
