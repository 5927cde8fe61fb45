import { posix } from 'node:path';
import { Type } from '../source/vendor/typebox.js';
import { spread } from '../source/index.js';
import { shq } from '../connections/quote.js';
import { defineModule, ModuleFailure, type ModuleCtx, type ResultData } from './types.js';
import { FileAttrs } from './util/content.js';
import { pathFacts, quickDirectory, stateOf, type FsNode } from './util/fs-node.js';
import { FileRun, initialDiff, stamp, type Diff, type Stamp } from './util/file-run.js';

const Args = Type.Object(
  {
    path: Type.String({ description: 'The path to manage.' }),
    state: Type.Optional(Type.Union(['absent', 'directory', 'file', 'hard', 'link', 'touch'].map((s) => Type.Literal(s)), { description: 'What the path should be (default: what it is, else file).' })),
    src: Type.Optional(Type.String({ description: 'The target of a link (state link or hard).' })),
    force: Type.Optional(Type.Boolean()),
    follow: Type.Optional(Type.Boolean({ description: 'Work on what a link points to (default true).' })),
    recurse: Type.Optional(Type.Boolean({ description: 'state=directory: set the attributes on everything below too.' })),
    modification_time: Type.Optional(Type.String({ description: "'now', 'preserve', or a time in modification_time_format." })),
    modification_time_format: Type.Optional(Type.String()),
    access_time: Type.Optional(Type.String()),
    access_time_format: Type.Optional(Type.String()),
    attributes: Type.Optional(Type.String({ description: "chattr flags: 'A', '+A', '-A'." })),
    _diff_peek: Type.Optional(Type.Boolean()),
    _original_basename: Type.Optional(Type.String()),
    ...FileAttrs,
  },
  { additionalProperties: false },
);
type A = typeof Args.static;
/** check_owner_exists / check_group_exists: in check mode an owner not there yet is a warning (a user an earlier step would make). */
async function lookupWarnings(ctx: ModuleCtx, a: A): Promise<string[]> {
  const out: string[] = [];
  for (const [kind, v, noun, num] of [['passwd', a.owner, 'user', 'uid'], ['group', a.group, 'group', 'gid']] as const) {
    if (v === undefined) continue;
    const r = await ctx.exec(['getent', kind, String(v)], { signal: ctx.signal });
    if (r.rc !== 0) out.push(/^\d+$/.test(String(v)) ? `failed to look up ${noun} with ${num} ${v}. Create ${noun} up to this point in real play` : `failed to look up ${noun} ${v}. Create ${noun} up to this point in real play`);
  }
  return out;
}

/** The module's result, with add_path_info's keys (read through the run's own reads when nothing changed since). */
export async function runFile(ctx: ModuleCtx, a: A, dry: boolean): Promise<ResultData & { changed: boolean }> {
  const warnings = dry && a.state !== 'absent' ? await lookupWarnings(ctx, a) : [];
  const args = { ...a };
  const f = new FileRun(ctx, args, dry, quickDirectory(args));
  try {
    const r = await pathInfo(f, await ensure(ctx, args, dry, f));
    return warnings.length ? { ...r, warnings } : r;
  } catch (e) {
    // (fail_json adds the path's info too, as exit_json does)
    if (e instanceof ModuleFailure) throw new ModuleFailure(e.message, { ...(await pathInfo(f, e.data ?? {}).catch(() => e.data)), ...(warnings.length ? { warnings } : {}) });
    throw e;
  }
}

async function ensure(ctx: ModuleCtx, a: A, dry: boolean, f: FileRun): Promise<ResultData & { changed: boolean }> {
  const follow = a.follow ?? true;
  // additional_parameter_handling
  let n = await f.node(a.path);
  if (a.state !== 'link' && a.state !== 'absent' && n.target?.type === 'directory') {
    const base = a._original_basename ?? (a.src ? posix.basename(a.src) : undefined);
    if (base) ((a.path = posix.join(a.path, base)), (n = await f.node(a.path)));
  }
  let prev = stateOf(n);
  const state = a.state ?? (prev !== 'absent' ? prev : a.recurse ? 'directory' : 'file');
  if (a.recurse && state !== 'directory') throw new ModuleFailure("recurse option requires state to be 'directory'", { path: a.path });
  if (a.src && state !== 'link' && state !== 'hard') throw new ModuleFailure("src option requires state to be 'link' or 'hard'", { path: a.path });
  // keep_backward_compatibility_on_timestamps: touch sets both to now unless told, the others keep them
  const unset = state === 'touch' ? 'now' : 'preserve';
  const mtime = stamp(a.modification_time ?? unset, a.modification_time_format ?? '%Y%m%d%H%M.%S');
  const atime = stamp(a.access_time ?? unset, a.access_time_format ?? '%Y%m%d%H%M.%S');
  let path = a.path;

  if (a._diff_peek !== undefined) {
    const r = await ctx.exec({ shell: `head -c 8192 -- ${shq(path)} 2>/dev/null | tr -d '\\000' | wc -c; head -c 8192 -- ${shq(path)} 2>/dev/null | wc -c` }, { signal: ctx.signal });
    const [kept, all] = r.stdout.trim().split('\n').map(Number);
    return { path, changed: false, appears_binary: kept !== all };
  }
  switch (state) {
    case 'absent': {
      if (prev === 'absent') return { path, changed: false, state: 'absent' };
      const diff = initialDiff(path, 'absent', prev);
      if (prev === 'directory') {
        const r = await ctx.exec({ shell: `cd ${shq(path)} && find . -mindepth 1 -type d | sort; echo @@; find . -mindepth 1 ! -type d | sort` }, { signal: ctx.signal });
        const [dirs, files] = r.stdout.split('@@\n').map((s) => s.split('\n').filter(Boolean).map((x) => posix.join(path, x)));
        diff.before.path_content = { directories: dirs, files };
      }
      if (!dry) {
        const r = await ctx.exec(prev === 'directory' ? ['rm', '-rf', '--', path] : ['rm', '-f', '--', path], { signal: ctx.signal });
        f.forget();
        if (r.rc !== 0) throw new ModuleFailure(prev === 'directory' ? `rmtree failed: ${r.stderr.trim()}` : `unlinking failed: ${r.stderr.trim()} `, { path });
      }
      return { path, changed: true, diff, state: 'absent' };
    }
    case 'touch': {
      const out: ResultData = { dest: path };
      if (prev === 'absent') {
        if (dry) return { ...out, changed: true };
        const r = await ctx.exec({ shell: `: >> ${shq(path)}` }, { signal: ctx.signal });
        f.forget();
        if (r.rc !== 0) throw new ModuleFailure(`Error, could not touch target: ${r.stderr.trim().replace(/^.*?: /, '')}`, { path });
        f.changed = true;
      }
      const diff = initialDiff(path, 'touch', prev);
      try {
        await f.attrs(await f.argsPath(path), diff);
        await f.times(await f.argsPath(path), mtime, atime, diff);
      } catch (e) {
        // a file made just now goes again when its attributes cannot be set
        if (prev === 'absent') await ctx.exec(['rm', '-f', '--', path], { signal: ctx.signal });
        throw e;
      }
      return { ...out, changed: f.changed, diff };
    }
    case 'file': {
      if (prev !== 'file' && follow && prev === 'link') {
        path = n.realpath;
        prev = stateOf(await f.node(path));
      }
      if (prev !== 'file' && prev !== 'hard') throw new ModuleFailure(`file (${path}) is ${prev}, cannot continue`, { path, state: prev });
      const diff = initialDiff(path, 'file', prev);
      await f.attrs(await f.argsPath(path), diff);
      await f.times(await f.argsPath(path), mtime, atime, diff);
      return { path, changed: f.changed, diff };
    }
    case 'directory': {
      if (follow && prev === 'link') {
        path = n.realpath;
        prev = stateOf(await f.node(path));
      }
      const diff = initialDiff(path, 'directory', prev);
      if (prev === 'absent') {
        if (dry) return { path, changed: true, diff };
        // mkdir -p, the attributes set on each folder made
        let cur = '';
        for (const part of path.replace(/^\/+|\/+$/g, '').split('/')) {
          cur = posix.isAbsolute(path) ? `${cur}/${part}` : cur ? `${cur}/${part}` : part;
          if ((await f.node(cur)).target) continue;
          const r = await ctx.exec(['mkdir', '--', cur], { signal: ctx.signal });
          f.forget();
          if (r.rc !== 0 && !(await f.node(cur)).target) throw new ModuleFailure(`There was an issue creating ${cur} as requested: ${r.stderr.trim().replace(/^mkdir: /, '')}`, { path });
          f.changed = true;
          await f.attrs(cur, diff);
          await f.times(path, mtime, atime, diff);
        }
        return { path, changed: f.changed, diff };
      }
      if (prev !== 'directory') throw new ModuleFailure(`${path} already exists as a ${prev}`, { path });
      await f.attrs(await f.argsPath(path), diff);
      await f.times(await f.argsPath(path), mtime, atime, diff);
      if (a.recurse) await recurse(ctx, f, path, follow, mtime, atime);
      return { path, changed: f.changed, diff };
    }
    case 'link':
      return symlink(ctx, f, a, n, prev, path, follow, mtime, atime, dry);
    default:
      return hardlink(ctx, f, a, prev, path, mtime, atime, dry);
  }
}

/** recursive_set_attributes: everything below a folder (links themselves, and with follow what they point to). */
async function recurse(ctx: ModuleCtx, f: FileRun, root: string, follow: boolean, mtime: Stamp, atime: Stamp): Promise<void> {
  const r = await ctx.exec(['find', root, '-mindepth', '1'], { signal: ctx.signal });
  for (const p of r.stdout.split('\n').filter(Boolean)) {
    await f.attrs(p);
    await f.times(p, mtime, atime);
    const n = await f.node(p);
    if (follow && n.type === 'link' && n.target) {
      const t = posix.resolve(posix.dirname(p), n.linkTarget ?? '');
      if (n.target.type === 'directory') await recurse(ctx, f, t, follow, mtime, atime);
      await f.attrs(t);
      await f.times(t, mtime, atime);
    }
  }
}

/** A link made at path, or (something was there) made beside it and renamed over it, as file.py does; a folder there goes first. */
async function link(ctx: ModuleCtx, f: FileRun, flags: string[], src: string, path: string, prev: string): Promise<void> {
  const ln = (to: string) => ['ln', ...flags, '--', src, to].map(shq).join(' ');
  const tmp = posix.join(posix.dirname(path), `.${process.pid}.${Date.now() / 1000}.tmp`);
  const make = prev === 'absent' ? ln(path) : `${prev === 'directory' && flags.length ? `rmdir -- ${shq(path)} && ` : ''}${ln(tmp)} && mv -T -- ${shq(tmp)} ${shq(path)} || { rm -f -- ${shq(tmp)}; exit 1; }`;
  const r = await ctx.exec({ shell: make }, { signal: ctx.signal });
  f.forget();
  if (r.rc !== 0) throw new ModuleFailure(`${prev === 'absent' ? 'Error while linking' : 'Error while replacing'}: ${r.stderr.trim().replace(/^\w+: /, '')}`, { path });
}

async function symlink(ctx: ModuleCtx, f: FileRun, a: A, n: FsNode, prev: string, path: string, follow: boolean, mtime: Stamp, atime: Stamp, dry: boolean): Promise<ResultData & { changed: boolean }> {
  let src = a.src;
  if (src === undefined && follow && n.target) src = n.linkTarget;
  const rel = n.type !== 'link' && n.type === 'directory' ? path : posix.dirname(path);
  if (!a.force && src !== undefined && !(await f.node(posix.resolve(rel, src))).target) throw new ModuleFailure(`src file does not exist, use "force=yes" if you really want to create the link: ${posix.join(rel, src)}`, { path, src });
  if (prev === 'directory') {
    if (!a.force) throw new ModuleFailure(`refusing to convert from ${prev} to symlink for ${path}`, { path });
    const r = await ctx.exec({ shell: `[ -z "$(ls -A -- ${shq(path)})" ]` }, { signal: ctx.signal });
    if (r.rc !== 0) throw new ModuleFailure(`the directory ${path} is not empty, refusing to convert it`, { path });
  } else if ((prev === 'file' || prev === 'hard') && !a.force) throw new ModuleFailure(`refusing to convert from ${prev} to symlink for ${path}`, { path });
  const diff = initialDiff(path, 'link', prev);
  let changed = false;
  if (prev !== 'link') {
    if (src === undefined) throw new ModuleFailure('src is required for creating new symlinks');
    changed = true;
  } else if (src !== undefined && n.linkTarget !== src) {
    diff.before.src = n.linkTarget;
    diff.after.src = src;
    changed = true;
  }
  if (changed && !dry) {
    await link(ctx, f, ['-s'], src!, path, prev);
  }
  if (changed) f.changed = true;
  const now = await f.node(path);
  if (dry && !now.target) return { dest: path, src, changed: f.changed, diff };
  const target = await f.argsPath(path);
  if (follow && now.type === 'link' && !now.target) return { dest: path, src, changed: f.changed, diff, warnings: ['Cannot set fs attributes on a non-existent symlink target. follow should be set to False to avoid this.'] };
  await f.attrs(target, diff);
  await f.times(target, mtime, atime, diff);
  return { dest: path, src, changed: f.changed, diff };
}

async function hardlink(ctx: ModuleCtx, f: FileRun, a: A, prev: string, path: string, mtime: Stamp, atime: Stamp, dry: boolean): Promise<ResultData & { changed: boolean }> {
  const src = a.src;
  if (prev !== 'hard' && src === undefined) throw new ModuleFailure('src is required for creating new hardlinks');
  const s = src === undefined ? undefined : await f.node(src);
  if (s && !s.target) throw new ModuleFailure('src does not exist', { dest: path, src });
  const diff = initialDiff(path, 'hard', prev);
  const here = await f.node(path);
  let changed = false;
  if (prev === 'absent') changed = true;
  else if (prev === 'link') {
    if (here.linkTarget !== src) ((diff.before.src = here.linkTarget), (diff.after.src = src), (changed = true));
  } else if (prev === 'hard') {
    if (s && here.target?.ino !== s.target!.ino) {
      changed = true;
      if (!a.force) throw new ModuleFailure('Cannot link, different hard link exists at destination', { dest: path, src });
    }
  } else if (prev === 'file') {
    changed = true;
    if (!a.force) throw new ModuleFailure(`Cannot link, ${prev} exists at destination`, { dest: path, src });
  } else if (prev === 'directory') {
    changed = true;
    if (here.target) {
      if (here.target.ino === s?.target?.ino) return { path, changed: false };
      if (!a.force) throw new ModuleFailure('Cannot link: different hard link exists at destination', { dest: path, src });
    }
  }
  if (changed && !dry) {
    await link(ctx, f, [], src!, path, prev);
  }
  if (changed) f.changed = true;
  if (dry && !(await f.node(path)).target) return { dest: path, src, changed: f.changed, diff };
  await f.attrs(path, diff);
  await f.times(path, mtime, atime, diff);
  return { dest: path, src, changed: f.changed, diff };
}

/** add_path_info: the path's ids, names, mode, state and size after the module, as exit_json adds them. */
async function pathInfo<R extends ResultData>(f: FileRun, r: R): Promise<R> {
  const p = (r.path ?? r.dest) as string | undefined;
  if (p === undefined) return r;
  const n = await f.node(p);
  return n.target ? (spread(r, pathFacts(n)) as R) : r;
}

export default defineModule({
  name: 'file',
  kind: 'state',
  description: "ansible.builtin.file: a path made a directory, a file's attributes, a symbolic or hard link, touched, or absent; owner, group, mode (octal or symbolic), chattr attributes and times, recursively for a folder.",
  args: Args,
  paths: ['path', 'src'],
  // (the module reads None as `if follow`)
  noneIsFalse: ['follow'],
  aliases: { dest: 'path', name: 'path' },
  async check(ctx, a) {
    const r = await runFile(ctx, a, true);
    const { changed: _c, ...shown } = r;
    if (!r.changed) return { kind: 'ok', why: `${a.path} is as asked`, data: shown };
    const d = r.diff as Diff | undefined;
    const fields = d ? Object.keys(d.after).filter((k) => k !== 'path').map((k) => ({ path: k, from: d.before[k], to: d.after[k] })) : [];
    // (a real run's result is apply's: the dry run's add_path_info of a path it removes is not in it; its warnings are)
    const data = ctx.checkMode ? shown : shown.warnings ? { warnings: shown.warnings } : {};
    return { kind: 'modify', target: a.path, fields: fields.length ? fields : [{ path: 'state', to: a.state ?? 'file' }], data };
  },
  async apply(ctx, a) {
    return runFile(ctx, a, false);
  },
});
