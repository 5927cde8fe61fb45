import { Type } from '../source/vendor/typebox.js';
import { hash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, normalize, posix, resolve } from 'node:path';
import { defineModule, ModuleFailure, type ActionResult, type ModuleCtx } from './types.js';
import { sha1 } from './util/content.js';
import { expandArgv } from './util/expand.js';
import { makeDirs } from '../source/index.js';
import { yes } from '../source/data.js';
import { slurpRead } from './slurp.js';

// (src and dest of any type: the action checks them itself, in its own words)
const Args = Type.Object(
  {
    src: Type.Optional(Type.Unknown({ description: 'The file on the host.' })),
    dest: Type.Optional(Type.Unknown({ description: 'Where on the controller: DEST/HOSTNAME/SRC, or with flat the file itself (a trailing / puts it in that folder).' })),
    flat: Type.Optional(Type.Unknown({ description: 'dest names the file, not a folder to hold HOSTNAME/SRC.' })),
    fail_on_missing: Type.Optional(Type.Unknown({ description: 'A missing file fails the task (default true).' })),
    validate_checksum: Type.Optional(Type.Unknown({ description: 'Compare the copy with the source (default true).' })),
  },
  { additionalProperties: false },
);

const md5 = (b: Buffer): string => hash('md5', b, 'hex');

/** boolean(x, strict=False): Ansible's true words (1 too), anything else false; unset, the default. */
const on = (v: unknown, dflt: boolean): boolean => (v === undefined || v === null ? dflt : yes(typeof v === 'number' ? String(v) : v));

/** The action's own checks of src and dest, its messages (the last that applies wins, as its code sets them). */
function argsMessage(src: unknown, dest: unknown): string | undefined {
  let msg: string | undefined;
  if (typeof src !== 'string') msg = 'Invalid type supplied for source option, it must be a string';
  if (typeof dest !== 'string') msg = 'Invalid type supplied for dest option, it must be a string';
  if (src === undefined || src === null || dest === undefined || dest === null) msg = 'src and dest are required';
  return msg;
}

/** The controller path, as the action makes it: relative to the playbook's folder (path_dwim), normalized. */
function destOf(ctx: ModuleCtx, src: string, dest: string, flat: boolean): string {
  const base = String(ctx.vars.playbook_dir ?? process.cwd());
  const dwim = (p: string) => (isAbsolute(p) ? p : resolve(base, p));
  if (!flat) return normalize(`${dwim(dest)}/${String(ctx.vars.inventory_hostname ?? ctx.host)}/${src}`);
  if (!dest.endsWith('/') && existsSync(dest) && statSync(dest).isDirectory()) throw new ModuleFailure('dest is an existing directory, use a trailing slash if you want to fetch src into that directory');
  return normalize(dwim(dest.endsWith('/') ? join(dest, basename(src)) : dest));
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

/** Whether the path is a folder, its links followed (the stat module's follow=True, as the action asks it). */
async function isDir(ctx: ModuleCtx, path: string): Promise<boolean> {
  let p = path;
  for (let hops = 0; hops < 40; hops++) {
    const st = await ctx.files.stat(p);
    if (st?.type !== 'link' || !st.linkTarget) return st?.type === 'directory';
    p = posix.resolve(posix.dirname(p), st.linkTarget);
  }
  return false;
}

/**
 * The file as the action reads it: without become, a folder fails first (stat); then slurp's read,
 * whose failure becomes the action's result (a missing file's and a folder's in the action's words;
 * not a failure without fail_on_missing).
 */
async function remoteData(ctx: ModuleCtx, src: string, failOnMissing: boolean): Promise<Buffer | ActionResult> {
  if (!ctx.becomes && (await isDir(ctx, src))) {
    const msg = 'remote file is a directory, fetch cannot work on directories';
    return failOnMissing ? { failed: true, msg } : { msg: `${msg}, not transferring, ignored` };
  }
  try {
    return await slurpRead(ctx, src);
  } catch (e) {
    if (!(e instanceof ModuleFailure)) throw e;
    const msg = e.message.includes('not found') ? 'the remote file does not exist, not transferring, ignored' : e.message.startsWith('source is a directory') ? 'remote file is a directory, fetch cannot work on directories' : e.message;
    return failOnMissing ? { failed: true, msg, data: { ...e.data } } : { msg, data: { file: src } };
  }
}

/** ansible.builtin.fetch: a file of the host copied to the controller when it differs (compared by sha1), as ansible-core 2.14's action. */
export default defineModule({
  name: 'fetch',
  kind: 'action',
  description: "Copies a file from the host to the controller (DEST/HOSTNAME/SRC, or `flat`), only when the copy differs; skipped in check mode; ansible.builtin.fetch's result (checksum, md5sum, remote_checksum).",
  args: Args,
  // (the action reads them with boolean(args.get(k, True)): None is false)
  noneIsFalse: ['fail_on_missing', 'validate_checksum'],
  async run(ctx, a): Promise<ActionResult> {
    if (ctx.checkMode) return { skipped: true, msg: 'check mode not (yet) supported for this module' };
    const bad = argsMessage(a.src, a.dest);
    if (bad) return { failed: true, msg: bad };
    const src = await expandHome(ctx, a.src as string);
    const read = await remoteData(ctx, src, on(a.fail_on_missing, true));
    if (!Buffer.isBuffer(read)) return read;
    const dest = destOf(ctx, src, a.dest as string, on(a.flat, false));
    const remote = sha1(read);
    const local = existsSync(dest) && statSync(dest).isFile() ? readFileSync(dest) : undefined;
    if (local && sha1(local) === remote) return { changed: false, data: { md5sum: md5(local), file: src, dest, checksum: remote } };
    makeDirs(dirname(dest));
    const tmp = `${dest}.agri-${process.pid}.tmp`;
    writeFileSync(tmp, read);
    renameSync(tmp, dest);
    const written = readFileSync(dest);
    const out = { md5sum: md5(written), dest, remote_md5sum: null, checksum: sha1(written), remote_checksum: remote };
    if (on(a.validate_checksum, true) && out.checksum !== remote) return { failed: true, msg: 'checksum mismatch', data: { ...out, file: src } };
    return { changed: true, data: out };
  },
});
