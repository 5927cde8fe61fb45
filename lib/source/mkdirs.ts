import { mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/**
 * `mkdir -p` (each made folder with `mode`) without Node's `recursive: true`, which spins at 100% CPU
 * and never returns where a parent exists but answers ENOENT for a child (under /proc, a stale mount;
 * a known Node.js bug, Node 20 included). Each missing folder is made in turn and the first that
 * cannot be made is the error; a path that is a file is EEXIST, as mkdir -p says.
 */
export function makeDirs(path: string, mode?: number): void {
  const target = resolve(path);
  const absent: string[] = [];
  for (let p = target; ; p = dirname(p)) {
    const st = statSync(p, { throwIfNoEntry: false });
    if (st) {
      if (p === target && !st.isDirectory()) throw Object.assign(new Error(`EEXIST: file already exists, mkdir '${path}'`), { code: 'EEXIST', errno: -17, syscall: 'mkdir', path });
      break;
    }
    absent.unshift(p);
    if (dirname(p) === p) break;
  }
  for (const p of absent) {
    try {
      mkdirSync(p, { mode });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
}
