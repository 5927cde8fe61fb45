export type { Event, LabEvent, EventName, EventOf, Status, Counts, DiffOut, StepRef } from './events.js';
export { emptyCounts } from './events.js';
export { textRenderers, renderText, recapTable, unifiedDiff, type TextOptions } from './render.js';
export { adhocRenderers, dumpResult, type AdhocOptions } from './adhoc.js';
export { formatProblem, formatWarning } from './frame.js';
export { graphText, playGraphText } from './graph.js';
export { runModel, type RunModel, type StepBar, type PlayNode } from './run-model.js';
export { htmlReport } from './html.js';
