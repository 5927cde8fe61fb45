import { randomBytes } from 'node:crypto';
import { constants } from 'node:os';
import { readFileSync, statSync } from 'node:fs';
import { posix } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { coalesceWrites } from './coalesce.js';
import { Client, utils, type AuthMethod, type ClientChannel, type ParsedKey, type SFTPWrapper, type Stats } from '../../source/vendor/ssh2.js';
import { argvToShell, shq } from '../quote.js';
import { FileOpError, UnreachableError, type Connection, type ExecOptions, type ExecResult, type FileStat, type TempNotes, type WriteOptions } from '../types.js';
import { verifyHostKey } from './known-hosts.js';
import type { SshTarget } from './config.js';
import { signFirst } from './sign-first.js';
import { pipelining } from './pipelining.js';
import { fastPut, ONE_WRITE, putSmall, sftpStep } from './sftp-put.js';
import { flagWords, SU_PASSWORD, SudoAsks, sudoFlags, suLine } from '../sudo.js';
import { QUIET_MS } from '../run-command.js';
import { execChmod, execMkdir, execRead, execStat, execWrite } from '../exec-files.js';

signFirst();
pipelining();

const FAST_PUT = 1024 * 1024;
/** posix-rename@openssh.com (atomic, replaces the target) where offered; else SFTP v3 RENAME. */
const renameOver = (s: SFTPWrapper, from: string, to: string) =>
  sftpStep((cb) => {
    try {
      s.ext_openssh_rename(from, to, cb);
    } catch {
      s.rename(from, to, cb);
    }
  });
/** A path's attributes, or null when it can't be stat'ed. */
const statOrNull = (s: SFTPWrapper, p: string) => new Promise<Stats | null>((resolve) => s.stat(p, (err, x) => resolve(err ? null : x)));

/** Bytes asked for per SFTP read (ssh2 splits a read above the server's limit). */
const READ_CHUNK = 64 * 1024;
const S_IFMT = 0o170000;
const S_IFDIR = 0o040000;
const S_IFREG = 0o100000;
const S_IFLNK = 0o120000;

/** Key files parsed once per run, not once per host (≈ 1 ms each: key objects made, public half exported). */
const parsedKeys = new Map<string, { mtimeMs: number; key: ParsedKey | Buffer }>();
function privateKey(file: string): ParsedKey | Buffer {
  const { mtimeMs } = statSync(file);
  const known = parsedKeys.get(file);
  if (known?.mtimeMs === mtimeMs) return known.key;
  const raw = readFileSync(file);
  const parsed = utils.parseKey(raw);
  // what ssh2 cannot parse alone (a passphrase, an unknown format) goes to it as bytes, as before: it skips that key
  const key = parsed instanceof Error || Array.isArray(parsed) ? raw : parsed;
  parsedKeys.set(file, { mtimeMs, key });
  return key;
}

/** Opens one SSH session (through a jump host if given); its failures are UnreachableErrors. */
function connect(t: SshTarget, sock?: Readable): Promise<Client> {
  return new Promise((resolve, reject) => {
    const c = new Client();
    let hostKeyProblem: string | undefined;
    let passwordOff = false;
    const methods: AuthMethod[] = [];
    if (process.env.SSH_AUTH_SOCK) methods.push({ type: 'agent', username: t.user, agent: process.env.SSH_AUTH_SOCK } as AuthMethod);
    for (const k of t.keyFiles) methods.push({ type: 'publickey', username: t.user, key: privateKey(k) } as AuthMethod);
    if (t.password) methods.push({ type: 'password', username: t.user, password: t.password } as AuthMethod);
    const where = `${t.user}@${t.host}:${t.port}${t.jump ? ` via ${t.jump.host}:${t.jump.port}` : ''}`;
    c.once('ready', () => resolve(c));
    // a server that dies during the handshake may close the socket without an error
    c.once('close', () => {
      if (failed) return;
      failed = true;
      reject(new UnreachableError(`ssh ${where}: ${hostKeyProblem ?? 'connection closed during the handshake'}`));
    });
    // ssh2 can emit a second error while failing (a refused host key, then "Connection lost
    // before handshake"): every one is handled, the first decides
    let failed = false;
    c.on('error', (e: Error & { level?: string }) => {
      if (failed) return;
      failed = true;
      c.end();
      if (hostKeyProblem) return reject(new UnreachableError(`ssh ${where}: ${hostKeyProblem}`));
      if (e.level === 'client-authentication') return reject(new UnreachableError(`ssh ${where}: authentication failed (tried ${methods.map((m) => (m.type === 'publickey' ? 'key' : m.type)).join(', ') || 'no method: no key, agent or password'})${passwordOff ? '; password authentication is disabled: the host key has changed (StrictHostKeyChecking=no lets it through for key logins only)' : ''}`));
      if (e.level === 'client-timeout') return reject(new UnreachableError(`ssh ${where}: timed out after ${t.connectTimeoutMs / 1000}s`));
      reject(new UnreachableError(`ssh ${where}: ${e.message}`));
    });
    c.connect({
      host: t.host,
      port: t.port,
      username: t.user,
      sock,
      readyTimeout: t.connectTimeoutMs,
      keepaliveInterval: 15_000,
      keepaliveCountMax: 3,
      authHandler: methods.length ? methods : [{ type: 'none', username: t.user }],
      hostVerifier: (key: Buffer) => {
        const v = verifyHostKey(t.knownHosts, t.host, t.port, key, t.acceptNew, t.allowChanged);
        if (!v.ok) hostKeyProblem = v.message;
        // (a changed key let through: logins by key only, as OpenSSH's "Password authentication is
        // disabled to avoid man-in-the-middle attacks"; ssh2 reads this list as it tries each, after this)
        else if (v.changed) {
          passwordOff = methods.some((m) => m.type === 'password' || m.type === 'keyboard-interactive');
          for (let i = methods.length; i--; ) if (methods[i].type === 'password' || methods[i].type === 'keyboard-interactive') methods.splice(i, 1);
        }
        return v.ok;
      },
    });
    // Nagle off, as OpenSSH sets it: the handshake and SFTP send small messages back to back (NEWKEYS
    // then the service request, a flight of stats), and with Nagle each one after the first waits for
    // the peer's ACK, which the peer delays (≈ 40 ms on Linux) when it has nothing to send back
    c.setNoDelay(true);
    coalesceWrites((c as unknown as { _sock: Writable })._sock);
  });
}

async function open(t: SshTarget): Promise<{ client: Client; jump?: Client }> {
  // (ssh's own words for the host it would look up)
  if (t.stray !== undefined) throw new UnreachableError(`ssh: Could not resolve hostname ${t.stray.toLowerCase()}: Name or service not known (a word of the ssh arguments that is no option: ssh takes it for the host)`);
  if (!t.jump) return { client: await connect(t) };
  const jump = await connect(t.jump);
  const stream = await new Promise<ClientChannel>((resolve, reject) =>
    jump.forwardOut('127.0.0.1', 0, t.host, t.port, (err, s) => (err ? reject(new UnreachableError(`ssh jump ${t.jump!.host}: cannot reach ${t.host}:${t.port}: ${err.message}`)) : resolve(s))),
  );
  try {
    return { client: await connect(t, stream), jump };
  } catch (e) {
    jump.end();
    throw e;
  }
}

/** One SSH connection per host for the whole run; commands are channels on it, files go over SFTP. */
export class SshConnection implements Connection {
  readonly kind = 'ssh';
  private trips = 0;
  private client?: Client;
  private jump?: Client;
  private sftpP?: Promise<SFTPWrapper | undefined>;
  private dropped = false;
  private reconnects = 0;
  temps?: TempNotes;

  /** Rejects when the connection ends: every operation in flight then fails instead of waiting forever. */
  private lost: Promise<never> = new Promise(() => undefined);

  get user(): string {
    return this.t.user;
  }

  private constructor(private readonly t: SshTarget) {
    // an SFTP request or channel whose connection died may never be answered; race each against the loss
    for (const m of ['exec', 'readFile', 'writeFile', 'stat', 'mkdir', 'chmod'] as const) {
      const f = (this[m] as (...a: unknown[]) => Promise<unknown>).bind(this);
      (this as unknown as Record<string, unknown>)[m] = async (...a: unknown[]) => {
        if (this.dropped) await this.live(); // reconnect (once) before racing against the new connection's loss
        return Promise.race([f(...a), this.lost]);
      };
    }
  }

  static async open(t: SshTarget): Promise<SshConnection> {
    const c = new SshConnection(t);
    await c.attach();
    return c;
  }

  private async attach(): Promise<void> {
    const { client, jump } = await open(this.t);
    this.trips++;
    this.client = client;
    this.jump = jump;
    this.sftpP = undefined;
    this.dropped = false;
    const lostNow = new Promise<never>((_resolve, reject) => {
      const fail = () => {
        this.dropped = true;
        reject(new UnreachableError(`ssh ${this.t.host}:${this.t.port}: connection lost`));
      };
      client.once('close', fail);
      client.once('end', fail);
    });
    lostNow.catch(() => undefined);
    this.lost = lostNow;
    client.on('error', () => (this.dropped = true));
  }

  /** One reconnect attempt when the connection dropped since the last operation. */
  private async live(): Promise<Client> {
    if (this.dropped) {
      if (this.reconnects >= 1) throw new UnreachableError(`ssh ${this.t.host}:${this.t.port}: connection lost`);
      this.reconnects++;
      await this.attach();
    }
    return this.client!;
  }

  /**
   * The connection's SFTP session; undefined where the host's sshd has no SFTP subsystem: its files
   * then go through commands, as ansible-core's transfer falls back (ssh_transfer_method smart: sftp,
   * scp, then piped) — the write still atomic, a temp file renamed.
   */
  private sftp(): Promise<SFTPWrapper | undefined> {
    this.sftpP ??= this.live().then(
      (c) =>
        new Promise<SFTPWrapper | undefined>((resolve, reject) =>
          c.sftp((err, s) => (err ? (/subsystem/i.test(err.message) && !this.dropped ? resolve(undefined) : reject(new UnreachableError(`ssh ${this.t.host}: sftp: ${err.message}`))) : resolve(s))),
        ),
    );
    return this.sftpP;
  }

  /** A command for the piped file operations: the login user's, no become. */
  private readonly piped = (cmd: { shell: string }): Promise<ExecResult> => this.exec(cmd);

  /** (a become password goes to sudo only where it asks) */
  private readonly sudo = new SudoAsks((cmd, o) => this.exec(cmd, o));

  async exec(cmd: string[] | { shell: string }, opts: ExecOptions = {}): Promise<ExecResult> {
    const shown = Array.isArray(cmd) ? argvToShell(cmd) : cmd.shell;
    let line = Array.isArray(cmd) ? shown : `/bin/sh -c ${shq(cmd.shell)}`;
    const env = Object.entries(opts.env ?? {});
    if (env.length) line = `env ${env.map(([k, v]) => shq(`${k}=${v}`)).join(' ')} ${line}`;
    if (opts.cwd) line = `cd ${shq(opts.cwd)} && ${line}`;
    let stdin = opts.stdin;
    if (opts.become?.method === 'su') {
      if (opts.become.password) return { rc: 1, stdout: '', stderr: SU_PASSWORD, cmd: shown };
      line = suLine(opts.become.user, line, opts.become.flags);
    } else if (opts.become) {
      const user = `${flagWords(sudoFlags(opts.become.flags))}${opts.become.user ? `-u ${shq(opts.become.user)} ` : ''}`;
      // the password goes to sudo on stdin only where sudo asks for one (else it would be the command's input)
      const pass = opts.become.password && (await this.sudo.for(opts.become.user)) ? opts.become.password : undefined;
      line = pass ? `sudo -S -p '' ${user}-- /bin/sh -c ${shq(line)}` : `sudo -n ${user}-- /bin/sh -c ${shq(line)}`;
      if (pass) stdin = Buffer.concat([Buffer.from(pass + '\n'), Buffer.from(stdin ?? '')]);
    }
    const client = await this.live();
    this.trips++;
    return new Promise((resolve, reject) => {
      client.exec(line, (err, stream) => {
        if (err) return reject(this.dropped ? new UnreachableError(`ssh ${this.t.host}: connection lost`) : err);
        const out: Buffer[] = [];
        const errs: Buffer[] = [];
        let timer: NodeJS.Timeout | undefined;
        const onAbort = () => {
          stream.signal('KILL');
          stream.close();
        };
        opts.signal?.addEventListener('abort', onAbort, { once: true });
        if (opts.timeoutMs) timer = setTimeout(onAbort, opts.timeoutMs);
        // (once the command has exited, a second without output ends the reading: a background child it
        // left may hold the channel open for ever, as ansible-core's run_command gives up on its pipes)
        let exited: { code?: number | null; signal?: string } | undefined;
        let quiet: NodeJS.Timeout | undefined;
        const rearm = () => {
          if (!exited) return;
          clearTimeout(quiet);
          quiet = setTimeout(() => stream.close(), QUIET_MS);
        };
        stream.on('exit', (code: number | null, signal?: string) => ((exited = { code, signal }), rearm()));
        stream.on('data', (b: Buffer) => (out.push(b), rearm()));
        stream.stderr.on('data', (b: Buffer) => (errs.push(b), rearm()));
        stream.on('close', (closeCode: number | null | undefined, closeSignal?: string) => {
          const code = closeCode ?? exited?.code;
          const signal = closeSignal ?? exited?.signal;
          clearTimeout(timer);
          clearTimeout(quiet);
          opts.signal?.removeEventListener('abort', onAbort);
          // sshd always reports an exit status or signal; a channel closed without one means the connection died
          if ((code === null || code === undefined) && !signal && !opts.signal?.aborted) {
            this.dropped = true;
            return reject(new UnreachableError(`ssh ${this.t.host}:${this.t.port}: connection lost while running '${shown.slice(0, 80)}'`));
          }
          const strip = (s: string) => (opts.keepEnds ? s : s.replace(/\n$/, ''));
          resolve({ rc: code ?? (signal ? -(constants.signals[`SIG${signal}` as NodeJS.Signals] ?? 9) : 255), stdout: strip(Buffer.concat(out).toString('utf8')), stderr: strip(Buffer.concat(errs).toString('utf8')), cmd: shown });
        });
        stream.end(stdin ?? undefined);
      });
    });
  }

  /**
   * A file's bytes in two serial round trips for a small file: open, then two reads in flight
   * (the second finds the end), the close not waited for. (ssh2's readFile waits for open,
   * fstat, read and close: four.)
   */
  async readFile(path: string): Promise<Buffer | null> {
    const s = await this.sftp();
    if (!s) return execRead(this.piped, path);
    this.trips++;
    const handle = await new Promise<Buffer | null>((resolve, reject) => s.open(path, 'r', (err, h) => (err ? ((err as { code?: number }).code === 2 ? resolve(null) : reject(err)) : resolve(h))));
    if (!handle) return null;
    const read = (pos: number) =>
      new Promise<Buffer>((resolve, reject) => {
        const buf = Buffer.allocUnsafe(READ_CHUNK);
        s.read(handle, buf, 0, READ_CHUNK, pos, (err, n) => (err ? reject(err) : resolve(buf.subarray(0, n))));
      });
    const chunks: Buffer[] = [];
    try {
      for (let pos = 0; ; ) {
        const [a, b] = await Promise.all([read(pos), read(pos + READ_CHUNK)]);
        chunks.push(a);
        // the end: nothing after the first read; a short first read with data after it was only
        // short (the server's choice): go on from where it stopped
        if (a.length === 0 || (a.length < READ_CHUNK && b.length === 0)) break;
        if (a.length < READ_CHUNK) {
          pos += a.length;
          continue;
        }
        chunks.push(b);
        if (b.length === 0) break;
        pos += READ_CHUNK + b.length;
      }
    } finally {
      s.close(handle, () => undefined);
    }
    return Buffer.concat(chunks);
  }

  async writeFile(path: string, data: Buffer, opts: WriteOptions = {}): Promise<void> {
    const s = await this.sftp();
    if (!s) return execWrite(this, path, data, opts, {});
    if (opts.mkdirs) await this.mkdir(posix.dirname(path));
    const tmp = posix.join(posix.dirname(path), `.${posix.basename(path)}.agri-${randomBytes(4).toString('hex')}.tmp`);
    const mode = opts.mode ? parseInt(opts.mode, 8) : 0o644;
    const step = sftpStep;
    this.trips++;
    this.temps?.begin(tmp);
    try {
      if (data.length <= ONE_WRITE) await putSmall(s, tmp, data, mode, opts.keep);
      else {
        if (data.length > FAST_PUT) await fastPut(s, data, tmp, mode);
        else await step((cb) => s.writeFile(tmp, data, { mode }, cb));
        await step((cb) => s.chmod(tmp, mode, cb));
        if (opts.keep) await step((cb) => s.chown(tmp, opts.keep!.uid, opts.keep!.gid, cb)).catch(() => undefined);
      }
      await renameOver(s, tmp, path);
      this.temps?.end(tmp);
    } catch (e) {
      await step((cb) => s.unlink(tmp, cb)).then(() => this.temps?.end(tmp), (u: { code?: number }) => u.code === 2 && this.temps?.end(tmp));
      if ((e as { code?: number }).code === 2) throw new Error(`cannot write ${path}: its folder does not exist`);
      if (e instanceof UnreachableError) throw e;
      // SFTP says only "Failure": ask the host why (read-only or full filesystem, permissions)
      const kb = Math.ceil(data.length / 1024) + 1;
      const probe = `if ! e=$(touch ${shq(tmp)} 2>&1); then echo "\${e##*: }"; exit 0; fi; rm -f ${shq(tmp)}; a=$(df -Pk ${shq(posix.dirname(path))} | awk 'NR==2{print $4}'); [ "$a" -lt ${kb} ] && echo 'No space left on device'`;
      const why = await this.exec({ shell: probe }).then((r) => r.stdout.trim(), () => '');
      throw new FileOpError(`cannot write ${path}: ${why || (e as Error).message}`);
    }
  }

  async stat(path: string): Promise<FileStat | null> {
    const s = await this.sftp();
    if (!s) return execStat(this.piped, path);
    this.trips++;
    const st = await new Promise<Stats | null>((resolve, reject) => s.lstat(path, (err, st) => (err ? ((err as { code?: number }).code === 2 ? resolve(null) : reject(err)) : resolve(st))));
    if (!st) return null;
    const fmt = st.mode & S_IFMT;
    const type = fmt === S_IFREG ? 'file' : fmt === S_IFDIR ? 'directory' : fmt === S_IFLNK ? 'link' : 'other';
    const out: FileStat = { type, mode: (st.mode & 0o7777).toString(8).padStart(4, '0'), size: st.size, uid: st.uid, gid: st.gid, mtime: st.mtime };
    if (type === 'link') out.linkTarget = await new Promise<string>((resolve, reject) => s.readlink(path, (err, target) => (err ? reject(err) : resolve(target))));
    return out;
  }

  async mkdir(path: string, mode?: string): Promise<void> {
    const s = await this.sftp();
    if (!s) return execMkdir(this, path, mode, {});
    const m = mode ? parseInt(mode, 8) : 0o755;
    const parts = path.split('/').filter(Boolean);
    for (let i = 1; i <= parts.length; i++) {
      const p = '/' + parts.slice(0, i).join('/');
      this.trips++;
      const st = await statOrNull(s, p);
      if (st) continue;
      this.trips++;
      // made meanwhile (another step or host on the same machine): what we wanted
      await sftpStep((cb) => s.mkdir(p, { mode: m }, cb)).catch(async (e: unknown) => {
        const now = await statOrNull(s, p);
        if (!now?.isDirectory()) throw new Error(`cannot create the folder ${p}: ${(e as Error).message}`);
      });
    }
    if (mode) await this.chmod(path, mode);
  }

  async chmod(path: string, mode: string): Promise<void> {
    const s = await this.sftp();
    if (!s) return execChmod(this, path, mode, {});
    this.trips++;
    await sftpStep((cb) => s.chmod(path, parseInt(mode, 8), cb));
  }

  async close(): Promise<void> {
    this.client?.end();
    this.jump?.end();
  }

  roundTrips(): number {
    return this.trips;
  }
}
