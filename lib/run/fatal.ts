// any_errors_fatal in lockstep, as ansible-core 2.14's linear strategy decides it once the task has
// run on every host of the batch: from where each host goes next (its iterator state, peeked).
import { batchOf, type Frame, type Step } from '../plan/index.js';
import type { RunCtx } from './context.js';
import type { Rest } from './lockstep.js';
import { onceMeta } from './meta.js';
import { forcesHandlers } from './step-flags.js';

/** The task at `at` of the chains, on the first host that has it (the same task on each). */
const stepAt = (chains: Step[][], at: number): Step | undefined => chains.find((c) => c[at])?.[at];

/**
 * Whether a host's next step is in a rescue or always section it will run (ansible-core's
 * dont_fail_states, of the innermost block's state once that step is peeked): a host on its way
 * there is spared by any_errors_fatal, one whose next step is in a block inside that section is not.
 */
function spared(rc: RunCtx, ahead: Rest): boolean {
  const next = nextStep(rc, ahead);
  const section = next?.flat.chain.at(-1)?.section;
  return next !== undefined && !next.flat.handler && (section === 'rescue' || section === 'always');
}

/** The step a host runs next (past the steps an include brought: the rest of the chain it was in), if any. */
function nextStep(rc: RunCtx, ahead: Rest): Step | undefined {
  const first = ahead.chain[0];
  const hs = rc.hostOf(first);
  if (hs.unreachable || hs.endedPlay(first.play.play.index)) return undefined;
  for (let part: Rest | undefined = ahead; part; part = part.rest) {
    for (let j = part.from; j < part.chain.length; j++) if (hs.gate(part.chain[j].flat.chain) !== 'skip') return part.chain[j];
  }
  return undefined;
}

/**
 * A run_once task failed (not ignored): ansible-core marks every host of the batch failed, also one
 * the task did not reach, on its way through a rescue or always section of a failed block: that
 * section ends there (HostState.failPending), and the host leaves ansible_play_hosts. `ahead`: where
 * each host of the batch goes on (Batch.taskMajor).
 */
export function failWithOnce(rc: RunCtx, ahead: Rest[], reached: Set<string>): void {
  for (const a of ahead) {
    const first = a.chain[0];
    if (reached.has(first.host)) continue;
    const next = nextStep(rc, a);
    const hs = rc.hostOf(first);
    if (next && hs.failPending(next.flat.chain, first.play.play.index)) hs.outOfBatch = batchOf(first.play, first.host);
  }
}

/**
 * Whether a host that failed at a step in these blocks is failed for ansible-core's iterator right
 * after (its is_failed, which any_errors_fatal asks of each host that failed). The block holding the
 * task takes the failure: in its tasks, a rescue or an always section of it is still to run (not
 * failed); in its rescue, an always section; in its always, nothing. Each block further out that
 * holds it in its tasks takes it back if it has a rescue. An outer always section does not: a
 * failure in an inner block's always section with an outer always ahead is failed already.
 */
export function failedNow(chain: Frame[]): boolean {
  const inner = chain.at(-1);
  if (!inner) return true;
  const { block, section } = inner;
  const own = section === 'block' ? !block.rescue.length && !block.always.length : section === 'rescue' ? !block.always.length : true;
  return own && !chain.slice(0, -1).some((f) => f.section === 'block' && f.block.rescue.length > 0);
}

/**
 * After a task whose failure on `failed` hosts (and `forced`: forcedFailures) has any_errors_fatal: 'none' where none of them is
 * failed yet for ansible-core (failedNow) or every host of the batch is spared; else 'now' where no
 * host is spared (the play stops at once), or the hosts it marks failed, those not spared, where the
 * spared hosts and every other go on, as ansible-core's loop does, and the playbook ends with the
 * play. `ahead`: where each host of the batch goes on (Batch.taskMajor).
 */
export function fatalOutcome(rc: RunCtx, chains: Step[][], at: number, ahead: Rest[], failed: Set<string>, forced: string[]): 'none' | 'now' | { marked: string[] } {
  const byHost = new Map(chains.flatMap((c) => (c.length ? [[c[0].host, c] as const] : [])));
  // (a host forcedFailures names failed at an earlier task: it is failed)
  if (!forced.length && ![...failed].some((h) => failedNow(byHost.get(h)?.[at]?.flat.chain ?? []))) return 'none';
  // (ansible-core's hosts_left: all but the unreachable; each one not spared is failed, so where every one is spared nothing happens)
  const left = ahead.filter((a) => !rc.hostOf(a.chain[0]).unreachable);
  const marked = left.filter((a) => !spared(rc, a)).map((a) => a.chain[0].host);
  return !marked.length ? 'none' : marked.length === left.length ? 'now' : { marked };
}

/**
 * The step's batch as ansible-core's linear strategy counts it: its size, its hosts left (all but
 * the unreachable) and its _failed_hosts: those any_errors_fatal marked (`marked`), and those that
 * failed in this play with no always section ahead (HostState.failedOut; not the unreachable, nor
 * those an earlier play failed, which are still in the size); under force_handlers only those a
 * handler failed, as the play's tasks are then a block whose always flushes, and a host failing in it
 * never reaches _failed_hosts.
 */
function batchCount(rc: RunCtx, step: Step, marked: Set<string>): { size: number; left: number; failed: number } {
  const play = step.play.play;
  const forced = forcesHandlers(rc, step);
  const batch = batchOf(step.play, step.host);
  let left = 0;
  let failed = 0;
  for (const h of batch) {
    const hs = rc.host(h);
    if (!hs.unreachable) left++;
    if (marked.has(h) || (hs.failedOut && hs.failedInPlay === play.index && (!forced || hs.failedInHandler))) failed++;
  }
  return { size: batch.length, left, failed };
}

/** Whether the play's max_fail_percentage is exceeded (ansible-core's check after every task; the play, and the playbook, end). */
export function overMaxFail(rc: RunCtx, step: Step, marked: Set<string>): boolean {
  const pct = step.play.play.maxFailPercentage;
  if (pct === undefined) return false;
  const { size, failed } = batchCount(rc, step, marked);
  return (failed / size) * 100 > pct;
}

/**
 * Once any_errors_fatal let a batch go on: whether its failed hosts are as many as its hosts left,
 * which ends the play at once, as ansible-core's linear strategy checks after every task (NO MORE
 * HOSTS LEFT).
 */
export function noHostsLeft(rc: RunCtx, step: Step, marked: Set<string>): boolean {
  const { left, failed } = batchCount(rc, step, marked);
  return failed >= left;
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
 * later task then fires as if it had failed there. Empty where that task does not have it. (Only for a
 * task some host got to: one no host reaches, a rescue where every host failed before, is never in
 * ansible-core's lockstep. And only for a host whose failure left no always section to run: one that
 * ran such a section stays where that section ended, which ansible-core's iterator does not count
 * as failed, HostState.failedOut. And only for a failure in the task's section of the play: at the
 * section's flush ansible-core's iterator has the host COMPLETE, answering no later task.)
 */
export function forcedFailures(rc: RunCtx, chains: Step[][], at: number, failedNow: Set<string>, onceReached?: Set<string>): string[] {
  const step = stepAt(chains, at);
  if (!step || step.flat.handler || step.play.free || !forcesHandlers(rc, step)) return [];
  const play = step.play.play;
  const task = step.flat.task;
  // (a meta task the linear strategy runs once for the batch is run_once there, any_errors_fatal too)
  const once = task.kw.runOnce === true || onceMeta(step);
  if (task.kw.ignoreErrors === true || !fatalStep(step, once)) return [];
  const hosts = chains.filter((c) => c[at]).map((c) => c[at].host);
  // (a run_once task: ansible-core's linear loop stops at the host that runs it, so only the hosts before it answer with a noop)
  const runs = once && onceReached ? hosts.findIndex((h) => onceReached.has(h)) : -1;
  return (runs < 0 ? hosts : hosts.slice(0, runs)).filter((h) => {
    const hs = rc.host(h);
    // (failedOut: failed, with no always section ahead; in this section of the play: at its flush, ansible-core's iterator has the host COMPLETE)
    return !failedNow.has(h) && hs.failedOut && !hs.unreachable && hs.failedInPlay === play.index && hs.failedPart === step.flat.part;
  });
}

/**
 * The hosts a meta task ended with their top-level block's failure pending (end_host, end_batch,
 * end_play in a failed block's rescue: HostState.endPlayFailing): ansible-core's linear strategy asks
 * is_failed of each host with a meta result, which such a host now is, so the meta's any_errors_fatal
 * fires (end_batch and end_play are run_once to it, ONCE_META). Empty where the meta has none, or
 * ignore_errors.
 */
export function endedFailures(chains: Step[][], at: number, ended: Set<string>): string[] {
  const step = stepAt(chains, at);
  if (!step || step.play.free || step.flat.task.module !== 'meta' || step.flat.task.kw.ignoreErrors === true) return [];
  return fatalStep(step, onceMeta(step)) ? [...ended] : [];
}
