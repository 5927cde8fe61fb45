import { qm, type Out } from './qm.js';
import { pvesh, pvesm } from './pvesh.js';
import { PveError } from './state.js';

const PROGS: Record<string, (dir: string, argv: string[]) => Out> = { qm, pvesh, pvesm };

/** One simulated `qm`/`pvesh`/`pvesm` command on the node in `dir`: its output and exit code (PVE's message and code on error). */
export function runSim(dir: string | undefined, prog: string | undefined, argv: string[]): Required<Out> & { code: number } {
  try {
    if (!dir) throw new PveError('PVE_SIM_DIR is not set (this is the agri-play Proxmox simulator)');
    const f = PROGS[prog ?? ''];
    if (!f) throw new PveError(`unknown program '${prog ?? ''}'`);
    const out = f(dir, argv);
    return { stdout: out.stdout, stderr: out.stderr ?? '', code: 0 };
  } catch (e) {
    return { stdout: '', stderr: `${e instanceof Error ? e.message : String(e)}\n`, code: e instanceof PveError ? e.code : 255 };
  }
}
