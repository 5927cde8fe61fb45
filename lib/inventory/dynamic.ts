import { isDeepStrictEqual } from 'node:util';
import { ensureGroup, reconcile } from './load.js';
import type { Group, Inventory, Vars } from './types.js';

/** A group made at run time: under `parents` (each made when missing); whether that is new. */
function groupUnder(inv: Inventory, name: string, parents: string[]): { group: Group; changed: boolean } {
  const group = ensureGroup(inv, name);
  let changed = false;
  for (const p of parents) {
    if (!inv.groups.has(p)) changed = true;
    const parent = ensureGroup(inv, p);
    if (!parent.children.includes(name)) {
      parent.children.push(name);
      group.parents.push(p);
      changed = true;
    }
  }
  return { group, changed };
}

/**
 * group_by: the host joins `group` under `parents`, as ansible-core's add_dynamic_group; true
 * when the inventory changed (then it is reconciled: 'all', 'ungrouped', each host's groups).
 */
export function addDynamicGroup(inv: Inventory, host: string, name: string, parents: string[]): boolean {
  if (!inv.hosts.has(host)) return false;
  const { group, changed: made } = groupUnder(inv, name, parents);
  let changed = made;
  if (!group.hosts.includes(host)) {
    group.hosts.push(host);
    changed = true;
  }
  if (changed) reconcile(inv);
  return changed;
}

/** add_host: the host added (or its variables updated) and put in its groups, as ansible-core's add_dynamic_host; true when anything changed. */
export function addDynamicHost(inv: Inventory, name: string, groups: string[], vars: Vars): boolean {
  let changed = false;
  let host = inv.hosts.get(name);
  if (!host) {
    host = { name, vars: {}, groups: ['all'] };
    inv.hosts.set(name, host);
    inv.implicit?.delete(name);
    changed = true;
  }
  const merged = { ...host.vars, ...vars };
  if (!isDeepStrictEqual(merged, host.vars)) {
    host.vars = merged;
    changed = true;
  }
  for (const g of groups) {
    if (!inv.groups.has(g)) changed = true;
    const group = ensureGroup(inv, g);
    if (!group.hosts.includes(name)) {
      group.hosts.push(name);
      changed = true;
    }
  }
  if (changed) reconcile(inv);
  return changed;
}
