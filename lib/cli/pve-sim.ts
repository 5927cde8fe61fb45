#!/usr/bin/env node
// the commands' own modules only (not the lab's index, which loads ssh2): each qm/pvesh call is a process
import { runSim } from '../lab/proxmox/run.js';

/**
 * Program entry of the simulated `qm`, `pvesh` and `pvesm` commands (lib/lab/proxmox) where the
 * lab serves them no other way (wrapper scripts on the simulated PVE host's PATH call this with the
 * program name first). State lives in $PVE_SIM_DIR.
 */
const [prog, ...argv] = process.argv.slice(2);
const r = runSim(process.env.PVE_SIM_DIR, prog, argv);
process.stdout.write(r.stdout);
if (r.stderr) process.stderr.write(r.stderr);
process.exitCode = r.code;
