// A cancelled command's whole process tree: the shell a command runs in (`/bin/sh -c 'sleep 100'`)
// is the only process the connection started, and killing it alone leaves its children running
// with the command's output pipes open (a task's `timeout: 1` over `sleep 100` took 100 s).
// The tree is read from /proc, as ps reads it, before anything is killed: once the shell is gone its
// children belong to init and can no longer be told from any other process.
import { readdirSync, readFileSync } from 'node:fs';

/** The pids below `pid` (its children, theirs, …), children before grandchildren. */
export function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  for (const name of entries) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'latin1');
      // (the command name in parentheses may hold spaces and parentheses: the fields after its last `)`)
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const list = children.get(ppid);
      if (list) list.push(Number(name));
      else children.set(ppid, [Number(name)]);
    } catch {
      // (gone since it was listed)
    }
  }
  const out: number[] = [];
  for (let i = -1, at = pid; i < out.length; at = out[++i]) out.push(...(children.get(at) ?? []));
  return out;
}

/**
 * Ends `pid` and every process below it: SIGTERM now, SIGKILL a moment later to those still there
 * (a process of another user, sudo's command, is sudo's to pass the signal to).
 */
export function killTree(pid: number, graceMs = 2000): void {
  const all = [pid, ...descendants(pid)];
  const send = (sig: NodeJS.Signals) => {
    for (const p of all)
      try {
        process.kill(p, sig);
      } catch {
        // (ended already, or not ours)
      }
  };
  send('SIGTERM');
  setTimeout(() => send('SIGKILL'), graceMs).unref();
}
