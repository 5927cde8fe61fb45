// A step's boolean keywords read after its module ran (no_log, ignore_errors, ignore_unreachable), and its play's force_handlers.
import type { Step } from '../plan/index.js';
import { flag } from './conditions.js';
import type { RunCtx, Vars } from './context.js';

/**
 * A boolean keyword after the module ran: with the task's variables and this step's register (only
 * a templated value needs them: a plain true/false does not copy the step's variables). (Functions,
 * not closures in `end`: two closures and their context were garbage of every step.)
 */
export function keyword(rc: RunCtx, step: Step, vars: () => Vars, v: unknown): boolean {
  return v === undefined || v === null ? false : typeof v === 'boolean' ? v : flag(v, { ...vars(), ...rc.vars.factsOf(step.host) });
}

/** ignore_errors / ignore_unreachable: one that cannot be rendered does not ignore, and says why. */
export function hostFlag(rc: RunCtx, step: Step, vars: () => Vars, result: Vars, v: unknown): boolean {
  try {
    return keyword(rc, step, vars, v);
  } catch (e) {
    result.msg = `${String(result.msg ?? '')} (and its ignore_errors could not be rendered: ${(e as Error).message})`.trim();
    return false;
  }
}

/** The step's play runs its handlers on failed hosts too (the play's force_handlers, else the command's --force-handlers). */
export const forcesHandlers = (rc: RunCtx, step: Step): boolean => step.play.play.forceHandlers ?? rc.opts.forceHandlers ?? false;
