import type { ExecResult } from '../../connections/index.js';
import { ModuleFailure, type ModuleCtx } from '../types.js';

type Cmd = string[] | { shell: string };
const shown = (cmd: Cmd) => (Array.isArray(cmd) ? cmd.slice(0, 3).join(' ') : cmd.shell.split('\n')[0].slice(0, 60));

/** A command's non-zero exit as the task's failure: which command, and what it said. */
export function commandFailure(cmd: Cmd, r: ExecResult): ModuleFailure {
  return new ModuleFailure(`${shown(cmd)}: ${r.stderr.trim() || r.stdout.trim() || `exit ${r.rc}`}`, { rc: r.rc, stdout: r.stdout, stderr: r.stderr, cmd: r.cmd });
}

/** Runs a command on the host and returns its output; a non-zero exit is a failure. */
export async function runOk(ctx: ModuleCtx, cmd: Cmd, opts: { env?: Record<string, string> } = {}): Promise<string> {
  const r = await ctx.exec(cmd, { signal: ctx.signal, env: opts.env });
  if (r.rc !== 0) throw commandFailure(cmd, r);
  return r.stdout;
}

/** A `getent DATABASE KEY` entry split on ':', or undefined when there is none (exit 2). */
export async function getent(ctx: ModuleCtx, db: 'passwd' | 'group', key: string): Promise<string[] | undefined> {
  const r = await ctx.exec(['getent', db, key], { signal: ctx.signal });
  if (r.rc === 2) return undefined;
  if (r.rc !== 0) throw commandFailure(['getent', db, key], r);
  return r.stdout.split('\n')[0].split(':');
}
