import { hash } from 'node:crypto';
import { shq } from '../../connections/quote.js';
import { yes } from '../../source/data.js';
import { Type } from '../../source/vendor/typebox.js';
import { posix } from 'node:path';
import { ModuleFailure, type Diff, type FieldChange, type ModuleCtx } from '../types.js';
import { applyAttrs, modeChange, normalizeMode, ownerChanges } from './mode.js';
import { octal, pathFacts, probe } from './fs-node.js';
import { nameFiles, nameIn } from './names.js';

/** Ansible's `validate` of the modules that write a file's content. */
export const Validate = {
  validate: Type.Optional(Type.String({ description: "A command run on the new content before it replaces the file; %s is its temp path (e.g. 'visudo -cf %s')." })),
};

/** The file arguments of ansible-core's add_file_common_args that name an SELinux context. */
export const SELINUX_ARGS = ['seuser', 'serole', 'setype', 'selevel'] as const;

/**
 * seuser/serole/setype/selevel: ansible-core applies them only where SELinux is enabled
 * (selinux_enabled()) and passes them over elsewhere; agri-play does the same where it is not, and
 * fails the task where it is, since it does not set SELinux contexts (never a silent skip).
 */
export function selinuxGuard(ctx: ModuleCtx, args: Record<string, unknown>): Promise<void> | undefined {
  // (nothing to look at for almost every step: no promise, no array)
  return hasSelinuxArgs(args) ? refuseWhereEnforced(ctx, SELINUX_ARGS.filter((k) => isGiven(args, k))) : undefined;
}

const isGiven = (args: Record<string, unknown>, k: string): boolean => args[k] !== undefined && args[k] !== null;

/** Whether the arguments name an SELinux context. */
export function hasSelinuxArgs(args: Record<string, unknown>): boolean {
  for (const k of SELINUX_ARGS) if (isGiven(args, k)) return true;
  return false;
}

async function refuseWhereEnforced(ctx: ModuleCtx, given: string[]): Promise<void> {
  const enabled = await ctx.files.stat('/sys/fs/selinux/enforce').catch(() => null);
  if (enabled) throw new ModuleFailure(`SELinux is enabled on this host and agri-play does not set SELinux contexts (${given.join(', ')}): set them with a command (chcon/semanage) or drop them`);
}

const seArg = (part: string) => Type.Optional(Type.String({ description: `The SELinux context's ${part}: ansible-core sets it only where SELinux is enabled; agri-play passes it over elsewhere, as ansible-core does, and fails the task there (it sets no SELinux contexts).` }));

export const FileAttrs = {
  mode: Type.Optional(Type.Union([Type.String(), Type.Integer()], { description: "Permissions, e.g. '0644'." })),
  owner: Type.Optional(Type.String({ description: 'Owner user name.' })),
  group: Type.Optional(Type.String({ description: 'Owner group name.' })),
  unsafe_writes: Type.Optional(Type.Boolean({ description: "Where the file cannot be replaced atomically (an immutable folder, a bind-mounted file), write it in place; default the host's ANSIBLE_UNSAFE_WRITES (in the task's environment), else false." })),
  seuser: seArg('user'),
  serole: seArg('role'),
  setype: seArg('type'),
  selevel: seArg('level'),
};

/** What a file made new has before its mode is set (0666 less the usual umask 022). */
export const NEW_FILE = { mode: '0644', type: 'file' as const };

export function sha1(data: Buffer | string): string {
  return hash('sha1', data, 'hex');
}

function textOf(b: Buffer | null): string | undefined {
  if (!b) return '';
  if (b.length > 256 * 1024 || b.includes(0)) return undefined;
  return b.toString('utf8');
}

/** Above this, content is compared by size and a sha1 computed on the host, not read back. */
const BIG = 4 * 1024 * 1024;

async function checkBig(ctx: ModuleCtx, dest: string, want: Buffer, size: number, mode: string | undefined, attrs: { owner?: string; group?: string }, force: boolean, data: Record<string, unknown>): Promise<Diff> {
  const fields: FieldChange[] = [];
  const wantSum = sha1(want);
  if (force) {
    let same = size === want.length;
    if (same) {
      const r = await ctx.exec(['sha1sum', '--', dest]);
      same = r.rc === 0 ? r.stdout.split(/\s/)[0] === wantSum : sha1((await ctx.files.read(dest)) ?? Buffer.alloc(0)) === wantSum;
    }
    if (!same) fields.push({ path: 'content', to: wantSum });
  }
  const st = await ctx.files.stat(dest);
  fields.push(...modeChange(st, mode), ...(await ownerChanges(ctx, dest, attrs.owner, attrs.group)));
  return fields.length ? { kind: 'modify', fields, target: dest, data } : { kind: 'ok', why: `${dest} has the wanted content (sha1 ${wantSum})`, data };
}

export interface CheckOpts {
  /** Replace content that differs (copy's `force`); default true. */
  force?: boolean;
  /** Make missing parent folders rather than fail; default false. */
  mkdirs?: boolean;
  /** The result gives copy's keys (dest, checksum, size, the file's state, mode, ids); default true. */
  result?: boolean;
}

/** The shared check for copy/template/lineinfile: is `want` at `dest`, with these attributes? */
export async function checkContent(ctx: ModuleCtx, dest: string, want: Buffer, attrs: { mode?: unknown; owner?: string; group?: string }, opts: CheckOpts = {}): Promise<Diff> {
  const { force = true, mkdirs = false } = opts;
  const st = await ctx.files.stat(dest);
  // a symbolic mode changes the mode the file has, or a new file's 0644
  const mode = normalizeMode(attrs.mode, st?.type === 'file' ? st : NEW_FILE);
  let sum: string | undefined;
  const wantSum = () => (sum ??= sha1(want));
  // ansible-core's copy/template result: dest, checksum, size, and the file's state, mode and ids
  // (two literals, not a spread after keys: V8's slow path for every written file's step)
  const data = opts.result === false ? {} : st?.type === 'file' ? { dest, checksum: wantSum(), size: want.length, state: 'file', mode: st.mode, uid: st.uid, gid: st.gid } : { dest, checksum: wantSum(), size: want.length };
  if (st && st.type === 'directory') return { kind: 'modify', fields: [{ path: 'type', from: 'directory', to: 'file' }], target: dest, data };
  if (st && want.length > BIG) return checkBig(ctx, dest, want, st.size, mode, attrs, force, data);
  const have = st ? await ctx.files.read(dest) : null;
  const fields: FieldChange[] = [];
  if (!have) {
    // a missing folder is a failure (copy and template check with mkdirs: their write fails instead)
    const parent = posix.dirname(dest);
    if (!mkdirs && (await ctx.files.stat(parent))?.type !== 'directory') throw new ModuleFailure(`Destination directory ${parent} does not exist`, { dest });
    // a new file gets the asked owner and group too (not only on the next run)
    const created: FieldChange[] = [];
    if (mode) created.push({ path: 'mode', to: mode });
    if (attrs.owner) created.push({ path: 'owner', to: attrs.owner });
    if (attrs.group) created.push({ path: 'group', to: attrs.group });
    return { kind: 'create', target: dest, before: '', after: textOf(want), fields: created, data, content: want };
  }
  if (force && !have.equals(want)) fields.push({ path: 'content', from: sha1(have), to: wantSum() });
  fields.push(...modeChange(st, mode));
  if (attrs.owner || attrs.group) fields.push(...(await ownerChanges(ctx, dest, attrs.owner, attrs.group)));
  if (fields.length === 0) return { kind: 'ok', why: `${dest} has the wanted content`, data };
  const contentChanged = fields.some((f) => f.path === 'content');
  // (two literals, not a spread between keys: V8's slow path)
  if (!contentChanged) return { kind: 'modify', fields, target: dest, data, content: want };
  return { kind: 'modify', fields, target: dest, before: textOf(have), after: textOf(want), data, content: want };
}

/**
 * The shared apply: write the content (if it differs) then fix attributes. With `backup`, the file
 * as it was is copied first to `DEST.PID.YYYY-MM-DD@HH:MM:SS~` (ansible-core's name for it), returned.
 */
export async function applyContent(ctx: ModuleCtx, dest: string, want: Buffer, attrs: { mode?: unknown; backup?: boolean; validate?: string; unsafe_writes?: boolean; /** copy's and template's words and result keys for a failure, not the other modules' */ copyWords?: boolean }, diff: Exclude<Diff, { kind: 'ok' }>, mkdirs = false): Promise<{ backup_file?: string }> {
  const had = await ctx.files.stat(dest);
  const mode = normalizeMode(attrs.mode, had?.type === 'file' ? had : NEW_FILE);
  const fields = diff.fields ?? [];
  const out: { backup_file?: string } = {};
  if (diff.kind === 'create' && !mkdirs) {
    const parent = posix.dirname(dest);
    // (copy's module, template's too, fails with the content's checksum, and its action adds an empty diff)
    if ((await ctx.files.stat(parent))?.type !== 'directory') throw new ModuleFailure(`Destination directory ${parent} does not exist`, attrs.copyWords ? { checksum: sha1(want), diff: [] } : { dest });
  }
  if (diff.kind === 'create' || fields.some((f) => f.path === 'content' || f.path === 'type')) {
    const st = had;
    if (attrs.validate) await validate(ctx, dest, want, attrs.validate, attrs.copyWords === true);
    if (attrs.backup && diff.kind !== 'create' && st?.type === 'file') out.backup_file = await backupFile(ctx, dest);
    // a replaced file keeps its owner and group (a user's ~/.profile stays theirs)
    try {
      const file = st?.type === 'file' ? st : undefined;
      await ctx.files.write(dest, want, file ? { mode: mode ?? file.mode, mkdirs, keep: { uid: file.uid, gid: file.gid } } : { mode: mode ?? NEW_FILE.mode, mkdirs });
    } catch (e) {
      if (st?.type !== 'file' || !(await unsafeWrites(ctx, attrs.unsafe_writes))) throw e;
      await writeInPlace(ctx, dest, want);
    }
  }
  const attrFields = fields.filter((f) => f.path === 'owner' || f.path === 'group' || (f.path === 'mode' && diff.kind !== 'create'));
  if (attrFields.length) await applyAttrs(ctx, dest, attrFields);
  return out;
}

/** unsafe_writes, else its fallback: ANSIBLE_UNSAFE_WRITES in the module's environment on the host (Ansible's booleans). */
async function unsafeWrites(ctx: ModuleCtx, given: boolean | undefined): Promise<boolean> {
  if (given !== undefined) return given;
  const r = await ctx.exec({ shell: 'printf %s "$ANSIBLE_UNSAFE_WRITES"' });
  return yes(r.stdout.trim());
}

/** atomic_move's _unsafe_writes: the file's own bytes replaced in place, when it cannot be replaced by a rename (its inode, owner and mode kept). */
export async function writeInPlace(ctx: ModuleCtx, dest: string, want: Buffer): Promise<void> {
  const r = await ctx.exec({ shell: `cat > ${shq(dest)}` }, { stdin: want });
  if (r.rc !== 0) throw new ModuleFailure(`Could not write data to file (${dest}) from (${dest}): ${r.stderr.trim() || `exit ${r.rc}`}`);
}

/** backup_local: the file as it was, copied to `PATH.PID.YYYY-MM-DD@HH:MM:SS~`. */
export async function backupFile(ctx: ModuleCtx, path: string): Promise<string> {
  const d = new Date(ctx.now() * 1000);
  const p = (n: number) => String(n).padStart(2, '0');
  const name = `${path}.${process.pid}.${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}@${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}~`;
  const r = await ctx.exec(['cp', '-p', '--', path, name]);
  if (r.rc !== 0) throw new ModuleFailure(`backup of ${path} failed: ${r.stderr.trim() || `exit ${r.rc}`}`);
  return name;
}

/**
 * `validate: 'visudo -cf %s'`: the new content is written to a temp file beside the target and
 * the command run on it first; a non-zero exit fails the task and leaves the target as it was, in
 * the module's words: copy's (and template's) `failed to validate` with the command's exit status
 * and output, the others' (lineinfile, blockinfile, replace, assemble) `failed to validate: rc:N error:ERR`.
 */
async function validate(ctx: ModuleCtx, dest: string, want: Buffer, command: string, asCopy: boolean): Promise<void> {
  if (!command.includes('%s')) throw new ModuleFailure(`validate must contain %s: ${command}`);
  const tmp = posix.join(posix.dirname(dest), `.${posix.basename(dest)}.agri-validate-${process.pid}-${Date.now()}`);
  await ctx.files.write(tmp, want, { mode: '0600' });
  try {
    // (the command's output as run_command gives it, its last line end kept)
    const r = await ctx.exec({ shell: command.replaceAll('%s', shq(tmp)) }, { keepEnds: true });
    if (r.rc !== 0) throw asCopy ? new ModuleFailure('failed to validate', { exit_status: r.rc, stdout: r.stdout, stderr: r.stderr }) : new ModuleFailure(`failed to validate: rc:${r.rc} error:${r.stderr}`);
  } finally {
    await ctx.exec(['rm', '-f', '--', tmp]).catch(() => undefined);
  }
}

/**
 * copy's and template's result once written: the file's checksums, and add_path_info's ids, names,
 * mode, state and size. Where the host's /etc/passwd and /etc/group are read (the run reads them
 * early, once) and name the file's ids: one lstat of the file, over SSH an SFTP request, no command
 * (its state is `file`: the write renamed a new file into place, with one link, as ansible-core's
 * atomic_move does). Otherwise (names from NSS, no such files) the path script, as `file` reads it.
 */
export async function writtenResult(ctx: ModuleCtx, dest: string, want: Buffer, checksum?: unknown): Promise<Record<string, unknown>> {
  const md5sum = hash('md5', want, 'hex');
  const sum = typeof checksum === 'string' ? checksum : sha1(want);
  const [pw, gr] = await nameFiles(ctx);
  const st = pw && gr ? await ctx.files.stat(dest) : null;
  const owner = st && nameIn(pw, st.uid);
  const group = st && nameIn(gr, st.gid);
  // (one literal, not `{ ...sums, uid, … }`: Node 20's V8 adds each key after a leading spread on a
  // slow path, ≈ 0.5 µs a key, measured; this was 4 µs of every written file's step)
  if (st?.type === 'file' && owner !== undefined && group !== undefined) return { dest, md5sum, checksum: sum, uid: st.uid, gid: st.gid, owner, group, mode: octal(parseInt(st.mode, 8)), state: 'file', size: st.size };
  return Object.assign({ dest, md5sum, checksum: sum }, pathFacts((await probe(ctx, [dest]))[0]));
}

/**
 * add_path_info's owner and group names of a file's ids (the id itself where the host has no
 * name): from /etc/passwd and /etc/group (cached reads the run puts in flight early), else getent.
 */
export async function idNames(ctx: ModuleCtx, st: { uid: number; gid: number } | null): Promise<{ owner?: string; group?: string }> {
  if (!st) return {};
  try {
    const [pw, gr] = await nameFiles(ctx);
    let [owner, group] = [nameIn(pw, st.uid), nameIn(gr, st.gid)];
    if (owner === undefined || group === undefined) {
      const r = await ctx.shared(`id-names\0${st.uid}\0${st.gid}`, (exec) => exec({ shell: `getent passwd ${st.uid} | cut -d: -f1; getent group ${st.gid} | cut -d: -f1` }, { signal: ctx.signal }));
      const [u, g] = r.stdout.split('\n');
      ((owner ??= u || undefined), (group ??= g || undefined));
    }
    return { owner: owner ?? String(st.uid), group: group ?? String(st.gid) };
  } catch {
    return {};
  }
}
