// SFTP requests as promises, a small file's write in two round trips, a big one's pipelined.
import type { SFTPWrapper } from '../../source/vendor/ssh2.js';

/** One SFTP request whose callback only says whether it failed. */
export const sftpStep = (f: (cb: (err?: Error | null) => void) => void) => new Promise<void>((resolve, reject) => f((err) => (err ? reject(err) : resolve())));

/** A file this small goes in one SFTP write request (under any server's write limit). */
export const ONE_WRITE = 16 * 1024;

/**
 * A small file in two round trips: the open, then its write, mode, owner and close in flight
 * together (sftp-server answers one channel's requests in order; before, each waited for the
 * last: five round trips). A failure of any fails the write, and the caller renames nothing.
 */
export async function putSmall(s: SFTPWrapper, path: string, data: Buffer, mode: number, keep?: { uid: number; gid: number }): Promise<void> {
  const handle = await new Promise<Buffer>((resolve, reject) => s.open(path, 'w', { mode }, (err, h) => (err ? reject(err) : resolve(h))));
  const done = await Promise.allSettled([
    data.length ? sftpStep((cb) => s.write(handle, data, 0, data.length, 0, cb)) : Promise.resolve(),
    sftpStep((cb) => s.fchmod(handle, mode, cb)),
    // (a login user may not give a file away: the owner kept where it can be, as before)
    keep ? sftpStep((cb) => s.fchown(handle, keep.uid, keep.gid, cb)).catch(() => undefined) : Promise.resolve(),
    sftpStep((cb) => s.close(handle, cb)),
  ]);
  const failed = done.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}

/**
 * Big files go up as pipelined SFTP writes (64 requests of 32 KiB in flight) straight from
 * memory: no local temp copy of the data (which may be secret) ever touches the disk.
 */
export async function fastPut(s: SFTPWrapper, data: Buffer, remote: string, mode: number): Promise<void> {
  const handle = await new Promise<Buffer>((resolve, reject) => s.open(remote, 'w', { mode }, (err, h) => (err ? reject(err) : resolve(h))));
  try {
    await new Promise<void>((resolve, reject) => {
      const CHUNK = 32768;
      let next = 0;
      let inflight = 0;
      let failed = false;
      const pump = (): void => {
        if (next >= data.length && inflight === 0) return resolve();
        while (!failed && inflight < 64 && next < data.length) {
          const off = next;
          const len = Math.min(CHUNK, data.length - off);
          next += len;
          inflight++;
          s.write(handle, data, off, len, off, (err) => {
            inflight--;
            if (err) {
              failed = true;
              reject(err);
            } else if (!failed) pump();
          });
        }
      };
      pump();
    });
  } finally {
    await new Promise<void>((resolve) => s.close(handle, () => resolve()));
  }
}
