import { ROLE_FROM_KEYS, type Node, type RoleFrom, type TaskNode } from '../playbook/index.js';
import { hasTemplate } from '../vars/index.js';
import type { Plan } from './types.js';

const DYNAMIC = new Set(['group_by', 'add_host']);
const changesInventory = (task: TaskNode) => {
  const name = task.module.replace(/^ansible\.(builtin|legacy)\./, '');
  return DYNAMIC.has(name) || (name === 'meta' && task.args.action === 'refresh_inventory');
};

/**
 * Whether running the task may change the inventory: a group_by, add_host or refresh_inventory,
 * or an include_tasks/include_role whose file or role has one (read now, as the include will read
 * it; one named by a template may bring anything, so it may). Known per task node.
 */
function mayChangeInventory(task: TaskNode, depth = 0): boolean {
  if (changesInventory(task)) return true;
  if (!task.include) return false;
  let known = seen.get(task);
  if (known === undefined) seen.set(task, (known = includeChanges(task, depth)));
  return known;
}
const seen = new WeakMap<TaskNode, boolean>();

function includeChanges(task: TaskNode, depth: number): boolean {
  const role = task.module === 'include_role';
  const name = role ? task.args.name : task.args.file;
  const from = Object.fromEntries(role ? ROLE_FROM_KEYS.map((k) => [k, task.args[`${k}_from`]]).filter(([, v]) => v !== undefined) : []) as Record<string, unknown>;
  if (typeof name !== 'string' || hasTemplate(name) || Object.values(from).some((v) => typeof v !== 'string' || hasTemplate(v)) || depth > 20) return true;
  const loaded = task.include!(name, role ? (from as RoleFrom) : undefined, new Map());
  // (one that cannot be loaded fails when reached: it changes nothing)
  return !loaded.problems.length && loaded.tasks.some((n) => nodeChanges(n, depth + 1));
}

const nodeChanges = (n: Node, depth: number): boolean => (n.kind === 'task' ? mayChangeInventory(n, depth) : [...n.block, ...n.rescue, ...n.always].some((c) => nodeChanges(c, depth)));

/**
 * The run's segments: the plays after one that may change the inventory (a group_by, add_host or
 * meta: refresh_inventory task, in the play or in a file or role it includes) are planned when that
 * play has run, on the inventory it left (ansible-core picks a play's hosts when the play starts).
 * A playbook without them is one segment, planned whole before the run, so plays in lanes keep
 * their overlap. Read from the whole plan's flattened plays (no second flatten).
 */
export function segmentsOf(plan: Plan): { from: number; to: number }[] {
  const n = plan.plays.length;
  // (the last play's includes are not read: no play comes after it)
  const cuts = plan.plays.filter((pp) => pp.play.index + 1 < n && pp.flat.some((f) => mayChangeInventory(f.task))).map((pp) => pp.play.index + 1);
  const ends = [...cuts, n];
  return ends.map((to, i) => ({ from: i === 0 ? 0 : ends[i - 1], to }));
}
