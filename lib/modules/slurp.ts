import { Type } from '../source/vendor/typebox.js';
import { defineModule, ModuleFailure } from './types.js';

const Args = Type.Object({ src: Type.String({ description: 'The file on the host to read.' }) }, { additionalProperties: false });

/** Ansible's slurp: a file of the host, base64-encoded in `content` (read over the connection, no command). */
export default defineModule({
  name: 'slurp',
  kind: 'action',
  description: 'Reads a file of the host into `content` (base64, `encoding: base64`), as ansible.builtin.slurp.',
  args: Args,
  aliases: { path: 'src' },
  paths: ['src'],
  async run(ctx, a) {
    const st = await ctx.files.stat(a.src);
    if (!st) throw new ModuleFailure(`file not found: ${a.src}`);
    if (st.type === 'directory') throw new ModuleFailure(`source is a directory and must be a file: ${a.src}`);
    const data = await ctx.files.read(a.src);
    if (data === null) throw new ModuleFailure(`file not found: ${a.src}`);
    return { changed: false, data: { content: data.toString('base64'), encoding: 'base64', source: a.src } };
  },
});
