import { pyJson } from '../source/pyjson.js';
import { str } from '../source/python.js';
import { readdirSync, statSync } from 'node:fs';
import { basename, join, posix } from 'node:path';
import { Type } from '@sinclair/typebox';
import { defineModule, ControllerFailure, ModuleFailure, type Diff, type ModuleCtx } from './types.js';
import { applyContent, checkContent, FileAttrs, Validate, writtenResult } from './util/content.js';
import { normalizeMode } from './util/mode.js';

const Args = Type.Object(
  {
    dest: Type.String({ description: 'Where the file goes on the host.' }),
    content: Type.Optional(Type.Unknown({ description: 'The file content; a list or dict is written as JSON (as ansible-core does), other values as Python prints them.' })),
    src: Type.Optional(Type.String({ description: 'A controller file (looked up in files/).' })),
    force: Type.Optional(Type.Boolean({ description: 'Replace a file whose content differs (default true).' })),
    backup: Type.Optional(Type.Boolean()),
    remote_src: Type.Optional(Type.Boolean({ description: 'src is a file on the host (a regular file).' })),
    directory_mode: Type.Optional(Type.Union([Type.String(), Type.Integer()], { description: 'The mode of folders made when copying a folder.' })),
    local_follow: Type.Optional(Type.Boolean({ description: 'Follow links in a controller src (default true; false is not supported).' })),
    decrypt: Type.Optional(Type.Boolean({ description: 'Vault decryption (agri-play has no vault: nothing to decrypt).' })),
    ...FileAttrs,
    ...Validate,
  },
  { additionalProperties: false },
);
type A = typeof Args.static;

async function resolve(ctx: ModuleCtx, a: A): Promise<{ dest: string; data: Buffer }> {
  if (a.content !== undefined && a.src !== undefined) throw new ModuleFailure('give content or src, not both');
  if (a.content !== undefined) {
    // as ansible-core's copy action: lists and dicts as json.dumps writes them, other values as str()
    // bytes (YAML's !!binary) are written as they are
    if (a.content instanceof Uint8Array) return { dest: a.dest, data: Buffer.from(a.content) };
    const text = typeof a.content === 'string' ? a.content : typeof a.content === 'object' && a.content !== null ? pyJson(a.content) : str(a.content);
    return { dest: a.dest, data: Buffer.from(text) };
  }
  if (a.src === undefined) throw new ModuleFailure('copy needs content or src');
  if (a.local_follow === false) throw new ModuleFailure('local_follow: false (copying links as links) is not supported by agri-play');
  if (a.remote_src) {
    // a file already on the host, read back and compared as any content is
    const st = await ctx.files.stat(a.src);
    if (!st) throw new ModuleFailure(`Source ${a.src} not found`);
    if (st.type !== 'file') throw new ModuleFailure(`Source ${a.src} is not a regular file (agri-play copies files with remote_src)`);
    const into = a.dest.endsWith('/') || (await ctx.files.stat(a.dest))?.type === 'directory';
    return { dest: into ? posix.join(a.dest, posix.basename(a.src)) : a.dest, data: (await ctx.files.read(a.src))! };
  }
  const found = ctx.local.find(a.src, 'files');
  if (!found) throw new ControllerFailure(`could not find src '${a.src}' (looked in files/ of the role and playbook)`);
  // into a folder (dest/ or an existing directory), as Ansible copies it
  const dest = a.dest.endsWith('/') ? a.dest + basename(a.src) : (await ctx.files.stat(a.dest))?.type === 'directory' ? posix.join(a.dest, basename(a.src)) : a.dest;
  return { dest, data: await ctx.local.read(found) };
}

/**
 * A controller folder as src: every file under it, to dest/NAME/... (or, for `src: name/`, into
 * dest itself), as ansible-core's copy action walks it.
 */
function tree(ctx: ModuleCtx, a: A): { local: string; dest: string }[] | undefined {
  if (a.src === undefined || a.content !== undefined) return undefined;
  const found = ctx.local.find(a.src, 'files');
  if (!found || !statSync(found).isDirectory()) return undefined;
  const root = a.src.endsWith('/') ? a.dest : posix.join(a.dest, basename(a.src));
  const out: { local: string; dest: string }[] = [];
  const walk = (dir: string, rel: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((x, y) => (x.name < y.name ? -1 : 1))) {
      if (e.isDirectory()) walk(join(dir, e.name), posix.join(rel, e.name));
      else out.push({ local: join(dir, e.name), dest: posix.join(root, rel, e.name) });
    }
  };
  walk(found, '');
  return out;
}

type Todo = { local: string; dest: string; diff: Exclude<Diff, { kind: 'ok' }> }[];
/** A folder copy's files to write, by its check's diff (not in the result: ansible-core returns dest and src). */
const trees = new WeakMap<Diff, Todo>();

async function checkTree(ctx: ModuleCtx, a: A, files: { local: string; dest: string }[]): Promise<Diff> {
  const todo: Todo = [];
  for (const f of files) {
    const d = await checkContent(ctx, f.dest, await ctx.local.read(f.local), a, { force: a.force, mkdirs: true });
    if (d.kind !== 'ok') todo.push({ ...f, diff: d });
  }
  const data = { dest: a.dest.replace(/\/?$/, '/'), src: a.src };
  if (!todo.length) return { kind: 'ok', why: `${files.length} files as in ${a.src}`, data };
  const diff: Diff = { kind: 'modify', target: a.dest, fields: todo.map((t) => ({ path: t.dest, to: 'copied' })), data };
  trees.set(diff, todo);
  return diff;
}

export default defineModule({
  name: 'copy',
  kind: 'state',
  description: 'Puts a file with the given content (or a controller file, or a controller folder\'s files) on the host, atomically.',
  args: Args,
  async check(ctx, a) {
    const files = tree(ctx, a);
    if (files) return checkTree(ctx, a, files);
    const r = await resolve(ctx, a);
    return checkContent(ctx, r.dest, r.data, a, { force: a.force });
  },
  async apply(ctx, a, diff) {
    const todo = trees.get(diff);
    if (todo) {
      for (const t of todo) {
        // the folders a copy makes get directory_mode, as ansible-core's
        if (a.directory_mode !== undefined && !(await ctx.files.stat(posix.dirname(t.dest)))) await ctx.files.mkdir(posix.dirname(t.dest), normalizeMode(a.directory_mode, { mode: '0755', type: 'directory' }));
        await applyContent(ctx, t.dest, t.diff.content ?? (await ctx.local.read(t.local)), a, t.diff, true);
      }
      return { dest: (diff.data as { dest: string }).dest, src: a.src };
    }
    // the content the check read (a controller file, or `content:`) is what is written
    const r = diff.content && typeof diff.data?.dest === 'string' ? { dest: diff.data.dest, data: diff.content } : await resolve(ctx, a);
    const b = await applyContent(ctx, r.dest, r.data, a, diff);
    return { ...(await writtenResult(ctx, r.dest, r.data, diff.data?.checksum)), ...b };
  },
});
