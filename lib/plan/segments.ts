import type { Playbook } from '../playbook/index.js';
import { flattenPlay, type TagFilter } from './flatten.js';

const DYNAMIC = new Set(['group_by', 'add_host']);
const changesInventory = (module: string) => DYNAMIC.has(module.replace(/^ansible\.(builtin|legacy)\./, ''));

/**
 * The run's segments: the plays after one that has a group_by or add_host task are planned when
 * that play has run, on the inventory it left (ansible-core picks a play's hosts when the play
 * starts). A playbook without them is one segment, planned whole before the run, so plays in
 * lanes keep their overlap. A group_by reached only through include_tasks/include_role is not seen.
 */
export function segmentsOf(pb: Playbook, filter: TagFilter): { from: number; to: number }[] {
  const cuts = pb.plays.filter((p) => flattenPlay(p, filter).some((f) => changesInventory(f.task.module))).map((p) => p.index + 1);
  const ends = [...cuts.filter((c) => c < pb.plays.length), pb.plays.length];
  return ends.map((to, i) => ({ from: i === 0 ? 0 : ends[i - 1], to }));
}
