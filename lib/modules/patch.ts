import { posix } from 'node:path';
import { shq } from '../connections/quote.js';
import { Type } from '../source/vendor/typebox.js';
import { ControllerFailure, defineModule, ModuleFailure, type ModuleCtx } from './types.js';
import { readLocal } from './util/local.js';
import { runTool } from './util/host-tools.js';

const Args = Type.Object(
  {
    src: Type.String({ description: 'The patch: a controller file (looked up in files/), or with remote_src a file on the host.' }),
    dest: Type.Optional(Type.String({ description: 'The file to patch (else the files the patch names, under basedir).' })),
    basedir: Type.Optional(Type.String({ description: 'Where the paths in the patch start (default the folder of dest).' })),
    strip: Type.Optional(Type.Integer({ description: 'Leading path components to strip from the patch\'s file names (patch -p).' })),
    remote_src: Type.Optional(Type.Boolean()),
    backup: Type.Optional(Type.Boolean({ description: 'Numbered backups of the patched files (patch --backup).' })),
    binary: Type.Optional(Type.Boolean()),
    ignore_whitespace: Type.Optional(Type.Boolean()),
    state: Type.Optional(Type.Union([Type.Literal('present'), Type.Literal('absent')], { description: 'present applies it, absent reverses it.' })),
  },
  { additionalProperties: false },
);
type A = typeof Args.static;

/** The patch's bytes: the controller's file (the action sends it to the host), or undefined for a host's (remote_src). */
async function patchOf(ctx: ModuleCtx, a: A): Promise<Buffer | undefined> {
  if (a.remote_src) return undefined;
  const found = ctx.local.find(a.src, 'files');
  if (!found) throw new ControllerFailure(ctx.local.missing(a.src, 'files'));
  return readLocal(ctx, found);
}

/**
 * The module's patch command with these flags: the host's patch file (`--input`), or the
 * controller's on stdin; `--strip`, `--directory`, `--binary`, `--ignore-whitespace` and dest as the
 * module adds them. Resolves to patch's exit code and its words.
 */
async function runPatch(ctx: ModuleCtx, a: A, data: Buffer | undefined, flags: string[]) {
  const argv = ['--quiet', '--forward', ...flags, `--strip=${a.strip ?? 0}`, `--directory=${a.basedir ?? posix.dirname(a.dest!)}`];
  if (!data) argv.push(`--input=${a.src}`);
  if (a.binary) argv.push('--binary');
  if (a.ignore_whitespace) argv.push('--ignore-whitespace');
  if (a.dest) argv.push(a.dest);
  // (get_bin_path without required: the module's own words when it is missing)
  return runTool(ctx, 'patch', argv, { stdin: data, missing: 'patch command not found' });
}

/** The module's checks of its paths, on the host, in its words (src is the host's: the action sent the controller's there). */
async function preflight(ctx: ModuleCtx, a: A): Promise<void> {
  const checks = [a.remote_src ? `[ -r ${shq(a.src)} ] || { echo ${shq(`src ${a.src} doesn't exist or not readable`)}; exit 3; }` : '', a.dest ? `[ -w ${shq(a.dest)} ] || { echo ${shq(`dest ${a.dest} doesn't exist or not writable`)}; exit 3; }` : '', a.basedir ? `[ -e ${shq(a.basedir)} ] || { echo ${shq(`basedir ${a.basedir} doesn't exist`)}; exit 3; }` : ''].filter(Boolean);
  if (!checks.length) return;
  const r = await ctx.exec({ shell: checks.join('; ') }, { signal: ctx.signal });
  if (r.rc === 3) throw new ModuleFailure(r.stdout.trim());
}

const DRY_RUN = '--dry-run';

/**
 * ansible.posix.patch (1.5.4's action and module): a patch applied with GNU patch unless reversing
 * it already succeeds (state absent: reversed unless applying it does), check mode by --dry-run;
 * its result is `changed` only, a failure patch's own words.
 */
export default defineModule({
  name: 'patch',
  kind: 'state',
  description: 'ansible.posix.patch: a patch (from the controller, or remote_src) applied to the host\'s files with GNU patch, or reversed (state: absent); idempotent, check mode by --dry-run.',
  args: Args,
  aliases: { patchfile: 'src', originalfile: 'dest' },
  paths: ['dest', 'basedir'],
  async check(ctx, a) {
    if (a.dest === undefined && a.basedir === undefined) throw new ModuleFailure('one of the following is required: dest, basedir');
    const data = await patchOf(ctx, a);
    await preflight(ctx, a);
    const present = (a.state ?? 'present') === 'present';
    // is_already_applied: the dry run of the other direction succeeds
    const done = await runPatch(ctx, a, data, present ? [DRY_RUN, '--reverse'] : [DRY_RUN]);
    if (done.rc === 0) return { kind: 'ok', why: `${a.src} is ${present ? 'applied' : 'not applied'}`, data: {} };
    // check mode: the module's own dry run, whose failure is the task's
    if (ctx.checkMode) await apply(ctx, a, data, true);
    return { kind: 'modify', target: a.dest ?? a.basedir, fields: [{ path: a.src, to: present ? 'applied' : 'reversed' }], data: {}, keep: data };
  },
  async apply(ctx, a, diff) {
    await apply(ctx, a, diff.keep as Buffer | undefined, false);
  },
});

/** apply_patch: the patch applied (or reversed), in a batch, no rejects file; its failure in patch's words. */
async function apply(ctx: ModuleCtx, a: A, data: Buffer | undefined, dry: boolean): Promise<void> {
  const flags = ['--batch', '--reject-file=-', ...(dry ? [DRY_RUN] : []), ...(a.backup ? ['--backup', '--version-control=numbered'] : []), ...((a.state ?? 'present') === 'absent' ? ['--reverse'] : [])];
  const r = await runPatch(ctx, a, data, flags);
  if (r.rc !== 0) throw new ModuleFailure(r.stderr || r.stdout);
}
