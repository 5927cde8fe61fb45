export * from './types.js';
export { builtinModules, findModule, moduleNames, isPlannerAction, PLANNER_ACTIONS, MODULES } from './registry.js';
export { splitWords, parseKeyValues } from './util/words.js';
export { probe } from './util/fs-node.js';
export { expandPaths } from './util/expand.js';
export { selinuxGuard } from './util/content.js';
