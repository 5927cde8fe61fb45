import { Type } from '../source/vendor/typebox.js';
import { defineModule, ModuleFailure, type ModuleCtx } from './types.js';
import { FileAttrs, selinuxGuard } from './util/content.js';
import { readLocal } from './util/local.js';
import { ANSIBLE_PY, runHostModule } from './util/ansible-py.js';
import { URLS_PY } from './util/urls-py.js';
import { UNARCHIVE_PY } from './util/unarchive-py.js';
import { UNARCHIVE_HANDLERS_PY } from './util/unarchive-handlers-py.js';
import { UNARCHIVE_TAR_PY } from './util/unarchive-tar-py.js';

const PROGRAM = ANSIBLE_PY + URLS_PY + UNARCHIVE_PY + UNARCHIVE_HANDLERS_PY + UNARCHIVE_TAR_PY;
const words = (description: string) => Type.Optional(Type.Array(Type.String(), { description }));

const Args = Type.Object(
  {
    src: Type.String({ description: 'A zip, tar, tar.gz/bz2/xz/zst archive: on the controller (files/), or on the host (or a URL it downloads) with remote_src.' }),
    dest: Type.String({ description: 'An existing folder on the host.' }),
    remote_src: Type.Optional(Type.Boolean()),
    copy: Type.Optional(Type.Boolean({ description: 'The older name of remote_src, inverted (copy: false = remote_src: true).' })),
    creates: Type.Optional(Type.String({ description: 'Skip when this path exists on the host.' })),
    list_files: Type.Optional(Type.Boolean({ description: "The archive's members in the result (files)." })),
    keep_newer: Type.Optional(Type.Boolean({ description: 'Leave files newer than the archive’s as they are.' })),
    exclude: words('Members (fnmatch patterns) not to unpack.'),
    include: words('Only these members (fnmatch patterns).'),
    extra_opts: words('More options for tar or unzip.'),
    validate_certs: Type.Optional(Type.Boolean({ description: "A URL src's certificate checked (default true)." })),
    io_buffer_size: Type.Optional(Type.Integer({ description: 'Bytes read at a time for CRC32 checks (default 65536).' })),
    decrypt: Type.Optional(Type.Boolean({ description: 'A vaulted src is decrypted (default true).' })),
    ...FileAttrs,
  },
  { additionalProperties: false },
);
type A = typeof Args.static;

/** The action plugin's part: creates, dest, the archive uploaded to a temp folder (removed after). */
async function prepare(ctx: ModuleCtx, a: A): Promise<{ skip?: string; src: string; dest: string; tmp?: string; remoteSrc: boolean }> {
  if (a.copy !== undefined && a.remote_src !== undefined) throw new ModuleFailure("parameters are mutually exclusive: ('copy', 'remote_src')");
  if (a.include?.length && a.exclude?.length) throw new ModuleFailure('parameters are mutually exclusive: include|exclude');
  const remoteSrc = a.copy !== undefined ? !a.copy : Boolean(a.remote_src);
  if (a.creates && (await ctx.files.stat(a.creates))) return { skip: `skipped, since ${a.creates} exists`, src: a.src, dest: a.dest, remoteSrc };
  const local = remoteSrc ? undefined : ctx.local.find(a.src, 'files');
  if (!remoteSrc && !local) throw new ModuleFailure(ctx.local.missing(a.src, 'files'));
  const st = await ctx.files.stat(a.dest);
  if (st?.type !== 'directory' && !(st?.type === 'link' && (await ctx.exec(['test', '-d', a.dest])).rc === 0)) throw new ModuleFailure(`dest '${a.dest}' must be an existing dir`);
  if (remoteSrc) return { src: a.src, dest: a.dest, remoteSrc };
  const tmp = (await ctx.exec(['mktemp', '-d', '/tmp/ansible-tmp-agri.XXXXXXXX'], { signal: ctx.signal })).stdout.trim();
  // (a vaulted archive decrypted unless decrypt: false, as the action's get_real_file)
  await ctx.files.write(`${tmp}/source`, await readLocal(ctx, local!, a.decrypt !== false), { mode: '0600' });
  return { src: `${tmp}/source`, dest: a.dest, tmp, remoteSrc };
}

/**
 * ansible.builtin.unarchive (ansible-core 2.14's action and module): an archive unpacked into a
 * folder on the host when what is there differs — the module's own checks and handlers, run on
 * the host by a Python 3 program of the standard library (`util/unarchive-py.ts`) — its members'
 * owner, group and mode set after; in check mode a zip archive is compared and a tar one skipped,
 * as the module does. The result is the module's: handler, dest, src, extract_results, files.
 */
export default defineModule({
  name: 'unarchive',
  kind: 'action',
  description: "An archive (zip, tar, tar.gz/bz2/xz/zst) unpacked into a folder on the host when it differs, as ansible-core's unarchive: creates, list_files, include/exclude, keep_newer, extra_opts, owner/group/mode of every member.",
  args: Args,
  paths: ['dest', 'creates'],
  async run(ctx, a) {
    await selinuxGuard(ctx, a);
    const p = await prepare(ctx, a);
    if (p.skip) return { skipped: true, msg: p.skip };
    try {
      const params = { src: p.src, dest: p.dest, remote_src: p.remoteSrc, list_files: a.list_files ?? false, keep_newer: a.keep_newer ?? false, exclude: a.exclude ?? [], include: a.include ?? [], extra_opts: a.extra_opts ?? [], validate_certs: a.validate_certs ?? true, io_buffer_size: a.io_buffer_size ?? 65536, mode: a.mode ?? null, owner: a.owner ?? null, group: a.group ?? null };
      return await runHostModule(ctx, PROGRAM, 'unarchive', params);
    } finally {
      if (p.tmp) await ctx.exec(['rm', '-rf', '--', p.tmp]).catch(() => undefined);
    }
  },
});

