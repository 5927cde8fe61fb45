import { hasTemplate, renderText } from '../vars/index.js';
import { yes } from '../source/index.js';
import type { RoleFrom, Vars } from './types.js';

/** The variables an import is templated with at load: the play's `vars:` and -e (a task's own go between). */
export interface LoadVars {
  play: Vars;
  extra: Vars;
  /** The play's import_roles so far (allow_duplicates: made at its first import_role). */
  imported?: Set<string>;
}

/**
 * A name an import is resolved by at load (import_playbook's file, import_tasks' file, import_role's
 * name and its *_from), templated as ansible-core templates it then, before any host is known: with
 * the play's vars, the task's (or the import_playbook's) own, and -e over them all. Undefined when
 * it cannot be rendered there (a host's variable, a fact): the caller says so.
 */
export function atLoad(value: string, v: LoadVars | undefined, own: Vars = {}): string | undefined {
  if (!hasTemplate(value)) return value;
  try {
    const out = renderText(value, { ...v?.play, ...own, ...v?.extra });
    return hasTemplate(out) ? undefined : out;
  } catch {
    return undefined;
  }
}

/** import_role's name and *_from at load; else the key (`name`, `tasks_from`, …) that cannot be rendered there. */
export function roleAtLoad(name: string, from: RoleFrom, v: LoadVars | undefined, own: Vars): { name: string; from: RoleFrom } | { key: string; value: string } {
  const out: Record<string, string | undefined> = {};
  for (const [k, x] of Object.entries({ name, ...from })) {
    if (x === undefined) continue;
    out[k] = atLoad(x, v, own);
    if (out[k] === undefined) return { key: k === 'name' ? k : `${k}_from`, value: x };
  }
  const { name: named, ...rest } = out;
  return { name: named!, from: rest as RoleFrom };
}

/**
 * import_role with `allow_duplicates` false (templated at load, as ansible-core's IncludeRole field):
 * a role already imported in the play with the same files is not imported again. (The default,
 * true, imports it each time.)
 */
export function duplicateImport(raw: Record<string, unknown>, r: { name: string; from: RoleFrom }, v: LoadVars, own: Vars): boolean {
  const seen = (v.imported ??= new Set());
  const key = JSON.stringify([r.name, r.from]);
  const allow = raw.allow_duplicates === undefined ? 'true' : atLoad(String(raw.allow_duplicates), v, own);
  const again = seen.has(key) && allow !== undefined && !yes(allow);
  seen.add(key);
  return again;
}
