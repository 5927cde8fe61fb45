// ansible-playbook's --start-at-task: every task before the first whose name matches is passed over,
// in the play it is in and the plays before it (the play iterator skips them, facts gathering too).
import { fnmatch } from '../source/splitter.js';
import type { Play, Playbook } from '../playbook/index.js';
import { flattenPlay, type TagFilter } from './flatten.js';
import type { FlatTask } from './types.js';

/** Whether a task is the one: its name or its `ROLE : name`, as written or as an fnmatch pattern. */
function matches(f: FlatTask, pattern: string, re: RegExp): boolean {
  const name = f.task.unnamed ? '' : f.task.name;
  const full = f.task.role ? `${f.task.role.name} : ${name}` : name;
  return name === pattern || full === pattern || (name !== '' && re.test(name)) || re.test(full);
}

/** Where --start-at-task starts the run: a play's index and its task's id; null: no task matches, nothing runs. */
export type Start = { play: number; task: string } | null;

/** Where the run starts (worked out once: every segment's plan is cut at the same place). */
export function startAt(pb: Playbook, pattern: string, filter: TagFilter): Start {
  const re = fnmatch(pattern);
  for (const play of pb.plays) {
    const hit = flattenPlay(play, filter).find((f) => !f.handler && f.task.module !== 'meta' && matches(f, pattern, re));
    if (hit) return { play: play.index, task: hit.task.id };
  }
  return null;
}

/** A play's tasks from the start on: none in a play before it, those from the task on in its play (handlers stay). */
export function fromStart(play: Play, flat: FlatTask[], start: Start): FlatTask[] {
  if (start && play.index > start.play) return flat;
  const at = start && play.index === start.play ? flat.findIndex((f) => f.task.id === start.task) : flat.length;
  return flat.filter((f, i) => i >= at || f.handler);
}
