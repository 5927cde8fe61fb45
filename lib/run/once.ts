// What happens once in a run: a run_once step's place (rc.once's keys) and warnings.
import { batchOf, type Step } from '../plan/index.js';
import type { RunCtx } from './context.js';

/** (what rc.once holds for a place that is only marked) */
export const DONE = Promise.resolve();

/**
 * A run_once step's place, the same on every host: its id without the host (an included task's
 * names the include and the item), once per batch of the play (with serial, each batch runs it
 * once, as in ansible-core).
 */
export function onceKey(step: Step): string {
  const play = step.play.play.index;
  return `${play}/${step.id.slice(`${play}/${step.host}/`.length)}/${batchOf(step.play, step.host)[0]}`;
}

/** A warning shown once in the run, as ansible-core's Display shows each warning text once. */
export function warnOnce(rc: RunCtx, msg: string): void {
  const key = `warning\0${msg}`;
  if (rc.once.has(key)) return;
  rc.once.set(key, DONE);
  rc.emit({ event: 'warning', msg });
}
