import { createHash } from 'node:crypto';
import { chmodSync, createWriteStream, existsSync, readdirSync, readFileSync, rmSync, writeFileSync, type WriteStream } from 'node:fs';
import { basename, join } from 'node:path';
import type { Event } from '../report/events.js';
import { makeDirs } from '../source/index.js';

/** How many journals (and their HTML reports) .agri-play/runs keeps; the oldest go first. */
export const KEEP_JOURNALS = 100;

/** Appends every event of a run to .agri-play/runs/<time>.ndjson (keeping the newest KEEP_JOURNALS). */
export class Journal {
  readonly file: string;
  private out: WriteStream;

  constructor(stateDir: string, started: Date) {
    const dir = join(stateDir, 'runs');
    privateDir(stateDir);
    privateDir(dir);
    this.file = join(dir, `${started.toISOString().replace(/[:.]/g, '-')}-${process.pid}.ndjson`);
    // journals hold variable values and results: the owner's alone, never through a planted link
    this.out = createWriteStream(this.file, { flags: 'wx', mode: 0o600 });
    prune(dir, basename(this.file));
  }

  write(line: string): void {
    this.out.write(line + '\n');
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.out.end(resolve));
  }
}

/** Makes a state folder only its owner can enter (0700), tightening one made before. */
export function privateDir(dir: string): void {
  makeDirs(dir, 0o700);
  chmodSync(dir, 0o700);
}

/** Removes the oldest journals beyond KEEP_JOURNALS, with the reports made of them. */
function prune(dir: string, own: string): void {
  // this run's file may not be on disk yet (the stream opens it asynchronously)
  const journals = [...new Set([...readdirSync(dir).filter((f) => f.endsWith('.ndjson')), own])].sort();
  for (const f of journals.slice(0, Math.max(0, journals.length - KEEP_JOURNALS)).filter((f) => f !== own)) {
    rmSync(join(dir, f), { force: true });
    rmSync(join(dir, f.replace(/\.ndjson$/, '.html')), { force: true });
  }
}

/** The newest journal's recap, for --resume. */
/**
 * What `--resume` re-runs, from the newest real run's journal (check runs change nothing and are
 * passed over): the hosts that failed or were unreachable; every host when that run was
 * interrupted, crashed, or was killed before its recap (what it did is unknown).
 */
export function hostsToResume(stateDir: string): { file: string; hosts: string[]; why: string } | undefined {
  const dir = join(stateDir, 'runs');
  if (!existsSync(dir)) return undefined;
  for (const f of readdirSync(dir).filter((x) => x.endsWith('.ndjson')).sort().reverse()) {
    let start: Extract<Event, { event: 'run_start' }> | undefined;
    let recap: Extract<Event, { event: 'recap' }> | undefined;
    const seen = new Set<string>();
    for (const l of readFileSync(join(dir, f), 'utf8').split('\n')) {
      try {
        const e = JSON.parse(l) as Event;
        if (e.event === 'run_start') start = e;
        else if (e.event === 'recap') recap = e;
        else if (e.event === 'step_start') seen.add(e.host);
      } catch {
        /* a torn last line (the run was killed while writing) */
      }
    }
    if (!start || start.check) continue;
    const file = join(dir, f);
    const all = start.host_names ?? (recap ? Object.keys(recap.hosts) : [...seen]);
    if (!recap) return { file, hosts: all, why: 'it was killed before its recap' };
    if (recap.status === 'interrupted' || recap.status === 'crashed') return { file, hosts: all, why: `it was ${recap.status}` };
    return { file, hosts: Object.entries(recap.hosts).filter(([, c]) => c.failed > 0 || c.unreachable > 0).map(([h]) => h), why: 'these hosts failed or were unreachable' };
  }
  return undefined;
}

function handlersFile(stateDir: string, inventories: string[]): string {
  const key = createHash('sha1').update([...inventories].sort().join('\n')).digest('hex').slice(0, 12);
  return join(stateDir, 'state', `handlers-${key}.json`);
}

/** Handlers notified but not run (the run failed or was interrupted first), by host. */
export function loadPendingHandlers(stateDir: string, inventories: string[]): Record<string, string[]> {
  const f = handlersFile(stateDir, inventories);
  if (!existsSync(f)) return {};
  try {
    return JSON.parse(readFileSync(f, 'utf8')) as Record<string, string[]>;
  } catch {
    return {};
  }
}

export function savePendingHandlers(stateDir: string, inventories: string[], pending: Record<string, string[]>): string | undefined {
  const f = handlersFile(stateDir, inventories);
  if (Object.keys(pending).length === 0) {
    rmSync(f, { force: true });
    return undefined;
  }
  privateDir(stateDir);
  privateDir(join(stateDir, 'state'));
  writeFileSync(f, JSON.stringify(pending, null, 2) + '\n', { mode: 0o600 });
  chmodSync(f, 0o600);
  return f;
}
