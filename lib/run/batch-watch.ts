import type { PlannedPlay } from '../plan/index.js';
import type { RunCtx } from './context.js';
import { dependedOn } from './depends.js';

/**
 * ansible-core's PlaybookExecutor: once a batch of a play (the whole play without `serial`) has
 * ended, if as many hosts failed or went unreachable during it as the batch has hosts, the
 * playbook ends there: no later batch or play runs. (Only the batch's hosts run in it, so its
 * hosts are the ones counted; its size counts those that had failed before.) Not where every host
 * of the batch is one that other hosts' agri_depends_on name: agri-play skips those hosts' steps
 * instead, and the run goes on (the other site converges).
 */
export class BatchWatch {
  private before = 0;

  constructor(private readonly rc: RunCtx) {}

  /** Batch `b` of the play starts: its hosts down so far. */
  begin(pp: PlannedPlay, b: number): void {
    this.before = this.down(pp.batches[b] ?? []);
  }

  /** Batch `b` of the play has ended: whether the playbook ends here. */
  ended(pp: PlannedPlay, b: number): boolean {
    const batch = pp.batches[b] ?? [];
    if (batch.length === 0 || this.down(batch) - this.before !== batch.length) return false;
    const named = dependedOn(this.rc);
    return !batch.every((h) => named.has(h));
  }

  /** Failed hosts plus unreachable ones (ansible-core keeps the two apart: one host may count in both). */
  private down(hosts: string[]): number {
    let n = 0;
    for (const h of hosts) {
      const hs = this.rc.hosts.get(h);
      if (hs?.failed) n++;
      if (hs?.unreachable) n++;
    }
    return n;
  }
}
