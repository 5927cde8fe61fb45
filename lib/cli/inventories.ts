import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { InputError } from '../errors.js';
import { emptyInventory, expandRange, findInventory, loadInventories, type Inventory } from '../inventory/index.js';
import { closest, problem } from '../source/index.js';
import { applyConstructed } from './constructed.js';

/**
 * Resolves -i specs (paths or names) and loads them; none given → no hosts but the implicit
 * localhost, which a play reaches by naming it (`all` does not match it, as in ansible-core).
 */
export function inventoriesFrom(specs: string[], cwd: string, enabled: string[]): { inventory: Inventory; sources: string[]; warnings: string[] } {
  if (specs.length === 0) return { inventory: emptyInventory(), sources: ['(implicit localhost)'], warnings: [] };
  // (ansible-core's words for a source no plugin could read, which it passes over)
  const warnings: string[] = [];
  const paths: string[] = [];
  // (ansible_inventory_sources: as given)
  const sources: string[] = [];
  // (each host list where it comes among the sources: before the path it precedes, as ansible-core reads them in order)
  const at: { at: number; add: (inv: Inventory) => void }[] = [];
  for (const spec of specs) {
    // ansible-core's host_list: `-i 'web1,web2:2222,'` (a comma and no such path) names the hosts
    if (spec.includes(',') && !existsSync(resolve(cwd, spec))) {
      const unreadable = advancedHostList(enabled) ? hostListError(spec) : undefined;
      if (unreadable) {
        warnings.push(` * Failed to parse ${spec} with advanced_host_list plugin: Invalid data from string, could not parse: ${unreadable}`, `Unable to parse ${spec} as an inventory source`);
        continue;
      }
      sources.push(spec);
      at.push({ at: paths.length, add: (inv) => addHostList(inv, spec, advancedHostList(enabled)) });
      continue;
    }
    const found = findInventory(spec, cwd);
    if (!found) {
      const dir = join(cwd, 'inventories');
      const known = existsSync(dir) ? readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).map((f) => f.replace(/\.ya?ml$/, '')) : [];
      const hint = closest(spec, known);
      throw new InputError([problem({ file: resolve(cwd, spec), line: 1, col: 1 }, `-i ${spec}: no such inventory (not a path, and no inventories/${spec}.yaml)`, hint ? `did you mean '${hint}'?` : known.length ? `inventories: ${known.join(', ')}` : undefined)]);
    }
    paths.push(found);
    sources.push(found);
  }
  if (sources.length === 0) {
    warnings.push('No inventory was parsed, only implicit localhost is available');
    return { inventory: emptyInventory(), sources: ['(implicit localhost)'], warnings };
  }
  const inventory = loadInventories(paths, at);
  if (inventory.constructed?.length) applyConstructed(inventory);
  return { inventory, sources, warnings };
}

/** Python's int() of a text: what it takes. */
const pyInt = (t: string): boolean => /^\s*[+-]?\d+(_\d+)*\s*$/.test(t);

/**
 * Why the advanced_host_list plugin cannot read a host list at all: a range whose bounds are neither
 * numbers nor letters (expand_hostname_range's int() raises a ValueError, which fails the source,
 * where its own errors — no end value — leave the entry a host name as written).
 */
function hostListError(list: string): string | undefined {
  for (const entry of list.split(',').map((h) => h.trim()).filter(Boolean)) {
    const m = /\[([^\]]*)\]/.exec(entry);
    const bounds = m?.[1].split(':');
    if (!bounds || (bounds.length !== 2 && bounds.length !== 3) || !bounds[1]) continue;
    const [beg, end, step = '1'] = [bounds[0] || '0', bounds[1], bounds[2]];
    const letters = /^[a-zA-Z]$/.test(beg) && /^[a-zA-Z]$/.test(end);
    const bad = (letters ? [step] : [beg, end, step]).find((t) => !pyInt(t));
    if (bad !== undefined) return `invalid literal for int() with base 10: '${bad}'`;
  }
  return undefined;
}

/**
 * The enabled inventory plugins (ansible.cfg's [inventory] enable_plugins, ANSIBLE_INVENTORY_ENABLED)
 * name advanced_host_list before host_list (or without it): a host list's entries are host patterns,
 * `web[01:10]` ranges expanded, as that plugin reads them.
 */
function advancedHostList(enabledPlugins: string[]): boolean {
  const enabled = enabledPlugins.map((p) => p.replace(/^ansible\.builtin\./, ''));
  const adv = enabled.indexOf('advanced_host_list');
  const plain = enabled.indexOf('host_list');
  return adv >= 0 && (plain < 0 || adv < plain);
}

/** Each `host` or `host:port` of a host list (a range expanded with advanced), in `ungrouped` unless the inventory has it. */
function addHostList(inv: Inventory, list: string, advanced: boolean): void {
  for (const entry of list.split(',').map((h) => h.trim()).filter(Boolean)) {
    const m = /^\[(.+)\](?::(\d+))?$/.exec(entry) ?? (advanced ? /^(.+?):(\d+)$/ : /^([^:]+):(\d+)$/).exec(entry);
    const [name, port] = m ? [m[1], m[2]] : [entry, undefined];
    // (a pattern that does not expand is the host's name as it is, as the plugin's fallback)
    const expanded = advanced ? expandRange(name) : [name];
    for (const host of Array.isArray(expanded) ? expanded : [name]) {
      if (inv.hosts.has(host)) continue;
      inv.hosts.set(host, { name: host, vars: port ? { ansible_port: Number(port) } : {}, groups: ['all', 'ungrouped'] });
      inv.groups.get('all')!.hosts.push(host);
      inv.groups.get('ungrouped')!.hosts.push(host);
    }
  }
}
