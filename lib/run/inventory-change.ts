import { addDynamicGroup, addDynamicHost, addImplicitLocalhost, groupName, readVarsOf, selectHosts, takeGroupNameWarning } from '../inventory/index.js';
import { ModuleFailure } from '../modules/index.js';
import type { InventoryChange } from '../modules/index.js';
import type { Inventory } from '../inventory/index.js';
import type { Problem } from '../source/index.js';
import type { RunCtx } from './context.js';
import type { Step } from '../plan/index.js';

/**
 * A group_by/add_host result applied to the run's inventory (the plays after it are planned on
 * it); whether anything changed, which is the task's `changed`, as ansible-core's strategy sets it.
 */
export function changeInventory(rc: RunCtx, step: Step, change: InventoryChange): boolean {
  const host = step.host;
  unseen(rc, step);
  let list = made.get(rc);
  if (!list) made.set(rc, (list = []));
  list.push([host, change]);
  const changed = apply(rc.inventory, host, change);
  const named = takeGroupNameWarning();
  if (named) rc.emit({ event: 'warning', msg: `${named.message} (${named.hint})` });
  const problems = changeVars(rc.inventory, change);
  if (changed) rc.vars.inventoryChanged();
  if (problems.length) throw new ModuleFailure(problems.map((p) => `${p.file}:${p.line}:${p.col}: ${p.message}`).join('\n'));
  return changed;
}

const apply = (inv: Inventory, host: string, change: InventoryChange): boolean => ('group' in change ? addDynamicGroup(inv, host, change.group, change.parents) : addDynamicHost(inv, change.host, change.groups, change.vars));

/**
 * The group_vars/host_vars of the groups and host a change names, read for those made now (a name
 * the run has read is not read again), as ansible-core's host_group_vars reads them for any name.
 */
const changeVars = (inv: Inventory, change: InventoryChange): Problem[] => [
  ...('group' in change ? [change.group, ...change.parents] : change.groups).flatMap((g) => readVarsOf(inv, 'group_vars', groupName(g))),
  ...('host' in change ? readVarsOf(inv, 'host_vars', change.host) : []),
];

/**
 * A change reached through include_tasks/include_role, which the plan could not see: the plays
 * after this one were planned on the inventory as it was. Said once per play, not hidden.
 */
function unseen(rc: RunCtx, step: Step): void {
  if (step.play.segmentEnd || warned.has(step.play)) return;
  warned.add(step.play);
  rc.emit({ event: 'warning', msg: `play '${step.play.play.name}': ${step.flat.task.name ?? step.flat.task.module} changes the inventory from inside an include; the plays after this one were planned before it ran and do not see the change (put it in the play's own tasks, or in import_tasks)` });
}
const warned = new WeakSet<object>();

/** The run's group_by/add_host changes, in order: a refreshed inventory gets them again, as ansible-core's. */
const made = new WeakMap<RunCtx, [string, InventoryChange][]>();

/**
 * meta: refresh_inventory: the inventory read again from its sources (in place: everything holds the
 * same object), with the hosts and groups group_by/add_host made, as ansible-core's refresh_inventory.
 */
export function refreshInventory(rc: RunCtx, step: Step): void {
  if (!rc.opts.reloadInventory) return;
  unseen(rc, step);
  const fresh = rc.opts.reloadInventory();
  const implicit = [...(rc.inventory.implicit ?? [])];
  Object.assign(rc.inventory, fresh);
  // (the implicit localhost a play named stays: ansible-core's inventory gives it for the name again)
  for (const h of implicit) addImplicitLocalhost(rc.inventory, h);
  // (their files' problems were said when the change was made)
  for (const [host, change] of made.get(rc) ?? []) (apply(rc.inventory, host, change), changeVars(rc.inventory, change));
  rc.vars.inventoryChanged();
  // a host the play's pattern no longer matches leaves the play (ansible-core sets the play's hosts again)
  const still = new Set(selectHosts(rc.inventory, step.play.pattern ?? 'all').hosts);
  for (const h of step.play.hosts) if (!still.has(h)) rc.host(h).endPlay(step.play.play.index);
}
