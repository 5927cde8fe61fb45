import { Type } from '@sinclair/typebox';
import { defineModule, ModuleFailure, type ModuleCtx, type ResultData } from './types.js';
import { splitWords } from './util/words.js';

export const CommandArgs = Type.Object(
  {
    cmd: Type.Optional(Type.String({ description: 'The command line (free form).' })),
    argv: Type.Optional(Type.Array(Type.String(), { description: 'The command as a list of words (no shell).' })),
    creates: Type.Optional(Type.String({ description: 'Skip when this path exists.' })),
    removes: Type.Optional(Type.String({ description: 'Run only when this path exists.' })),
    unless: Type.Optional(Type.String({ description: 'Skip when this shell command succeeds (checked first, also in check mode).' })),
    chdir: Type.Optional(Type.String({ description: 'Change into this directory first.' })),
    stdin: Type.Optional(Type.String({ description: 'Text fed to the command.' })),
    executable: Type.Optional(Type.String({ description: 'Shell to use (shell module).' })),
  },
  { additionalProperties: false },
);
type Args = typeof CommandArgs.static;

async function guard(ctx: ModuleCtx, a: Args) {
  if (a.creates && (await ctx.files.stat(a.creates))) return { kind: 'ok' as const, why: `${a.creates} exists (creates)`, data: { rc: 0, stdout: `skipped, since ${a.creates} exists`, stdout_lines: [], stderr: '', stderr_lines: [] } };
  if (a.removes && !(await ctx.files.stat(a.removes))) return { kind: 'ok' as const, why: `${a.removes} does not exist (removes)`, data: { rc: 0, stdout: `skipped, since ${a.removes} does not exist`, stdout_lines: [], stderr: '', stderr_lines: [] } };
  if (a.unless) {
    const r = await ctx.exec({ shell: a.unless }, { cwd: a.chdir, signal: ctx.signal });
    if (r.rc === 0) return { kind: 'ok' as const, why: `'${a.unless}' succeeded (unless)`, data: { rc: 0, stdout: '', stdout_lines: [], stderr: '', stderr_lines: [] } };
  }
  return { kind: 'run' as const };
}

/** Runs the command; a non-zero exit is a failure carrying rc/stdout/stderr, as in Ansible. */
export async function runCommand(ctx: ModuleCtx, a: Args, viaShell: boolean): Promise<ResultData> {
  if (!a.cmd && !a.argv) throw new ModuleFailure('no command given');
  const started = Date.now();
  const cmd = viaShell
    ? a.executable
      ? [a.executable, '-c', a.cmd ?? a.argv!.join(' ')]
      : { shell: a.cmd ?? a.argv!.join(' ') }
    : a.argv ?? splitWords(a.cmd!);
  const r = await ctx.exec(cmd, { cwd: a.chdir, stdin: a.stdin, signal: ctx.signal });
  // the command ran, so Ansible reports it changed even when it failed (changed_when can say otherwise)
  const data: ResultData = {
    changed: true,
    cmd: a.argv ?? (viaShell ? a.cmd : splitWords(a.cmd!)),
    rc: r.rc,
    stdout: r.stdout,
    stderr: r.stderr,
    stdout_lines: r.stdout ? r.stdout.split('\n') : [],
    stderr_lines: r.stderr ? r.stderr.split('\n') : [],
    delta: `${((Date.now() - started) / 1000).toFixed(3)}s`,
  };
  if (r.rc !== 0) throw new ModuleFailure(r.rc === 127 ? `command not found (rc 127): ${r.stderr.trim().split('\n')[0] ?? ''}` : 'non-zero return code', data);
  return data;
}

export default defineModule({
  name: 'command',
  kind: 'state',
  description: 'Runs a command without a shell. Always reports changed, unless creates/removes say it is not needed.',
  args: CommandArgs,
  freeForm: 'cmd',
  aliases: { _raw_params: 'cmd' },
  check: guard,
  apply: (ctx, a) => runCommand(ctx, a, false),
});

export { guard as commandGuard };
