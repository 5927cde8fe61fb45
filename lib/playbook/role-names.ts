import { hasTemplate, renderText } from '../vars/index.js';
import { posOf, problem, yes, type Pos, type Problem } from '../source/index.js';
import { ROLE_FROM_KEYS, type Keywords, type RoleFrom } from './types.js';

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

/** A role task's *_from arguments (text); undefined when one is not text (a problem is noted). */
export function roleFrom(raw: Record<string, unknown>, action: string, at: Pos, problems: Problem[]): RoleFrom | undefined {
  const from: RoleFrom = {};
  for (const k of ROLE_FROM_KEYS) {
    const v = raw[`${k}_from`];
    if (v === undefined || v === null) continue;
    if (typeof v !== 'string') return void problems.push(problem(posOf(raw, `${k}_from`) ?? at, `${action} ${k}_from must be a file name in the role's ${k}/`, `${k}_from: other.yml`)), undefined;
    from[k] = v;
  }
  return from;
}

/** An include_role/import_role's rolespec_validate, when given: false leaves out the role's argument spec validation. */
export function specValidate(raw: Record<string, unknown>): { validate?: boolean } {
  const v = raw.rolespec_validate;
  return v === undefined || v === null ? {} : { validate: typeof v === 'boolean' ? v : yes(String(v)) };
}
