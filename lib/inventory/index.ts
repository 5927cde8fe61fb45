export type { Host, Group, Inventory, Vars, ConnectionSpec } from './types.js';
export { loadInventories, findInventory, inventoryVars, varPosition, emptyInventory } from './load.js';
export { selectHosts, splitPattern, groupHosts, addImplicitLocalhost, implicitLocalhostVars, type Selection } from './patterns.js';
export { expandRange } from './ranges.js';
