export type { Plan, PlannedPlay, Step, FlatTask, Frame } from './types.js';
export { buildPlan, batchesOf, batchOf, type PlanOptions } from './build.js';
export { segmentsOf } from './segments.js';
export { expandFlushes, flattenPlay, flattenTasks, selectedByTags, type TagFilter } from './flatten.js';
export { allDeps, defaultsOf, roleChain, roleParams, taskDefaults, taskRoleVars, varsOf } from './role-vars.js';
export { startAt, type Start } from './start-at.js';
