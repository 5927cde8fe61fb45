// What a step's task sees: its variables, with the play's hosts as ansible-core's magic variables
// give them: all the play targets (`ansible_play_hosts_all`), those still in it
// (`ansible_play_hosts`: not failed, unreachable or ended in this batch), and those of the task's batch still in it
// (`ansible_play_batch`, also `play_hosts`).
import { batchOf, type PlannedPlay, type Step } from '../plan/index.js';
import type { RunCtx, Vars } from './context.js';
import { HostState } from './host-state.js';
import type { PlayHosts } from './scope.js';

interface Seen {
  epoch: number;
  /** The play's hosts not failed or unreachable. */
  up: string[];
  /** Each batch's view: the play's hosts, those still in it, the batch's still in it (by the batch array). */
  batches: Map<string[], PlayHosts>;
}
const views = new WeakMap<PlannedPlay, Seen>();

/**
 * Made again only when some host's state changed since (a failure is rare; a step is not). The hosts
 * still in the play are those not in ansible-core's _removed_hosts, a list each batch starts anew: not
 * failed or unreachable, and of the batch's own hosts, not ended (one that ended in an earlier batch is
 * back) nor kept out by a run_once failure of this batch (HostState.outOfBatch).
 */
export function playHostsOf(rc: RunCtx, step: Step): PlayHosts {
  const pp = step.play;
  let seen = views.get(pp);
  // (ansible_play_hosts in the pattern's order, not the play's `order`: ansible-core's magic variables; the batch in the play's)
  const all = pp.patternOrder ?? pp.hosts;
  if (!seen || seen.epoch !== HostState.epoch) views.set(pp, (seen = { epoch: HostState.epoch, up: all.filter((h) => up(rc.hosts.get(h))), batches: new Map() }));
  const b = batchOf(pp, step.host);
  let view = seen.batches.get(b);
  if (!view) {
    const out = new Set(b.filter((h) => leftBatch(rc.hosts.get(h), pp, b)));
    const live = out.size ? seen.up.filter((h) => !out.has(h)) : seen.up;
    seen.batches.set(b, (view = { all, live, batch: b === all ? live : b.filter((h) => up(rc.hosts.get(h)) && !out.has(h)) }));
  }
  return view;
}

const up = (hs: HostState | undefined): boolean => !hs || (!hs.failed && !hs.unreachable);
const leftBatch = (hs: HostState | undefined, pp: PlannedPlay, b: string[]): boolean => hs !== undefined && (hs.outOfBatch === b || hs.endedPlay(pp.play.index));

/** Every variable the step's task sees (before its loop item); given the host's state, its variables' record is reached from there. */
export function varsForStep(rc: RunCtx, step: Step, hs?: HostState): Vars {
  const slot = hs ? (hs.varSlot ??= rc.vars.slotOf(step.host)) : undefined;
  const playHosts = playHostsOf(rc, step);
  return rc.vars.forTask(step.host, step.play.play, playHosts, step.flat.varsChain ?? step.flat.chain, step.flat.task.kw.vars, rc.vars.filesFor(step.host, step.play.play, playHosts, slot), step.flat.task.dir, slot);
}

/** Whether a variable names the step's ansible_connection (not the play context): a task's connection keyword then does not reach the host, the variable wins. */
export function connectionGiven(rc: RunCtx, step: Step, hs?: HostState): boolean {
  const slot = hs ? (hs.varSlot ??= rc.vars.slotOf(step.host)) : undefined;
  return rc.vars.gives('ansible_connection', step.host, step.play.play, step.flat.varsChain ?? step.flat.chain, step.flat.task.kw.vars, rc.vars.filesFor(step.host, step.play.play, playHostsOf(rc, step), slot), step.flat.task.dir, slot);
}
