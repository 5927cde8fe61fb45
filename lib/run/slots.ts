// A counted set of slots (--forks, a task's throttle): take one, or wait for one; a released slot
// passes straight to the first waiter, so a newcomer cannot take it in between and overfill them.

export class Slots {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(readonly size: number) {}

  /** A slot now (undefined: nothing to wait for), or a promise of one. */
  acquire(): Promise<void> | undefined {
    if (this.active < this.size) {
      this.active++;
      return undefined;
    }
    return new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  /** Someone waits for a slot. */
  get contended(): boolean {
    return this.waiting.length > 0;
  }

  release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.active--;
  }

  /** `run` in a slot. */
  async run<T>(run: () => Promise<T>): Promise<T> {
    const wait = this.acquire();
    if (wait) await wait;
    try {
      return await run();
    } finally {
      this.release();
    }
  }
}
