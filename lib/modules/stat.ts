import { Type } from '@sinclair/typebox';
import { defineModule } from './types.js';
import { sha1 } from './util/content.js';

const Args = Type.Object(
  {
    path: Type.String({ description: 'The path to look at.' }),
    get_checksum: Type.Optional(Type.Boolean({ description: 'Compute the sha1 of a regular file (default true).' })),
    checksum_algorithm: Type.Optional(Type.Literal('sha1')),
    follow: Type.Optional(Type.Boolean()),
    get_mime: Type.Optional(Type.Boolean()),
    get_attributes: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

export default defineModule({
  name: 'stat',
  kind: 'state',
  description: 'Reads facts about a path into `stat` (exists, isdir, isreg, islnk, mode, size, checksum). Changes nothing.',
  args: Args,
  aliases: { dest: 'path', name: 'path' },
  async check(ctx, a) {
    const st = await ctx.files.stat(a.path);
    if (!st) return { kind: 'ok', why: `read ${a.path}`, data: { stat: { exists: false } } };
    const stat: Record<string, unknown> = {
      exists: true,
      path: a.path,
      isdir: st.type === 'directory',
      isreg: st.type === 'file',
      islnk: st.type === 'link',
      mode: st.mode,
      size: st.size,
      uid: st.uid,
      gid: st.gid,
      mtime: st.mtime,
    };
    if (st.linkTarget) stat.lnk_target = st.linkTarget;
    if (st.type === 'file' && a.get_checksum !== false) {
      const data = await ctx.files.read(a.path);
      if (data) stat.checksum = sha1(data);
    }
    return { kind: 'ok', why: `read ${a.path}`, data: { stat } };
  },
  async apply() {},
});
