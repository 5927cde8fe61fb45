import { addDynamicGroup, addDynamicHost } from '../inventory/index.js';
import type { InventoryChange } from '../modules/index.js';
import type { Inventory } from '../inventory/index.js';
import type { RunCtx } from './context.js';

/**
 * A group_by/add_host result applied to the run's inventory (the plays after it are planned on
 * it); whether anything changed, which is the task's `changed`, as ansible-core's strategy sets it.
 */
export function changeInventory(rc: RunCtx, host: string, change: InventoryChange): boolean {
  made.set(rc, [...(made.get(rc) ?? []), [host, change]]);
  const changed = apply(rc.inventory, host, change);
  if (changed) rc.vars.inventoryChanged();
  return changed;
}

const apply = (inv: Inventory, host: string, change: InventoryChange): boolean => ('group' in change ? addDynamicGroup(inv, host, change.group, change.parents) : addDynamicHost(inv, change.host, change.groups, change.vars));

/** The run's group_by/add_host changes, in order: a refreshed inventory gets them again, as ansible-core's. */
const made = new WeakMap<RunCtx, [string, InventoryChange][]>();

/**
 * meta: refresh_inventory: the inventory read again from its sources (in place: everything holds the
 * same object), with the hosts and groups group_by/add_host made, as ansible-core's refresh_inventory.
 */
export function refreshInventory(rc: RunCtx): void {
  if (!rc.opts.reloadInventory) return;
  const fresh = rc.opts.reloadInventory();
  Object.assign(rc.inventory, fresh);
  for (const [host, change] of made.get(rc) ?? []) apply(rc.inventory, host, change);
  rc.vars.inventoryChanged();
}
