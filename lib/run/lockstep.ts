// Ansible's linear strategy and its forks, for the executor. A host path of a lockstep play joins
// its batch; once every path of the batch has joined, the batch runs task by task: each task on
// every host (at most --forks at once), then the next, as ansible-core's linear strategy does.
// Paths of other plays (free, lanes) run their steps in order, each holding a fork slot.
import { batchOf, type Step } from '../plan/index.js';
import type { Slots } from './slots.js';

/** Runs a step; given `included`, an include step puts the steps it brings there instead of running them. */
type RunStep = (step: Step, included?: Step[]) => Promise<void> | undefined;

/**
 * What follows a chain of steps an include brought on a host, once it is done: the rest of the
 * chain the include was in (from `from`), and what follows that one.
 */
export interface Rest {
  chain: Step[];
  from: number;
  rest?: Rest;
}

/**
 * Called when the task at `at` of the chains (each host's steps) has run on every host of the batch;
 * `ahead()`: where each host of the batch goes on from there (those an include brought nothing too;
 * the same array each time it is called).
 */
type AfterTask = (chains: Step[][], at: number, ahead: () => Rest[]) => void;

interface Path {
  chain: Step[];
  start: () => void;
}

/** One batch of a lockstep play: its paths, and the run of them all once the last has joined. */
class Batch {
  private readonly paths: Path[] = [];
  private readonly finished: Promise<void>;
  private settle!: { resolve: () => void; reject: (e: unknown) => void };
  constructor(
    private readonly hosts: string[],
    private readonly forks: Slots,
    private readonly run: RunStep,
    private readonly afterTask: AfterTask,
  ) {
    this.finished = new Promise<void>((resolve, reject) => (this.settle = { resolve, reject }));
    // (a step that throws rejects it: every joined path awaits it and fails; this only keeps the
    // rejection from counting as unhandled before they do)
    this.finished.catch(() => undefined);
  }

  join(path: Path): Promise<void> {
    this.paths.push(path);
    if (this.paths.length === this.hosts.length) this.all().then(this.settle.resolve, this.settle.reject);
    return this.finished;
  }

  private async all(): Promise<void> {
    const order = new Map(this.hosts.map((h, i) => [h, i]));
    this.paths.sort((a, b) => order.get(a.chain[0].host)! - order.get(b.chain[0].host)!);
    await this.taskMajor(
      this.paths.map((p) => p.chain),
      (k) => this.paths[k].start(),
    );
  }

  /**
   * Task by task over the chains; what an include_tasks/include_role step brings (each host its own
   * file's tasks) runs the same way before the next task, as ansible-core's linear strategy runs
   * the included blocks of all hosts in lockstep. `rests[k]`: what follows chains[k] (an include's);
   * `idle`: where the batch's hosts without a chain here go on once it is done.
   */
  private async taskMajor(chains: Step[][], first?: (k: number) => void, rests: (Rest | undefined)[] = [], idle: Rest[] = []): Promise<void> {
    const steps = chains.reduce((m, c) => Math.max(m, c.length), 0);
    for (let i = 0; i < steps; i++) {
      // (made only for the hosts whose step is a dynamic include, the tasks with `include`: a lockstep task over 10,000 hosts made 10,000 arrays)
      const included: Step[][] = [];
      await this.eachHost(chains.length, (k) => {
        if (i === 0) first?.(k);
        const step = chains[k][i];
        if (!step) return undefined;
        return this.run(step, step.flat.task.include ? (included[k] = []) : undefined);
      });
      const from = i + 1;
      // (built when asked, once: the rare paths that weigh any_errors_fatal or a run_once failure ask more than once)
      let ahead: Rest[] | undefined;
      this.afterTask(chains, i, () => (ahead ??= [...chains.flatMap((c, k) => (c.length ? [{ chain: c, from, rest: rests[k] }] : [])), ...idle]));
      if (!included.length) continue;
      const brought: Step[][] = [];
      const after: Rest[] = [];
      const waiting = [...idle];
      chains.forEach((c, k) => {
        const s = included[k];
        if (!s?.length) {
          if (c.length) waiting.push({ chain: c, from, rest: rests[k] });
          return;
        }
        brought.push(s);
        after.push({ chain: c, from, rest: rests[k] });
      });
      if (brought.length) await this.taskMajor(brought, undefined, after, waiting);
    }
  }

  /**
   * `f` for every host index, at most --forks at once. A worker keeps its fork slot from host to
   * host, and gives it back between two only when another path waits for one (a lane of another
   * play): a slot taken and given back around every step cost more than the step's own bookkeeping.
   */
  private async eachHost(n: number, f: (k: number) => Promise<void> | undefined): Promise<void> {
    let next = 0;
    const worker = async (): Promise<void> => {
      let held = false;
      try {
        for (let k = next++; k < n; k = next++) {
          if (!held) {
            const wait = this.forks.acquire();
            if (wait) await wait;
            held = true;
          }
          const done = f(k);
          if (done) await done;
          if (this.forks.contended) {
            held = false;
            this.forks.release();
          }
        }
      } finally {
        if (held) this.forks.release();
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.forks.size, n) }, worker));
  }
}

/** The lockstep batches of a run, one per play batch, made when a path of it first joins. */
export class Lockstep {
  /** By the play's batch (the array in its `batches`). */
  private readonly batches = new Map<string[], Batch>();
  /** `afterTask`: called when a task has run on every host of a batch (a fatal failure stops the play then). */
  constructor(
    private readonly forks: Slots,
    private readonly run: RunStep,
    private readonly afterTask: AfterTask,
  ) {}

  /**
   * Runs one host path: in a lockstep play as part of its batch (resolved when the whole batch is
   * done), else its steps in order, holding a fork slot meanwhile.
   */
  async path(chain: Step[], start: () => void): Promise<void> {
    const batch = this.batchOf(chain);
    if (batch) return batch.join({ chain, start });
    await this.forks.run(async () => {
      start();
      for (const step of chain) await this.run(step);
    });
  }

  private batchOf(chain: Step[]): Batch | undefined {
    const first = chain[0];
    if (!first?.play.lockstep) return undefined;
    const hosts = batchOf(first.play, first.host);
    let batch = this.batches.get(hosts);
    if (!batch) this.batches.set(hosts, (batch = new Batch(hosts, this.forks, this.run, this.afterTask)));
    return batch;
  }
}
