export * from './types.js';
export { builtinModules, findModule, moduleNames, MODULES } from './registry.js';
export { addLibraryDir } from './util/library-dirs.js';
export { findSpec, specNames, isPlannerAction, PLANNER_ACTIONS, type ModuleSpec } from './catalog.js';
export { splitWords, parseKeyValues } from '../source/splitter.js';
export { probe } from './util/fs-node.js';
export { expandPaths } from './util/expand.js';
export { selinuxGuard } from './util/content.js';
