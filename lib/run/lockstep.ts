// Ansible's linear strategy and its forks, for the executor. A host path of a lockstep play joins
// its batch; once every path of the batch has joined, the batch runs task by task: each task on
// every host (at most --forks at once), then the next, as ansible-core's linear strategy does.
// Paths of other plays (free, lanes) run their steps in order, each holding a fork slot.
import type { PlannedPlay, Step } from '../plan/index.js';

/** `--forks`: how many steps run at once, across the plays running. */
export class Forks {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(readonly size: number) {}

  /** A slot now (undefined: no promise to wait for), or a promise of one. */
  acquire(): Promise<void> | undefined {
    if (this.active < this.size) {
      this.active++;
      return undefined;
    }
    return new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  release(): void {
    const next = this.waiting.shift();
    // the slot passes straight to the next waiter (active stays as it is)
    if (next) next();
    else this.active--;
  }
}

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
    private readonly forks: Forks,
    private readonly run: (step: Step) => Promise<void>,
  ) {
    this.finished = new Promise<void>((resolve, reject) => (this.settle = { resolve, reject }));
    // a path that never joins (its node crashed first) would leave the others waiting: they fail with it
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
    const steps = Math.max(...this.paths.map((p) => p.chain.length));
    for (let i = 0; i < steps; i++) {
      let next = 0;
      const worker = async (): Promise<void> => {
        for (let k = next++; k < this.paths.length; k = next++) {
          const path = this.paths[k];
          const wait = this.forks.acquire();
          if (wait) await wait;
          try {
            if (i === 0) path.start();
            if (i < path.chain.length) await this.run(path.chain[i]);
          } finally {
            this.forks.release();
          }
        }
      };
      await Promise.all(Array.from({ length: Math.min(this.forks.size, this.paths.length) }, worker));
    }
  }
}

/** The lockstep batches of a run, one per play batch, made when a path of it first joins. */
export class Lockstep {
  private readonly plays = new Map<PlannedPlay, Map<string, Batch>>();
  constructor(
    private readonly forks: Forks,
    private readonly run: (step: Step) => Promise<void>,
  ) {}

  /**
   * Runs one host path: in a lockstep play as part of its batch (resolved when the whole batch is
   * done), else its steps in order, holding a fork slot meanwhile.
   */
  async path(chain: Step[], start: () => void): Promise<void> {
    const batch = this.batchOf(chain);
    if (batch) return batch.join({ chain, start });
    const wait = this.forks.acquire();
    if (wait) await wait;
    try {
      start();
      for (const step of chain) await this.run(step);
    } finally {
      this.forks.release();
    }
  }

  private batchOf(chain: Step[]): Batch | undefined {
    const first = chain[0];
    if (!first?.play.lockstep) return undefined;
    let byHost = this.plays.get(first.play);
    if (!byHost) {
      byHost = new Map();
      for (const hosts of first.play.batches) {
        const batch = new Batch(hosts, this.forks, this.run);
        for (const h of hosts) byHost.set(h, batch);
      }
      this.plays.set(first.play, byHost);
    }
    return byHost.get(first.host);
  }
}
