// One run at a time that adds or removes the machine's users and groups. Test files run side by side
// (npm test's --test-concurrency), and a run that takes "the next free gid" (the group target's
// gidget.py) or picks an existing group races another file's useradd or groupdel. The lock is a
// folder (mkdir is atomic) holding its owner's pid, so a lock left by a killed run is taken over.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const LOCK = join(tmpdir(), 'agri-test-accounts.lock');

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function owner(): number {
  try {
    return Number(readFileSync(join(LOCK, 'pid'), 'utf8'));
  } catch {
    return 0;
  }
}

async function take(): Promise<void> {
  for (;;) {
    try {
      mkdirSync(LOCK);
      writeFileSync(join(LOCK, 'pid'), String(process.pid));
      return;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const pid = owner();
    // (a pid not written yet is a lock being taken: wait for it)
    if (pid > 0 && !alive(pid)) rmSync(LOCK, { recursive: true, force: true });
    else await sleep(100);
  }
}

/** How many runs of this process hold the lock (a sandbox started within a target's run takes it again). */
let held = 0;

/** Runs `fn` while no other test process changes the machine's accounts through this lock (held already by this process: at once). */
export async function withAccountsLock<T>(fn: () => Promise<T>): Promise<T> {
  if (held === 0) await take();
  held++;
  try {
    return await fn();
  } finally {
    if (--held === 0) rmSync(LOCK, { recursive: true, force: true });
  }
}
