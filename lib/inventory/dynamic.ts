import { isDeepStrictEqual } from 'node:util';
import { combineVars } from '../source/index.js';
import { ensureGroup, groupOrder, reconcile } from './load.js';
import { groupName } from './group-names.js';
import type { Group, Inventory, Vars } from './types.js';

/** A group with no parent sits under 'all', as reconcile puts it. */
function adopt(inv: Inventory, g: Group): void {
  if (g.name === 'all' || g.parents.length) return;
  g.parents.push('all');
  inv.groups.get('all')!.children.push(g.name);
}

/**
 * The host joins `name`: its groups gain the group and its ancestors (sorted as sort_groups) and it
 * leaves 'ungrouped'. Only this host's groups change, so the rest of the inventory is not redone:
 * a group_by on every host of a big inventory stays linear.
 */
function join(inv: Inventory, host: string, name: string): void {
  const h = inv.hosts.get(host)!;
  const group = inv.groups.get(name)!;
  if (!group.hosts.includes(host)) group.hosts.push(host);
  const set = new Set(h.groups.filter((g) => g !== 'ungrouped'));
  set.add('all');
  const up = (g: string): void => {
    if (set.has(g)) return;
    set.add(g);
    for (const p of inv.groups.get(g)!.parents) up(p);
  };
  up(name);
  h.groups = [...set].sort(groupOrder(inv));
  const ungrouped = inv.groups.get('ungrouped')!;
  if (name !== 'ungrouped' && ungrouped.hosts.includes(host)) ungrouped.hosts.splice(ungrouped.hosts.indexOf(host), 1);
}

/**
 * group_by: the host joins `group` under `parents` (each made when missing), as ansible-core's
 * add_dynamic_group; true when the inventory changed. A group that already had hosts and gains a
 * parent changes their groups too: then the whole inventory is reconciled.
 */
export function addDynamicGroup(inv: Inventory, host: string, key: string, parentKeys: string[]): boolean {
  if (!inv.hosts.has(host)) return false;
  // (the names as the inventory's Group gives them: force_valid_group_names may replace characters)
  const name = groupName(key);
  const parents = parentKeys.map((p) => groupName(p));
  const existed = inv.groups.has(name);
  const group = ensureGroup(inv, name);
  let changed = false;
  let relinked = false;
  for (const p of parents) {
    if (!inv.groups.has(p)) changed = true;
    const parent = ensureGroup(inv, p);
    adopt(inv, parent);
    if (!parent.children.includes(name)) {
      parent.children.push(name);
      group.parents.push(p);
      changed = true;
      relinked ||= existed && group.hosts.length > 0;
    }
  }
  adopt(inv, group);
  if (relinked) reconcile(inv);
  if (!group.hosts.includes(host) || relinked) {
    join(inv, host, name);
    changed = true;
  }
  return changed;
}

/** add_host: the host added (or its variables updated) and put in its groups, as ansible-core's add_dynamic_host; true when anything changed. */
export function addDynamicHost(inv: Inventory, name: string, groups: string[], vars: Vars): boolean {
  let changed = false;
  let host = inv.hosts.get(name);
  // the implicit localhost is in no group: added, it becomes a host of the inventory
  if (!host || inv.implicit?.delete(name)) {
    host = { name, vars: host?.vars ?? {}, groups: ['all', 'ungrouped'] };
    inv.hosts.set(name, host);
    inv.groups.get('ungrouped')!.hosts.push(name);
    changed = true;
  }
  const merged = combineVars(host.vars, vars);
  if (!isDeepStrictEqual(merged, host.vars)) {
    host.vars = merged;
    changed = true;
  }
  for (const g of groups.map((k) => groupName(k))) {
    if (!inv.groups.has(g)) changed = true;
    adopt(inv, ensureGroup(inv, g));
    if (!inv.groups.get(g)!.hosts.includes(name)) {
      join(inv, name, g);
      changed = true;
    }
  }
  return changed;
}
