import { pyJson } from '../source/pyjson.js';
import { str } from '../source/python.js';
import { basename, posix } from 'node:path';
import { Type } from '@sinclair/typebox';
import { defineModule, ControllerFailure, ModuleFailure, type ModuleCtx } from './types.js';
import { applyContent, checkContent, FileAttrs, Validate } from './util/content.js';

const Args = Type.Object(
  {
    dest: Type.String({ description: 'Where the file goes on the host.' }),
    content: Type.Optional(Type.Unknown({ description: 'The file content; a list or dict is written as JSON (as ansible-core does), other values as Python prints them.' })),
    src: Type.Optional(Type.String({ description: 'A controller file (looked up in files/).' })),
    force: Type.Optional(Type.Boolean({ description: 'Replace a file whose content differs (default true).' })),
    backup: Type.Optional(Type.Boolean()),
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
    const text = typeof a.content === 'string' ? a.content : typeof a.content === 'object' && a.content !== null ? pyJson(a.content) : str(a.content);
    return { dest: a.dest, data: Buffer.from(text) };
  }
  if (a.src === undefined) throw new ModuleFailure('copy needs content or src');
  const found = ctx.local.find(a.src, 'files');
  if (!found) throw new ControllerFailure(`could not find src '${a.src}' (looked in files/ of the role and playbook)`);
  // into a folder (dest/ or an existing directory), as Ansible copies it
  const dest = a.dest.endsWith('/') ? a.dest + basename(a.src) : (await ctx.files.stat(a.dest))?.type === 'directory' ? posix.join(a.dest, basename(a.src)) : a.dest;
  return { dest, data: await ctx.local.read(found) };
}

export default defineModule({
  name: 'copy',
  kind: 'state',
  description: 'Puts a file with the given content (or a controller file) on the host, atomically.',
  args: Args,
  async check(ctx, a) {
    const r = await resolve(ctx, a);
    return checkContent(ctx, r.dest, r.data, a, a.force ?? true);
  },
  async apply(ctx, a, diff) {
    const r = await resolve(ctx, a);
    const b = await applyContent(ctx, r.dest, r.data, a, diff);
    const st = await ctx.files.stat(r.dest);
    return { ...b, ...(st ? { state: 'file', mode: st.mode, uid: st.uid, gid: st.gid, size: st.size } : {}) };
  },
});
