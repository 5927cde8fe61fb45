// ansible-core's `constructed` inventory plugin (plugins/inventory/constructed.py and the
// Constructable helpers in plugins/inventory/__init__.py): after the sources before it are read,
// each host gets `compose` variables, joins the `groups` whose condition holds and the
// `keyed_groups` its variables name. Here rather than in lib/inventory: it renders templates.
import { InputError } from '../errors.js';
import { addDynamicGroup, groupNamesOf, hostnameShort, inventoryVars, ownInventoryVars, readVarsOf, safeGroupName, type Inventory, type Vars } from '../inventory/index.js';
import { mergeInto, posOf, problem, type Problem } from '../source/index.js';
import { isDict, pyType, str, truthy } from '../source/python.js';
import { condition, renderValue } from '../vars/index.js';

type Config = Record<string, unknown>;
type Source = NonNullable<Inventory['constructed']>[number];

/** Applies each `plugin: constructed` source of the inventory, in order; a failure under `strict: true` is bad input at the source. */
export function applyConstructed(inv: Inventory): void {
  for (const c of inv.constructed ?? []) {
    const problems: Problem[] = [];
    const fail = (msg: string) => problems.push(problem(posOf(c.config) ?? { file: c.file, line: 1, col: 1 }, msg));
    for (const host of c.hosts) if (inv.hosts.has(host)) constructHost(inv, c, host, fail);
    if (problems.length) throw new InputError(problems.slice(0, 1));
  }
  inv.constructed = undefined;
}

/**
 * get_all_host_vars: the host's groups' own variables and its own (with use_vars_plugins, the
 * group_vars/host_vars beside the inventory too), with the magic variables Host.get_vars gives
 * (inventory_hostname, inventory_hostname_short, group_names).
 */
function hostVars(inv: Inventory, host: string, c: Source): Vars {
  const h = inv.hosts.get(host)!;
  const own = c.config.use_vars_plugins === true ? inventoryVars(inv, h) : ownInventoryVars(inv, h);
  const groupNames = groupNamesOf(inv, host).filter((g) => g !== 'ungrouped' || c.ungrouped.has(host));
  return { ...own, inventory_hostname: host, inventory_hostname_short: hostnameShort(host), group_names: groupNames };
}

function constructHost(inv: Inventory, c: Source, host: string, fail: (msg: string) => void): void {
  const config = c.config;
  const strict = config.strict === true;
  const compose = (expr: unknown, vars: Vars): unknown => renderValue(`{{ ${str(expr)} }}`, vars);
  const h = inv.hosts.get(host)!;
  // compose: each variable set on the host (the next ones see it only through the host's variables, as set_variable)
  let vars = hostVars(inv, host, c);
  if (isDict(config.compose))
    for (const [name, expr] of Object.entries(config.compose)) {
      try {
        h.vars = mergeInto({ ...h.vars }, { [name]: compose(expr, vars) });
      } catch (e) {
        if (strict) return void fail(`Could not set ${name} for host ${host}: ${(e as Error).message}`);
      }
    }
  vars = hostVars(inv, host, c);
  const join = (group: string, parents: string[] = []) => {
    const made = !inv.groups.has(group);
    addDynamicGroup(inv, host, group, parents);
    if (made) readVarsOf(inv, 'group_vars', group);
  };
  if (isDict(config.groups))
    for (const [raw, cond] of Object.entries(config.groups)) {
      const group = safeGroupName(raw);
      try {
        if (condition(str(cond), vars)) join(group);
      } catch (e) {
        if (strict) return void fail(`Could not add host ${host} to group ${group}: ${(e as Error).message}`);
      }
    }
  if (Array.isArray(config.keyed_groups))
    for (const keyed of config.keyed_groups) {
      if (!isDict(keyed)) return void fail(`Invalid keyed group entry, it must be a dictionary: ${str(keyed)} `);
      const err = keyedGroups(config, keyed, vars, host, compose, join);
      if (err && strict) return void fail(err);
    }
}

/** One keyed_groups entry: the group names its key gives (prefix, separator, default_value, trailing_separator, parent_group), joined; an error's words where it fails. */
function keyedGroups(config: Config, keyed: Config, vars: Vars, host: string, compose: (e: unknown, v: Vars) => unknown, join: (g: string, parents?: string[]) => void): string | undefined {
  let key: unknown;
  try {
    key = compose(keyed.key, vars);
  } catch (e) {
    return `Could not generate group for host ${host} from ${str(keyed.key)} entry: ${(e as Error).message}`;
  }
  const fallback = keyed.default_value;
  const trailing = keyed.trailing_separator;
  if (trailing !== undefined && trailing !== null && fallback !== undefined && fallback !== null) throw new InputError([problem(posOf(keyed) ?? { file: '<inventory>', line: 1, col: 1 }, 'parameters are mutually exclusive for keyed groups: default_value|trailing_separator')]);
  const hasFallback = fallback !== undefined && fallback !== null;
  // (`if key or (key == '' and default_value is not None)`)
  if (!truthy(key) && !(key === '' && hasFallback)) return Array.isArray(key) || isDict(key) ? undefined : `No key or key resulted empty for ${str(keyed.key)} in host ${host}, invalid entry`;
  const prefix = str(keyed.prefix ?? '');
  let sep = str(keyed.separator ?? '_');
  let parent: string | undefined;
  if (keyed.parent_group) {
    try {
      parent = str(renderValue(keyed.parent_group, vars));
    } catch (e) {
      return `Could not generate parent group ${str(keyed.parent_group)} for group ${str(key)}: ${(e as Error).message}`;
    }
  }
  const names: string[] = [];
  if (typeof key === 'string') names.push(key === '' && hasFallback ? str(fallback) : key);
  else if (Array.isArray(key)) for (const n of key) names.push(n === '' && hasFallback ? str(fallback) : str(n));
  else if (isDict(key))
    for (const [k, v] of Object.entries(key)) names.push(v === '' ? (hasFallback ? `${k}${sep}${str(fallback)}` : trailing === false ? k : `${k}${sep}`) : `${k}${sep}${str(v)}`);
  // (ansible-core raises this whatever strict says: the source fails, here before anything runs)
  else throw new InputError([problem(posOf(keyed, 'key', 'value') ?? posOf(keyed) ?? { file: '<inventory>', line: 1, col: 1 }, `Invalid group name format, expected a string or a list of them or dictionary, got: <class '${pyType(key)}'>`, `make the key text: ${str(keyed.key)} | string`)]);
  for (const bare of names) {
    if (prefix === '' && config.leading_separator === false) sep = '';
    join(safeGroupName(`${prefix}${sep}${bare}`), parent ? [safeGroupName(parent)] : []);
  }
  return undefined;
}
