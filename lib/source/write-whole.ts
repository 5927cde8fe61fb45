import { chmodSync, renameSync, writeFileSync } from 'node:fs';

/**
 * Writes a file whole: to a temporary name beside it (with exactly `mode`, whatever the umask),
 * then renamed over it, so another process never reads half of it.
 */
export function writeWhole(path: string, data: string | Uint8Array, mode: number): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, data, { mode });
  chmodSync(tmp, mode);
  renameSync(tmp, path);
}
