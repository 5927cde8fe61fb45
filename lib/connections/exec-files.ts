// A host's files through commands. Under become: a connection's own writes (SFTP, fs) are made as
// the login user, so under become (sudo to another user) they would make files owned by the wrong
// user, or be refused where only that user may write. And over SSH where the host's sshd has no SFTP
// subsystem (ansible-core's piped transfer). These make the same atomic write (a temp file beside
// the target, noted in the run's temp ledger, then renamed) through a command (run with become).
import { randomBytes } from 'node:crypto';
import { posix } from 'node:path';
import { shq } from './quote.js';
import { FileOpError, type Connection, type ExecOptions, type ExecResult, type FileStat, type WriteOptions } from './types.js';

async function run(conn: Connection, what: string, script: string, opts: ExecOptions): Promise<void> {
  const r = await conn.exec({ shell: `set -e; ${script}` }, opts);
  if (r.rc !== 0) throw new FileOpError(`cannot ${what}: ${r.stderr.trim() || `exit ${r.rc}`}`);
}

export async function execWrite(conn: Connection, path: string, data: Buffer, w: WriteOptions, opts: ExecOptions): Promise<void> {
  const dir = posix.dirname(path);
  const tmp = posix.join(dir, `.${posix.basename(path)}.agri-${randomBytes(4).toString('hex')}.tmp`);
  const steps = [
    w.mkdirs ? `mkdir -p -- ${shq(dir)}` : '',
    `trap 'rm -f -- ${shq(tmp)}' EXIT`,
    `(umask 077; cat > ${shq(tmp)})`,
    `chmod ${shq(w.mode ?? '0644')} -- ${shq(tmp)}`,
    w.keep ? `chown ${w.keep.uid}:${w.keep.gid} -- ${shq(tmp)} 2>/dev/null || true` : '',
    `mv -fT -- ${shq(tmp)} ${shq(path)}`,
    'trap - EXIT',
  ];
  conn.temps?.begin(tmp);
  try {
    await run(conn, `write ${path}`, steps.filter(Boolean).join('; '), { ...opts, stdin: data });
  } finally {
    // written and renamed, or removed by the trap
    conn.temps?.end(tmp);
  }
}

export const execMkdir = (conn: Connection, path: string, mode: string | undefined, opts: ExecOptions): Promise<void> =>
  run(conn, `create ${path}`, `mkdir -p ${mode ? `-m ${shq(mode)} ` : ''}-- ${shq(path)}`, opts);

export const execChmod = (conn: Connection, path: string, mode: string, opts: ExecOptions): Promise<void> => run(conn, `chmod ${path}`, `chmod ${shq(mode)} -- ${shq(path)}`, opts);

// Reads as the become user, for a path the login user may not read (a permission error over SFTP):
// what the task's user sees, as ansible-core's module would (it runs as that user). `exec` runs a
// command with the task's become.
const S_IFMT = 0o170000;
const TYPES: Record<number, FileStat['type']> = { 0o100000: 'file', 0o040000: 'directory', 0o120000: 'link' };

type Exec = (cmd: { shell: string }) => Promise<ExecResult>;

/** A path `test -e` finds absent: `none`, unless the user may not look (a folder on its way it may not search): then stat's permission error. */
const ABSENT = (q: string): string => `if e=$(LC_ALL=C stat -- ${q} 2>&1 >/dev/null) || [ "\${e#*Permission denied}" = "$e" ]; then echo none; else echo "$e" >&2; exit 1; fi`;

export async function execStat(exec: Exec, path: string): Promise<FileStat | null> {
  const q = shq(path);
  const r = await exec({ shell: `if [ -e ${q} ] || [ -L ${q} ]; then stat -c '%f %s %u %g %Y' -- ${q}; if [ -L ${q} ]; then readlink -- ${q}; fi; else ${ABSENT(q)}; fi` });
  if (r.rc !== 0) throw new FileOpError(`cannot stat ${path}: ${r.stderr.trim() || `exit ${r.rc}`}`);
  const [first, target] = r.stdout.split('\n');
  if (first === 'none') return null;
  const [hex, size, uid, gid, mtime] = first.split(' ');
  const raw = parseInt(hex, 16);
  const type = TYPES[raw & S_IFMT] ?? 'other';
  return { type, mode: (raw & 0o7777).toString(8).padStart(4, '0'), size: Number(size), uid: Number(uid), gid: Number(gid), mtime: Number(mtime), ...(type === 'link' ? { linkTarget: target ?? '' } : {}) };
}

export async function execRead(exec: Exec, path: string): Promise<Buffer | null> {
  const q = shq(path);
  const r = await exec({ shell: `if [ -e ${q} ]; then printf 'b64:'; base64 -w0 -- ${q}; else ${ABSENT(q)}; fi` });
  if (r.rc !== 0) throw new FileOpError(`cannot read ${path}: ${r.stderr.trim() || `exit ${r.rc}`}`);
  return r.stdout.startsWith('b64:') ? Buffer.from(r.stdout.slice(4), 'base64') : null;
}
