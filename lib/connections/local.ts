import { userInfo } from 'node:os';
import { lstat, readFile, readlink, rename, writeFile, chmod, chown, unlink } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import { argvToShell } from './quote.js';
import { SU_PASSWORD, SudoAsks, sudoFlags, suLine } from './sudo.js';
import { FileOpError, type Connection, type ExecOptions, type ExecResult, type FileStat, type TempNotes, type WriteOptions } from './types.js';
import { makeDirs } from '../source/index.js';
import { runCommand } from './run-command.js';

/** Runs on the controller itself. */
export class LocalConnection implements Connection {
  readonly kind = 'local';
  readonly user = userInfo().username;
  temps?: TempNotes;
  private trips = 0;

  async exec(cmd: string[] | { shell: string }, opts: ExecOptions = {}): Promise<ExecResult> {
    this.trips++;
    let argv = Array.isArray(cmd) ? cmd : ['/bin/sh', '-c', cmd.shell];
    if (opts.become?.method === 'su') {
      if (opts.become.password) return { rc: 1, stdout: '', stderr: SU_PASSWORD, cmd: Array.isArray(cmd) ? argvToShell(cmd) : cmd.shell };
      argv = ['/bin/sh', '-c', suLine(opts.become.user, argvToShell(argv), opts.become.flags)];
      opts = { ...opts, become: undefined };
    }
    // a become password goes to sudo on stdin, before the command's own input, only where sudo asks
    // for one (else it would be the command's input)
    const pass = opts.become?.password && (await this.sudo.for(opts.become.user)) ? opts.become.password : undefined;
    const full = opts.become ? ['sudo', ...sudoFlags(opts.become.flags), ...(pass ? ['-S', '-p', ''] : ['-n']), ...(opts.become.user ? ['-u', opts.become.user] : []), '--', ...argv] : argv;
    // (cancelled or out of time: the command's whole process tree is ended, not only its shell, whose
    // children would hold its output open)
    const stop = [opts.signal, opts.timeoutMs ? AbortSignal.timeout(opts.timeoutMs) : undefined].filter((x) => x !== undefined);
    const r = await runCommand(full, {
      cwd: opts.cwd,
      env: opts.env,
      input: pass ? Buffer.concat([Buffer.from(`${pass}\n`), Buffer.from(opts.stdin ?? '')]) : opts.stdin,
      signal: stop.length ? AbortSignal.any(stop) : undefined,
    });
    // (a program that could not be started answers as a shell's exec does: 127 not found, 126 not executable)
    const code = r.error?.code;
    const unstarted = code === 'ENOENT' ? `${full[0]}: not found` : code === 'EACCES' ? `${full[0]}: Permission denied` : r.error?.message;
    const rc = r.cancelled ? 124 : r.code !== null ? r.code : code === 'EACCES' ? 126 : 127;
    const text = (b: Buffer) => (opts.keepEnds ? b.toString('utf8') : b.toString('utf8').replace(/\r?\n$/, ''));
    return { rc, stdout: text(r.stdout), stderr: unstarted ?? text(r.stderr), cmd: Array.isArray(cmd) ? argvToShell(cmd) : cmd.shell };
  }

  /** (a become password goes to sudo only where it asks) */
  private readonly sudo = new SudoAsks((cmd, o) => this.exec(cmd, o));

  async readFile(path: string): Promise<Buffer | null> {
    this.trips++;
    try {
      return await readFile(path);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
  }

  async writeFile(path: string, data: Buffer, opts: WriteOptions = {}): Promise<void> {
    this.trips++;
    if (opts.mkdirs) makeDirs(dirname(path));
    const tmp = join(dirname(path), `.${basename(path)}.agri-${randomBytes(4).toString('hex')}.tmp`);
    this.temps?.begin(tmp);
    try {
      await writeFile(tmp, data, { mode: opts.mode ? parseInt(opts.mode, 8) : 0o644 });
      if (opts.mode) await chmod(tmp, parseInt(opts.mode, 8));
      if (opts.keep) await chown(tmp, opts.keep.uid, opts.keep.gid).catch(() => undefined);
      await rename(tmp, path);
      this.temps?.end(tmp);
    } catch (e) {
      await unlink(tmp).then(() => this.temps?.end(tmp), (u: NodeJS.ErrnoException) => u.code === 'ENOENT' && this.temps?.end(tmp));
      const err = e as NodeJS.ErrnoException;
      if (err.code === 'EROFS' || err.code === 'ENOSPC' || err.code === 'EACCES' || err.code === 'EPERM' || err.code === 'EDQUOT') throw new FileOpError(`cannot write ${path}: ${err.code === 'EROFS' ? 'read-only file system' : err.code === 'ENOSPC' ? 'no space left on device' : err.code === 'EDQUOT' ? 'disk quota exceeded' : 'permission denied'} (${err.code})`);
      throw e;
    }
  }

  async stat(path: string): Promise<FileStat | null> {
    this.trips++;
    try {
      const s = await lstat(path);
      const type = s.isFile() ? 'file' : s.isDirectory() ? 'directory' : s.isSymbolicLink() ? 'link' : 'other';
      return {
        type,
        mode: (s.mode & 0o7777).toString(8).padStart(4, '0'),
        size: s.size,
        uid: s.uid,
        gid: s.gid,
        mtime: s.mtimeMs / 1000,
        ...(type === 'link' ? { linkTarget: await readlink(path) } : {}),
      };
    } catch (e) {
      // no such path: missing, under a file, or a name too long to be one
      if (['ENOENT', 'ENOTDIR', 'ENAMETOOLONG'].includes((e as NodeJS.ErrnoException).code ?? '')) return null;
      throw e;
    }
  }

  async mkdir(path: string, mode?: string): Promise<void> {
    this.trips++;
    makeDirs(path, mode ? parseInt(mode, 8) : undefined);
    if (mode) await chmod(path, parseInt(mode, 8));
  }

  async chmod(path: string, mode: string): Promise<void> {
    this.trips++;
    await chmod(path, parseInt(mode, 8));
  }

  async close(): Promise<void> {}

  roundTrips(): number {
    return this.trips;
  }
}
