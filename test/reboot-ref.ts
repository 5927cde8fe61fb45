// The reboot action on a sandboxed host (test/reboot/play.yaml says how it reboots without a
// machine rebooting): --check, then a run, each recap compared with ansible-core's, recorded by
// `npm run record:reboot` in the same kind of sandbox.
import { join } from 'node:path';
import { execa } from 'execa';
import { fixture, root } from './helpers.js';
import { recapLine } from './compat-ref.js';
import { inSandbox, SANDBOX_ENV } from './sandbox.js';

export const REBOOT_PLAY = join(root, 'test/reboot/play.yaml');
export const REBOOT_EXPECTED = join(root, 'test/reboot/expected.json');
export const REBOOT_LOCAL = join(root, 'test/reboot/local.yaml');
export type RebootRecaps = { check: Record<string, number>; run: Record<string, number> };

/** test/reboot/local.yaml under `cmd` on the local host (--check when asked): its recap. */
export async function rebootLocal(cmd: string[], check: boolean): Promise<Record<string, number>> {
  const d = fixture({ 'inv.yaml': 'all:\n  hosts:\n    h: {ansible_connection: local, ansible_python_interpreter: /usr/bin/python3}\n' });
  const r = await execa(cmd[0], [...cmd.slice(1), '-i', 'inv.yaml', REBOOT_LOCAL, ...(check ? ['--check'] : [])], { cwd: d, reject: false, timeout: 600_000, env: { ANSIBLE_NOCOLOR: '1', NO_COLOR: '1', ANSIBLE_LOCALHOST_WARNING: 'False' } });
  return recapLine(String(r.stdout), 'h');
}

/** --check and a run of the play under `cmd` (ansible-playbook or agri-play), in a fresh sandbox. */
export async function rebootRun(cmd: string[]): Promise<{ recaps: RebootRecaps; outputs: string[] }> {
  return inSandbox(async (d) => {
    const recaps = {} as RebootRecaps;
    const outputs: string[] = [];
    for (const pass of ['check', 'run'] as const) {
      const args = [...cmd.slice(1), '-i', 'inventory.yaml', REBOOT_PLAY, ...(pass === 'check' ? ['--check'] : [])];
      const r = await execa(cmd[0], args, { cwd: d, reject: false, timeout: 600_000, env: SANDBOX_ENV });
      outputs.push(`${String(r.stdout)}\n${String(r.stderr)}`);
      try {
        recaps[pass] = recapLine(String(r.stdout), 'sandbox');
      } catch {
        throw new Error(`${pass}: ${outputs.at(-1)!.slice(-3000)}`);
      }
    }
    return { recaps, outputs };
  });
}
