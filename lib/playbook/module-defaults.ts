// ansible-core's module_defaults: arguments a play, block or task gives every task of a module
// (named short or by its FQCN). Levels merge outermost first, a task's own arguments win, as its
// get_action_args_with_defaults does. Action groups (`group/…`) are refused: agri-play has none.
import { findSpec } from '../modules/catalog.js';
import { posOf, problem, type Pos, type Problem } from '../source/index.js';

type Defaults = Record<string, unknown>;

/** A level's module_defaults, checked: a mapping of module name → mapping of arguments, no action groups. */
export function moduleDefaultsOf(owner: Record<string, unknown>, at: Pos, problems: Problem[]): Defaults | undefined {
  const v = owner.module_defaults;
  if (v === undefined || v === null) return undefined;
  const where = posOf(owner, 'module_defaults') ?? at;
  if (typeof v !== 'object' || Array.isArray(v)) return void problems.push(problem(where, 'module_defaults must be a mapping of module names to their arguments'));
  for (const [key, args] of Object.entries(v as Defaults)) {
    if (key.startsWith('group/')) problems.push(problem(posOf(v, key) ?? where, `module_defaults: action groups ('${key}') are not supported by agri-play`, 'name each module of the group'));
    else if (!args || typeof args !== 'object' || Array.isArray(args)) problems.push(problem(posOf(v, key) ?? where, `module_defaults: the arguments for '${key}' must be a mapping`));
  }
  return v as Defaults;
}

/** The arguments the levels (outermost first) give a task of `module` (its canonical name). */
export function defaultsFor(module: string, levels: (Defaults | undefined)[]): Defaults {
  let out: Defaults | undefined;
  for (const level of levels) {
    if (!level) continue;
    for (const [key, args] of Object.entries(level)) {
      if (!args || typeof args !== 'object' || Array.isArray(args) || key.startsWith('group/')) continue;
      if (findSpec(key)?.name === module) out = { ...out, ...(args as Defaults) };
    }
  }
  return out ?? {};
}
