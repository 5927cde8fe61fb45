// ansible-core's free strategy (and host_pinned): each host at its own pace, so run_once,
// any_errors_fatal and max_fail_percentage do not hold there; ansible-core says so in warnings,
// each shown once.
import type { Step } from '../plan/index.js';
import type { RunCtx } from './context.js';
import { warnOnce } from './once.js';

const WORDS = 'with the free strategy is not supported, as tasks are executed independently on each host';

/** Before a step of a free play: any_errors_fatal (of its task) and max_fail_percentage (of its play) do not hold. */
export function freeWarnings(rc: RunCtx, step: Step): void {
  const play = step.play.play;
  if (play.maxFailPercentage !== undefined) warnOnce(rc, `Using max_fail_percentage ${WORDS}`);
  if (play.anyErrorsFatal || step.flat.task.kw.anyErrorsFatal === true) warnOnce(rc, `Using any_errors_fatal ${WORDS}`);
}

/** A run_once task of a free play runs on every host, as ansible-core's free strategy runs it. */
export function freeRunOnce(rc: RunCtx, step: Step): boolean {
  if (!step.play.free) return false;
  warnOnce(rc, 'Using run_once with the free strategy is not currently supported. This task will still be executed for every host in the inventory list.');
  return true;
}
