import { Type } from '../source/vendor/typebox.js';
import { defineModule, ModuleFailure, type ModuleCtx } from './types.js';
import { sha1 } from './util/content.js';
import { statScript, parseStat, ALGORITHMS, STAT_MARK } from './util/stat-script.js';

const Args = Type.Object(
  {
    path: Type.String({ description: 'The path to look at.' }),
    follow: Type.Optional(Type.Boolean({ description: 'Follow a symlink (default false: the link itself).' })),
    get_checksum: Type.Optional(Type.Boolean({ description: 'Compute the checksum of a regular readable file (default true).' })),
    checksum_algorithm: Type.Optional(Type.Union(ALGORITHMS.map((a) => Type.Literal(a)), { description: 'md5, sha1 (default), sha224, sha256, sha384 or sha512.' })),
    get_md5: Type.Optional(Type.Boolean({ description: "Also the md5 in `md5` (Ansible's undocumented option)." })),
    get_mime: Type.Optional(Type.Boolean({ description: "`mimetype` and `charset` from `file` (default true; 'unknown' without it)." })),
    get_attributes: Type.Optional(Type.Boolean({ description: '`attributes`, `attr_flags`, `version` from `lsattr` (default true).' })),
  },
  { additionalProperties: false },
);

/** Ansible's stat result from the connection's own stat, where the host has no shell (in-memory, Talos). */
async function statOverFiles(ctx: ModuleCtx, path: string, checksum: boolean): Promise<Record<string, unknown>> {
  const st = await ctx.files.stat(path);
  if (!st) return { exists: false };
  const stat: Record<string, unknown> = { exists: true, path, isdir: st.type === 'directory', isreg: st.type === 'file', islnk: st.type === 'link', mode: st.mode, size: st.size, uid: st.uid, gid: st.gid, mtime: st.mtime };
  if (st.linkTarget) stat.lnk_target = st.linkTarget;
  if (st.type === 'file' && checksum) {
    const data = await ctx.files.read(path);
    if (data) stat.checksum = sha1(data);
  }
  return stat;
}

/** ansible.builtin.stat: one shell script on the host (GNU stat, test, `*sum`, file, lsattr) gives the whole result. */
export default defineModule({
  name: 'stat',
  kind: 'state',
  description: "Reads facts about a path into `stat` with ansible.builtin.stat's fields (exists, mode, isdir/isreg/islnk/…, uid/gid/pw_name/gr_name, times, checksum, mimetype, attributes). Changes nothing.",
  args: Args,
  paths: ['path'],
  // (the module reads None as `if get_checksum`)
  noneIsFalse: ['get_checksum', 'get_mime', 'get_attributes'],
  aliases: { dest: 'path', name: 'path', mime: 'get_mime', mime_type: 'get_mime', 'mime-type': 'get_mime', attr: 'get_attributes', attributes: 'get_attributes', checksum: 'checksum_algorithm', checksum_algo: 'checksum_algorithm' },
  async check(ctx, a) {
    const opts = { follow: a.follow ?? false, checksum: a.get_checksum === false ? undefined : (a.checksum_algorithm ?? 'sha1'), md5: a.get_md5 ?? false, mime: a.get_mime ?? true, attributes: a.get_attributes ?? true };
    const r = await ctx.exec(['/bin/sh', '-c', statScript(opts), 'stat', a.path]);
    if (!r.stdout.startsWith(STAT_MARK)) {
      return { kind: 'ok', why: `read ${a.path}`, data: { stat: await statOverFiles(ctx, a.path, opts.checksum !== undefined) } };
    }
    const stat = parseStat(r.stdout, a.path, opts);
    if (typeof stat === 'string') throw new ModuleFailure(stat);
    return { kind: 'ok', why: `read ${a.path}`, data: { stat } };
  },
  async apply() {},
});
