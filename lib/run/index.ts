export { runPlan, type RunSummary } from './executor.js';
export { connectionKind } from './reach.js';
export type { RunOptions } from './context.js';
export { hostsToResume } from './journal.js';
