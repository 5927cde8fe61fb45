import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import { Type } from '../source/vendor/typebox.js';
import { defineModule, ModuleFailure, type ModuleCtx } from './types.js';
import { runOk } from './util/run.js';
import { FileAttrs } from './util/content.js';
import { normalizeMode } from './util/mode.js';
import { shq } from '../connections/quote.js';

const Args = Type.Object(
  {
    src: Type.String({ description: 'A .tar(.gz|.bz2|.xz) or .zip archive: on the controller (files/), or on the host with remote_src.' }),
    dest: Type.String({ pattern: '^/', description: 'An existing folder on the host.' }),
    remote_src: Type.Optional(Type.Boolean()),
    creates: Type.Optional(Type.String({ description: 'Skip when this path exists.' })),
    copy: Type.Optional(Type.Boolean({ description: 'The older name of remote_src, inverted (copy: false = remote_src: true).' })),
    extra_opts: Type.Optional(Type.Array(Type.String(), { description: 'More options for tar or unzip.' })),
    exclude: Type.Optional(Type.Array(Type.String(), { description: 'Members not to unpack.' })),
    ...FileAttrs,
  },
  { additionalProperties: false },
);
type A = typeof Args.static;

const isZip = (p: string) => /\.zip$/i.test(p);

/** The archive's path on the host: as given (remote_src), else uploaded once under a content-named temp file. */
async function onHost(ctx: ModuleCtx, a: A): Promise<string> {
  if (a.remote_src || a.copy === false) return a.src;
  const local = ctx.local.find(a.src, 'files');
  if (!local) throw new ModuleFailure(`Could not find or access '${a.src}' on the controller (looked in files/ of the role and playbook)`);
  const data = await ctx.local.read(local);
  const path = `/tmp/.agri-unarchive-${createHash('sha1').update(data).digest('hex').slice(0, 16)}${isZip(a.src) ? '.zip' : posix.extname(a.src)}`;
  const st = await ctx.files.stat(path);
  if (!st || st.size !== data.length) await ctx.files.write(path, data, { mode: '0600' });
  return path;
}

/** Whether dest already has what the archive holds: tar --compare, or (zip) every member present. */
async function unpacked(ctx: ModuleCtx, archive: string, dest: string): Promise<{ same: boolean; why: string }> {
  if (isZip(archive)) {
    const names = (await runOk(ctx, ['unzip', '-Z1', archive])).split('\n').filter((n) => n && !n.endsWith('/'));
    // every stat in flight at once (SFTP pipelines them), not one round trip per member
    const present = await Promise.all(names.map((n) => ctx.files.stat(posix.join(dest, n))));
    const missing = names.filter((_, i) => !present[i]);
    return { same: !missing.length, why: missing.length ? `missing: ${missing.slice(0, 5).join(', ')}` : `${names.length} files present` };
  }
  const r = await ctx.exec(['tar', '--compare', '-f', archive, '-C', dest], { signal: ctx.signal });
  if (r.rc > 1) throw new ModuleFailure(`tar --compare ${archive}: ${r.stderr.trim()}`);
  return { same: r.rc === 0, why: r.rc === 0 ? 'every member matches' : (r.stdout + r.stderr).trim().split('\n').slice(0, 3).join('; ') };
}

export default defineModule({
  name: 'unarchive',
  kind: 'state',
  description: 'Unpacks an archive into a folder on the host, only when the folder does not already hold it (GNU tar --compare; for zip, every member present).',
  args: Args,
  paths: ['dest'],
  async check(ctx, a) {
    if (a.creates && (await ctx.files.stat(a.creates))) return { kind: 'ok', why: `${a.creates} exists (creates)`, data: { dest: a.dest, skipped: true, msg: `skipped, since ${a.creates} exists` } };
    const st = await ctx.files.stat(a.dest);
    if (st?.type !== 'directory') throw new ModuleFailure(`dest '${a.dest}' must be an existing dir`);
    const archive = await onHost(ctx, a);
    const { same, why } = await unpacked(ctx, archive, a.dest);
    const data = { dest: a.dest, src: archive };
    return same ? { kind: 'ok', why: `${a.dest} has ${a.src} unpacked (${why})`, data } : { kind: 'modify', target: a.dest, fields: [{ path: 'unpacked', from: why, to: a.src }], data };
  },
  async apply(ctx, a, diff) {
    const archive = (diff.data as { src: string }).src;
    const extra = a.extra_opts ?? [];
    const exclude = a.exclude ?? [];
    if (isZip(archive)) await runOk(ctx, ['unzip', '-o', '-q', ...extra, archive, ...(exclude.length ? ['-x', ...exclude] : []), '-d', a.dest]);
    else await runOk(ctx, ['tar', '-xf', archive, '-C', a.dest, ...extra, ...exclude.map((e) => `--exclude=${e}`)]);
    // the file attributes go to every unpacked member, as ansible-core's unarchive sets them
    if (a.mode || a.owner || a.group) {
      const list = isZip(archive) ? `unzip -Z1 ${shq(archive)}` : `tar -tf ${shq(archive)}`;
      const set = [a.owner || a.group ? `chown ${shq(`${a.owner ?? ''}${a.group ? `:${a.group}` : ''}`)} -- "$m"` : '', a.mode ? `chmod ${shq(normalizeMode(a.mode)!)} -- "$m"` : ''].filter(Boolean).join(' && ');
      await runOk(ctx, { shell: `cd ${shq(a.dest)} && ${list} | sed 's#/$##' | sort -u | while IFS= read -r m; do ${set} || exit 1; done` });
    }
    return { dest: a.dest, src: a.src };
  },
});
