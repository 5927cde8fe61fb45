import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { groupHosts, selectHosts, splitPattern, type Selection } from '../source/host-patterns.js';
import type { Inventory } from './types.js';

export { groupHosts, selectHosts, splitPattern, type Selection };

const IPV4_PART = '(?:[01]?[0-9]{1,2}|2[0-4][0-9]|25[0-5])';
const IPV4 = new RegExp(`^${IPV4_PART}(?:\\.${IPV4_PART}){3}$`);

/**
 * ansible-core's inventory_hostname_short: the name up to its first dot, but an IP address whole
 * (Host.get_magic_vars: `10.0.0.5` stays `10.0.0.5`); a name with a colon is an IPv6 address (no
 * inventory host name has one: `host:port` is read apart).
 */
export const hostnameShort = (name: string): string => (IPV4.test(name) || name.includes(':') ? name : name.split('.')[0]);

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
