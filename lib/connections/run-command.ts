// A command on the controller, read as ansible-core's run_command reads one: its input written and
// closed (a command that reads stdin gets an end of file, not a wait), its output read until it has
// exited and its pipes go quiet — a background child it leaves (`shell: "server &"`) may hold them
// open for ever, so once the process is gone a second without output ends the reading, as
// run_command's select(1) loop does —, a death by signal N as rc -N (Python's returncode).
// Cancelled, the command's whole process tree is ended (kill-tree).
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { killTree } from './kill-tree.js';

/** How long the output of a command that has exited may stay quiet before it is taken as whole. */
export const QUIET_MS = 1000;

export interface Ran {
  /** The exit code, -N for a death by signal N; null when it never ran or was cancelled. */
  code: number | null;
  stdout: Buffer;
  stderr: Buffer;
  /** Why it could not be started (ENOENT, EACCES). */
  error?: NodeJS.ErrnoException;
  cancelled: boolean;
}

export function runCommand(argv: string[], o: { cwd?: string; env?: Record<string, string>; input?: string | Buffer; signal?: AbortSignal } = {}): Promise<Ran> {
  return new Promise((resolve) => {
    const child = spawn(argv[0], argv.slice(1), { cwd: o.cwd, env: o.env ? { ...process.env, ...o.env } : process.env, stdio: 'pipe' });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let code: number | null | undefined;
    let quiet: NodeJS.Timeout | undefined;
    let done = false;
    const cancel = () => child.pid !== undefined && killTree(child.pid);
    const finish = (error?: NodeJS.ErrnoException) => {
      if (done) return;
      done = true;
      clearTimeout(quiet);
      o.signal?.removeEventListener('abort', cancel);
      child.stdout.destroy();
      child.stderr.destroy();
      const cancelled = o.signal?.aborted === true;
      resolve({ code: cancelled ? null : (code ?? null), stdout: Buffer.concat(out), stderr: Buffer.concat(err), cancelled, ...(error ? { error } : {}) });
    };
    // (after the exit, each output restarts the wait; the pipes' end, the usual case, finishes at once)
    const rearm = () => {
      if (code === undefined) return;
      clearTimeout(quiet);
      quiet = setTimeout(finish, QUIET_MS);
    };
    child.stdout.on('data', (b: Buffer) => (out.push(b), rearm()));
    child.stderr.on('data', (b: Buffer) => (err.push(b), rearm()));
    child.on('error', (e: NodeJS.ErrnoException) => finish(e));
    child.on('exit', (c, sig) => {
      code = c ?? (sig ? -constants.signals[sig] : null);
      rearm();
    });
    child.on('close', () => finish());
    // (a command that does not read its input, or has ended, closes the pipe under us)
    child.stdin.on('error', () => undefined);
    child.stdin.end(o.input ?? '');
    if (o.signal?.aborted) cancel();
    else o.signal?.addEventListener('abort', cancel, { once: true });
  });
}
