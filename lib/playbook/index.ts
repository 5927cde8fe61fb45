export type { Playbook, Play, Node, TaskNode, BlockNode, Keywords, RoleInfo, RoleOption, LoopControl } from './types.js';
export { loadPlaybook } from './load.js';
export { checkTemplates, loadWarnings } from './templates.js';
export type { RoleContext } from './define-role.js';
