// any_errors_fatal in lockstep, as ansible-core 2.14's linear strategy decides it once the task has
// run on every host of the batch: from where each host goes next (its iterator state, peeked).
import type { Step } from '../plan/index.js';
import type { RunCtx } from './context.js';

/**
 * Whether a host's next step is in a rescue or always section it will run (ansible-core's
 * dont_fail_states): a host failing there is not failed yet, and a host on its way there is
 * spared by any_errors_fatal. `at`: the index of the task that just ran in the host's chain.
 */
function spared(rc: RunCtx, chain: Step[], at: number): boolean {
  const hs = rc.hostOf(chain[0]);
  if (hs.unreachable || hs.endedPlay(chain[0].play.play.index)) return false;
  for (let j = at + 1; j < chain.length; j++) {
    const next = chain[j];
    if (hs.gate(next.flat.chain) === 'skip') continue;
    const section = next.flat.chain.at(-1)?.section;
    return !next.flat.handler && (section === 'rescue' || section === 'always');
  }
  return false;
}

/**
 * After a task whose failure on `failed` hosts has any_errors_fatal: 'none' where each of them
 * goes on to an always section (not failed yet, for ansible-core); else 'now' where no host of the
 * batch is spared (the play stops at once), or 'after-play' (the spared hosts and every other go on,
 * as ansible-core's loop does, and the playbook ends with the play).
 */
export function fatalOutcome(rc: RunCtx, chains: Step[][], at: number, failed: Set<string>): 'none' | 'now' | 'after-play' {
  const byHost = new Map(chains.filter((c) => c.length).map((c) => [c[0].host, c]));
  const isSpared = (h: string): boolean => {
    const c = byHost.get(h);
    return c !== undefined && spared(rc, c, at);
  };
  if ([...failed].every(isSpared)) return 'none';
  return [...byHost.keys()].some(isSpared) ? 'after-play' : 'now';
}

/** Whether a host's failure at this step fires any_errors_fatal: its own (or its blocks') any_errors_fatal, else its play's; a run_once step's failure does too (ansible-core's linear strategy). */
export function fatalStep(step: Step, once: boolean): boolean {
  const own = step.flat.task.kw.anyErrorsFatal;
  return (own === undefined ? step.play.play.anyErrorsFatal : own === true || own === 'true') || once;
}

/**
 * Under force_handlers, the hosts of the batch that failed at an earlier task of the play: ansible-core
 * 2.14 keeps such a host in the play (its handlers still to flush), so in lockstep it answers every
 * later task with a `noop` meta result, counted as a failed host's; any_errors_fatal (or run_once) on a
 * later task then fires as if it had failed there. Empty where that task does not have it.
 */
export function forcedFailures(rc: RunCtx, chains: Step[][], at: number, failedNow: Set<string>): string[] {
  const step = chains.find((c) => c[at])?.[at];
  if (!step || step.flat.handler || step.play.free) return [];
  const play = step.play.play;
  if (!(play.forceHandlers ?? rc.opts.forceHandlers ?? false)) return [];
  const task = step.flat.task;
  if (task.kw.ignoreErrors === true || !fatalStep(step, task.kw.runOnce === true)) return [];
  return chains.filter((c) => c[at]).map((c) => c[at].host).filter((h) => {
    const hs = rc.host(h);
    return !failedNow.has(h) && hs.failed && !hs.unreachable && hs.failedInPlay === play.index;
  });
}
