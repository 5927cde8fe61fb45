import { hasTemplate, renderText } from '../vars/index.js';
import type { Keywords } from './types.js';

/**
 * The roles an include_role names by a template over a literal loop (`name: "{{ item }}"`, `loop: [a, b]`):
 * their handlers are the play's from the start, as the handlers of a role named as written are (ansible-core
 * adds an included role's handlers when the include runs; agri-play plans a play's handler steps at load).
 * A name that needs more than the loop's item is left to the include.
 */
export function loopedRoleNames(name: string, kw: Keywords): string[] {
  const loop = kw.loop;
  const items = Array.isArray(loop) ? loop : loop && typeof loop === 'object' && Array.isArray((loop as { __flatten?: unknown }).__flatten) ? (loop as { __flatten: unknown[] }).__flatten : undefined;
  if (!items || !items.every((i) => typeof i === 'string' && !hasTemplate(i))) return [];
  const loopVar = typeof kw.loopControl?.loop_var === 'string' ? kw.loopControl.loop_var : 'item';
  const out: string[] = [];
  for (const item of items) {
    try {
      const n = renderText(name, { [loopVar]: item });
      if (n && !hasTemplate(n)) out.push(n);
    } catch {
      /* needs other variables: found when the include runs */
    }
  }
  return out;
}
