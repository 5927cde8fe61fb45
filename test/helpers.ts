import { mkdtempSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createServer } from 'node:net';
import { execa } from 'execa';
import { packageRoot } from '../lib/source/index.js';
import type { Event } from '../lib/report/index.js';
import type { Connection } from '../lib/connections/index.js';
import { loadInventories } from '../lib/inventory/index.js';
import { loadPlaybook } from '../lib/playbook/index.js';
import { buildPlan } from '../lib/plan/index.js';
import { runPlan } from '../lib/run/index.js';
import { Redactor } from '../lib/vars/index.js';

export const root = packageRoot;
export const bin = join(packageRoot, 'bin', 'agri-play.js');

const made: string[] = [];
// a test file's fixtures go with its process (AGRI_KEEP_FIXTURES=1 keeps them to look at)
process.on('exit', () => {
  if (process.env.AGRI_KEEP_FIXTURES !== '1') for (const d of made) rmSync(d, { recursive: true, force: true, maxRetries: 2 });
});

/** Writes `path → content` into a fresh temp folder (changesets' fixture style), removed when the test process ends. */
export function fixture(files: Record<string, string | Buffer>): string {
  const dir = mkdtempSync(join(tmpdir(), 'agri-test-'));
  made.push(dir);
  for (const [p, content] of Object.entries(files)) {
    const full = join(dir, p);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, content);
  }
  return dir;
}

/**
 * A secret value the tests use; it must never appear in any captured output or journal of any
 * test. `cli()` checks every run, so the check covers the whole suite.
 */
export const CANARY = 'canary-7f3a9c-\u00e9-never-print-me';

export function assertNoCanary(where: string, text: string): void {
  const forms = [CANARY, Buffer.from(CANARY).toString('base64').replace(/=+$/, '')];
  for (const f of forms) if (text.includes(f)) throw new Error(`the canary secret leaked into ${where}`);
}

export function journals(cwd: string): string[] {
  const dir = join(cwd, '.agri-play', 'runs');
  try {
    return readdirSync(dir).map((f) => join(dir, f));
  } catch {
    return [];
  }
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  events: Event[];
}

/** Runs the real CLI as a user would (a new process), with a time bound: a hang guard, not a speed check (10 min, so a loaded machine never reaches it). */
export async function cli(args: string[], cwd: string, opts: { timeoutMs?: number; env?: Record<string, string>; wrap?: (cmd: string[]) => string[] } = {}): Promise<CliResult> {
  const [cmd, ...rest] = (opts.wrap ?? ((c: string[]) => c))(['node', bin, ...args]);
  const r = await execa(cmd, rest, { cwd, reject: false, timeout: opts.timeoutMs ?? 600_000, env: { NO_COLOR: '1', ...opts.env } });
  const stdout = String(r.stdout);
  assertNoCanary('stdout', stdout);
  assertNoCanary('stderr', String(r.stderr));
  for (const j of journals(cwd)) assertNoCanary(j, readFileSync(j, 'utf8'));
  const events = args.includes('--json') ? stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Event) : [];
  return { code: r.exitCode ?? -1, stdout, stderr: String(r.stderr), events };
}

export function recapOf(events: Event[]) {
  const r = events.find((e) => e.event === 'recap');
  if (!r || r.event !== 'recap') throw new Error('no recap event');
  return r.hosts;
}

export function stepEnds(events: Event[]) {
  return events.filter((e): e is Extract<Event, { event: 'step_end' }> => e.event === 'step_end');
}

export function totalChanged(events: Event[]): number {
  return Object.values(recapOf(events)).reduce((n, c) => n + c.changed, 0);
}

/** Files under a folder, recursively (relative paths). */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string, rel: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name), join(rel, e.name));
      else out.push(join(rel, e.name));
    }
  };
  walk(dir, '');
  return out.sort();
}

export const read = (p: string) => readFileSync(p, 'utf8');

/** A stack trace line, which input errors must never show. */
export const STACK = /^\s+at .+\(.+:\d+:\d+\)$|^\s+at file:\/\//m;

/** The failed/unreachable steps of a run and its stderr: what an assertion message should show. */
export function failures(r: CliResult): string {
  const bad = stepEnds(r.events).filter((e) => e.status === 'failed' || e.status === 'unreachable');
  return [...bad.map((e) => `${e.host} ${e.task}: ${JSON.stringify(e.msg ?? e)}`.slice(0, 600)), r.stderr.slice(-2000), r.events.length ? '' : r.stdout.slice(-2000)].join('\n');
}

/** A TCP port free on every one of these loopback addresses. */
export async function freePortOn(addrs: string[]): Promise<number> {
  const tryPort = (port: number, host: string) =>
    new Promise<number>((resolve, reject) => {
      const s = createServer();
      s.once('error', reject);
      s.listen(port, host, () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
  for (;;) {
    const port = await tryPort(0, addrs[0]);
    const ok = await Promise.all(addrs.map((a) => tryPort(port, a).then(() => true, () => false)));
    if (ok.every(Boolean)) return port;
  }
}

/** Runs a playbook in this process on one inventory host, `field`, whose connection is `host`; the exit code. */
export async function runOnHost(playbook: string, host: Connection): Promise<number> {
  const d = fixture({ 'inv.yaml': 'all:\n  hosts:\n    field: {}\n', 'p.yaml': playbook });
  const inventory = loadInventories([join(d, 'inv.yaml')]);
  const plan = buildPlan(loadPlaybook(join(d, 'p.yaml')), inventory, { tags: [], skipTags: [], extraVars: {} });
  const summary = await runPlan(plan, inventory, {
    check: false, diff: false, forks: 1, verbosity: 0, extraVars: {}, playbook: 'p.yaml', playbookDir: d, inventorySources: [join(d, 'inv.yaml')], stateDir: '', redactor: new Redactor(),
    emit: () => undefined,
    connect: async () => host,
  });
  return summary.exitCode;
}
