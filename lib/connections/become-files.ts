// File writes as the become user: a connection's own writes (SFTP, fs) are made as the login user,
// so under become (sudo to another user) they would make files owned by the wrong user, or be
// refused where only that user may write. These make the same atomic write (a temp file beside the
// target, noted in the run's temp ledger, then renamed) through a command run with become.
import { randomBytes } from 'node:crypto';
import { posix } from 'node:path';
import { shq } from './quote.js';
import { FileOpError, type Connection, type ExecOptions, type WriteOptions } from './types.js';

async function run(conn: Connection, what: string, script: string, opts: ExecOptions): Promise<void> {
  const r = await conn.exec({ shell: `set -e; ${script}` }, opts);
  if (r.rc !== 0) throw new FileOpError(`cannot ${what}: ${r.stderr.trim() || `exit ${r.rc}`}`);
}

export async function becomeWrite(conn: Connection, path: string, data: Buffer, w: WriteOptions, opts: ExecOptions): Promise<void> {
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

export const becomeMkdir = (conn: Connection, path: string, mode: string | undefined, opts: ExecOptions): Promise<void> =>
  run(conn, `create ${path}`, `mkdir -p ${mode ? `-m ${shq(mode)} ` : ''}-- ${shq(path)}`, opts);

export const becomeChmod = (conn: Connection, path: string, mode: string, opts: ExecOptions): Promise<void> => run(conn, `chmod ${path}`, `chmod ${shq(mode)} -- ${shq(path)}`, opts);
