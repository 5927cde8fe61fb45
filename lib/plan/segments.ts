import type { FlatTask, Plan } from './types.js';

const DYNAMIC = new Set(['group_by', 'add_host']);
const changesInventory = (task: FlatTask['task']) => {
  const name = task.module.replace(/^ansible\.(builtin|legacy)\./, '');
  return DYNAMIC.has(name) || (name === 'meta' && task.args.action === 'refresh_inventory');
};

/**
 * The run's segments: the plays after one that has a group_by, add_host or meta: refresh_inventory
 * task are planned when that play has run, on the inventory it left (ansible-core picks a play's
 * hosts when the play starts). A playbook without them is one segment, planned whole before the
 * run, so plays in lanes keep their overlap. A group_by reached only through
 * include_tasks/include_role is not seen (the run warns when it happens). Read from the whole
 * plan's flattened plays (no second flatten).
 */
export function segmentsOf(plan: Plan): { from: number; to: number }[] {
  const n = plan.plays.length;
  const cuts = plan.plays.filter((pp) => pp.flat.some((f) => changesInventory(f.task))).map((pp) => pp.play.index + 1);
  const ends = [...cuts.filter((c) => c < n), n];
  return ends.map((to, i) => ({ from: i === 0 ? 0 : ends[i - 1], to }));
}
