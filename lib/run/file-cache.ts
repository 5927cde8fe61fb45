import { posix } from 'node:path';
import type { Connection, FileStat } from '../connections/index.js';

const statOf = (path: string, conn: () => Promise<Connection>): Promise<FileStat | null> => conn().then((c) => c.stat(path));
const readOf = (path: string, conn: () => Promise<Connection>): Promise<Buffer | null> => conn().then((c) => c.readFile(path));

/**
 * What the engine knows of one host's files during a run: stat and read answers are kept until
 * something may have changed them (a write to the path, or any command, which may change anything).
 * Prefetching puts many requests in flight at once; over SFTP they share round trips.
 */
export class FileCache {
  private stats = new Map<string, Promise<FileStat | null> | undefined>();
  private reads = new Map<string, Promise<Buffer | null>>();
  private memo = new Map<string, Promise<unknown>>();

  // (a miss asks the step at hand for its connection: its vars may have changed, set_fact
  // ansible_host; the cache keeps no step, which would outlive it by a whole task's wave of hosts)
  // (a hit makes nothing: the miss's closure is made in a function of its own, since V8's
  // unoptimized code makes the context of a function that holds one at every call)
  stat(path: string, conn: () => Promise<Connection>): Promise<FileStat | null> {
    let p = this.stats.get(path);
    if (!p) this.stats.set(path, (p = statOf(path, conn)));
    return p;
  }

  read(path: string, conn: () => Promise<Connection>): Promise<Buffer | null> {
    let p = this.reads.get(path);
    if (!p) this.reads.set(path, (p = readOf(path, conn)));
    return p;
  }

  /** A read shared by the steps on this host, kept until anything may have changed. */
  shared<T>(key: string, read: () => Promise<T>): Promise<T> {
    let p = this.memo.get(key) as Promise<T> | undefined;
    if (!p) {
      p = read();
      this.memo.set(key, p);
      // a failed read is not kept: the next step tries again
      p.catch(() => this.memo.get(key) === p && this.memo.delete(key));
    }
    return p;
  }

  /** A path (and its folder's listing) may have changed. */
  forget(path: string): void {
    // (emptied in place, not deleted: a written path and its folder are mostly asked again, and a
    // Map's deleted entries pile up until it makes its table anew)
    const stats = this.stats;
    if (stats.has(path)) stats.set(path, undefined);
    const dir = posix.dirname(path);
    if (stats.has(dir)) stats.set(dir, undefined);
    this.reads.delete(path);
    // (a Map's clear makes it a new table even when it is empty, as most steps' memo is: ≈ 1.5% of
    // the 10,000-host bench's run in its line-level profile)
    if (this.memo.size) this.memo.clear();
  }

  /** Anything may have changed (a command ran). */
  clear(): void {
    if (this.stats.size) this.stats.clear();
    if (this.reads.size) this.reads.clear();
    if (this.memo.size) this.memo.clear();
  }
}
