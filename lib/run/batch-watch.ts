import type { PlannedPlay } from '../plan/index.js';
import type { RunCtx } from './context.js';
import { dependedOn } from './depends.js';

/**
 * ansible-core's PlaybookExecutor: once a batch of a play (the whole play without `serial`) has
 * ended, if as many hosts failed or went unreachable during it as the batch has hosts, the
 * playbook ends there: no later batch or play runs. (Its count: hosts newly failed anywhere plus
 * hosts newly unreachable, against the batch's size, which counts hosts that had failed before.)
 * Not where every host of the batch is one that other hosts' agri_depends_on name: agri-play skips
 * those hosts' steps instead, and the run goes on (the other site converges).
 */
export class BatchWatch {
  private failed = 0;
  private unreachable = 0;

  constructor(private readonly rc: RunCtx) {}

  /** A batch starts: the failures so far. */
  begin(): void {
    [this.failed, this.unreachable] = this.down();
  }

  /** Batch `b` of the play has ended: whether the playbook ends here. */
  ended(pp: PlannedPlay, b: number): boolean {
    const size = pp.batches[b]?.length ?? 0;
    const [failed, unreachable] = this.down();
    if (size === 0 || failed - this.failed + unreachable - this.unreachable !== size) return false;
    const named = dependedOn(this.rc);
    return !pp.batches[b].every((h) => named.has(h));
  }

  private down(): [number, number] {
    let failed = 0;
    let unreachable = 0;
    for (const hs of this.rc.hosts.values()) {
      if (hs.failed) failed++;
      if (hs.unreachable) unreachable++;
    }
    return [failed, unreachable];
  }
}
