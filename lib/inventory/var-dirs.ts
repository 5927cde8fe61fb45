import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { combineVars, dirVarsFiles, mergeInto, YAML_EXT, posOf, problem, readYaml, withFloats, type Pos, type Problem } from '../source/index.js';
import type { Host, Inventory, VarDir, Vars, VarSet } from './types.js';

/** Copies variables in, remembering where each value was written. */
export function assignVars(into: VarSet, src: object): void {
  // `x: 1.0` stays a float (a template prints 1.0), as PyYAML reads it (a dict merged into one
  // already there under hash_behaviour = merge, as set_variable does)
  mergeInto(into.vars, withFloats(src) as Vars);
  into.varPos ??= {};
  for (const k of Object.keys(src)) {
    const p = posOf(src, k, 'value');
    if (p) into.varPos[k] = p;
  }
}

/**
 * group_vars/NAME(.yaml|/) and host_vars/NAME(.yaml|/) in `dir` (beside an inventory, or beside the
 * playbook: `play`), as ansible-core's host_group_vars plugin reads them: for groups and hosts the
 * inventory has (a file for another is passed over).
 */
export function readVarDir(inv: Inventory, dir: string, play: boolean, problems: Problem[]): void {
  const d: VarDir = { dir: resolve(dir), play, groups: new Map(), hosts: new Map(), entries: {} };
  if (inv.varDirs.some((x) => x.dir === d.dir && x.play === play)) return;
  // (beside the inventory and beside the playbook at once: the same files, read once, as the inventory's)
  if (play && inv.varDirs.some((x) => x.dir === d.dir)) return;
  for (const sub of ['group_vars', 'host_vars'] as const) {
    const base = join(dir, sub);
    if (!existsSync(base)) continue;
    d.entries[sub] = new Set(readdirSync(base));
    // (localhost: the implicit one, made when a play names it, takes its host_vars too)
    const names = sub === 'group_vars' ? [...inv.groups.keys()] : [...inv.hosts.keys(), ...(inv.hosts.has('localhost') ? [] : ['localhost'])];
    for (const name of names.sort()) readEntry(d, sub, name, problems);
  }
  // (a folder without any: nothing to merge, and inventoryVars keeps its short way)
  if (d.entries.group_vars?.size || d.entries.host_vars?.size) inv.varDirs.push(d);
}

/** ansible-core's find_vars_files: NAME (a file or a folder), else NAME.yml, .yaml, .json: the first there. */
function readEntry(d: VarDir, sub: 'group_vars' | 'host_vars', name: string, problems: Problem[]): void {
  const entries = d.entries[sub];
  const target = sub === 'group_vars' ? d.groups : d.hosts;
  const entry = entries && ['', ...YAML_EXT].map((ext) => name + ext).find((e) => entries.has(e));
  if (entry === undefined || target.has(name)) return;
  const full = join(d.dir, sub, entry);
  const files = statSync(full).isDirectory() ? dirVarsFiles(full) : [full];
  const into: VarSet = { vars: {} };
  target.set(name, into);
  for (const f of files) {
    const parsed = readYaml(f);
    if (parsed.problems.length) problems.push(...parsed.problems);
    else if (parsed.value && typeof parsed.value === 'object' && !Array.isArray(parsed.value)) assignVars(into, parsed.value);
    else if (parsed.value !== null) problems.push(problem({ file: f, line: 1, col: 1 }, `${sub} file must be a mapping of variables`));
  }
}

/**
 * A group or host group_by/add_host made: its group_vars/host_vars in the folders the run read, as
 * ansible-core's host_group_vars plugin reads them for any group or host it is asked about.
 */
export function readVarsOf(inv: Inventory, sub: 'group_vars' | 'host_vars', name: string): Problem[] {
  const problems: Problem[] = [];
  for (const d of inv.varDirs) readEntry(d, sub, name, problems);
  return problems;
}

/** The group_vars/host_vars folders in their precedence: those beside the inventories, then those beside the playbook. */
export const varDirsInOrder = (inv: Inventory): VarDir[] => [...inv.varDirs.filter((d) => !d.play), ...inv.varDirs.filter((d) => d.play)];

/**
 * A host's inventory variables in ansible-core's order (VariableManager.get_vars with its default
 * precedence: all_inventory, groups_inventory, all_plugins_inventory, all_plugins_play,
 * groups_plugins_inventory, groups_plugins_play, then the host's): the `all` group's own vars, the
 * other groups' own (shallowest first), group_vars/all beside the inventories then beside the
 * playbook, the other groups' group_vars likewise, the host's own vars, its host_vars beside the
 * inventories, then beside the playbook.
 */
export function layersOf(inv: Inventory, host: Host): VarSet[] {
  const groups = host.groups.filter((g) => g !== 'all');
  const dirs = varDirsInOrder(inv);
  const out: (VarSet | undefined)[] = [inv.groups.get('all'), ...groups.map((g) => inv.groups.get(g))];
  for (const d of dirs) out.push(d.groups.get('all'));
  for (const d of dirs.filter((x) => !x.play)) for (const g of groups) out.push(d.groups.get(g));
  for (const d of dirs.filter((x) => x.play)) for (const g of groups) out.push(d.groups.get(g));
  out.push(host);
  for (const d of dirs) out.push(d.hosts.get(host.name));
  return out.filter((l): l is VarSet => l !== undefined);
}

/** A host's inventory variables, merged (see layersOf). */
export function inventoryVars(inv: Inventory, host: Host): Vars {
  return inv.varDirs.length ? combineVars(...layersOf(inv, host).map((l) => l.vars)) : ownInventoryVars(inv, host);
}

/** A host's variables from the inventory sources alone, its groups' (in their order) then its own: no group_vars/ or host_vars/ (ansible-core's get_group_vars and host.get_vars). */
export function ownInventoryVars(inv: Inventory, host: Host): Vars {
  const out: Vars = {};
  for (const g of host.groups) mergeInto(out, inv.groups.get(g)?.vars ?? {});
  return mergeInto(out, host.vars);
}

/** Where the value a host sees for `key` was written: the last layer that sets it. */
export function varPosition(inv: Inventory, host: Host, key: string): Pos | undefined {
  const l = layersOf(inv, host).findLast((x) => key in x.vars);
  return l?.varPos?.[key];
}
