import { Type } from '../source/vendor/typebox.js';
import { shq } from '../connections/quote.js';
import { defineModule, ModuleFailure, type ModuleCtx } from './types.js';
import { backupFile, writeInPlace } from './util/content.js';
import { isBindMounted, linuxMounts, setMount, unsetMount, type FstabArgs, type LinuxMount } from './util/fstab.js';
import { runTool } from './util/host-tools.js';

const STATES = ['absent', 'absent_from_fstab', 'mounted', 'present', 'unmounted', 'remounted', 'ephemeral'] as const;
const Args = Type.Object(
  {
    path: Type.String({ description: "The mount point (for swap, 'none')." }),
    src: Type.Optional(Type.String({ description: 'Device, UUID=…, LABEL=…, server:/export, or a folder to bind.' })),
    fstype: Type.Optional(Type.String()),
    opts: Type.Optional(Type.String({ description: "Mount options (default 'defaults')." })),
    dump: Type.Optional(Type.Union([Type.String(), Type.Integer()], { description: "fstab's dump field (default '0')." })),
    passno: Type.Optional(Type.Union([Type.String(), Type.Integer()], { description: "fstab's pass field (default '0')." })),
    boot: Type.Optional(Type.Boolean({ description: "Mounted at boot (default true); false adds 'noauto' to opts, unless they say 'defaults'." })),
    backup: Type.Optional(Type.Boolean({ description: 'Keep a copy of fstab as it was when it changes (backup_file).' })),
    state: Type.Union(STATES.map((s) => Type.Literal(s))),
    fstab: Type.Optional(Type.String({ description: 'Default /etc/fstab.' })),
  },
  { additionalProperties: false },
);
type A = typeof Args.static;

/** What the check found, for the apply. */
export interface Plan {
  args: FstabArgs;
  /** fstab's new lines (set or unset), or none where it stays. */
  lines?: string[];
  /** fstab's lines as they were (a failed mount puts them back). */
  old: string[];
  /** The file is not there yet (the module makes it, empty, first). */
  missing: boolean;
  mounted: boolean;
  exists: boolean;
}

/** main()'s args: the Linux defaults, then the arguments given; boot: no adds noauto (not with noauto or defaults there: a warning). */
function argsOf(a: A): { args: FstabArgs; warnings: string[] } {
  const warnings: string[] = [];
  const args: FstabArgs = { name: a.path, opts: a.opts ?? 'defaults', dump: String(a.dump ?? '0'), passno: String(a.passno ?? '0'), fstab: a.fstab ?? '/etc/fstab', boot: 'yes' };
  if (a.src !== undefined) args.src = a.src;
  if (a.fstype !== undefined) args.fstype = a.fstype;
  const opts = args.opts.split(',');
  if (opts.includes('noauto')) warnings.push("Ignore the 'boot' due to 'opts' contains 'noauto'.");
  else if (a.boot === false) {
    args.boot = 'no';
    if (opts.includes('defaults')) warnings.push("Ignore the 'boot' due to 'opts' contains 'defaults'.");
    else args.opts = [...opts, 'noauto'].join(',');
  }
  return { args, warnings };
}

/** The mount table, and os.path.ismount's answer for the path (its device differs from its parent's, or it is its parent): one command. */
async function mountState(ctx: ModuleCtx, path: string): Promise<{ mounts: Map<string, LinuxMount>; ismount: boolean; exists: boolean }> {
  const p = shq(path);
  const r = await ctx.exec({ shell: `cat /proc/self/mountinfo; echo '>>>'; [ -L ${p} ] || stat -c '%d %i' -- ${p} "$(realpath -- ${p}/.. 2>/dev/null)" 2>/dev/null; [ -e ${p} ] && echo exists` }, { signal: ctx.signal });
  const [info, rest = ''] = r.stdout.split(/^>>>$/m);
  const [a, b] = rest.split('\n').filter((l) => /^\d+ \d+$/.test(l));
  const ismount = a !== undefined && b !== undefined && (a.split(' ')[0] !== b.split(' ')[0] || a.split(' ')[1] === b.split(' ')[1]);
  return { mounts: linuxMounts(info), ismount, exists: rest.includes('exists') };
}

/**
 * What mount(8) is told of the source: for ephemeral, the filesystem, options and source on the
 * command line (_set_ephemeral_args); else `-T FSTAB` where the fstab is not /etc/fstab (_set_fstab_args).
 */
const sourceArgs = (a: A, args: FstabArgs): string[] =>
  a.state === 'ephemeral' ? ['-t', args.fstype!, ...(args.opts !== 'defaults' ? ['-o', args.opts] : []), args.src!] : args.fstab !== '/etc/fstab' ? ['-T', args.fstab] : [];

/** mount(): rc and out + err. */
async function mount(ctx: ModuleCtx, a: A, args: FstabArgs): Promise<[number, string]> {
  const r = await runTool(ctx, 'mount', [...sourceArgs(a, args), args.name]);
  return r.rc === 0 ? [0, ''] : [r.rc, r.stdout + r.stderr];
}

async function umount(ctx: ModuleCtx, path: string): Promise<[number, string]> {
  const r = await runTool(ctx, 'umount', [path]);
  return r.rc === 0 ? [0, ''] : [r.rc, r.stdout + r.stderr];
}

/** remount(): `-o remount` (with the options for state remounted), else umount and mount. */
async function remount(ctx: ModuleCtx, a: A, args: FstabArgs): Promise<[number, string]> {
  const opts = a.state === 'remounted' && args.opts !== 'defaults' ? `remount,${args.opts}` : 'remount';
  const r = await runTool(ctx, 'mount', ['-o', opts, ...sourceArgs(a, args), args.name]);
  if (r.rc === 0) return [0, ''];
  if (a.state === 'remounted' && args.opts !== 'defaults') throw new ModuleFailure('Options were specified with remounted, but the remount command failed. Failing in order to prevent an unexpected mount result. Try replacing this command with a "state: unmounted" followed by a "state: mounted" using the full desired mount options instead.');
  const u = await umount(ctx, args.name);
  return u[0] === 0 ? mount(ctx, a, args) : u;
}

/** write_fstab: the lines written in place (the file keeps its inode, owner and mode), after a backup where asked. */
async function writeFstab(ctx: ModuleCtx, a: A, lines: string[], path: string): Promise<string> {
  const backup = a.backup ? await backupFile(ctx, path) : '';
  await writeInPlace(ctx, path, Buffer.from(lines.join('')));
  return backup;
}

/** A shell command's output; its failure the module's message and what the command said. */
async function runOkShell(ctx: ModuleCtx, shell: string, failure: string): Promise<string> {
  const r = await ctx.exec({ shell }, { signal: ctx.signal });
  if (r.rc !== 0) throw new ModuleFailure(`${failure}: ${r.stderr.trim()}`);
  return r.stdout;
}

/** _is_same_mount_src: the mount point is mounted from this src (a bind mount's folder, or as `mount -v` lists it). */
async function sameSource(ctx: ModuleCtx, args: FstabArgs, mounts: Map<string, LinuxMount>): Promise<boolean> {
  if (isBindMounted(mounts, args.name, args.src)) return true;
  const out = (await runTool(ctx, 'mount', ['-v'])).stdout;
  if (!out) throw new ModuleFailure("Unable to retrieve mount info with command 'mount -v'");
  return out.trim().split('\n').some((l) => l.split(/\s+/)[0] === args.src && l.split(/\s+/)[2] === args.name);
}

/** An OSError's words for a failed rmdir (os.rmdir's message). */
function rmdirError(path: string, stderr: string): string {
  const errno: Record<string, number> = { 'Directory not empty': 39, 'Device or resource busy': 16, 'Not a directory': 20, 'Permission denied': 13, 'No such file or directory': 2 };
  const why = Object.keys(errno).find((k) => stderr.includes(k));
  return why ? `[Errno ${errno[why]}] ${why}: '${path}'` : stderr.trim();
}

/**
 * ansible.posix.mount (1.5.4's, ported for Linux): a mount point's fstab line — matched, compared
 * and written as the module does (swap's `none` lines by their src, a line of 4 or 5 fields
 * completed) — and its mount: mounted (fstab and mounted; remounted when its line changed),
 * present, unmounted, absent (unmounted, its folder removed), absent_from_fstab, remounted,
 * ephemeral (mounted without fstab). In check mode a missing fstab is not made (the module makes it empty).
 */
export default defineModule<typeof Args, Plan>({
  name: 'mount',
  kind: 'state',
  description: 'A mount point in fstab and/or mounted, as ansible.posix.mount: mounted, present, unmounted, absent, absent_from_fstab, remounted, ephemeral.',
  args: Args,
  aliases: { name: 'path' },
  paths: ['path', 'src'],
  async check(ctx, a) {
    const needs = ['src', 'fstype'].filter((k) => a[k as 'src' | 'fstype'] === undefined);
    if ((a.state === 'mounted' || a.state === 'present' || a.state === 'ephemeral') && needs.length) throw new ModuleFailure(`state is ${a.state} but all of the following are missing: ${needs.join(', ')}`);
    const { args, warnings } = argsOf(a);
    const text = a.state === 'ephemeral' ? '' : (await ctx.files.read(args.fstab))?.toString('utf8');
    const missing = a.state !== 'ephemeral' && text === undefined;
    // (present, absent_from_fstab and remounted do not look at what is mounted: one round trip fewer)
    const looks = a.state !== 'present' && a.state !== 'absent_from_fstab' && a.state !== 'remounted';
    const { mounts, ismount, exists } = looks ? await mountState(ctx, args.name) : { mounts: new Map<string, LinuxMount>(), ismount: false, exists: false };
    const plan: Plan = { args, old: [], missing, mounted: ismount || isBindMounted(mounts, args.name), exists };
    let changed = false;
    if (a.state === 'absent' || a.state === 'absent_from_fstab') {
      const u = unsetMount(text ?? '', args);
      if ((changed = u.changed)) plan.lines = u.lines;
    } else if (a.state === 'unmounted') changed = plan.mounted;
    else if (a.state === 'present') {
      const s = setMount(text ?? '', args);
      if ((changed = s.changed)) plan.lines = s.lines;
    } else if (a.state === 'remounted') changed = true;
    else {
      // mounted, ephemeral: mounted here (of this src, for a bind mount) or not
      const s = a.state === 'mounted' ? setMount(text ?? '', args) : { lines: [], old: [], changed: false };
      if (s.changed) plan.lines = s.lines;
      plan.old = s.old;
      plan.mounted = ismount || isBindMounted(mounts, args.name, args.src);
      if (a.state === 'ephemeral' && plan.mounted && !(await sameSource(ctx, args, mounts))) throw new ModuleFailure('Ephemeral mount point is already mounted with a different source than the specified one. Failing in order to prevent an unwanted unmount or override operation. Try replacing this command with a "state: unmounted" followed by a "state: ephemeral", or use a different destination path.');
      changed = s.changed || !plan.mounted || a.state === 'ephemeral';
    }
    const data = { ...args, backup_file: '', ...(warnings.length ? { warnings } : {}) };
    if (!changed) return { kind: 'ok', why: `${args.name} is ${a.state}`, data };
    // (fstab's text before and after, for --diff, where it changes)
    const texts = plan.lines ? { before: text ?? '', after: plan.lines.join('') } : {};
    return { kind: 'modify', target: args.name, fields: [{ path: 'state', to: a.state }], ...texts, data, keep: plan };
  },
  async apply(ctx, a, diff) {
    const plan = diff.keep!;
    const { args } = plan;
    const out: Record<string, unknown> = {};
    // (an fstab that is not there is made first, its folder too)
    if (plan.missing) await runOkShell(ctx, `mkdir -p -- "$(dirname -- ${shq(args.fstab)})" && : >> ${shq(args.fstab)}`, `Failed to open ${args.fstab}`);
    if (a.state === 'absent' || a.state === 'absent_from_fstab') {
      await writeFstab(ctx, a, plan.lines!, args.fstab);
      if (a.state === 'absent' && plan.mounted) {
        const [rc, msg] = await umount(ctx, args.name);
        if (rc) throw new ModuleFailure(`Error unmounting ${args.name}: ${msg}`);
      }
      const r = a.state === 'absent' && plan.exists ? await ctx.exec(['rmdir', '--', args.name], { signal: ctx.signal }) : undefined;
      if (r && r.rc !== 0) throw new ModuleFailure(`Error rmdir ${args.name}: ${rmdirError(args.name, r.stderr)}`);
    } else if (a.state === 'unmounted') {
      const [rc, msg] = await umount(ctx, args.name);
      if (rc) throw new ModuleFailure(`Error unmounting ${args.name}: ${msg}`);
    } else if (a.state === 'present') out.backup_file = await writeFstab(ctx, a, plan.lines!, args.fstab);
    else if (a.state === 'remounted') {
      const [rc, msg] = await remount(ctx, a, args);
      if (rc) throw new ModuleFailure(`Error remounting ${args.name}: ${msg}`);
    } else await mountIt(ctx, a, plan, out);
    return out;
  },
});

/** state mounted or ephemeral: its folders made (undone on failure), fstab written, then mounted, or remounted where it was. */
async function mountIt(ctx: ModuleCtx, a: A, plan: Plan, out: Record<string, unknown>): Promise<void> {
  const { args } = plan;
  // (each folder of the path made in turn, and named, as the module makes them to undo them)
  const made = plan.exists ? '' : await runOkShell(ctx, `n=${shq(args.name)}; set -f; IFS=/; p=''; for d in $n; do [ -n "$d" ] || continue; p="$p/$d"; [ -e "$p" ] || { mkdir -- "$p" && echo "$p"; } || exit 1; done`, `Error making dir ${args.name}`);
  if (plan.lines) out.backup_file = await writeFstab(ctx, a, plan.lines, args.fstab);
  const [rc, msg] = plan.mounted ? (plan.lines || a.state === 'ephemeral' ? await remount(ctx, a, args) : [0, '']) : await mount(ctx, a, args);
  if (!rc) return;
  // (a failed mount: fstab as it was, the folders made removed, as ansible/ansible#59183 asks)
  if (a.state !== 'ephemeral') await writeFstab(ctx, { ...a, backup: false }, plan.old, args.fstab).catch(() => undefined);
  const dirs = made.split('\n').filter(Boolean).reverse();
  if (dirs.length) await ctx.exec(['rmdir', '--', ...dirs], { signal: ctx.signal }).catch(() => undefined);
  throw new ModuleFailure(`Error mounting ${args.name}: ${msg}`);
}

