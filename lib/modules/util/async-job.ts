// ansible-core's async tasks for command/shell, as real background jobs on the host: the command
// runs detached (nohup), killed after `async` seconds, writing its output, exit code and times to
// ~/.ansible_async/JID.* (or ansible_async_dir's); `poll` > 0 reads those every `poll` seconds until the job is done, poll 0
// returns the job id for async_status.
import { randomInt } from 'node:crypto';
import { shq } from '../../connections/quote.js';
import { ModuleFailure, type ModuleCtx, type ResultData } from '../types.js';
import { pyTimedelta, splitlines } from './pyfmt.js';
import { pyJsonLoads } from '../../source/pyjson-loads.js';

/**
 * Where the host keeps the jobs' files, as a shell word: ansible-core's async_dir (the host's
 * `ansible_async_dir`, else the controller's ANSIBLE_ASYNC_DIR, else ~/.ansible_async; `~` the
 * host's home).
 */
export function asyncDir(ctx: Pick<ModuleCtx, 'vars'>): string {
  const v = ctx.vars.ansible_async_dir ?? process.env.ANSIBLE_ASYNC_DIR;
  const dir = typeof v === 'string' && v !== '' ? v : '~/.ansible_async';
  if (dir === '~' || dir.startsWith('~/')) return `"\${HOME:-/tmp}"${dir.length > 1 ? shq(dir.slice(1)) : ''}`;
  return shq(dir);
}

export interface AsyncJob {
  seconds: number;
  poll: number;
}

/** A job id as ansible-core's async_wrapper makes it: `j`, up to 12 random digits, `.`, the controller's pid. */
export const newJobId = (): string => `j${randomInt(0, 1e12)}.${process.pid}`;

/** Starts `line` (a shell command line) as a job; returns its id and results file. */
export async function startJob(ctx: ModuleCtx, line: string, o: { chdir?: string; stdin?: string; seconds: number; cmd: unknown }): Promise<{ jid: string; file: string }> {
  const dir = asyncDir(ctx);
  const jid = newJobId();
  const run = `${o.chdir ? `cd ${shq(o.chdir)} && ` : ''}${line}`;
  const job = [
    `f=${dir}/${jid}`,
    `date '+%Y-%m-%d %H:%M:%S.%6N' > "$f.start"`,
    `timeout -s KILL ${Math.max(1, Math.round(o.seconds))} /bin/sh -c ${shq(run)} < "$f.in" > "$f.out" 2> "$f.err"; echo $? > "$f.rc.tmp"`,
    `date '+%Y-%m-%d %H:%M:%S.%6N' > "$f.end"; mv "$f.rc.tmp" "$f.rc"`,
  ].join('; ');
  // (the job's stdin is the command's, kept in a file: a text given in the command line would be
  // one argument of the host's sh, which Linux bounds at 128 KiB; the job itself reads nothing of ours)
  const start = `d=${dir}; mkdir -p "$d" && chmod 700 "$d" && printf '%s' ${shq(JSON.stringify(o.cmd))} > "$d/${jid}.cmd" && cat > "$d/${jid}.in" || exit 1; nohup /bin/sh -c ${shq(job)} > /dev/null 2>&1 < /dev/null & echo "$d"`;
  const r = await ctx.exec({ shell: start }, { stdin: o.stdin ?? '' });
  if (r.rc !== 0) throw new ModuleFailure(`could not start the async job: ${r.stderr.trim()}`, { rc: r.rc });
  return { jid, file: `${r.stdout.trim() || '/tmp/.ansible_async'}/${jid}` };
}

/**
 * A job's result as async_status gives it: ansible-core's action starts it with empty stdout and
 * stderr and their lines, the job's keys over them, and lines made of a stdout or stderr the job
 * has without them (ActionBase._execute_module's).
 */
export function jobResult(data: ResultData, keys: ResultData): ResultData {
  const out: ResultData = { stdout: '', stderr: '', stdout_lines: [], stderr_lines: [], ...keys, ...data };
  if (data.stdout !== undefined && data.stdout_lines === undefined) out.stdout_lines = splitlines(typeof data.stdout === 'string' ? data.stdout : '');
  if (data.stderr !== undefined && data.stderr_lines === undefined) out.stderr_lines = splitlines(typeof data.stderr === 'string' ? data.stderr : '');
  return out;
}

/** Where a job's results file is on the host (async_dir's path for its id), asked without reading it. */
export async function jobFile(ctx: ModuleCtx, jid: string): Promise<string> {
  const r = await ctx.exec({ shell: `printf '%s\n' ${asyncDir(ctx)}/${shq(jid)}` });
  return r.stdout.trim();
}

/** A finished job's state: its result, and whether it failed. */
export type JobState = { finished: false } | { finished: true; data: ResultData; failed: boolean };

/**
 * The job's state and results file (the host's path of it): not finished, or its result: a command
 * job's (agri-play's files: its exit code, times, command line, output) as the command module's, or
 * the JSON results file ansible-core's async_wrapper writes (and agri-play for a module it ran in
 * the background). An unknown job fails as ansible-core's async_status does.
 */
export async function jobStatus(ctx: ModuleCtx, jid: string): Promise<JobState & { file: string }> {
  const missing = (file: string) => new ModuleFailure('could not find job', jobResult({}, { ansible_job_id: jid, started: 1, finished: 1, results_file: file }));
  if (!/^[\w.]+$/.test(jid)) throw missing(jid);
  // (each file as one line of base64: whatever the output holds, nothing can be taken for a separator)
  const r = await ctx.exec({ shell: `f=${asyncDir(ctx)}/${jid}; printf '%s\n' "$f"; if [ -e "$f.cmd" ]; then [ -e "$f.rc" ] || { echo running; exit 0; }; echo done; for x in rc start end cmd out err; do base64 -w0 < "$f.$x"; echo; done; elif [ -e "$f" ]; then echo json; cat "$f"; else echo missing; fi` });
  const [file, state, ...rest] = r.stdout.split('\n');
  if (state === 'json') return { ...jsonJob(jid, rest.join('\n')), file };
  if (state !== 'running' && state !== 'done') throw missing(file);
  if (state !== 'done') return { finished: false, file };
  const [rc, start, end, cmd, out, err] = rest.slice(0, 6).map((b) => Buffer.from(b, 'base64').toString('utf8').replace(/\n$/, ''));
  const code = Number(rc.trim());
  const stdout = out.replace(/[\r\n]+$/, '');
  const stderr = err.replace(/[\r\n]+$/, '');
  // (to the microsecond: date's %6N, as Python's datetime the job's delta comes from)
  const [whole, frac] = [(t: string): number => Date.parse(t.replace(' ', 'T').slice(0, 19)), (t: string): number => Number(`0${t.slice(19)}`) * 1000];
  const ms = whole(end) - whole(start) + (frac(end) - frac(start));
  const data: ResultData = {
    changed: true, cmd: JSON.parse(cmd || 'null') as unknown, rc: code, stdout, stderr, stdout_lines: splitlines(stdout), stderr_lines: splitlines(stderr), start, end,
    delta: Number.isFinite(ms) ? pyTimedelta(ms) : null,
    msg: code !== 0 ? 'non-zero return code' : '',
    ansible_job_id: jid, finished: 1, started: 1,
  };
  return { finished: true, data, failed: code !== 0, file };
}

/** A results file of JSON, as ansible-core's async_status module reads it: `started` without `finished` is a job under way. */
function jsonJob(jid: string, text: string): JobState {
  let data: ResultData;
  try {
    data = pyJsonLoads(text) as ResultData;
  } catch {
    // (async_wrapper writes the file anew as the job goes: one read between two writes)
    return { finished: false };
  }
  if ('started' in data && !data.finished) return { finished: false };
  return { finished: true, data: { ...data, ansible_job_id: jid, finished: 1, started: 1 }, failed: data.failed === true || data.failed === 1 };
}

/** Waits for a job as `poll` does: every poll seconds until done; past `async` seconds it fails. */
export async function waitJob(ctx: ModuleCtx, jid: string, job: AsyncJob): Promise<ResultData> {
  const until = ctx.now() + job.seconds + Math.max(1, job.poll);
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, Math.max(1, job.poll) * 1000));
    const s = await jobStatus(ctx, jid);
    // killed at its time limit: ansible-core gave up waiting for it (nothing is known to have changed)
    const late = s.finished ? s.data.rc === 137 : ctx.now() > until;
    if (late) throw new ModuleFailure(`async task did not complete within the requested time - ${job.seconds}s`, { ansible_job_id: jid, changed: false, finished: 0, started: 1 });
    if (s.finished) {
      // (its files go, as ansible-core's poll cleans up a finished job's)
      await ctx.exec({ shell: `rm -f ${asyncDir(ctx)}/${jid}.*` }).catch(() => undefined);
      if (s.failed) throw new ModuleFailure(String(s.data.msg), { ...s.data, results_file: s.file });
      return { ...s.data, results_file: s.file };
    }
  }
}
