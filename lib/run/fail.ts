// A host's failure at a step, as ansible-core's strategy takes it: the host's blocks (a rescue, or
// the host's end), and what it stops: the play under any_errors_fatal or max_fail_percentage.
import { batchOf, type Step } from '../plan/index.js';
import type { RunCtx } from './context.js';
import { fatalStep, overMaxFail } from './fatal.js';
import type { HostState } from './host-state.js';
import type { Outcome } from './items.js';

/** A failure (not ignored): the host's blocks take it, a rescue or the host's end, the run's stops where it says; 'failed', or 'rescued'. */
export function failed(rc: RunCtx, step: Step, hs: HostState, outcome: Outcome): 'failed' | 'rescued' {
  const { task, chain, handler } = step.flat;
  // (the host's play ended while the step ran, by another host's end_batch or end_play under the free
  // strategy: ansible-core's iterator has it COMPLETE, which a failure leaves as it is: counted, not failed,
  // nor in the exit code)
  if (hs.endedPlay(step.play.play.index)) {
    hs.cleared = true;
    return 'failed';
  }
  // (a run_once task's own failure fails the batch's other hosts, those it did not reach too: failWithOnce)
  if (outcome.once && !outcome.copied && step.play.lockstep) rc.stopAfterTask.onceFailed = true;
  if (hs.fail(chain, task.name, step.play.play.index, Boolean(handler), step.flat.part) === 'failed') {
    stopPlayIfNeeded(rc, step, outcome.once);
    return 'failed';
  }
  // ansible-core 2.14 counts a handler's failure as a failure even when the block around the flush
  // rescues it (its iterator is in the handlers when it looks): the rescue runs, the host goes on
  if (handler) {
    hs.rescuedCountedFailures++;
    return 'failed';
  }
  // (a run_once failure's other hosts: out of ansible_play_hosts, and no ansible_failed_task or
  // _result, which ansible-core sets for the host that ran it alone)
  if (outcome.copied) {
    hs.outOfBatch = batchOf(step.play, step.host);
    return 'rescued';
  }
  // what a rescue section reads, as in Ansible
  rc.vars.setFacts(step.host, { ansible_failed_result: outcome.result, ansible_failed_task: { name: task.unnamed ? '' : task.name, action: task.module } });
  return 'rescued';
}

/** After a host failed a step: any_errors_fatal (a run_once step's failure is one too, as ansible-core's linear strategy makes it) or max_fail_percentage. */
export function stopPlayIfNeeded(rc: RunCtx, step: Step, once?: boolean): void {
  const play = step.play.play;
  // (neither holds under the free strategy: freeWarnings)
  if (step.play.free) return;
  // in lockstep the task first finishes on every host of the batch (the executor applies rc.stopAfterTask then)
  const stop = step.play.lockstep ? rc.stopAfterTask : rc;
  const plays = step.play.lockstep ? rc.stopAfterTask.plays : rc.playStopped;
  // (a task's or block's own any_errors_fatal over the play's, as ansible-core's inheritance)
  if (fatalStep(step, once === true)) {
    // (in lockstep the executor decides once the task has run everywhere: fatal.ts)
    if (step.play.lockstep) rc.stopAfterTask.fatalHosts.add(step.host);
    else {
      plays.add(play.index);
      stop.fatal = true;
      rc.fatalSparesAlways = true;
    }
    return;
  }
  // (its failed hosts as ansible-core counts them: fatal.ts batchCount; the playbook ends too, as after
  // any_errors_fatal: ansible-core's RUN_FAILED_BREAK_PLAY)
  if (overMaxFail(rc, step, rc.breakAfter.get(play.index) ?? new Set())) {
    plays.add(play.index);
    stop.fatal = true;
  }
}
