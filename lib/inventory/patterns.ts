import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { groupHosts, selectHosts, splitPattern, type Selection } from '../source/host-patterns.js';
import type { Inventory } from './types.js';

export { groupHosts, selectHosts, splitPattern, type Selection };

/** ansible-core's group_names: the host's groups but `all`, sorted (`ungrouped` for a host in no other group). */
export function groupNamesOf(inv: Inventory, host: string): string[] {
  return (inv.hosts.get(host)?.groups ?? []).filter((g) => g !== 'all').sort();
}

/** The implicit localhost's variables: the local connection and, as ansible-core names it, the controller's Python. */
const implicitLocalhostVars = (): Record<string, unknown> => ({ ansible_connection: 'local', ansible_python_interpreter: localPython() });

/** The controller's Python (ansible-core's own sys.executable: its ansible_playbook_python). */
export function localPython(): string {
  if (existsSync('/usr/bin/python3')) return '/usr/bin/python3';
  const dir = (process.env.PATH ?? '').split(delimiter).find((d) => d && existsSync(join(d, 'python3')));
  return dir ? join(dir, 'python3') : '/usr/bin/python3';
}

/**
 * ansible-core's implicit localhost: a play that names `localhost` (or 127.0.0.1) runs there with
 * the local connection even when the inventory does not list it; it is in no group and not in `all`.
 */
export function addImplicitLocalhost(inv: Inventory, pattern: string): void {
  for (const term of splitPattern(pattern).map((t) => t.replace(/^[!&]/, ''))) {
    if ((term === 'localhost' || term === '127.0.0.1') && !inv.hosts.has(term)) {
      inv.hosts.set(term, { name: term, vars: implicitLocalhostVars(), groups: [] });
      (inv.implicit ??= new Set()).add(term);
    }
  }
}
