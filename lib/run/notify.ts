import type { Step } from '../plan/index.js';
import { roleKey, type TaskNode } from '../playbook/index.js';
import { hasTemplate, renderValue } from '../vars/index.js';
import type { Vars } from './context.js';
import type { HostState } from './host-state.js';

/**
 * A handler's name as ansible-core matches it: a templated name is rendered with the variables the
 * handler sees; one that cannot be ("Handler '…' is unusable") keeps its text and matches nothing templated.
 */
export function handlerName(name: string, vars: () => Vars): string {
  if (!hasTemplate(name)) return name;
  try {
    return String(renderValue(name, vars()));
  } catch {
    return name;
  }
}

/** The handler names a notify entry gives: a template is rendered (to one name or, as `"{{ list }}"`, several). */
export function notifyNames(entry: string, vars: () => Vars): string[] {
  if (!hasTemplate(entry)) return [entry];
  try {
    const v = renderValue(entry, vars());
    return Array.isArray(v) ? v.map(String) : [String(v)];
  } catch {
    return [entry];
  }
}

/** The names a handler answers to: its (rendered) name, and `ROLE : name` for a role's. */
const namesOf = (h: TaskNode, vars: () => Vars): string[] => {
  const name = handlerName(h.name, vars);
  return h.role ? [name, `${h.role.name} : ${name}`] : [name];
};

/**
 * Each name and the handler it runs, as ansible-core 2.14 searches: the handler blocks from the last
 * loaded (an include_role's, then the play's own, then its roles'), and in a block the first of that name.
 */
export function handlerWinners(handlers: TaskNode[], vars: () => Vars): Map<string, TaskNode> {
  const out = new Map<string, TaskNode>();
  const block = (h: TaskNode) => (h.role ? roleKey(h.role) : '');
  for (const h of handlers) {
    for (const n of namesOf(h, vars)) {
      const w = out.get(n);
      if (!w || block(w) !== block(h)) out.set(n, h);
    }
  }
  return out;
}

/**
 * The names a play's handlers answer to (names and listen topics, as written: ansible-core does
 * not template `listen`), for the check of a templated notify that is only known at run time.
 */
export function handlerNames(step: Step, hs: HostState, vars: () => Vars): Set<string> {
  const handlers = step.play.play.handlers.filter((h) => handlerHere(h, hs));
  const out = new Set(handlerWinners(handlers, vars).keys());
  for (const h of handlers) for (const l of h.kw.listen) out.add(l);
  return out;
}

/** A handler exists for a host: a play's or a loaded role's, or an include_role's once that include ran there. */
export const handlerHere = (h: TaskNode, hs: HostState): boolean => !h.includedWith || hs.includedRoles.has(h.includedWith);

