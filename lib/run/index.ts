export { runPlan, connectionKind, type RunSummary } from './executor.js';
export type { RunOptions } from './context.js';
export { hostsToResume } from './journal.js';
