// The controller's Python, for what only Python runs: filter and test plugins (lib/vars/py-plugins.ts)
// and the ansible.module_utils a library module imports (lib/modules/util/ansiballz.ts).
import { spawnSync } from 'node:child_process';
import { dirname } from 'node:path';

let found: { python: string; ansible: string | null } | null | undefined;

/**
 * $AGRI_PYTHON, else the first python3 (on PATH, then the system's) that can import ansible, with
 * the folder holding its `ansible` package; else the first that runs (no ansible); null if none does.
 */
export function controllerPython(): { python: string; ansible: string | null } | null {
  if (found !== undefined) return found;
  const candidates = process.env.AGRI_PYTHON ? [process.env.AGRI_PYTHON] : ['python3', '/usr/bin/python3'];
  const run = (p: string, code: string) => spawnSync(p, ['-c', code], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 30_000 });
  for (const python of candidates) {
    const r = run(python, 'import ansible, os; print(os.path.dirname(ansible.__file__))');
    if (r.status === 0 && r.stdout.trim()) return (found = { python, ansible: dirname(r.stdout.trim()) });
  }
  const python = candidates.find((p) => run(p, '').status === 0);
  return (found = python ? { python, ansible: null } : null);
}
