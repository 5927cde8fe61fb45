export type { Playbook, Play, Node, TaskNode, BlockNode, Keywords, RoleInfo, RoleOption, RoleFrom, LoopControl, VarPrompt } from './types.js';
export { loadPlaybook, type LoadOptions } from './load.js';
export { DEFAULT_PARAMS, roleKey, ROLE_FROM_KEYS, VARIABLE_PARAMS } from './types.js';
export { errorOnMissingHandler, missingHandler, setErrorOnMissingHandler } from './keywords.js';
export { checkTemplates, loadWarnings } from './templates.js';
export type { RoleContext } from './define-role.js';
