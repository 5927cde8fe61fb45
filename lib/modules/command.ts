import { Type } from '../source/vendor/typebox.js';
import { defineModule, ModuleFailure, type ModuleCtx, type ResultData } from './types.js';
import { splitWords } from '../source/splitter.js';
import { contextShell, expandArgv } from './util/expand.js';
import { argvToShell, shq } from '../connections/quote.js';
import { startJob, waitJob } from './util/async-job.js';
import { preciseNow, pyDatetime, pyTimedelta, splitlines } from './util/pyfmt.js';

export const CommandArgs = Type.Object(
  {
    cmd: Type.Optional(Type.String({ description: 'The command line (free form).' })),
    argv: Type.Optional(Type.Array(Type.String(), { description: 'The command as a list of words (no shell).' })),
    creates: Type.Optional(Type.String({ description: 'Skip when a path matching this glob exists.' })),
    removes: Type.Optional(Type.String({ description: 'Run only when a path matching this glob exists.' })),
    unless: Type.Optional(Type.String({ description: 'Skip when this shell command succeeds (checked first, also in check mode).' })),
    chdir: Type.Optional(Type.String({ description: 'Change into this directory first.' })),
    stdin: Type.Optional(Type.String({ description: 'Text fed to the command.' })),
    stdin_add_newline: Type.Optional(Type.Boolean({ description: 'Add a newline to stdin (default true).' })),
    strip_empty_ends: Type.Optional(Type.Boolean({ description: 'Take trailing newlines and carriage returns off stdout/stderr (default true).' })),
    executable: Type.Optional(Type.String({ description: 'Shell to use (shell module; the command module ignores it with a warning, as Ansible).' })),
  },
  { additionalProperties: false },
);
type Args = typeof CommandArgs.static;

/** Whether a path matching the glob exists (Python's glob.glob, as the module's creates/removes). */
async function globExists(ctx: ModuleCtx, pattern: string): Promise<boolean> {
  if (!/[*?[]/.test(pattern)) return (await ctx.files.stat(pattern)) !== null;
  const r = await ctx.exec({ shell: `for f in ${pattern.split('/').map((p) => (/[*?[]/.test(p) ? p : shq(p))).join('/')}; do [ -e "$f" ] || [ -L "$f" ] && exit 0; done; exit 1` });
  return r.rc === 0;
}

/** The module's `cmd`: the words shlex.split made of the command line (the line itself for shell), or argv. */
const cmdOf = (a: Args, viaShell: boolean): unknown => a.argv ?? (a.cmd === undefined ? null : viaShell ? a.cmd : splitWords(a.cmd));

/** creates/removes said no: the module's result, "Would" in check mode (its `shoulda`). */
const skippedBy = (ctx: ModuleCtx, a: Args, viaShell: boolean, why: string, stdout: string) => ({ kind: 'ok' as const, why, data: { rc: 0, stdout, stdout_lines: [stdout], stderr: '', stderr_lines: [], msg: `${ctx.checkMode ? 'Would' : 'Did'} not run command since ${why}`, cmd: cmdOf(a, viaShell), start: null, end: null, delta: null } });

async function guard(ctx: ModuleCtx, a: Args, viaShell = false) {
  if (a.creates && (await globExists(ctx, a.creates))) return skippedBy(ctx, a, viaShell, `'${a.creates}' exists`, `skipped, since ${a.creates} exists`);
  if (a.removes && !(await globExists(ctx, a.removes))) return skippedBy(ctx, a, viaShell, `'${a.removes}' does not exist`, `skipped, since ${a.removes} does not exist`);
  if (a.unless) {
    const r = await ctx.exec({ shell: a.unless }, { cwd: a.chdir, signal: ctx.signal });
    if (r.rc === 0) return { kind: 'ok' as const, why: `'${a.unless}' succeeded (unless)`, data: { rc: 0, stdout: '', stdout_lines: [], stderr: '', stderr_lines: [] } };
  }
  return { kind: 'run' as const };
}

/** Runs the command as ansible.builtin.command/shell: a non-zero exit is a failure carrying rc/stdout/stderr. */
export async function runCommand(ctx: ModuleCtx, a: Args, viaShell: boolean): Promise<ResultData> {
  // (an empty argv is no argv, as the module's `not argv`)
  if (a.argv && !a.argv.length) a = { ...a, argv: undefined };
  const warnings: string[] = [];
  if (!viaShell && a.executable) warnings.push(`As of Ansible 2.4, the parameter 'executable' is no longer supported with the 'command' module. Not using '${a.executable}'.`);
  const none = { changed: false, stdout: '', stderr: '', rc: 256, cmd: null, start: null, end: null, delta: null };
  if (!a.cmd?.trim() && !a.argv) throw new ModuleFailure('no command given', none);
  if (a.cmd && a.argv) throw new ModuleFailure('only command or argv can be given, not both', none);
  if (a.chdir) {
    const st = await ctx.files.stat(a.chdir);
    const errno = !st ? "[Errno 2] No such file or directory" : st.type === 'file' ? '[Errno 20] Not a directory' : undefined;
    if (errno) throw new ModuleFailure(`Unable to change directory before execution: ${errno}: b'${a.chdir}'`, { ...none, rc: null, cmd: cmdOf(a, viaShell) });
  }
  const argv = a.argv ?? (viaShell ? undefined : splitWords(a.cmd!));
  // as run_command: $VARS and ~ in each argument are expanded (the result's cmd keeps them as written)
  const run = argv && (await expandArgv(ctx, argv));
  // (the shell module's shell: `executable`, else the play context's, run as itself unless it is /bin/sh, as AnsibleModule's run_command picks it)
  const shell = run ? undefined : (a.executable ?? contextShell(ctx));
  const cmd = run ?? (shell && (a.executable || shell !== '/bin/sh') ? [shell, '-c', a.cmd!] : { shell: a.cmd! });
  const stdin = a.stdin !== undefined && a.stdin_add_newline !== false ? `${a.stdin}\n` : a.stdin;
  if (ctx.async) return asyncCommand(ctx, Array.isArray(cmd) ? argvToShell(cmd) : cmd.shell, a, argv ?? a.cmd, stdin);
  const start = preciseNow();
  const r = await ctx.exec(cmd, { cwd: a.chdir, stdin, signal: ctx.signal, keepEnds: true });
  const end = preciseNow();
  const ends = (s: string): string => (a.strip_empty_ends === false ? s : s.replace(/[\r\n]+$/, ''));
  const [stdout, stderr] = [ends(r.stdout), ends(r.stderr)];
  // the command ran, so Ansible reports it changed even when it failed (changed_when can say otherwise)
  const data: ResultData = {
    changed: true,
    cmd: argv ?? a.cmd,
    rc: r.rc,
    stdout,
    stderr,
    stdout_lines: splitlines(stdout),
    stderr_lines: splitlines(stderr),
    start: pyDatetime(start),
    end: pyDatetime(end),
    delta: pyTimedelta(end - start),
    msg: '',
    ...(warnings.length ? { warnings } : {}),
  };
  const notRun = !viaShell && run ? cannotExecute(r, run) : undefined;
  if (notRun) throw notRun;
  if (r.rc !== 0) throw new ModuleFailure('non-zero return code', { ...data, msg: 'non-zero return code' });
  return data;
}

/** shlex.quote, as run_command's _clean_args joins the words of a command it could not start. */
const shlexQuote = (w: string): string => (w !== '' && /^[A-Za-z0-9_@%+=:,./-]+$/.test(w) ? w : `'${w.replace(/'/g, `'"'"'`)}'`);

/** Python's repr of the program's path as bytes (b'...'). */
const bytesRepr = (s: string): string => {
  const q = s.includes("'") && !s.includes('"') ? '"' : "'";
  return `b${q}${s.replace(/\\/g, '\\\\').replace(new RegExp(q, 'g'), `\\${q}`)}${q}`;
};

/**
 * The program could not be started (the shell that execs it says so, exit 127 or 126): run_command's
 * OSError, as its fail_json gives it — the errno as rc, its words with the program's path, the command
 * as one line, changed false, no times.
 */
function cannotExecute(r: { rc: number; stderr: string }, argv: string[]): ModuleFailure | undefined {
  const missing = r.rc === 127 && /not found|No such file/.test(r.stderr);
  const denied = r.rc === 126 && /Permission denied|cannot execute|Is a directory/i.test(r.stderr);
  if (!missing && !denied) return undefined;
  const [errno, words] = missing ? [2, 'No such file or directory'] : [13, 'Permission denied'];
  return new ModuleFailure(`[Errno ${errno}] ${words}: ${bytesRepr(argv[0])}`, { changed: false, cmd: argv.map(shlexQuote).join(' '), rc: errno, stdout: '', stderr: '' });
}

/** async: the command as a job on the host; poll 0 returns at once with its id (async_status reads it). */
async function asyncCommand(ctx: ModuleCtx, line: string, a: Args, cmd: unknown, stdin: string | undefined): Promise<ResultData> {
  const job = ctx.async!;
  const { jid, file } = await startJob(ctx, line, { chdir: a.chdir, stdin, seconds: job.seconds, cmd });
  if (job.poll === 0) return { changed: true, ansible_job_id: jid, started: 1, finished: 0, failed: 0, results_file: file };
  return waitJob(ctx, jid, job);
}

export default defineModule({
  name: 'command',
  kind: 'state',
  description: 'Runs a command without a shell. Always reports changed, unless creates/removes say it is not needed.',
  args: CommandArgs,
  freeForm: 'cmd',
  aliases: { _raw_params: 'cmd' },
  paths: ['chdir', 'creates', 'removes'],
  check: (ctx, a) => guard(ctx, a, false),
  apply: (ctx, a) => runCommand(ctx, a, false),
});

export { guard as commandGuard };
