import { pyJson } from '../source/pyjson.js';
import { spread } from '../source/index.js';
import { str } from '../source/python.js';
import { statSync } from 'node:fs';
import { basename, dirname, posix, resolve } from 'node:path';
import { Type } from '../source/vendor/typebox.js';
import { readLocal } from './util/local.js';
import type { FileStat } from '../connections/index.js';
import { defineModule, ControllerFailure, ModuleFailure, type Diff, type ModuleCtx, type ResultData } from './types.js';
import { runFile } from './file.js';
import { applyContent, checkContent, FileAttrs, idNames, sha1, Validate, writtenResult } from './util/content.js';
import { copyDiff, writes } from './util/file-diff.js';
import { remoteCopy } from './util/copy-remote.js';
import { walkDirs } from './util/copy-walk.js';
import { expandPaths } from './util/expand.js';
import { octal } from './util/fs-node.js';
import { pyJoin } from './util/pypath.js';

const Args = Type.Object(
  {
    dest: Type.Optional(Type.String({ description: 'Where the file goes on the host (a folder: dest/ or an existing directory).' })),
    content: Type.Optional(Type.Unknown({ description: 'The file content; a list or dict is written as JSON (as ansible-core does), other values as Python prints them.' })),
    src: Type.Optional(Type.String({ description: 'A controller file or folder (looked up in files/); with remote_src, a file or folder on the host.' })),
    force: Type.Optional(Type.Boolean({ description: 'Replace a file whose content differs (default true); false: only make it when missing.' })),
    backup: Type.Optional(Type.Boolean()),
    remote_src: Type.Optional(Type.Boolean({ description: 'src is on the host (a file or a folder).' })),
    directory_mode: Type.Optional(Type.Union([Type.String(), Type.Integer()], { description: 'The mode of folders a copy makes.' })),
    local_follow: Type.Optional(Type.Boolean({ description: 'Follow links in src (default true for a controller src); false copies them as links.' })),
    follow: Type.Optional(Type.Boolean({ description: 'A link at dest: write what it points to (default: replace the link).' })),
    checksum: Type.Optional(Type.String({ description: 'The sha1 the content must have, else the task fails.' })),
    decrypt: Type.Optional(Type.Boolean({ description: 'Decrypt a vault-encrypted src (default true).' })),
    attributes: Type.Optional(Type.String({ description: "chattr flags: 'A', '+A', '-A'." })),
    ...FileAttrs,
    ...Validate,
  },
  { additionalProperties: false },
);
type A = typeof Args.static & { dest: string };
type Outcome = { changed: boolean; result: ResultData };

/** The action plugin's checks of its arguments, with its messages. */
function refuse(a: typeof Args.static): asserts a is A {
  const msg = !a.src && a.content === undefined ? 'src (or content) is required' : !a.dest ? 'dest is required' : a.src && a.content !== undefined ? 'src and content are mutually exclusive' : a.content !== undefined && a.dest.endsWith('/') ? 'can not use content with a dir as dest' : undefined;
  if (msg) throw new ModuleFailure(msg);
}

/** The arguments checked; src is an Ansible `path` argument too when it is on the host (dest is one always: `paths`). */
async function prepared(ctx: ModuleCtx, given: typeof Args.static): Promise<A> {
  refuse(given);
  return given.remote_src ? expandPaths(ctx, given, ['src']) : given;
}

/** What a copy from the controller writes: `content:` as ansible-core's action turns it into a file, or the file found. */
function contentOf(a: A): Buffer {
  // lists and dicts as json.dumps writes them, other values as str(); bytes (YAML's !!binary) as they are
  if (a.content instanceof Uint8Array) return Buffer.from(a.content);
  return Buffer.from(typeof a.content === 'string' ? a.content : typeof a.content === 'object' && a.content !== null ? pyJson(a.content) : str(a.content));
}

/** A controller src as the action finds it, with the trailing slash it was given (rsync's rule for folders). */
function found(ctx: ModuleCtx, a: A): string {
  const f = ctx.local.find(a.src!, 'files');
  if (!f) throw new ControllerFailure(ctx.local.missing(a.src!, 'files'));
  const trimmed = f.replace(/\/+$/, '');
  return a.src!.endsWith('/') ? `${trimmed}/` : trimmed;
}


/** A path's stat (lstat's, and through a link when following). */
async function statAt(ctx: ModuleCtx, path: string, follow: boolean): Promise<{ here: FileStat | null; st: FileStat | null }> {
  const here = await ctx.files.stat(path);
  return { here, st: follow && here?.type === 'link' && here.linkTarget ? await ctx.files.stat(resolve(dirname(path), here.linkTarget)) : here };
}

/**
 * One file to dest, as the action's _copy_file sees it: where it goes (into a folder at dest by its
 * relative name), whether it is there already (not looked at again without force), and what differs.
 * A link at dest is replaced by the file, or (follow) what it points to is written.
 */
async function checkOne(ctx: ModuleCtx, a: A, data: Buffer, rel: string, origin: string | undefined, follow: boolean, mode: unknown): Promise<Diff | null> {
  let dest = a.dest.endsWith('/') ? pyJoin(a.dest, rel) : a.dest;
  let { here, st } = await statAt(ctx, dest, follow);
  if (st?.type === 'directory') {
    if (a.content !== undefined) throw new ModuleFailure('can not use content with a dir as dest');
    dest = pyJoin(a.dest, rel);
    ({ here, st } = await statAt(ctx, dest, follow));
  }
  if (st && a.force === false) return null;
  const src = origin ? { src: origin } : {};
  if (here?.type === 'link' && !follow) {
    const owners = [...(a.owner ? [{ path: 'owner', to: a.owner }] : []), ...(a.group ? [{ path: 'group', to: a.group }] : [])];
    return { kind: 'modify', target: dest, fields: [{ path: 'type', from: 'link', to: 'file' }, ...owners], before: '', after: data.length < 256 * 1024 ? data.toString('utf8') : undefined, content: data, data: { dest, checksum: sha1(data), size: data.length, ...src } };
  }
  const target = here?.type === 'link' && here.linkTarget ? resolve(dirname(dest), here.linkTarget) : dest;
  // a missing folder fails the write, not the check (ansible-core's check mode reports changed)
  const d = await checkContent(ctx, target, data, { mode, owner: a.owner, group: a.group }, { mkdirs: true });
  const shown = copyDiff(ctx, target, d, origin ?? `${target} (content)`, data);
  const diff = { diff: shown instanceof Promise ? await shown : shown };
  // (spread(), not a literal's spreads: V8's slow path for every unchanged file, source/data.ts)
  // (only attributes to change: the file module's result, in check mode the file as it is)
  if (d.kind === 'ok' || (ctx.checkMode && !writes(d))) return spread(d, { data: spread(diff, d.data, { path: target }, await idNames(ctx, st)) }) as Diff;
  // (content: has no origin)
  return spread(d, { data: spread(diff, d.data, origin ? { src: origin } : undefined) }) as Diff;
}

async function applyOne(ctx: ModuleCtx, a: A, diff: Exclude<Diff, { kind: 'ok' }>, mode: unknown): Promise<ResultData> {
  const dest = diff.target!;
  const data = diff.content!;
  if (a.checksum && a.checksum !== sha1(data)) throw new ModuleFailure('Copied file does not match the expected checksum. Transfer failed.', { checksum: sha1(data), expected_checksum: a.checksum });
  // dest/ makes its missing folders (directory_mode, owner, group), as the module does
  const parent = posix.dirname(dest);
  if (a.dest.endsWith('/') && !(await ctx.files.stat(parent))) await runFile(ctx, { path: parent, state: 'directory', mode: a.directory_mode, owner: a.owner, group: a.group }, false);
  const b = await applyContent(ctx, dest, data, { mode, backup: a.backup, validate: a.validate, unsafe_writes: a.unsafe_writes, copyWords: true }, diff);
  // (writtenResult's object is this step's own: src and backup_file go on it, not on a copy of its ten keys)
  const r = await writtenResult(ctx, dest, data, diff.data?.checksum);
  if (!writes(diff)) {
    // (the file module's result: its path, no md5sum or src)
    delete r.md5sum;
    r.path = dest;
  } else if (diff.data?.src) r.src = diff.data.src;
  if (b.backup_file !== undefined) r.backup_file = b.backup_file;
  return r;
}

/** _copy_file for a folder's file: checked, and written unless dry. Null: already there and not forced. */
async function copyOne(ctx: ModuleCtx, a: A, full: string, rel: string, follow: boolean, dry: boolean): Promise<Outcome | null> {
  const mode = modeOf(a, full);
  const d = await checkOne(ctx, a, await readLocal(ctx, full, a.decrypt !== false), rel, full, follow, mode);
  if (!d) return null;
  if (d.kind === 'ok') return { changed: false, result: d.data ?? {} };
  return { changed: true, result: dry ? { changed: true } : await applyOne(ctx, a, d, mode) };
}

/** A controller folder: its files, then its folders (file state=directory, directory_mode), then its links (state=link). */
async function copyTree(ctx: ModuleCtx, a: A, source: string, dry: boolean): Promise<Outcome> {
  const w = walkDirs(source, a.local_follow ?? true);
  const t: A = { ...a, dest: a.dest.endsWith('/') ? a.dest : `${a.dest}/` };
  let changed = false;
  let last: ResultData | undefined;
  const attrs = { owner: a.owner, group: a.group, ...(a.attributes !== undefined ? { attributes: a.attributes } : {}) };
  for (const [full, rel] of w.files) {
    const r = await copyOne(ctx, t, full, rel, w.directories.length ? false : (a.follow ?? false), dry);
    if (!r) continue;
    ((last = r.result), (changed ||= r.changed));
  }
  for (const [, rel] of w.directories) {
    const r = await runFile(ctx, { path: pyJoin(t.dest, rel), state: 'directory', mode: a.directory_mode, ...attrs }, dry);
    ((last = r), (changed ||= r.changed));
  }
  for (const [target, rel] of w.symlinks) {
    const r = await runFile(ctx, { path: pyJoin(t.dest, rel), src: target, state: 'link', force: true, ...(w.directories.length ? { follow: false } : {}), ...(a.mode !== 'preserve' ? { mode: a.mode } : {}), ...attrs }, dry);
    ((last = r), (changed ||= r.changed));
  }
  if (last && w.files.length === 1) return { changed: Boolean(last.changed), result: { ...last, dest: last.dest ?? last.path } };
  return { changed, result: { dest: t.dest, src: source, changed } };
}

/** What a copy takes: a src on the host (remote_src), a controller folder, or one file (a controller file or `content:`). */
type Source = { kind: 'remote' } | { kind: 'tree'; path: string } | { kind: 'file'; read: () => Promise<Buffer>; rel: string; origin?: string; mode: unknown };

function sourceOf(ctx: ModuleCtx, a: A): Source {
  if (a.remote_src) return { kind: 'remote' };
  // content is written as the action's temp file is: mode preserve is that file's 0600
  if (a.content !== undefined) return { kind: 'file', read: async () => contentOf(a), rel: 'source', mode: a.mode === 'preserve' ? '0600' : a.mode };
  const f = found(ctx, a);
  if (statSync(f).isDirectory()) return { kind: 'tree', path: f };
  return { kind: 'file', read: () => readLocal(ctx, f, a.decrypt !== false), rel: basename(f), origin: f, mode: modeOf(a, f) };
}

/** mode: preserve is the controller file's own mode. */
const modeOf = (a: A, path: string): unknown => (a.mode === 'preserve' ? octal(statSync(path).mode) : a.mode);

/** Runs a copy that is not one file (a folder, or remote_src): dry for the check, for real to apply. */
async function whole(ctx: ModuleCtx, a: A, s: Exclude<Source, { kind: 'file' }>, dry: boolean): Promise<Outcome> {
  if (s.kind === 'tree') return copyTree(ctx, a, s.path, dry);
  const r = await remoteCopy(ctx, { ...a, src: a.src! } as never, dry);
  return { changed: Boolean(r.changed), result: r };
}

const outcomeDiff = (a: A, o: Outcome): Diff => {
  const { changed: _c, ...data } = o.result;
  if (!o.changed) return { kind: 'ok', why: `${a.dest} is as in ${a.src}`, data };
  // the dry run's message ('dest directory … would be created') is not the real run's
  const { msg, ...kept } = data;
  return { kind: 'modify', target: a.dest, fields: [{ path: 'content', to: typeof msg === 'string' ? msg : 'copied' }], data: kept };
};

export default defineModule({
  name: 'copy',
  kind: 'state',
  description: "ansible.builtin.copy: a file with the given content, a controller file or folder, or (remote_src) a file or folder on the host, put at dest atomically; links in a folder copied as links (local_follow: false); owner, group, mode, directory_mode.",
  args: Args,
  paths: ['dest'],
  // (its action reads them with boolean(args.get(k, default)): None is false)
  noneIsFalse: ['force', 'decrypt', 'local_follow'],
  async check(ctx, given) {
    const a = await prepared(ctx, given);
    const s = sourceOf(ctx, a);
    if (s.kind !== 'file') return outcomeDiff(a, await whole(ctx, a, s, true));
    const d = await checkOne(ctx, a, await s.read(), s.rel, s.origin, a.follow ?? false, s.mode);
    // (in check mode a file to change is only `changed`, as ansible-core's action returns dict(changed=True))
    if (d && ctx.checkMode && writes(d)) return { ...d, data: { diff: d.data?.diff } };
    return d ?? { kind: 'ok', why: `${a.dest} exists (force: no)`, data: { dest: a.dest, ...(s.origin ? { src: s.origin } : {}) } };
  },
  async apply(ctx, given, diff) {
    const a = await prepared(ctx, given);
    const s = sourceOf(ctx, a);
    if (s.kind !== 'file') return (await whole(ctx, a, s, false)).result;
    return applyOne(ctx, a, diff, s.mode);
  },
});
