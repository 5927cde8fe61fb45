import { addDynamicGroup, addDynamicHost } from '../inventory/index.js';
import type { InventoryChange } from '../modules/index.js';
import type { RunCtx } from './context.js';

/**
 * A group_by/add_host result applied to the run's inventory (the plays after it are planned on
 * it); whether anything changed, which is the task's `changed`, as ansible-core's strategy sets it.
 */
export function changeInventory(rc: RunCtx, host: string, change: InventoryChange): boolean {
  const changed = 'group' in change ? addDynamicGroup(rc.inventory, host, change.group, change.parents) : addDynamicHost(rc.inventory, change.host, change.groups, change.vars);
  if (changed) rc.vars.inventoryChanged();
  return changed;
}
