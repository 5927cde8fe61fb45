import { ModuleFailure, type ModuleCtx } from '../types.js';

/** Runs a command on the host; a non-zero exit is a failure saying which command and why. */
export async function must(ctx: ModuleCtx, cmd: string[] | { shell: string }, opts: { env?: Record<string, string> } = {}): Promise<string> {
  const r = await ctx.exec(cmd, { signal: ctx.signal, env: opts.env });
  const shown = Array.isArray(cmd) ? cmd.slice(0, 3).join(' ') : cmd.shell.split('\n')[0].slice(0, 60);
  if (r.rc !== 0) throw new ModuleFailure(`${shown}: ${r.stderr.trim() || r.stdout.trim() || `exit ${r.rc}`}`, { rc: r.rc, stdout: r.stdout, stderr: r.stderr });
  return r.stdout;
}

/** A `getent DATABASE KEY` entry split on ':', or undefined when there is none (exit 2). */
export async function getent(ctx: ModuleCtx, db: 'passwd' | 'group', key: string): Promise<string[] | undefined> {
  const r = await ctx.exec(['getent', db, key], { signal: ctx.signal });
  if (r.rc === 2) return undefined;
  if (r.rc !== 0) throw new ModuleFailure(`getent ${db} ${key}: ${r.stderr.trim() || `exit ${r.rc}`}`);
  return r.stdout.split('\n')[0].split(':');
}
