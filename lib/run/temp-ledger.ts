import { appendFileSync, existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Connection, TempNotes } from '../connections/index.js';
import { pidAlive } from '../source/index.js';
import { privateDir } from './journal.js';

type Line = { h: string; p: string; d?: 1 };

/**
 * The temp files connections create beside their targets (`.NAME.agri-XXXX.tmp`), noted in
 * `.agri-play/state/temps/<pid>.ndjson` before the first byte goes up and again once renamed
 * or removed. A run killed mid-write leaves its notes; the next run takes them over and removes
 * those files on each host when it first connects to it — no directory listing, no extra round
 * trip when nothing was left. A run that ends with nothing open removes its notes file.
 */
export class TempLedger {
  private readonly dir: string;
  private readonly file: string;
  private readonly open = new Map<string, Set<string>>();

  constructor(stateDir: string) {
    this.dir = join(stateDir, 'state', 'temps');
    this.file = join(this.dir, `${process.pid}.ndjson`);
    if (!existsSync(this.dir)) return;
    for (const f of readdirSync(this.dir).filter((x) => x.endsWith('.ndjson'))) {
      const pid = Number(f.slice(0, -'.ndjson'.length));
      if (pid === process.pid || pidAlive(pid)) continue;
      const lines = readLines(join(this.dir, f));
      rmSync(join(this.dir, f), { force: true });
      for (const l of lines) l.d ? this.open.get(l.h)?.delete(l.p) : this.set(l.h).add(l.p);
    }
    for (const [h, ps] of this.open) for (const p of ps) this.append({ h, p });
  }

  /** What a connection to `host` calls around each temp file it writes. */
  notes(host: string): TempNotes {
    return { begin: (p) => this.note(host, p), end: (p) => this.done(host, p) };
  }

  /** Removes what an earlier run left on `host` (best effort: a failure leaves the note for the next). */
  async attach(host: string, conn: Connection): Promise<Connection> {
    conn.temps = this.notes(host);
    const left = [...(this.open.get(host) ?? [])];
    if (left.length === 0) return conn;
    const r = await conn.exec(['rm', '-f', '--', ...left]).catch(() => undefined);
    if (r?.rc === 0) left.forEach((p) => this.done(host, p));
    return conn;
  }

  /** At the end of a run: no notes file when nothing is left open. */
  close(): void {
    if ([...this.open.values()].every((s) => s.size === 0)) rmSync(this.file, { force: true });
  }

  private set(h: string): Set<string> {
    let s = this.open.get(h);
    if (!s) this.open.set(h, (s = new Set()));
    return s;
  }

  private note(h: string, p: string): void {
    this.set(h).add(p);
    this.append({ h, p });
  }

  private done(h: string, p: string): void {
    this.open.get(h)?.delete(p);
    this.append({ h, p, d: 1 });
  }

  private made = false;

  private append(l: Line): void {
    if (!this.made) privateDir(this.dir);
    this.made = true;
    appendFileSync(this.file, JSON.stringify(l) + '\n', { mode: 0o600 });
  }
}

function readLines(file: string): Line[] {
  const out: Line[] = [];
  for (const l of readFileSync(file, 'utf8').split('\n')) {
    try {
      const x = JSON.parse(l) as Line;
      if (typeof x.h === 'string' && typeof x.p === 'string') out.push(x);
    } catch {
      /* a torn last line */
    }
  }
  return out;
}
