import { chmodSync, existsSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { shq } from '../../connections/quote.js';
import { SSHD, startSshd, type Sshd } from '../sshd.js';
import { startSshServer } from '../ssh-server.js';
import { initState, type PveState } from './state.js';
import { pveEtc } from './pmxcfs.js';
import { servePveSim } from './serve.js';
import { makeDirs } from '../../source/index.js';

export { readState, withState, simDirs, type PveState, type SimVm } from './state.js';
export { leaseOf, effective, qm, type Out } from './qm.js';
export { pvesh, pvesm } from './pvesh.js';
export { PveError } from './state.js';
export { pveEtc, vmConf } from './pmxcfs.js';

// the program entry lives with the other programs (lib/cli); the simulator itself only computes output
// through the dist link when built in a checkout: a lab that stays up outlives the build it started from
const CLI = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'cli', 'pve-sim.js').replace(/\/\.build-[^/]+\//, (m) => (existsSync(join(fileURLToPath(import.meta.url), '..', '..', '..', '..', '..', 'dist')) ? '/dist/' : m));

/**
 * Writes the `qm`, `pvesh`, `pvesm` commands of a simulated PVE node into `dir/bin`; returns that
 * folder. With `script`, each is what it gives (clients of a simulator this process serves);
 * without, a Node program run for each command.
 */
export function installPveSim(dir: string, init: Partial<PveState> = {}, script?: (prog: string) => string): string {
  initState(dir, init);
  const bin = join(dir, 'bin');
  makeDirs(bin);
  for (const prog of ['qm', 'pvesh', 'pvesm']) {
    const f = join(bin, prog);
    writeFileSync(f, script?.(prog) ?? `#!/bin/sh\n# agri-play lab: simulated Proxmox VE '${prog}'\nPVE_SIM_DIR=${shq(dir)} exec ${shq(process.execPath)} ${shq(CLI)} ${prog} "$@"\n`);
    chmodSync(f, 0o755);
  }
  return bin;
}

export interface PveHost {
  sshd: Sshd;
  dir: string;
  stop(): Promise<void>;
}

/** A simulated PVE node reached over SSH: sshd (or the in-process server) whose sessions have the simulated commands on PATH. */
export async function startPveHost(dir: string, authorizedKeys: string[], init: Partial<PveState> = {}, port?: number): Promise<PveHost> {
  const served = await servePveSim(dir);
  const bin = installPveSim(dir, init, served?.script);
  // the node's /etc/pve is a folder of the simulation; its sessions are told where (a real node has /etc/pve)
  const env = { PATH: `${bin}:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin`, AGRI_PVE_ETC: pveEtc(dir) };
  // OpenSSH where installed; else (or with AGRI_LAB_SSH=builtin) the in-process server
  const builtin = !SSHD || process.env.AGRI_LAB_SSH === 'builtin';
  const sshd = builtin ? await startSshServer(authorizedKeys, { port, env: { ...env, SHLVL: '1' } }) : await startSshd(authorizedKeys, { port, env });
  return { sshd, dir, stop: async () => (await sshd.stop(), await served?.close()) };
}
