// ansible-core's async tasks for command/shell, as real background jobs on the host: the command
// runs detached (nohup), killed after `async` seconds, writing its output, exit code and times to
// ~/.ansible_async/JID.* (or ansible_async_dir's); `poll` > 0 reads those every `poll` seconds until the job is done, poll 0
// returns the job id for async_status.
import { randomBytes } from 'node:crypto';
import { shq } from '../../connections/quote.js';
import { ModuleFailure, type ModuleCtx, type ResultData } from '../types.js';
import { pyTimedelta, splitlines } from './pyfmt.js';

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

/** Starts `line` (a shell command line) as a job; returns its id and results file. */
export async function startJob(ctx: ModuleCtx, line: string, o: { chdir?: string; stdin?: string; seconds: number; cmd: unknown }): Promise<{ jid: string; file: string }> {
  const dir = asyncDir(ctx);
  const jid = `j${randomBytes(6).toString('hex')}.${process.pid}`;
  const run = `${o.chdir ? `cd ${shq(o.chdir)} && ` : ''}${line}`;
  const job = [
    `f=${dir}/${jid}`,
    `date '+%Y-%m-%d %H:%M:%S.%N' | cut -c1-26 > "$f.start"`,
    `timeout -s KILL ${Math.max(1, Math.round(o.seconds))} /bin/sh -c ${shq(run)} < "$f.in" > "$f.out" 2> "$f.err"; echo $? > "$f.rc.tmp"`,
    `date '+%Y-%m-%d %H:%M:%S.%N' | cut -c1-26 > "$f.end"; mv "$f.rc.tmp" "$f.rc"`,
  ].join('; ');
  const start = `d=${dir}; mkdir -p "$d" && chmod 700 "$d" && printf '%s' ${shq(JSON.stringify(o.cmd))} > "$d/${jid}.cmd" && printf '%s' ${shq(o.stdin ?? '')} > "$d/${jid}.in" && nohup /bin/sh -c ${shq(job)} > /dev/null 2>&1 & echo "$d"`;
  const r = await ctx.exec({ shell: start });
  if (r.rc !== 0) throw new ModuleFailure(`could not start the async job: ${r.stderr.trim()}`, { rc: r.rc });
  return { jid, file: `${r.stdout.trim() || '/tmp/.ansible_async'}/${jid}` };
}

/** The job's state: not finished, or its command result (as the command module's). */
export async function jobStatus(ctx: ModuleCtx, jid: string): Promise<{ finished: false } | { finished: true; data: ResultData; failed: boolean }> {
  if (!/^[\w.]+$/.test(jid)) throw new ModuleFailure(`could not find job: ${jid}`, { ansible_job_id: jid, started: 1, finished: 1 });
  const sep = `--agri-${randomBytes(4).toString('hex')}--`;
  const r = await ctx.exec({ shell: `f=${asyncDir(ctx)}/${jid}; [ -e "$f.cmd" ] || { echo missing; exit 0; }; [ -e "$f.rc" ] || { echo running; exit 0; }; echo done; for x in rc start end cmd out err; do cat "$f.$x"; echo; echo ${sep}; done` });
  const [state, ...rest] = r.stdout.split('\n');
  if (state === 'missing') throw new ModuleFailure(`could not find job: ${jid}`, { ansible_job_id: jid, started: 1, finished: 1 });
  if (state !== 'done') return { finished: false };
  const [rc, start, end, cmd, out, err] = rest.join('\n').split(`\n${sep}\n`).map((p) => p.replace(/\n$/, ''));
  const code = Number(rc.trim());
  const stdout = out.replace(/[\r\n]+$/, '');
  const stderr = err.replace(/[\r\n]+$/, '');
  const ms = Date.parse(end.replace(' ', 'T')) - Date.parse(start.replace(' ', 'T'));
  const data: ResultData = {
    changed: true, cmd: JSON.parse(cmd || 'null') as unknown, rc: code, stdout, stderr, stdout_lines: splitlines(stdout), stderr_lines: splitlines(stderr), start, end,
    delta: Number.isFinite(ms) ? pyTimedelta(ms) : null,
    msg: code !== 0 ? 'non-zero return code' : '',
    ansible_job_id: jid, finished: 1, started: 1,
  };
  return { finished: true, data, failed: code !== 0 };
}

/** Waits for a job as `poll` does: every poll seconds until done; past `async` seconds it fails. */
export async function waitJob(ctx: ModuleCtx, jid: string, job: AsyncJob, file: string): Promise<ResultData> {
  const until = ctx.now() + job.seconds + Math.max(1, job.poll);
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, Math.max(1, job.poll) * 1000));
    const s = await jobStatus(ctx, jid);
    // killed at its time limit: ansible-core gave up waiting for it (nothing is known to have changed)
    const late = s.finished ? s.data.rc === 137 : ctx.now() > until;
    if (late) throw new ModuleFailure(`async task did not complete within the requested time - ${job.seconds}s`, { ansible_job_id: jid, changed: false, finished: 0, started: 1 });
    if (s.finished) {
      if (s.failed) throw new ModuleFailure(String(s.data.msg), { ...s.data, results_file: file });
      return { ...s.data, results_file: file };
    }
  }
}
