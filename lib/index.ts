/** The public API: authoring types for modules and roles, and the engine entry points. */
export { defineModule, ModuleFailure } from './modules/types.js';
export type { Module, StateModule, ActionModule, ModuleCtx, Diff, FieldChange, ResultData, ActionResult } from './modules/types.js';
export type { Connection, ExecOptions, ExecResult, FileStat } from './connections/index.js';
export type { Event, Counts, Status } from './report/index.js';
export { defineRole, type RoleDefinition, type RoleContext, type TaskSpec } from './playbook/define-role.js';
export { Handle, CommandHandle, secret, stepVars, type Tasks, type Keywords, type RunTime, type StepResult, type CommandResult } from './playbook/ts-role.js';
/** TypeBox, for a role's typed parameters (`params: Type.Object({ … })`). */
export { Type, type Static } from './source/vendor/typebox.js';
export { main } from './cli/main.js';
