import type { Problem } from '../source/index.js';
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
  /** A handler's frames for its variables (its own blocks and role), where they are not `chain`'s. */
  varsChain?: Frame[];
  /** Handlers are steps that run only when notified. */
  handler: boolean;
  /** On the last handler of a flush: the names and topics of the play's handlers, whose notifications the flush uses up. */
  flushEnd?: string[];
  /** On the handlers of a play's last flush: a notification they make for a handler already passed is lost (no flush follows). */
  lastFlush?: boolean;
  /** Which section of the play it is in, each ended by a flush of the handlers: 0 pre_tasks, 1 roles and tasks, 2 post_tasks (force_handlers wraps each in a block). */
  part?: number;
  /** A task a handler's include_tasks/include_role brought: forced with it (force_handlers) on a failed host. */
  inHandler?: boolean;
}

/**
 * One host of a plan, shared by all its steps: the run keeps its record of the host here, so a step
 * reaches it without a lookup by name (in lockstep over 10,000 hosts, a host's entry in a map of
 * every host is cold memory at each of its steps).
 */
export interface HostRef {
  /** The run's record of the host (the plan does not read it; a run checks it is its own). */
  run?: unknown;
}

/** The unit the engine schedules: one task on one host. */
export interface Step {
  id: string;
  play: PlannedPlay;
  host: string;
  /** The host, as every step of it in this plan shares it. */
  ref: HostRef;
  flat: FlatTask;
  /** Position in the host's chain for this play (0-based). */
  seq: number;
}

export interface PlannedPlay {
  play: Play;
  /** Its `hosts:` as rendered (meta: refresh_inventory matches it again). */
  pattern?: string;
  hosts: string[];
  /** Its hosts in its pattern's order, where `order` changed it: ansible_play_hosts(_all) keep that order, as ansible-core's magic variables. */
  patternOrder?: string[];
  batches: string[][];
  flat: FlatTask[];
  startId: string;
  endId: string;
  /** Indexes of plays this one waits for. */
  after: number[];
  /** With `lanes:`, the hosts of each lane (by the variable's value), in play order. */
  lanes?: Map<string, string[]>;
  /** With lanes: the plays named in `after:`, waited for whole (every lane). */
  wholeAfter?: number[];
  /** Planned in another segment of the run (a play before or after a group_by/add_host): no nodes here. */
  elsewhere?: boolean;
  /** The last play of its segment: the plays after it are planned when it has run (plan/segments.ts). */
  segmentEnd?: boolean;
  /**
   * Ansible's linear strategy: each host of a batch starts a task only when every host of the batch
   * has done the one before it. Off for `strategy: free`/`host_pinned`, for a play in lanes (each host
   * at its own pace inside its lane) and where a TypeScript role gives hosts different steps.
   */
  lockstep: boolean;
  /** ansible-core's free (or host_pinned) strategy: run_once does not hold there (every host runs the task, with a warning). */
  free?: boolean;
}

/**
 * The graph the executor schedules. A host's steps within a play are a path (task order), so
 * each path is one node whose steps run in order; barrier nodes (play and batch start/end)
 * carry no steps. `--forks` then bounds the hosts in flight, as in Ansible.
 */
export interface Plan {
  plays: PlannedPlay[];
  /** How many steps the plan has (handlers included). */
  stepCount: number;
  /** Node id → its steps in order (empty for barriers). */
  nodes: Map<string, Step[]>;
  edges: [string, string][];
  /** Not fatal, shown before the run (a play whose hosts pattern matches nothing: skipped, as in Ansible). */
  warnings: Problem[];
}
