import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import ssh2 from '../source/vendor/ssh2.js';
import { makeDirs } from '../source/index.js';

/** OpenSSH's server binary, when installed (tests and benchmarks run real sshd processes). */
export const SSHD = ['/usr/sbin/sshd', '/usr/bin/sshd'].find((p) => existsSync(p));

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

const SSH_KEYGEN = ['/usr/bin/ssh-keygen', '/bin/ssh-keygen'].find((p) => existsSync(p));

/**
 * An ed25519 key pair made by ssh2 that ssh2 itself can read back: about 1 in 100 of the private
 * keys its generator writes is malformed (ssh2 then refuses it as a host key: "Cannot parse
 * privateKey"), so a pair is made again until it parses.
 */
export function sshKeyPair(comment?: string): { private: string; public: string } {
  for (let i = 0; ; i++) {
    const k = ssh2.utils.generateKeyPairSync('ed25519', comment ? { comment } : {});
    if (!(ssh2.utils.parseKey(k.private) instanceof Error) || i >= 20) return k;
  }
}

/**
 * An ed25519 key pair in OpenSSH's formats (`name`, `name.pub`): by ssh-keygen where OpenSSH is
 * installed (OpenSSH's own tools then read it), else by ssh2 (read by ssh2's client and server;
 * OpenSSH refuses a few of the private keys it writes).
 */
export function keygen(dir: string, name: string): { priv: string; pub: string } {
  const priv = join(dir, name);
  if (SSH_KEYGEN) {
    execFileSync(SSH_KEYGEN, ['-q', '-t', 'ed25519', '-N', '', '-C', name, '-f', priv]);
    return { priv, pub: readFileSync(priv + '.pub', 'utf8').trim() };
  }
  const k = sshKeyPair(name);
  writeFileSync(priv, k.private, { mode: 0o600 });
  writeFileSync(priv + '.pub', k.public + '\n');
  return { priv, pub: k.public.trim() };
}

export interface Sshd {
  port: number;
  pid: number;
  /** `[127.0.0.1]:port type key` — a known_hosts line for this server. */
  knownHostsLine: string;
  stop(): Promise<void>;
}

const dirs = new Set<string>();
// each server's folder (config, host key) goes at the latest with the process that made it
process.on('exit', () => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/**
 * The config of a test's sshd: its port and address, host key, pid file and authorized keys (in
 * `dir`), key logins of this user only (root too when it is root), SFTP (unless `sftp: false`), many sessions at once.
 */
export function sshdConfig(o: { port: number; listen: string; hostKey: string; dir: string; env?: Record<string, string>; sftp?: boolean }): string {
  return [
    `Port ${o.port}`,
    `ListenAddress ${o.listen}`,
    `HostKey ${o.hostKey}`,
    `PidFile ${join(o.dir, 'sshd.pid')}`,
    `AuthorizedKeysFile ${join(o.dir, 'authorized_keys')}`,
    'StrictModes no',
    'UsePAM no',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'PermitRootLogin yes',
    `AllowUsers ${userInfo().username}`,
    // (sftp: false, a host whose sshd offers none: its files go through commands)
    ...(o.sftp === false ? [] : ['Subsystem sftp internal-sftp']),
    'MaxStartups 200',
    'MaxSessions 200',
    'AllowTcpForwarding yes',
    'LogLevel ERROR',
    // bash sources ~/.bashrc for every command run by sshd unless it thinks it is nested; the
    // operator's rc (here `pyenv init`, which takes a global lock) is not part of a simulated host
    `SetEnv SHLVL=1${Object.entries(o.env ?? {}).map(([k, v]) => ` ${k}=${v}`).join('')}`,
  ].join('\n');
}

/** A real OpenSSH server on a free loopback port, with its own host key and config. */
export async function startSshd(authorizedKeys: string[], opts: { hostKey?: string; port?: number; env?: Record<string, string>; sftp?: boolean } = {}): Promise<Sshd> {
  if (!SSHD) throw new Error('sshd not installed (apt-get install openssh-server)');
  makeDirs('/run/sshd');
  const dir = mkdtempSync(join(tmpdir(), 'agri-sshd-'));
  dirs.add(dir);
  const hostKey = opts.hostKey ?? keygen(dir, 'host_ed25519').priv;
  writeFileSync(join(dir, 'authorized_keys'), authorizedKeys.join('\n') + '\n', { mode: 0o600 });
  const port = opts.port ?? (await freePort());
  const config = sshdConfig({ port, listen: '127.0.0.1', hostKey, dir, env: opts.env, sftp: opts.sftp });
  writeFileSync(join(dir, 'sshd_config'), config + '\n');
  const child: ChildProcess = spawn(SSHD, ['-D', '-e', '-f', join(dir, 'sshd_config')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (b: Buffer) => (stderr += b.toString()));
  await waitForBanner(port, child, () => stderr);
  const pubKey = readFileSync(hostKey + '.pub', 'utf8').trim().split(/\s+/);
  return {
    port,
    pid: child.pid!,
    knownHostsLine: `[127.0.0.1]:${port} ${pubKey[0]} ${pubKey[1]}`,
    stop: () =>
      new Promise<void>((resolve) => {
        const done = () => (rmSync(dir, { recursive: true, force: true }), dirs.delete(dir), resolve());
        if (child.exitCode !== null || child.signalCode !== null) return done();
        child.once('exit', done);
        process.kill(child.pid!, 'SIGTERM');
      }),
  };
}

async function waitForBanner(port: number, child: ChildProcess, err: () => string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`sshd exited: ${err()}`);
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect(port, '127.0.0.1');
      s.once('data', (b) => {
        s.destroy();
        resolve(b.toString().startsWith('SSH-2.0'));
      });
      s.once('error', () => resolve(false));
      s.setTimeout(1000, () => {
        s.destroy();
        resolve(false);
      });
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`sshd did not start on ${port}: ${err()}`);
}
