import { readdirSync, readFileSync, existsSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { keygen, startSshd, type Sshd } from '../lib/lab/sshd.js';
import { fixture } from './helpers.js';

export { SSHD, freePort, keygen, startSshd, type Sshd } from '../lib/lab/sshd.js';
export const HAVE_SUDO = ['/usr/bin/sudo', '/bin/sudo'].some((p) => existsSync(p));

/** Every process below `pid` (children first found through /proc). */
export function descendants(pid: number): number[] {
  const parent = new Map<number, number>();
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const stat = readFileSync(`/proc/${e}/stat`, 'utf8');
      parent.set(Number(e), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      /* gone */
    }
  }
  const out: number[] = [];
  const walk = (p: number) => {
    for (const [c, pp] of parent) if (pp === p) (out.push(c), walk(c));
  };
  walk(pid);
  return out;
}

/** SIGKILL a server and all its sessions, as a crash would. */
export function killHard(pid: number): void {
  for (const p of [pid, ...descendants(pid)]) {
    try {
      process.kill(p, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
}

/** A real sshd for a test file, and the inventory vars that reach it as the current user. */
export async function sshHost(): Promise<{ sshd: Sshd; vars: string }> {
  const d = fixture({});
  const k = keygen(d, 'client');
  const sshd = await startSshd([k.pub]);
  writeFileSync(join(d, 'known_hosts'), sshd.knownHostsLine + '\n');
  const vars = `ansible_connection: ssh, ansible_host: 127.0.0.1, ansible_port: ${sshd.port}, ansible_user: ${userInfo().username}, ansible_ssh_private_key_file: ${k.priv}, ansible_ssh_known_hosts_file: ${join(d, 'known_hosts')}`;
  return { sshd, vars };
}
