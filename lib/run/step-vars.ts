// What a step's task sees: its variables, with the play's hosts as ansible-core's magic variables
// give them: all the play targets (`ansible_play_hosts_all`), those still in it
// (`ansible_play_hosts`: not failed, unreachable or ended), and those of the task's batch still in it
// (`ansible_play_batch`, also `play_hosts`).
import type { PlannedPlay, Step } from '../plan/index.js';
import type { RunCtx, Vars } from './context.js';
import { HostState } from './host-state.js';
import type { PlayHosts } from './scope.js';

interface Seen {
  epoch: number;
  live: string[];
  batches: Map<string[], string[]>;
  batchOf: Map<string, string[]>;
}
const views = new WeakMap<PlannedPlay, Seen>();

/** Made again only when some host's state changed since (a failure is rare; a step is not). */
export function playHostsOf(rc: RunCtx, step: Step): PlayHosts {
  const pp = step.play;
  const index = pp.play.index;
  let seen = views.get(pp);
  const up = (h: string): boolean => {
    const hs = rc.hosts.get(h);
    return !hs || (!hs.failed && !hs.unreachable && !hs.endedPlay(index));
  };
  if (!seen || seen.epoch !== HostState.epoch) {
    const batchOf = seen?.batchOf ?? new Map(pp.batches.flatMap((b) => b.map((h) => [h, b] as const)));
    const live = pp.hosts.filter(up);
    views.set(pp, (seen = { epoch: HostState.epoch, live, batches: new Map(), batchOf }));
  }
  const b = seen.batchOf.get(step.host) ?? pp.hosts;
  let batch = b === pp.hosts ? seen.live : seen.batches.get(b);
  if (!batch) seen.batches.set(b, (batch = b.filter(up)));
  return { all: pp.hosts, live: seen.live, batch };
}

/** Every variable the step's task sees (before its loop item). */
export function varsForStep(rc: RunCtx, step: Step): Vars {
  return rc.vars.forTask(step.host, step.play.play, playHostsOf(rc, step), step.flat.chain, step.flat.task.kw.vars, rc.vars.playFiles.get(step.play.play.index) ?? {});
}
