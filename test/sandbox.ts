// A throw-away Debian host for tests that change a whole system (Galaxy roles install packages,
// users, services): this machine's root as an overlay in its own mount, network, pid and uts
// namespaces (test/sandbox.sh), reached over a veth pair only this test made, with a real sshd in
// it. Everything a role does there vanishes when the sandbox stops; nothing leaves the veth.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readlinkSync, renameSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { keygen } from '../lib/lab/sshd.js';
import { fixture, root } from './helpers.js';
import { serveToSandbox, type Served } from './served.js';
import { overlayChanges, type FileChanges } from './sandbox-files.js';
import { withAccountsLock } from './accounts-lock.js';

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
  /** This machine's end of the veth (the only address the sandbox reaches). */
  hostAddress: string;
  /** Runs a shell command on the sandbox as root, over ssh, with `input` on its stdin. */
  sh(command: string, input?: string): void;
  port: number;
  /** The client key that logs in as root. */
  key: string;
  /** Inventory host vars (YAML flow) reaching it over ssh as root. */
  vars: string;
  /** What the sandbox's files now differ in from this machine's (sandbox-files.ts). */
  changes(): FileChanges;
  stop(): Promise<void>;
}

let seq = 0;
const SLOTS = 1 << 14;

/**
 * A veth pair whose far end (sb0) is in the sandbox's network namespace, on a slot no other
 * sandbox holds: `ip link add` refuses a name that exists, so test processes running at once
 * each get their own name and /30 (10.233.0.0/16 in 16384 slots), with no name reused while its
 * sandbox lives (a pair vanishes with its namespace).
 */
function addVeth(pid: number, from: number): { veth: string; hostAddr: string; address: string } {
  for (let i = 0; i < SLOTS; i++) {
    const s = (from + i) % SLOTS;
    const veth = `agsb${s}`;
    try {
      execFileSync('ip', ['link', 'add', veth, 'type', 'veth', 'peer', 'name', 'sb0', 'netns', String(pid)], { stdio: ['ignore', 'ignore', 'pipe'] });
    } catch (e) {
      if (/exists/i.test(String((e as { stderr?: Buffer }).stderr ?? ''))) continue;
      throw e;
    }
    const net = `10.233.${s >> 6}.${(s & 63) * 4}`.split('.').map(Number);
    const at = (k: number) => `${net[0]}.${net[1]}.${net[2]}.${net[3] + k}`;
    return { veth, hostAddr: at(1), address: at(2) };
  }
  throw new Error('sandbox: every veth slot is taken');
}

/** A sandbox, started while no other test changes the machine's accounts (sandbox.sh copies them in). */
export function startSandbox(): Promise<Sandbox> {
  return withAccountsLock(start);
}

async function start(): Promise<Sandbox> {
  const n = seq++;
  const d = mkdtempSync(join(tmpdir(), 'agri-sandbox-'));
  for (const s of ['u', 'w', 'm', 'ssh']) mkdirSync(join(d, s));
  keygen(join(d, 'ssh'), 'host');
  const client = keygen(join(d, 'ssh'), 'client');
  writeFileSync(join(d, 'ssh/authorized_keys'), client.pub + '\n');
  const child: ChildProcess = spawn('unshare', ['-mnpuf', '--kill-child', join(root, 'test/sandbox.sh'), d, SANDBOX_DEBS], { stdio: ['pipe', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  let veth: string | undefined;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const gone = new Promise((r) => child.once('exit', r));
      process.kill(child.pid!, 'SIGKILL');
      await gone;
    }
    try {
      if (veth) execFileSync('ip', ['link', 'del', veth], { stdio: 'ignore' });
    } catch {
      /* gone with the namespace */
    }
    rmSync(d, { recursive: true, force: true });
  };
  let address = '';
  let hostAddress = '';
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
    const slot = addVeth(child.pid!, process.pid * 64 + n);
    veth = slot.veth;
    execFileSync('ip', ['addr', 'add', `${slot.hostAddr}/30`, 'dev', veth]);
    execFileSync('ip', ['link', 'set', veth, 'up']);
    // the sandbox waits for its end of the veth and this file, then takes the address
    writeFileSync(join(d, 'addr.tmp'), slot.address);
    renameSync(join(d, 'addr.tmp'), join(d, 'addr'));
    address = slot.address;
    hostAddress = slot.hostAddr;
    await waitForSsh(address, 2222, child, () => stderr);
  } catch (e) {
    await stop();
    throw e;
  }
  const hostKey = readFileSync(join(d, 'ssh/host.pub'), 'utf8').trim().split(/\s+/);
  writeFileSync(join(d, 'known_hosts'), `[${address}]:2222 ${hostKey[0]} ${hostKey[1]}\n`);
  const vars = `ansible_host: ${address}, ansible_port: 2222, ansible_user: root, ansible_ssh_private_key_file: ${client.priv}, ansible_ssh_common_args: "-o UserKnownHostsFile=${join(d, 'known_hosts')}", ansible_ssh_known_hosts_file: ${join(d, 'known_hosts')}, ansible_python_interpreter: /usr/bin/python3`;
  const sh = (command: string, input?: string) => void execFileSync('ssh', ['-p', '2222', '-i', client.priv, '-o', `UserKnownHostsFile=${join(d, 'known_hosts')}`, '-o', 'BatchMode=yes', `root@${address}`, command], { input: input ?? '', stdio: ['pipe', 'ignore', 'pipe'] });
  return { address, hostAddress, sh, port: 2222, key: client.priv, vars, changes: () => overlayChanges(join(d, 'u'), join(d, 'base')), stop };
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

/** What ansible-playbook and agri-play run with against a sandbox: no colours, its host key taken. */
export const SANDBOX_ENV = { ANSIBLE_NOCOLOR: '1', NO_COLOR: '1', ANSIBLE_HOST_KEY_CHECKING: 'False' };

/**
 * `use` with a fresh sandbox and a test folder whose inventory.yaml names it `sandbox`, and what it
 * downloads served to it where given (test/served.ts); the sandbox is stopped after.
 */
export async function inSandbox<T>(use: (dir: string, sb: Sandbox) => Promise<T>, served?: Served): Promise<T> {
  const sb = await startSandbox();
  let unserve: (() => Promise<void>) | undefined;
  try {
    if (served) unserve = await serveToSandbox(sb, served);
    return await use(fixture({ 'inventory.yaml': `all:\n  hosts:\n    sandbox: {${sb.vars}}\n` }), sb);
  } finally {
    await unserve?.();
    await sb.stop();
  }
}
