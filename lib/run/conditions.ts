import { BOOLEANS_FALSE, BOOLEANS_TRUE, VALID_BOOLEANS, yes } from '../source/index.js';
import { condition, ConditionalError, hasTemplate, renderValue } from '../vars/index.js';
import { truthy as truthyValue } from '../source/python.js';
import type { FlatTask } from '../plan/index.js';

type Vars = Record<string, unknown>;

export function allTrue(conds: unknown[], vars: Vars): { ok: true } | { ok: false; failed: string } {
  for (const c of conds) if (!condition(c, vars)) return { ok: false, failed: String(c) };
  return { ok: true };
}

/** A step's `when` (its block's and includes' too): one that cannot be evaluated is the task's error, given with its place. */
export function whenTrue(flat: FlatTask, vars: Vars): ReturnType<typeof allTrue> {
  try {
    return allTrue(whenOf(flat), vars);
  } catch (e) {
    if (e instanceof ConditionalError) e.atTask = true;
    throw e;
  }
}

/**
 * Ansible-style boolean keyword (yes/no/true/false or a template), as ansible-core's bool field
 * attributes read it: templated first, then text is yes/on/true/1 or not (`become: "yes"` quoted is
 * true; a bare name is text, not an expression, as there).
 */
export function flag(v: unknown, vars: Vars): boolean {
  if (v === undefined || v === null || v === '') return false;
  // a templated keyword value is rendered and read as a boolean (`become: "{{ use_sudo }}"` with 'yes')
  if (typeof v === 'string' && hasTemplate(v)) {
    const r = renderValue(v.trim(), vars);
    return typeof r === 'string' ? yes(r) : truthyValue(r);
  }
  if (typeof v === 'string') return yes(v.trim());
  return condition(v, vars);
}

/** A keyword's text that ansible-core's bool field refuses (`diff: yes.`): its message, for the task's failure; undefined when it reads. */
export function notBoolean(name: string, v: unknown, vars: Vars): string | undefined {
  if (typeof v !== 'string') return undefined;
  const r = hasTemplate(v) ? renderValue(v.trim(), vars) : v.trim();
  if (typeof r !== 'string' || BOOLEANS_TRUE.has(r.toLowerCase()) || BOOLEANS_FALSE.has(r.toLowerCase())) return undefined;
  return `the field '${name}' has an invalid value (${r}), and could not be converted to an bool. The error was: The value '${r}' is not a valid boolean.  Valid booleans include: ${VALID_BOOLEANS}`;
}

const whenCache = new WeakMap<FlatTask, unknown[]>();
/**
 * A task's conditions as ansible-core evaluates them: every enclosing block's `when` (import_tasks
 * and import_role are blocks here) before its own, each time the task runs. A handler has only its
 * own (the flush's blocks are not its parents); an include's `when` is the include's alone.
 */
export function whenOf(flat: FlatTask): unknown[] {
  let w = whenCache.get(flat);
  if (!w) {
    // a handler takes the `when` of its own blocks among the handlers, not of the blocks around the flush
    const inherited = flat.handler ? (flat.task.handlerBlocks ?? []).flatMap((b) => b.kw.when) : flat.chain.flatMap((f) => f.block.kw.when);
    whenCache.set(flat, (w = inherited.length ? [...inherited, ...flat.task.kw.when] : flat.task.kw.when));
  }
  return w;
}
