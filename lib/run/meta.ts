// meta: actions, as ansible-core 2.14's strategies run them (_execute_meta).
import { batchOf, type Step } from '../plan/index.js';
import { DONE, onceKey, warnOnce } from './once.js';
import { allTrue, whenOf } from './conditions.js';
import type { RunCtx, Vars } from './context.js';
import type { HostState } from './host-state.js';
import { refreshInventory } from './inventory-change.js';
import { forcesHandlers } from './step-flags.js';

/** The meta actions the linear strategy runs once for the batch (all but noop, reset_connection, end_host, role_complete, flush_handlers). */
const ONCE_META = new Set(['end_play', 'end_batch', 'clear_facts', 'clear_host_errors', 'refresh_inventory']);
/** Whether a step is a meta task the linear strategy runs once for the batch (it is run_once to its any_errors_fatal, too). */
export const onceMeta = (step: Step): boolean => step.flat.task.module === 'meta' && ONCE_META.has(String(step.flat.task.args.action));

/** The meta actions that take no `when`: ansible-core warns and runs them. */
const NO_WHEN = new Set(['noop', 'refresh_inventory', 'reset_connection']);

/**
 * A meta task on a host. In lockstep, the actions ONCE_META names run on the first host at the
 * task, whose `when` decides for every host (ansible-core's linear strategy runs them once). A
 * false `when` does nothing (not counted either). Throws where the `when` cannot be evaluated.
 */
export function runMeta(rc: RunCtx, step: Step, hs: HostState, vars: () => Vars): void {
  const action = String(step.flat.task.args.action);
  if (step.play.lockstep && ONCE_META.has(action)) {
    const key = `${onceKey(step)}/meta`;
    if (rc.once.has(key)) return;
    rc.once.set(key, DONE);
  }
  const when = whenOf(step.flat);
  if (when.length && NO_WHEN.has(action)) warnOnce(rc, `${action} task does not support when conditional`);
  else if (when.length && !allTrue(when, vars()).ok) {
    // a meta: flush_handlers whose `when` was false did not happen: its handlers wait for the next flush
    if (action === 'flush_handlers') hs.flushOff = true;
    return;
  }
  act(rc, step, hs, action);
}

/** The action: end_host and end_batch end the play (not the run) for their hosts. */
function act(rc: RunCtx, step: Step, hs: HostState, action: string): void {
  const play = step.play.play.index;
  // (each host ended where a failure of its top-level block is pending stays failed, HostState.endPlayFailing:
  // the host at hand, and of the batch's other hosts those at this task, the others being elsewhere, or out)
  const wrapped = forcesHandlers(rc, step);
  const ending = (h: string): void => {
    const other = rc.host(h);
    if (wrapped) other.dropUnsettled(play, step.flat.part);
    if (h !== step.host && other.gate(step.flat.chain) !== 'run') return;
    other.endPlayFailing(step.flat.chain, play, wrapped);
    // (the host with the meta's result, failed now: ansible-core's any_errors_fatal weighs it, fatal.ts endedFailures)
    if (h === step.host && other.failed && other.failedOut && other.failedInPlay === play) (rc.stopAfterTask.endedFailing ??= new Set()).add(h);
  };
  if (action === 'end_host') {
    ending(step.host);
    hs.endPlay(play);
  }
  if (action === 'end_play') {
    rc.playStopped.add(play);
    batchOf(step.play, step.host).forEach(ending);
  }
  if (action === 'end_batch')
    for (const h of batchOf(step.play, step.host)) {
      ending(h);
      rc.host(h).endPlay(play);
    }
  // the fact cache of every host of the play (what setup and facts modules returned, set_fact's cacheable facts); set_fact and register stay, as in ansible-core
  if (action === 'clear_facts') for (const h of step.play.hosts) rc.vars.clearHostFacts(h);
  if (action === 'clear_host_errors')
    for (const h of step.play.hosts) {
      const other = rc.host(h);
      // a host whose failure ended its part of the play stays out of it (ansible-core's iterator keeps it COMPLETE; the next play has it),
      // as does one an earlier play failed (marked failed as this play began: COMPLETE too); one with an always section still to
      // run (of a block around this task) goes on after it
      if (other.failed && (other.failedInPlay !== play || !other.alwaysAhead(step.flat.chain))) other.endPlay(play);
      other.cleared ||= other.failed;
      other.failed = false;
      // (an unreachable host is reached for again, as ansible-core's meta pops it from _unreachable_hosts)
      other.unreachableCleared = other.counts.unreachable;
      other.unreachable = false;
    }
  if (action === 'reset_connection') void rc.resetConnection(step.host);
  // the plays after this one are planned on the inventory read again (plan/segments.ts)
  if (action === 'refresh_inventory') refreshInventory(rc, step);
}
