import type { Step } from '../plan/index.js';
import { errorOnMissingHandler, missingHandler, roleKey, type TaskNode } from '../playbook/index.js';
import { hasTemplate, renderValue } from '../vars/index.js';
import type { RunCtx, Vars } from './context.js';
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


/**
 * A notification a handler makes during a flush, as ansible-core 2.14's: the flush walks the play's
 * handlers once, so a handler after this one runs in this flush; one at or before it has had its
 * turn. ansible-core takes the host off a handler only after reading that handler's notifications,
 * so a handler notifying itself is lost, and one notifying an earlier handler leaves it notified
 * for the play's next flush (none follows the play's last: there it is lost too).
 */
export function notifyFromHandler(hs: HostState, step: Step, name: string, vars: () => Vars): void {
  const handlers = step.play.play.handlers.filter((h) => handlerHere(h, hs));
  const winner = (hs.winners ?? handlerWinners(handlers, vars)).get(name);
  const at = handlers.findIndex((h) => h.id === step.flat.task.id);
  const targets = handlers.flatMap((h, i) => (winner?.id === h.id || h.kw.listen.includes(name) ? [i] : []));
  if (targets.length === 0 || targets.some((i) => i > at)) hs.notified.add(name);
  if (targets.some((i) => i < at) && !step.flat.lastFlush) {
    hs.notified.add(name);
    // (the flush's last handler runs after its flush's end was booked: its carry is for the next flush already)
    const carry = step.flat.flushEnd ? hs.carriedFor : hs.carriedNext;
    const ids = carry.get(name) ?? new Set<string>();
    for (const i of targets) if (i < at) ids.add(handlers[i].id);
    carry.set(name, ids);
  }
}

/**
 * A changed step's notify: each name notified (from a handler, queued for the handlers after it). A
 * name no handler of the host has (templated names, an include_role's handlers) is ansible-core's
 * playbook error, found only now: its message is returned; with error_on_missing_handler off, its
 * warning, and nothing is notified (nor kept for the next run).
 */
export function notifyHandlers(rc: RunCtx, step: Step, hs: HostState, notify: string[], vars: () => Vars, fromHandler: boolean): string | undefined {
  let known: Set<string> | undefined;
  let missing: string | undefined;
  for (const n of notify)
    for (const name of notifyNames(n, vars)) {
      if (!(known ??= handlerNames(step, hs, vars)).has(name)) {
        if (!errorOnMissingHandler()) {
          rc.emit({ event: 'warning', msg: missingHandler(name) });
          continue;
        }
        missing = missingHandler(name);
      }
      if (fromHandler) notifyFromHandler(hs, step, name, vars);
      else {
        hs.notified.add(name);
        hs.carriedFor.delete(name);
      }
    }
  return missing;
}
