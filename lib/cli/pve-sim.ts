#!/usr/bin/env node
// the commands' own modules only (not the lab's index, which loads ssh2): each qm/pvesh call is a process
import { qm, type Out } from '../lab/proxmox/qm.js';
import { pvesh, pvesm } from '../lab/proxmox/pvesh.js';
import { PveError } from '../lab/proxmox/state.js';

/**
 * Program entry of the simulated `qm`, `pvesh` and `pvesm` commands (lib/lab/proxmox) (wrapper scripts on the simulated
 * PVE host's PATH call this with the program name first). State lives in $PVE_SIM_DIR.
 */
const [prog, ...argv] = process.argv.slice(2);
const dir = process.env.PVE_SIM_DIR;
try {
  if (!dir) throw new PveError('PVE_SIM_DIR is not set (this is the agri-play Proxmox simulator)');
  const run: Record<string, (d: string, a: string[]) => Out> = { qm, pvesh, pvesm };
  const f = run[prog ?? ''];
  if (!f) throw new PveError(`unknown program '${prog ?? ''}'`);
  const out = f(dir, argv);
  process.stdout.write(out.stdout);
  if (out.stderr) process.stderr.write(out.stderr);
} catch (e) {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = e instanceof PveError ? e.code : 255;
}
