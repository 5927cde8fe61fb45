// A task's async and poll (ansible-core's async_val and poll), for the command and shell modules'
// host jobs and the controller's async tasks (async-task.ts).
import type { TaskNode } from '../playbook/index.js';
import { renderValue } from '../vars/index.js';
import type { Vars } from './context.js';

export interface AsyncSpec {
  seconds: number;
  poll: number;
}

/** ansible-core's DEFAULT_POLL_INTERVAL (ANSIBLE_POLL_INTERVAL). */
const pollDefault = (): number => Number(process.env.ANSIBLE_POLL_INTERVAL ?? 15);

/** The task's async and poll, rendered; none for `async: 0` (ansible-core's async_val > 0). */
export function asyncOf(kw: TaskNode['kw'], vars: Vars): AsyncSpec | undefined {
  if (kw.async === undefined) return undefined;
  const seconds = Number(renderValue(kw.async, vars));
  if (!(seconds > 0)) return undefined;
  return { seconds, poll: Number(renderValue(kw.poll ?? pollDefault(), vars)) };
}
