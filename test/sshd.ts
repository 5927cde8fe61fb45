import { readdirSync, readFileSync, existsSync } from 'node:fs';

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

