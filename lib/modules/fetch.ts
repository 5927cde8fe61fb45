import { Type } from '../source/vendor/typebox.js';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, normalize, resolve } from 'node:path';
import { defineModule, ModuleFailure, type Diff, type ModuleCtx } from './types.js';
import { sha1 } from './util/content.js';
import { expandArgv } from './util/expand.js';
import { makeDirs } from '../source/index.js';

const Args = Type.Object(
  {
    src: Type.String({ description: 'The file on the host.' }),
    dest: Type.String({ description: 'Where on the controller: DEST/HOSTNAME/SRC, or with flat the file itself (a trailing / puts it in that folder).' }),
    flat: Type.Optional(Type.Boolean({ description: 'dest names the file, not a folder to hold HOSTNAME/SRC.' })),
    fail_on_missing: Type.Optional(Type.Boolean({ description: 'A missing file fails the task (default true).' })),
    validate_checksum: Type.Optional(Type.Boolean({ description: 'Compare the copy with the source (default true).' })),
  },
  { additionalProperties: false },
);
type A = typeof Args.static;

const md5 = (b: Buffer): string => createHash('md5').update(b).digest('hex');

/** The controller path: ansible-core's fetch action (relative to the playbook's folder). */
function destOf(ctx: ModuleCtx, a: A): string {
  const base = String(ctx.vars.playbook_dir ?? process.cwd());
  const dwim = (p: string) => (isAbsolute(p) ? p : resolve(base, p));
  if (a.flat) {
    if (!a.dest.endsWith('/') && existsSync(a.dest) && statSync(a.dest).isDirectory()) throw new ModuleFailure('dest is an existing directory, use a trailing slash if you want to fetch src into that directory');
    return normalize(dwim(a.dest.endsWith('/') ? join(a.dest, basename(a.src)) : a.dest));
  }
  return normalize(`${dwim(a.dest)}/${String(ctx.vars.inventory_hostname ?? ctx.host)}/${a.src}`);
}

/**
 * ansible-core's fetch action expands a leading `~` or `~user` of `src` on the host (its
 * _remote_expand_user: `~` is the become user's home under become, else the login's); the path
 * the copy is kept under (DEST/HOSTNAME/SRC) and the result's `file` are the expanded path.
 */
async function expandHome(ctx: ModuleCtx, src: string): Promise<string> {
  if (!src.startsWith('~')) return src;
  const cut = src.indexOf('/');
  const head = cut < 0 ? src : src.slice(0, cut);
  const [home] = await expandArgv(ctx, [head]);
  return cut < 0 ? home : `${home.replace(/\/+$/, '')}${src.slice(cut)}`;
}

/** ansible.builtin.fetch: a file of the host copied to the controller when it differs (compared by sha1). */
export default defineModule({
  name: 'fetch',
  kind: 'state',
  description: "Copies a file from the host to the controller (DEST/HOSTNAME/SRC, or `flat`), only when the copy differs; ansible.builtin.fetch's result (checksum, md5sum, remote_checksum).",
  args: Args,
  async check(ctx, given): Promise<Diff<{ data: Buffer; src: string }>> {
    const a = { ...given, src: await expandHome(ctx, given.src) };
    const failMissing = a.fail_on_missing !== false;
    const st = await ctx.files.stat(a.src);
    if (st?.type === 'directory') {
      if (failMissing) throw new ModuleFailure('remote file is a directory, fetch cannot work on directories', { changed: false });
      return { kind: 'ok', why: 'a directory', data: { msg: 'remote file is a directory, fetch cannot work on directories, not transferring, ignored' } };
    }
    const data = st ? await ctx.files.read(a.src) : null;
    if (!data) {
      const msg = 'the remote file does not exist, not transferring, ignored';
      if (failMissing) throw new ModuleFailure(msg, { changed: false, file: a.src });
      return { kind: 'ok', why: `${a.src} is missing`, data: { changed: false, file: a.src, msg } };
    }
    const dest = destOf(ctx, a);
    const local = existsSync(dest) ? readFileSync(dest) : undefined;
    const remote = sha1(data);
    if (local && sha1(local) === remote) return { kind: 'ok', why: `${dest} is the same`, data: { md5sum: md5(local), file: a.src, dest, checksum: remote } };
    return { kind: local ? 'modify' : 'create', target: dest, data: { dest, remote_checksum: remote }, keep: { data, src: a.src } };
  },
  async apply(ctx, a, diff) {
    const { data, src } = diff.keep!;
    const dest = destOf(ctx, { ...a, src });
    makeDirs(dirname(dest));
    const tmp = `${dest}.agri-${process.pid}.tmp`;
    writeFileSync(tmp, data);
    renameSync(tmp, dest);
    const written = readFileSync(dest);
    const out = { md5sum: md5(written), dest, remote_md5sum: null, checksum: sha1(written), remote_checksum: diff.data?.remote_checksum };
    if (a.validate_checksum !== false && out.checksum !== out.remote_checksum) throw new ModuleFailure('checksum mismatch', { ...out, file: src });
    return out;
  },
});
