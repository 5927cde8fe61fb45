// Outcomes of a playbook over three local hosts, as ansible-core's ansible.posix.jsonl callback and
// agri-play's --json events report them: each host's task outcomes in order (status, changed, a
// debug's or fail's own message), the recap and the exit code. Shared by the differential fuzzer
// (scripts/play-diff.ts), its recorder and the test of the cases it found (test/multihost.test.ts).
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { isDeepStrictEqual, promisify } from 'node:util';
import { packageRoot } from '../lib/source/index.js';
import { root } from './helpers.js';
import { KEYS } from './compat-ref.js';

/** A recorded case's command-line options: `NAME.check.yaml` runs with --check, `NAME.tags-t1.yaml` with --tags=t1, `NAME.skip-t2.yaml` with --skip-tags=t2, `NAME.limit-h1,h3.yaml` with --limit=h1,h3. */
export const optionsOf = (name: string): string[] =>
  name.split('.').slice(1, -1).flatMap((w) => (w === 'check' ? ['--check'] : w.startsWith('tags-') ? [`--tags=${w.slice(5)}`] : w.startsWith('skip-') ? [`--skip-tags=${w.slice(5)}`] : w.startsWith('limit-') ? [`--limit=${w.slice(6)}`] : []));

/** The recorded cases (test/multihost.test.ts). */
export const MULTIHOST = join(root, 'test', 'multihost');

const run = promisify(execFile);
export const INVENTORY = `all:
  vars: {ansible_connection: local, ansible_python_interpreter: /usr/bin/python3}
  hosts:
    h1: {n: 1, flag: true, word: alpha}
    h2: {n: 2, flag: false, word: beta}
    h3: {n: 3, flag: true, word: gamma}
`;

/** One task's outcome on a host, as both tools report it. */
export type Seen = [task: string, status: string, changed: boolean, msg: string | null];
export interface Outcomes {
  hosts: Record<string, Seen[]>;
  recap: Record<string, Record<string, number>>;
  /** The run ended in a playbook error (ansible-core's ERROR!, agri-play's exit 4): its outcomes are not compared. */
  error?: string;
  /** The command's exit code: 0, or 2 where a host failed (both tools'; no host is unreachable here). */
  exit?: number;
}

/** A finished command's exit code (promisify(execFile) rejects with the code). */
const exitOf = (r: object): number => ('code' in r && typeof r.code === 'number' ? r.code : 0);

/** (a meta task, named m…, reports nothing in agri-play's events: not compared) */
const compared = (task: string): boolean => !task.startsWith('m');

/** The message compared: a debug's or fail's own (the modules' error words are not). */
const shownMsg = (task: string, status: string, msg: unknown): string | null => (((task.startsWith('d') && status === 'ok') || (task.startsWith('f') && String(msg).startsWith('m='))) && msg !== undefined ? String(msg) : null);

/** A recap's counts, the keys the compat recaps compare (agri-play's round_trips left out). */
const countsOf = (c: Record<string, number>): Record<string, number> => Object.fromEntries(KEYS.map((k) => [k, c[k]]));

function push(o: Outcomes, host: string, s: Seen): void {
  (o.hosts[host] ??= []).push(s);
}

export async function ansibleOutcomes(dir: string, args: string[] = []): Promise<Outcomes> {
  // (ansible.posix.jsonl: an event per result; json's one document files a result under the task started
  // last where it has no task of its own — a meta task's under the free strategy — and one host's second
  // result there overwrites its first. jsonl itself does so under a lockstep strategy, where a flush's
  // handlers run beside the next task on the hosts they were not notified for: test/callback's
  // outcomes_jsonl files each result under its own task.)
  const env = { ...process.env, ANSIBLE_CALLBACK_PLUGINS: join(root, 'test', 'callback'), ANSIBLE_STDOUT_CALLBACK: 'outcomes_jsonl', ANSIBLE_LOCAL_TEMP: join(dir, '.al'), ANSIBLE_REMOTE_TEMP: join(dir, '.ar'), ANSIBLE_RETRY_FILES_ENABLED: 'False', ANSIBLE_LOCALHOST_WARNING: 'False', ANSIBLE_NOCOLOR: '1', ANSIBLE_DEPRECATION_WARNINGS: 'False' };
  const r = await run('/usr/bin/ansible-playbook', ['-i', 'inv.yaml', 'p.yaml', ...args], { cwd: dir, env, maxBuffer: 64 << 20 }).catch((e: { stdout: string; stderr: string }) => e);
  // (a run that ended in ERROR! has no stats event: its outcomes are not compared)
  if (!r.stdout.includes('"_event":"v2_playbook_on_stats"')) return { hosts: {}, recap: {}, error: /^ERROR! (.*)$/m.exec(r.stderr)?.[1] ?? r.stderr.slice(0, 300) };
  const o: Outcomes = { hosts: {}, recap: {} };
  for (const line of r.stdout.split('\n')) {
    if (!line.startsWith('{')) continue;
    const e = JSON.parse(line) as { _event: string; task?: { name: string }; hosts?: Record<string, Record<string, unknown>>; stats?: Record<string, Record<string, number>> };
    if (/^v2_runner_on_(ok|failed|skipped|unreachable)$/.test(e._event) && e.task && e.hosts)
      for (const [h, res] of Object.entries(e.hosts)) {
        if (!compared(e.task.name)) continue;
        // (a meta task's skip: not compared, as meta tasks are not)
        if (typeof res.skip_reason === 'string' && res.skip_reason.includes(' conditional evaluated to False')) continue;
        const status = res.unreachable ? 'unreachable' : res.skipped ? 'skipped' : res.failed ? 'failed' : 'ok';
        push(o, h, [e.task.name, status, res.changed === true, shownMsg(e.task.name, status, res.msg)]);
      }
    // (ansible-core's stats name the failed count `failures`)
    if (e._event === 'v2_playbook_on_stats' && e.stats) for (const [h, s] of Object.entries(e.stats)) o.recap[h] = countsOf({ ...s, failed: s.failures });
  }
  // (by host name: the order results came in says nothing, and a recording keeps its order)
  o.hosts = Object.fromEntries(Object.entries(o.hosts).sort(([a], [b]) => (a < b ? -1 : 1)));
  o.exit = exitOf(r);
  return o;
}

export async function agriOutcomes(dir: string, args: string[] = []): Promise<Outcomes> {
  const r = await run(process.execPath, [join(packageRoot, 'bin', 'agri-play.js'), 'p.yaml', '-i', 'inv.yaml', '--json', ...args], { cwd: dir, maxBuffer: 64 << 20 }).catch((e: { stdout: string; stderr: string; code: number }) => e);
  const o: Outcomes = { hosts: {}, recap: {} };
  const lastItem = new Map<string, string | undefined>();
  if ('code' in r && r.code === 4) o.error = r.stderr.slice(0, 300) || 'exit 4';
  if (r.stderr.includes('internal error')) throw new Error(`agri-play crashed: ${r.stderr.slice(0, 1000)}`);
  for (const line of r.stdout.split('\n')) {
    if (!line.startsWith('{')) continue;
    const e = JSON.parse(line) as Record<string, unknown>;
    if (e.event === 'step_end' && compared(String(e.task)) && !e.run_once_copy) {
      const st = String(e.status);
      const status = st === 'rescued' || st === 'ignored' ? 'failed' : st === 'changed' ? 'ok' : st;
      // (an include reports each loop item; ansible-core's callback has the task's one result: its items skipped
      // alone are not in it, the included ones one ok, and all skipped its closing skip)
      const host = String(e.host);
      if (e.item !== undefined && status === 'skipped') continue;
      const last = o.hosts[host]?.at(-1);
      if (e.item !== undefined && last?.[0] === e.task && lastItem.get(host) === e.id) continue;
      lastItem.set(host, e.item !== undefined ? String(e.id) : undefined);
      push(o, host, [String(e.task), status, e.changed === true, shownMsg(String(e.task), status, e.msg)]);
    }
    if (e.event === 'recap')
      for (const [h, c] of Object.entries(e.hosts as Record<string, Record<string, number>>)) o.recap[h] = countsOf(c);
  }
  o.exit = exitOf(r);
  return o;
}

/** The first place the two differ, in words. */
export function difference(a: Outcomes, b: Outcomes): string | undefined {
  if (a.error !== undefined || b.error !== undefined) return a.error !== undefined && b.error !== undefined ? undefined : `ansible-core ${a.error === undefined ? 'ran' : `failed: ${a.error}`}; agri-play ${b.error === undefined ? 'ran' : 'exit 4'}`;
  for (const h of ['h1', 'h2', 'h3']) {
    const x = a.hosts[h] ?? [];
    const y = b.hosts[h] ?? [];
    for (let i = 0; i < Math.max(x.length, y.length); i++)
      if (!isDeepStrictEqual(x[i], y[i])) return `${h}, outcome ${i + 1}: ansible-core ${JSON.stringify(x[i])}, agri-play ${JSON.stringify(y[i])}`;
  }
  if (!isDeepStrictEqual(a.recap, b.recap)) return `recap: ansible-core ${JSON.stringify(a.recap)}, agri-play ${JSON.stringify(b.recap)}`;
  // (a recording made before exit codes were recorded has none)
  // (ansible-core's 8, RUN_FAILED_BREAK_PLAY passed on as it is after an end_play, is a failed run: 2)
  if (a.exit !== undefined && (a.exit === 8 ? 2 : a.exit) !== b.exit) return `exit code: ansible-core ${a.exit}, agri-play ${b.exit}`;
  return undefined;
}
