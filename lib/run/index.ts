export { runPlan, type RunSummary } from './executor.js';
export { connectionKind } from './reach.js';
export type { RunCarry, RunOptions } from './context.js';
export { hostsToResume } from './journal.js';
