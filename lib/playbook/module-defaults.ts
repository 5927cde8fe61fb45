// ansible-core's module_defaults: arguments a play, block or task gives every task of a module
// (named short or by its FQCN) or of an action group (`group/NAME`, action-groups.ts). The levels'
// mappings update one another outermost first, by the action or group each key names, so an inner
// `debug: {}` replaces the outer debug's arguments whole; a task then takes the arguments of its
// groups (in the order their keys came), its module's over them and its own over all, as
// ansible-core's get_action_args_with_defaults.
import { findSpec, type ModuleSpec } from '../modules/catalog.js';
import { ansibleModule, withActionPlugin } from '../modules/index.js';
import { posOf, problem, type Pos, type Problem } from '../source/index.js';
import { hasTemplate } from '../vars/index.js';
import { isFqcr, type ActionGroups } from './action-groups.js';
import { DEFAULT_PARAMS } from './types.js';

type Defaults = Record<string, unknown>;

/**
 * A play's module_defaults keys and action groups. Its keys are looked up once the play's roles
 * (their library/ modules) are loaded, as ansible-core resolves them after; one of a file an
 * include brings when reached at once.
 */
export class PlayModuleDefaults {
  private pending: { key: string; pos: Pos }[] | undefined = [];
  constructor(readonly groups: ActionGroups) {}

  key(key: string, pos: Pos, problems: Problem[]): void {
    if (this.pending) this.pending.push({ key, pos });
    else checkKey(key, pos, this.groups, problems);
  }

  /** The play is loaded: its keys so far are looked up, later ones as they come. */
  check(problems: Problem[]): void {
    for (const { key, pos } of this.pending ?? []) checkKey(key, pos, this.groups, problems);
    this.pending = undefined;
  }
}

/** A level's module_defaults, checked: a mapping of module or group name → mapping of arguments. */
export function moduleDefaultsOf(owner: Record<string, unknown>, at: Pos, problems: Problem[], play: PlayModuleDefaults): Defaults | undefined {
  const v = owner.module_defaults;
  if (v === undefined || v === null) return undefined;
  const where = posOf(owner, 'module_defaults') ?? at;
  if (typeof v !== 'object' || Array.isArray(v)) return void problems.push(problem(where, 'module_defaults must be a mapping of module names to their arguments'));
  for (const [key, args] of Object.entries(v as Defaults)) {
    // (a template renders to the mapping when the task runs, as ansible-core templates module_defaults' values)
    if (!(typeof args === 'string' && hasTemplate(args)) && (!args || typeof args !== 'object' || Array.isArray(args))) problems.push(problem(posOf(v, key) ?? where, `module_defaults: the arguments for '${key}' must be a mapping`));
    play.key(key, posOf(v, key, 'key') ?? where, problems);
  }
  return v as Defaults;
}

/** The module specs a module_defaults key names: ansible.legacy's (a library/ module first) and ansible.builtin's of a short name. */
function specsOf(key: string): ModuleSpec[] {
  const out: ModuleSpec[] = [];
  const own = findSpec(key);
  if (own) out.push(own);
  const short = key.split('.').length < 3 ? key : key.startsWith('ansible.legacy.') ? key.slice('ansible.legacy.'.length) : undefined;
  const builtin = short === undefined ? undefined : findSpec(`ansible.builtin.${short}`);
  if (builtin && builtin !== own) out.push(builtin);
  return out;
}

/** ansible-core's load-time error for a key that names no action or no group. */
function checkKey(key: string, pos: Pos, groups: ActionGroups, problems: Problem[]): void {
  if (key.startsWith('group/')) {
    const name = key.slice('group/'.length);
    if (!groups.resolve(name)) problems.push(problem(pos, `Error loading module_defaults: could not resolve the module_defaults group ${isFqcr(name) ? name : `ansible.builtin.${name}`}`, 'name a group of ansible-core or of an installed collection (its meta/runtime.yml action_groups)'));
  } else if (!specsOf(key).length && !ansibleModule(key) && !withActionPlugin(key)) {
    problems.push(problem(pos, `Could not resolve action ${key.split('.').length < 3 ? `ansible.legacy.${key}` : key} in module_defaults`, 'name a module (agri-play doc lists them)'));
  }
}

/**
 * A task's arguments over the defaults that apply to it (each level's, outermost first, for each
 * module spec: gather_facts takes setup's under its own): merged now, or where one is a template,
 * kept in order under DEFAULT_PARAMS for the run to render and merge.
 */
export function withDefaults(given: Defaults, modules: (ModuleSpec | undefined)[], levels: (Defaults | undefined)[], groups: ActionGroups): Defaults {
  const parts = modules.flatMap((m) => defaultsFor(m, levels, groups));
  if (parts.every((p) => typeof p === 'object')) return Object.assign({}, ...parts, given) as Defaults;
  return { [DEFAULT_PARAMS]: parts, ...given };
}

/** The defaults the levels (outermost first) give a task of `module` (its spec), in the order they update one another. */
function defaultsFor(module: ModuleSpec | undefined, levels: (Defaults | undefined)[], groups: ActionGroups): (Defaults | string)[] {
  if (!module) return [];
  // (Python's dict.update: a key given again keeps its first place)
  const merged = new Map<string | ModuleSpec, unknown>();
  for (const level of levels) {
    if (!level) continue;
    for (const [key, args] of Object.entries(level)) {
      if (key.startsWith('group/')) merged.set(groups.resolve(key.slice('group/'.length))?.fq ?? key, args);
      else for (const spec of specsOf(key)) merged.set(spec, args);
    }
  }
  const out: (Defaults | string)[] = [];
  for (const [k, args] of merged) if (typeof k === 'string' && groups.resolve(k)?.actions.has(module)) out.push(args as Defaults | string);
  if (merged.has(module)) out.push(merged.get(module) as Defaults | string);
  return out;
}
