import * as fs from 'node:fs';
import { homedir } from 'node:os';
import { resolve } from 'node:path';
import ssh2 from '../source/vendor/ssh2.js';

const { OPEN_MODE, STATUS_CODE } = ssh2.utils.sftp;
type SFTP = ssh2.SFTPWrapper;

const attrsOf = (st: fs.Stats): ssh2.Attributes => ({ mode: st.mode, uid: st.uid, gid: st.gid, size: st.size, atime: Math.floor(st.atimeMs / 1000), mtime: Math.floor(st.mtimeMs / 1000) });

/** fs error → SFTP status (what OpenSSH's sftp-server answers). */
function statusOf(e: unknown): number {
  const code = (e as NodeJS.ErrnoException).code;
  return code === 'ENOENT' ? STATUS_CODE.NO_SUCH_FILE : code === 'EACCES' || code === 'EPERM' ? STATUS_CODE.PERMISSION_DENIED : STATUS_CODE.FAILURE;
}

function openFlags(f: number): number {
  const { O_RDONLY, O_WRONLY, O_RDWR, O_CREAT, O_TRUNC, O_EXCL, O_APPEND } = fs.constants;
  let n = f & OPEN_MODE.READ && f & OPEN_MODE.WRITE ? O_RDWR : f & OPEN_MODE.WRITE ? O_WRONLY : O_RDONLY;
  if (f & OPEN_MODE.CREAT) n |= O_CREAT;
  if (f & OPEN_MODE.TRUNC) n |= O_TRUNC;
  if (f & OPEN_MODE.EXCL) n |= O_EXCL;
  if (f & OPEN_MODE.APPEND) n |= O_APPEND;
  return n;
}

const modeOf = (a: ssh2.Attributes, dflt: number) => (a.mode !== undefined ? a.mode & 0o7777 : dflt);

function setAttrs(target: string | number, a: ssh2.InputAttributes): void {
  const mode = typeof a.mode === 'string' ? parseInt(a.mode, 8) : a.mode;
  if (typeof target === 'number') {
    if (mode !== undefined) fs.fchmodSync(target, mode & 0o7777);
    if (a.size !== undefined) fs.ftruncateSync(target, a.size);
    if (a.atime !== undefined && a.mtime !== undefined) fs.futimesSync(target, a.atime, a.mtime);
  } else {
    if (mode !== undefined) fs.chmodSync(target, mode & 0o7777);
    if (a.atime !== undefined && a.mtime !== undefined) fs.utimesSync(target, a.atime, a.mtime);
  }
}

/**
 * The server side of SFTP v3 on the local file system, as the current user: files, attributes,
 * folders, rename (overwriting, like posix-rename), links. Enough for agri-play's transfers and
 * for `sftp`-style listing; each handle is a file descriptor or a folder listing.
 */
export function serveSftp(sftp: SFTP): void {
  const files = new Map<number, number>();
  const dirs = new Map<number, { path: string; entries: fs.Dirent[] } | null>();
  let next = 0;
  const handle = (id: number) => {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(id);
    return b;
  };
  const idOf = (h: Buffer) => (h.length === 4 ? h.readUInt32BE(0) : -1);
  // every request answers with its result or the errno as an SFTP status
  const answer = (req: number, f: () => void) => {
    try {
      f();
    } catch (e) {
      sftp.status(req, statusOf(e), (e as Error).message);
    }
  };
  const ok = (req: number) => sftp.status(req, STATUS_CODE.OK);

  sftp.on('OPEN', (req, path, flags, attrs) =>
    answer(req, () => {
      const fd = fs.openSync(path, openFlags(flags), modeOf(attrs, 0o644));
      files.set(++next, fd);
      sftp.handle(req, handle(next));
    }),
  );
  sftp.on('READ', (req, h, offset, length) =>
    answer(req, () => {
      const buf = Buffer.alloc(length);
      const n = fs.readSync(files.get(idOf(h)) ?? -1, buf, 0, length, offset);
      if (n === 0) sftp.status(req, STATUS_CODE.EOF);
      else sftp.data(req, buf.subarray(0, n));
    }),
  );
  sftp.on('WRITE', (req, h, offset, data) => answer(req, () => (fs.writeSync(files.get(idOf(h)) ?? -1, data, 0, data.length, offset), ok(req))));
  sftp.on('FSTAT', (req, h) => answer(req, () => sftp.attrs(req, attrsOf(fs.fstatSync(files.get(idOf(h)) ?? -1)))));
  sftp.on('FSETSTAT', (req, h, attrs) => answer(req, () => (setAttrs(files.get(idOf(h)) ?? -1, attrs), ok(req))));
  sftp.on('CLOSE', (req, h) =>
    answer(req, () => {
      const id = idOf(h);
      if (files.has(id)) fs.closeSync(files.get(id)!);
      files.delete(id);
      dirs.delete(id);
      ok(req);
    }),
  );
  sftp.on('STAT', (req, path) => answer(req, () => sftp.attrs(req, attrsOf(fs.statSync(path)))));
  sftp.on('LSTAT', (req, path) => answer(req, () => sftp.attrs(req, attrsOf(fs.lstatSync(path)))));
  sftp.on('SETSTAT', (req, path, attrs) => answer(req, () => (setAttrs(path, attrs), ok(req))));
  sftp.on('MKDIR', (req, path, attrs) => answer(req, () => (fs.mkdirSync(path, modeOf(attrs, 0o755)), ok(req))));
  sftp.on('RMDIR', (req, path) => answer(req, () => (fs.rmdirSync(path), ok(req))));
  sftp.on('REMOVE', (req, path) => answer(req, () => (fs.unlinkSync(path), ok(req))));
  sftp.on('RENAME', (req, from, to) => answer(req, () => (fs.renameSync(from, to), ok(req))));
  sftp.on('READLINK', (req, path) => answer(req, () => sftp.name(req, [{ filename: fs.readlinkSync(path), longname: '', attrs: {} as ssh2.Attributes }])));
  sftp.on('SYMLINK', (req, link, target) => answer(req, () => (fs.symlinkSync(target, link), ok(req))));
  sftp.on('REALPATH', (req, path) => answer(req, () => sftp.name(req, [{ filename: resolve(homedir(), path), longname: '', attrs: {} as ssh2.Attributes }])));
  sftp.on('OPENDIR', (req, path) =>
    answer(req, () => {
      dirs.set(++next, { path, entries: fs.readdirSync(path, { withFileTypes: true }) });
      sftp.handle(req, handle(next));
    }),
  );
  sftp.on('READDIR', (req, h) =>
    answer(req, () => {
      const id = idOf(h);
      const list = dirs.get(id);
      if (!list) return sftp.status(req, STATUS_CODE.EOF);
      dirs.set(id, null);
      const names = list.entries.map((d) => ({ filename: d.name, longname: d.name, attrs: attrsOf(fs.lstatSync(resolve(list.path, d.name))) }));
      sftp.name(req, names);
    }),
  );
  sftp.on('close', () => {
    for (const fd of files.values()) fs.closeSync(fd);
    files.clear();
  });
}
