import { posix } from 'node:path';
import { Type } from '../source/vendor/typebox.js';
import { defineModule, ModuleFailure, type ModuleCtx } from './types.js';

const Args = Type.Object({ src: Type.String({ description: 'The file on the host to read.' }) }, { additionalProperties: false });

/** Whether a read failed for want of permission (SFTP's code 3, EACCES, or a command's words). */
const denied = (e: unknown): boolean => {
  const x = e as { code?: unknown; message?: string };
  return x?.code === 3 || x?.code === 'EACCES' || /Permission denied/.test(x?.message ?? '');
};

/** A missing path's Python error, as open() gives it: a folder on its way that is a file is ENOTDIR. */
async function missing(ctx: ModuleCtx, src: string): Promise<ModuleFailure> {
  for (let dir = posix.dirname(src); dir !== posix.dirname(dir); dir = posix.dirname(dir)) {
    const st = await ctx.files.stat(dir);
    if (st && st.type !== 'directory') return new ModuleFailure(`unable to slurp file: [Errno 20] Not a directory: '${src}'`);
    if (st) break;
  }
  return new ModuleFailure(`file not found: ${src}`);
}

/**
 * A file of the host as ansible-core's slurp reads it (over the connection, no command; as the
 * become user under become), or its failure in the module's words, in the order Python's open()
 * finds them: missing, not readable, a directory. (fetch reads through it too, as its action runs slurp.)
 */
export async function slurpRead(ctx: ModuleCtx, src: string): Promise<Buffer> {
  const st = await ctx.files.stat(src).catch((e: unknown) => {
    throw denied(e) ? new ModuleFailure(`file is not readable: ${src}`) : e;
  });
  if (!st) throw await missing(ctx, src);
  let data: Buffer | null;
  try {
    data = await ctx.files.read(src);
  } catch (e) {
    if (denied(e)) throw new ModuleFailure(`file is not readable: ${src}`);
    if (st.type === 'directory') throw new ModuleFailure(`source is a directory and must be a file: ${src}`);
    throw new ModuleFailure(`unable to slurp file: ${(e as Error).message}`);
  }
  if (st.type === 'directory') throw new ModuleFailure(`source is a directory and must be a file: ${src}`);
  if (data === null) throw await missing(ctx, src);
  return data;
}

/** Ansible's slurp: a file of the host, base64-encoded in `content`. */
export default defineModule({
  name: 'slurp',
  kind: 'action',
  description: 'Reads a file of the host into `content` (base64, `encoding: base64`), as ansible.builtin.slurp.',
  args: Args,
  aliases: { path: 'src' },
  paths: ['src'],
  async run(ctx, a) {
    const data = await slurpRead(ctx, a.src);
    return { changed: false, data: { content: data.toString('base64'), encoding: 'base64', source: a.src } };
  },
});
