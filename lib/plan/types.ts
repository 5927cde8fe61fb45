import type { BlockNode, Play, TaskNode } from '../playbook/index.js';

/** Where a task sits: each enclosing block and which section of it. */
export interface Frame {
  block: BlockNode;
  section: 'block' | 'rescue' | 'always';
}

/** A task of a play with its enclosing blocks, the same for every host. */
export interface FlatTask {
  task: TaskNode;
  chain: Frame[];
  tags: string[];
  /** Handlers are steps that run only when notified. */
  handler: boolean;
}

/** The unit the engine schedules: one task on one host. */
export interface Step {
  id: string;
  play: PlannedPlay;
  host: string;
  flat: FlatTask;
  /** Position in the host's chain for this play (0-based). */
  seq: number;
}

export interface PlannedPlay {
  play: Play;
  hosts: string[];
  batches: string[][];
  flat: FlatTask[];
  startId: string;
  endId: string;
  /** Indexes of plays this one waits for. */
  after: number[];
}

export interface Plan {
  plays: PlannedPlay[];
  steps: Map<string, Step>;
  /** Barrier nodes (play/batch start and end): no work, only order. */
  barriers: Set<string>;
  edges: [string, string][];
}
