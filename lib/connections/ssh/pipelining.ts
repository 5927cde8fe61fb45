import { Protocol as SshProtocol, SFTP as SshSftp } from '../../source/vendor/ssh2.js';

type Handler = (p: unknown, name: string, ...more: unknown[]) => void;
type Proto = { _remoteIdentRaw?: Buffer; _handlers: Record<string, Handler | undefined>; requestSuccess(): void };
type Request = { extended?: string; cb?: (err: unknown, v: unknown) => void };
type Sftp = { _requests: Record<number, Request>; emit(ev: string, ...a: unknown[]): boolean };

let patched = false;

/**
 * Three of ssh2's serial waits a fresh host pays, taken out (ssh2 has options for none, so
 * its Protocol and SFTP are wrapped, the vendor bundle's, as sign-first.ts does for authentication):
 *
 * - Authentication follows the service request at once instead of after SERVICE_ACCEPT, for
 *   servers that say they are OpenSSH: it handles its input in order (the userauth service is
 *   accepted, then the request in the same flight is read), as RFC 4253 §10 allows a client to
 *   assume. ssh2's own later SERVICE_ACCEPT is then passed over.
 * - An SFTP session is ready when its VERSION arrives: ssh2 also asks for the server's
 *   limits@openssh.com and waits for that answer first. The answer still comes and is applied;
 *   until then ssh2's defaults (smaller than any limit OpenSSH sets) hold, and the server answers
 *   requests in order, so nothing sent meanwhile depends on it.
 * - The host keys OpenSSH announces after authentication (hostkeys-00@openssh.com, for
 *   UpdateHostKeys) are not asked to be proven: nothing here reads them (known_hosts is only
 *   read), and the proof request made the server sign in its privileged monitor and answer in a
 *   write of its own ahead of the channel confirmations, which then waited for that write's ACK.
 */
export function pipelining(): void {
  if (patched) return;
  patched = true;
  const Protocol = SshProtocol as { prototype: { service(this: Proto, name: string): void } };
  const service = Protocol.prototype.service;
  Protocol.prototype.service = function (this: Proto, name: string) {
    service.call(this, name);
    if (name === 'ssh-userauth') skipHostKeysProof(this);
    const accept = this._handlers.SERVICE_ACCEPT;
    if (name !== 'ssh-userauth' || !accept || !/^SSH-2\.0-OpenSSH_/.test(this._remoteIdentRaw?.toString('latin1') ?? '')) return;
    let early = true;
    let started = false;
    this._handlers.SERVICE_ACCEPT = (p, n) => {
      // the server's own accept: authentication already went (or goes now, if it came first)
      if (n === 'ssh-userauth' && !started) {
        started = true;
        if (early) {
          early = false;
          accept(p, n);
        }
      } else accept(p, n);
    };
    // after the rest of this flight is read: OpenSSH's EXT_INFO (server-sig-algs, which RSA keys need) follows its NEWKEYS
    setImmediate(() => {
      if (!early) return;
      early = false;
      accept(this, name);
    });
  };

  const SFTP = SshSftp as { prototype: { _init(this: Sftp): void } };
  const init = SFTP.prototype._init;
  SFTP.prototype._init = function (this: Sftp) {
    const sftp = this;
    sftp._requests = new Proxy(sftp._requests, {
      set(target, id, r: Request) {
        if (r?.extended === 'limits@openssh.com' && r.cb) {
          const cb = r.cb;
          // ready now; the limits are applied when they come, without a second 'ready'
          r = { ...r, cb: (err, v) => quiet(sftp, () => cb(err, v)) };
          queueMicrotask(() => sftp.emit('ready'));
        }
        return Reflect.set(target, id, r);
      },
    });
    init.call(this);
  };
}

/** Runs f with the SFTP object's 'ready' event held back. */
function quiet(sftp: Sftp, f: () => void): void {
  const emit = sftp.emit;
  sftp.emit = (ev, ...a) => (ev === 'ready' ? false : emit.call(sftp, ev, ...a));
  try {
    f();
  } finally {
    sftp.emit = emit;
  }
}

/** Answers OpenSSH's host-key announcement as ssh2 does (a success if a reply is wanted) without asking for its proof. */
function skipHostKeysProof(proto: Proto): void {
  const global = proto._handlers.GLOBAL_REQUEST;
  if (!global) return;
  proto._handlers.GLOBAL_REQUEST = (p, name, wantReply, ...more) => {
    if (name !== 'hostkeys-00@openssh.com') return global(p, name, wantReply, ...more);
    if (wantReply) proto.requestSuccess();
  };
}
