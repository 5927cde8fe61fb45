import type { Frame } from '../plan/index.js';
import { emptyCounts, type Counts } from '../report/events.js';
import type { FileCache } from './file-cache.js';
import type { Connection } from '../connections/index.js';
import type { HostSlot } from './scope.js';

/**
 * How a block ended on a host: its tasks failed (its rescue runs), its rescue failed, or a task of
 * its always section failed (the rest of that section is not run, as ansible-core's iterator moves
 * a block whose always failed to COMPLETE).
 */
type BlockMark = 'failed' | 'rescue-failed' | 'always-failed';

/**
 * One host's progress through its steps. Steps of a host run one after another, so this
 * state is only touched by one step at a time; other hosts never read it.
 *
 * Block rules (Ansible's): a failure inside `block` marks that block failed; if the block has a
 * `rescue`, the rescue runs and the host is fine afterwards, else the failure moves outward.
 * `always` runs either way, up to a failure in it: its later tasks don't run, and the failure moves
 * outward as one of the block's own. A failure nobody rescues fails the host: later steps don't run.
 */
export class HostState {
  /** Bumped whenever a host fails, is cleared, becomes unreachable or ends a play: views of the play's live hosts are made again. */
  static epoch = 0;
  private isFailed = false;
  private isUnreachable = false;
  get failed(): boolean {
    return this.isFailed;
  }
  set failed(v: boolean) {
    if (v !== this.isFailed) HostState.epoch++;
    this.isFailed = v;
    if (!v) this.failedOut = false;
  }
  /**
   * Its failure left no always section of its blocks to run (ansible-core's _failed_hosts, which
   * max_fail_percentage counts: a host failing where an always section is still ahead is never put
   * there, not once that section has run either).
   */
  failedOut = false;
  /** The section of the play (FlatTask.part) its failure was in (dropUnsettled). */
  failedPart?: number;
  get unreachable(): boolean {
    return this.isUnreachable;
  }
  set unreachable(v: boolean) {
    if (v !== this.isUnreachable) HostState.epoch++;
    this.isUnreachable = v;
  }
  /** meta: clear_host_errors cleared a failure of this host, or an end_host dropped it, or it failed once its play had ended (the run's exit code passes over it). */
  cleared = false;
  /** Its unreachable count when meta: clear_host_errors last cleared it (those do not make the exit code 4). */
  unreachableCleared = 0;
  /** Plays this host left early (meta: end_host / end_batch): the next play has it again. */
  private ended?: Set<number>;
  endPlay(play: number): void {
    if (!this.ended?.has(play)) HostState.epoch++;
    (this.ended ??= new Set()).add(play);
  }
  /** (asked before every step: a host that ended no play has no set to look in) */
  endedPlay(play: number): boolean {
    return this.ended !== undefined && this.ended.has(play);
  }
  private outOf?: string[];
  /**
   * The batch whose ansible_play_hosts leaves this host out though a rescue took its failure: a run_once
   * failure marks every host of the batch failed (ansible-core's _removed_hosts), and the rescue takes
   * back only the host that ran it.
   */
  get outOfBatch(): string[] | undefined {
    return this.outOf;
  }
  set outOfBatch(b: string[] | undefined) {
    if (b !== this.outOf) HostState.epoch++;
    this.outOf = b;
  }
  failedTask?: string;
  /** The play the host failed in (force_handlers runs that play's handlers only). */
  failedInPlay?: number;
  /** Its failure was a handler's (max_fail_percentage under force_handlers counts only those). */
  failedInHandler = false;
  /** The hosts its agri_depends_on names (depends.ts), worked out at its first step. */
  dependsOn?: string[];
  /** Why this host's steps no longer run: a host it depends on (agri_depends_on) is down. */
  blockedBy?: string;
  /** The run's map of host states this one is in (a plan's host ref may hold another run's: executor's hostOf). */
  owner?: object;
  /** The host's record in the run's variables and its file cache, reached from here: at every step a lookup by name in a map of every host was cold memory. */
  varSlot?: HostSlot;
  files?: FileCache;
  /** Its connection, by the key it was opened for (reach.ts). */
  conn?: { key: string; c: Promise<Connection> };
  /** What puts back the facts the step at hand set, should its result turn out failed (VarStore.undoPoint), latest last. */
  factUndo?: (() => void)[];
  /** A step on this host changed (or in check mode would have): later check failures may be due to it. */
  changedBefore = false;
  readonly counts: Counts = emptyCounts();
  /** A task's result counted here: the host is in the recap (ansible-core's stats.processed; a batch end_play never reached is not). */
  counted = false;
  readonly notified = new Set<string>();
  /** Handler names that ran by name in the current flush (a later handler of the same name does not). */
  readonly flushRan = new Set<string>();
  /**
   * Names a handler notified after some handler they run had its turn in a flush: they wait for the
   * next flush of the play, for those handlers only (name → handler ids; `carriedNext` while the
   * flush that notified them runs, `carriedFor` in the flush after).
   */
  carriedNext = new Map<string, Set<string>>();
  carriedFor = new Map<string, Set<string>>();
  /** Failures a block's rescue caught that ansible-core 2.14 still counts in the recap's `failed` (a handler's, an include's file that could not be loaded); the host did not fail. */
  rescuedCountedFailures = 0;
  /** The roles an include_role brought on this host (their handlers exist for it from then on). */
  readonly includedRoles = new Set<string>();
  /** Per play: the roles an include ran on this host, by identity (their dependencies run once). */
  private readonly rolesRan = new Map<number, Map<string, unknown>>();
  rolesRanIn(play: number): Map<string, unknown> {
    let m = this.rolesRan.get(play);
    if (!m) this.rolesRan.set(play, (m = new Map()));
    return m;
  }
  /** In the current flush: the handler each name runs (ansible-core's: the last loaded of that name). */
  winners?: Map<string, { id: string }>;
  /** The flush about to run was a meta: flush_handlers whose `when` was false: it does not happen. */
  flushOff = false;
  private marks = new Map<string, BlockMark>();

  /** Whether these blocks put a step in the always section of a block that failed on this host. */
  inAlwaysOfFailed(chain: Frame[]): boolean {
    return chain.some(({ block, section }) => section === 'always' && this.failedBefore(block.id));
  }

  /** Whether a block of these (around a task), whose tasks or rescue failed on this host, has an always section still to run here. */
  alwaysAhead(chain: Frame[]): boolean {
    return chain.some(({ block }) => block.always.length > 0 && this.failedBefore(block.id));
  }

  /** Whether the block's tasks or rescue failed (its always section runs), not its always section itself. */
  private failedBefore(id: string): boolean {
    const mark = this.marks.get(id);
    return mark === 'failed' || mark === 'rescue-failed';
  }

  /** Whether a step in these blocks runs now, given earlier failures. */
  gate(chain: Frame[]): 'run' | 'skip' {
    if (this.held.length) this.release(chain);
    let insideAlwaysOfFailed = false;
    for (const [i, { block, section }] of chain.entries()) {
      const mark = this.marks.get(block.id);
      // a failed block's tasks are skipped, but for the always section of an inner block that failed with it
      if (section === 'block' && mark && !chain.slice(i + 1).some((f) => f.section === 'always' && this.marks.has(f.block.id))) return 'skip';
      if (section === 'rescue' && mark !== 'failed') return 'skip';
      // an always section that failed runs no further task
      if (section === 'always' && mark === 'always-failed') return 'skip';
      if (section === 'always' && mark) insideAlwaysOfFailed = true;
    }
    if ((this.failed || this.unreachable) && !insideAlwaysOfFailed) return 'skip';
    if (this.blockedBy) return 'skip';
    return 'run';
  }

  /**
   * Failures held by a block whose always section is still to run (the frames from the outermost
   * to that block): ansible-core's iterator runs that always section first, then the failure goes
   * on outward (a rescue or always section around it that failed is not marked before then).
   */
  private held: Frame[][] = [];

  /** A held failure goes on outward once a step is past its block (its always section has run, or failed and went on itself). */
  private release(chain: Frame[]): void {
    for (const frames of [...this.held]) {
      const id = frames[frames.length - 1].block.id;
      if (chain.some((f) => f.block.id === id)) continue;
      this.held.splice(this.held.indexOf(frames), 1);
      if (this.marks.get(id) !== 'always-failed') this.mark(frames.slice(0, -1));
    }
  }

  /** Marks the blocks a failure reaches, from the innermost outward, up to a rescue that takes it or a block whose always section holds it. */
  private mark(chain: Frame[]): void {
    for (let i = chain.length - 1; i >= 0; i--) {
      const { block, section } = chain[i];
      this.marks.set(block.id, section === 'block' ? 'failed' : section === 'rescue' ? 'rescue-failed' : 'always-failed');
      if (section === 'block' && block.rescue.length > 0) return;
      if (section !== 'always' && block.always.length > 0) {
        this.held.push(chain.slice(0, i + 1));
        return;
      }
    }
  }

  /**
   * ansible-core's mark_host_failed of a host a failure already put on its way through a rescue or
   * always section (the innermost block that failed among these frames, a step's ahead): that section
   * ends, and the failure goes on outward from there. Whether it is rescued further out; undefined
   * where the host is on no such way.
   */
  failPending(chain: Frame[], play: number): 'rescued' | 'failed' | undefined {
    const i = chain.findLastIndex((f) => f.section !== 'block' && this.marks.has(f.block.id));
    return i < 0 ? undefined : this.fail(chain.slice(0, i + 1), this.failedTask ?? '', play);
  }

  /**
   * meta end_host (end_batch, end_play) ends the host's play at a step in these blocks: ansible-core
   * sets its top-level state COMPLETE, which keeps that block's failure: a host in the rescue of a
   * top-level block that failed, or in its always section with no rescue that took the failure, is
   * failed from then on (out of the plays after, in the batch's failed count), though its recap
   * counts no failure. A failure an inner block's always section still holds, which ansible-core
   * has not moved out to the top-level block yet, is dropped with it: that host is not failed.
   * `wrapped`: under force_handlers, where ansible-core wraps the play's tasks in a block whose always
   * section flushes the handlers, that block is the top-level one: a failure in a block of the play
   * has not reached it, so no host is failed, and one held by an always section is dropped.
   */
  endPlayFailing(chain: Frame[], play: number, wrapped: boolean): void {
    const top = chain[0];
    const mark = top && this.marks.get(top.block.id);
    if (!wrapped && (mark === 'rescue-failed' || mark === 'always-failed' || (mark === 'failed' && (top.section === 'rescue' || !top.block.rescue.length)))) this.failEnded(play);
    else if (this.failed && this.inAlwaysOfFailed(chain)) {
      this.failed = false;
      // (nor does its failure count for the exit code, as one clear_host_errors cleared)
      this.cleared = true;
    }
  }

  /**
   * Under force_handlers, end_batch or end_play in section `part` of the play ends the host's play:
   * ansible-core's iterator has not moved a failure in that section out to the block wrapping it
   * before the host reaches the section's flush, and the host's state set COMPLETE there drops it.
   * The host is not failed (it runs the plays after), nor does its failure count for the exit code.
   */
  dropUnsettled(play: number, part: number | undefined): void {
    if (!this.failed || this.failedPart !== part || this.failedInPlay !== play || this.failedInHandler) return;
    this.failed = false;
    this.failedOut = false;
    this.cleared = true;
  }

  /** The host's part of the play ended failed (its recap counts nothing): out of the plays after it, as a host in ansible-core's _failed_hosts. */
  failEnded(play: number): void {
    this.failed = true;
    this.failedOut = true;
    this.failedInPlay = play;
  }

  /** Records a failure; returns 'rescued' when a rescue section will handle it (ansible-core's is_any_block_rescuing: a block around it, running its tasks, has one). */
  fail(chain: Frame[], task: string, play?: number, handler = false, part?: number): 'rescued' | 'failed' {
    this.mark(chain);
    // (a failed rescue or always section goes on outward: a rescue further out still takes it)
    if (chain.some(({ block, section }) => section === 'block' && block.rescue.length > 0)) return 'rescued';
    this.failed = true;
    this.failedOut = !this.alwaysAhead(chain);
    this.failedTask = task;
    this.failedInPlay = play;
    this.failedInHandler = handler;
    this.failedPart = part;
    return 'failed';
  }
}
