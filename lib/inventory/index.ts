export type { Host, Group, Inventory, Vars, VarDir, VarSet, ConnectionSpec } from './types.js';
export { loadInventories, findInventory, emptyInventory, inventoryDir } from './load.js';
export { addDynamicGroup, addDynamicHost } from './dynamic.js';
export { inventoryVars, ownInventoryVars, varDirsInOrder, varPosition, readVarDir, readVarsOf } from './var-dirs.js';
export { selectHosts, splitPattern, groupHosts, groupNamesOf, hostnameShort, addImplicitLocalhost, localPython, type Selection } from './patterns.js';
export { expandRange } from './ranges.js';
export { groupName, safeGroupName, setGroupChars, takeGroupNameWarning, type GroupCharsMode } from './group-names.js';
