// A throw-away Debian host for tests that change a whole system (Galaxy roles install packages,
// users, services): this machine's root as an overlay in its own mount, network, pid and uts
// namespaces (test/sandbox.sh), reached over a veth pair only this test made, with a real sshd in
// it. Everything a role does there vanishes when the sandbox stops; nothing leaves the veth.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readlinkSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { keygen } from '../lib/lab/sshd.js';
import { root } from './helpers.js';

export const SANDBOX_DEBS = '/var/cache/agri-play/sandbox-debs';

/** Why a sandbox cannot start here, or undefined when it can (root, unshare, ip, sshd). */
export function sandboxUnavailable(): string | undefined {
  if (process.getuid?.() !== 0) return 'needs root (namespaces, overlay mounts)';
  for (const b of ['/usr/bin/unshare', '/usr/sbin/ip', '/usr/sbin/sshd']) if (!existsSync(b)) return `needs ${b}`;
  try {
    execFileSync('unshare', ['-mnpuf', 'true'], { stdio: 'ignore' });
  } catch {
    return 'unshare of mount/net/pid/uts namespaces refused';
  }
  return undefined;
}

export interface Sandbox {
  address: string;
  port: number;
  /** The client key that logs in as root. */
  key: string;
  /** Inventory host vars (YAML flow) reaching it over ssh as root. */
  vars: string;
  stop(): Promise<void>;
}

let seq = 0;

export async function startSandbox(): Promise<Sandbox> {
  const n = seq++;
  const a = process.pid % 250;
  const b = (n % 60) * 4;
  const [hostAddr, address] = [`10.233.${a}.${b + 1}`, `10.233.${a}.${b + 2}`];
  const veth = `agsb${a}x${n % 60}`;
  const d = mkdtempSync(join(tmpdir(), 'agri-sandbox-'));
  for (const s of ['u', 'w', 'm', 'ssh']) mkdirSync(join(d, s));
  keygen(join(d, 'ssh'), 'host');
  const client = keygen(join(d, 'ssh'), 'client');
  writeFileSync(join(d, 'ssh/authorized_keys'), client.pub + '\n');
  const child: ChildProcess = spawn('unshare', ['-mnpuf', '--kill-child', join(root, 'test/sandbox.sh'), d, address, SANDBOX_DEBS], { stdio: ['pipe', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const gone = new Promise((r) => child.once('exit', r));
      process.kill(child.pid!, 'SIGKILL');
      await gone;
    }
    try {
      execFileSync('ip', ['link', 'del', veth], { stdio: 'ignore' });
    } catch {
      /* gone with the namespace */
    }
    rmSync(d, { recursive: true, force: true });
  };
  try {
    execFileSync('ip', ['link', 'del', veth], { stdio: 'ignore' });
  } catch {
    /* none left over */
  }
  try {
    // the veth's far end goes into the child's network namespace: wait until unshare has made it
    const own = readlinkSync('/proc/self/ns/net');
    for (const end = Date.now() + 30_000; ; await new Promise((r) => setTimeout(r, 20))) {
      if (child.exitCode !== null) throw new Error(`sandbox exited (${child.exitCode}): ${stderr}`);
      const ns = (() => {
        try {
          return readlinkSync(`/proc/${child.pid}/ns/net`);
        } catch {
          return own;
        }
      })();
      if (ns !== own) break;
      if (Date.now() > end) throw new Error('sandbox: unshare made no network namespace');
    }
    execFileSync('ip', ['link', 'add', veth, 'type', 'veth', 'peer', 'name', 'sb0', 'netns', String(child.pid)]);
    execFileSync('ip', ['addr', 'add', `${hostAddr}/30`, 'dev', veth]);
    execFileSync('ip', ['link', 'set', veth, 'up']);
    await waitForSsh(address, 2222, child, () => stderr);
  } catch (e) {
    await stop();
    throw e;
  }
  const hostKey = readFileSync(join(d, 'ssh/host.pub'), 'utf8').trim().split(/\s+/);
  writeFileSync(join(d, 'known_hosts'), `[${address}]:2222 ${hostKey[0]} ${hostKey[1]}\n`);
  const vars = `ansible_host: ${address}, ansible_port: 2222, ansible_user: root, ansible_ssh_private_key_file: ${client.priv}, ansible_ssh_common_args: "-o UserKnownHostsFile=${join(d, 'known_hosts')}", ansible_ssh_known_hosts_file: ${join(d, 'known_hosts')}, ansible_python_interpreter: /usr/bin/python3`;
  return { address, port: 2222, key: client.priv, vars, stop };
}

async function waitForSsh(host: string, port: number, child: ChildProcess, err: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`sandbox exited (${child.exitCode}): ${err()}`);
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect(port, host);
      s.once('data', (c) => (s.destroy(), resolve(c.toString().startsWith('SSH-2.0'))));
      s.once('error', () => resolve(false));
      s.setTimeout(1000, () => (s.destroy(), resolve(false)));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`sandbox sshd did not answer on ${host}:${port}: ${err()}`);
}
