import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, extname, join, resolve } from 'node:path';
import { InputError } from '../errors.js';
import { keyWasText, posOf, problem, readWarning, readYaml, schema, validate, YAML_EXT, type Pos, type Problem } from '../source/index.js';
import { expandRange, hostAndPort } from './ranges.js';
import { readIniInventory } from './ini.js';
import type { Group, Inventory, Vars } from './types.js';
import { assignVars, readVarDir } from './var-dirs.js';
import { groupName, renamedGroup, takeGroupNameWarning } from './group-names.js';

/** Finds an inventory given as a path or a name (`edge` → `inventories/edge.yaml`). */
export function findInventory(spec: string, cwd: string): string | undefined {
  const candidates = [spec, ...YAML_EXT.map((e) => join('inventories', spec + e)), join('inventories', spec)];
  for (const c of candidates) {
    const p = resolve(cwd, c);
    if (existsSync(p)) return p;
  }
  return undefined;
}

export function emptyInventory(): Inventory {
  const inv: Inventory = { hosts: new Map(), groups: new Map(), sources: [], varDirs: [] };
  ensureGroup(inv, 'all');
  ensureGroup(inv, 'ungrouped');
  return inv;
}

/** A source's folder (ansible-core's inventory_dir, InventoryData's basedir): a folder itself, a file's folder; none (None) for a host list (`a,b`), which is no path. */
export function inventoryDir(source: string): string | null {
  if (!existsSync(source)) return null;
  return resolve(statSync(source).isDirectory() ? source : dirname(source));
}

/**
 * Loads and merges inventories (files or directories of them), with group_vars/host_vars beside each;
 * `others`: sources that are no path (a host list), each added before the path of its index.
 */
export function loadInventories(paths: string[], others: { at: number; add: (inv: Inventory) => void }[] = []): Inventory {
  const inv = emptyInventory();
  const problems: Problem[] = [];
  const varDirs = new Set<string>();
  const othersAt = (i: number) => others.filter((o) => o.at === i).forEach((o) => o.add(inv));
  for (const [i, p] of paths.entries()) {
    othersAt(i);
    const folder = statSync(p).isDirectory();
    const files = folder ? sourcesIn(p, problems) : [p];
    for (const f of files) loadFile(inv, f, problems, folder);
    varDirs.add(inventoryDir(p)!);
  }
  othersAt(paths.length);
  if (problems.length) throw new InputError(problems);
  const named = takeGroupNameWarning();
  if (named) readWarning(problem(named.pos, named.message, named.hint));
  reconcile(inv);
  for (const d of varDirs) readVarDir(inv, d, false, problems);
  if (problems.length) throw new InputError(problems);
  return inv;
}

/** ansible-core's INVENTORY_IGNORE_EXTS: what a folder of inventories holds that is no inventory. */
const IGNORED = ['.pyc', '.pyo', '.swp', '.bak', '~', '.rpm', '.md', '.txt', '.rst', '.orig', '.ini', '.cfg', '.retry'];

/**
 * The inventory files of a folder as ansible-core's parse_source walks it: names in sorted order,
 * sub-folders too, but hidden names, group_vars/, host_vars/, vars_plugins/ and the ignored extensions (an `.ini` file among
 * them: `hosts`, without an extension, is the INI one); a file that is neither YAML nor INI is
 * passed over, as no plugin of ansible-core's takes it (warned of where it looked like INI), and a
 * script is refused: agri-play runs no inventory scripts.
 */
function sourcesIn(dir: string, problems: Problem[]): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    if (IGNORED.some((x) => name.endsWith(x)) || name.startsWith('.')) continue;
    const st = statSync(full);
    if (st.isDirectory()) {
      if (!['group_vars', 'host_vars', 'vars_plugins'].includes(name)) out.push(...sourcesIn(full, problems));
      continue;
    }
    if (YAML_EXT.includes(extname(name))) out.push(full);
    else if (st.mode & 0o111 && readFileSync(full, 'latin1').startsWith('#!')) problems.push(problem({ file: full, line: 1, col: 1 }, 'an inventory script: agri-play runs no inventory scripts', `write what it prints as an inventory: ${full} --list > ${name}.json`));
    else if (isIni(full)) out.push(full);
  }
  return out;
}

/** The group named `raw` (made when missing), under the name ansible-core's Group(name) gives it (see group-names). */
export function ensureGroup(inv: Inventory, raw: string, pos?: Pos): Group {
  const name = groupName(raw, pos);
  let g = inv.groups.get(name);
  if (!g) {
    g = { name, hosts: [], children: [], parents: [], vars: {}, pos };
    inv.groups.set(name, g);
  }
  return g;
}

/** A map's entries added since `before`, put in `order` (those it does not name after them, as they were). */
function reorder<V>(map: Map<string, V>, before: Set<string>, order: string[]): void {
  const rank = new Map(order.map((k, i) => [k, i]));
  const added = [...map.keys()].filter((k) => !before.has(k));
  const sorted = added.map((k, i) => ({ k, r: rank.get(k) ?? order.length + i })).sort((a, b) => a.r - b.r).map((x) => x.k);
  if (sorted.every((k, i) => k === added[i])) return;
  const entries = new Map(map);
  map.clear();
  for (const [k, v] of entries) if (before.has(k)) map.set(k, v);
  for (const k of sorted) map.set(k, entries.get(k)!);
}

/** `inFolder`: one file of a folder given as the source, where a file no plugin can read is warned of and passed over, as ansible-core does. */
function loadFile(inv: Inventory, file: string, problems: Problem[], inFolder = false): void {
  // as ansible-core: .yaml/.yml/.json are YAML inventories, anything else is tried as INI
  // (a folder's file of another extension was found INI already: sourcesIn)
  if (!YAML_EXT.includes(extname(file)) && (inFolder || isIni(file))) {
    const ini = readIniInventory(file);
    if (ini.problems.length && inFolder) return void readWarning({ ...ini.problems[0], message: `not an inventory, passed over: ${ini.problems[0].message}` });
    if (ini.problems.length) return void problems.push(...ini.problems);
    const undeclared = (ini.undeclared ?? []).filter((u) => !inv.groups.has(u.group));
    if (undeclared.length) return void problems.push(...undeclared.map((u) => problem(u.at, u.message, renamedGroup(u.group) ?? `declare it: [${u.group}]`)));
    inv.sources.push(file);
    const before = { hosts: new Set(inv.hosts.keys()), groups: new Set(inv.groups.keys()) };
    for (const [name, body] of Object.entries(ini.doc)) addGroup(inv, name, body as Record<string, unknown>, { file, line: 1, col: 1 }, undefined, problems);
    // (the nested form adds a child group's hosts after its parent's: the hosts and groups this file
    // brought go back into the file's order, which ansible-core's host globs and group walks follow)
    if (ini.order) {
      const hostOrder = ini.order.hosts.flatMap((p) => {
        const names = expandRange(p);
        return Array.isArray(names) ? names : [];
      });
      reorder(inv.hosts, before.hosts, hostOrder);
      reorder(inv.groups, before.groups, ini.order.groups);
    }
    return;
  }
  const parsed = readYaml(file);
  if (parsed.problems.length) return void problems.push(...parsed.problems);
  inv.sources.push(file);
  const doc = parsed.value;
  if (doc === null || doc === undefined) return; // an empty inventory is allowed (Ansible warns)
  if (typeof doc !== 'object' || Array.isArray(doc)) {
    problems.push(problem(posOf(doc) ?? { file, line: 1, col: 1 }, 'an inventory must be a mapping of groups (usually starting with all:)'));
    return;
  }
  // an inventory plugin's configuration: ansible-core's constructed (groups, keyed_groups, compose over the hosts read before it)
  if (Object.hasOwn(doc, 'plugin')) {
    const name = (doc as Record<string, unknown>).plugin;
    if (name === 'constructed' || name === 'ansible.builtin.constructed') (inv.constructed ??= []).push({ file, config: doc as Record<string, unknown>, hosts: [...inv.hosts.keys()], ungrouped: new Set(inv.groups.get('ungrouped')!.hosts) });
    else problems.push(problem(posOf(doc, 'plugin', 'value') ?? { file, line: 1, col: 1 }, `inventory plugin '${String(name)}' is not one agri-play has`, "agri-play has ansible.builtin.constructed; give other sources' hosts as a YAML or INI inventory"));
    return;
  }
  const found = validate(schema('inventory'), doc, 'inventory');
  if (found.length) return void problems.push(...found);
  for (const [name, body] of Object.entries(doc as Record<string, unknown>)) {
    addGroup(inv, name, body as Record<string, unknown> | null, posOf(doc, name), undefined, problems, doc as object);
  }
}

/** An INI inventory: a regular file whose first meaningful line is a [section] or a host line, not YAML. */
function isIni(file: string): boolean {
  try {
    if (!statSync(file).isFile()) return false;
    const first = readFileSync(file, 'utf8').slice(0, 65536).split('\n').map((l) => l.trim()).find((l) => l && !l.startsWith('#') && !l.startsWith(';'));
    return first !== undefined && (first.startsWith('[') || !/^[\w.-]+:(\s|$)/.test(first)) && first !== '---';
  } catch {
    return false;
  }
}

/** A group's hosts as a set while loading (a group of 10,000 hosts: no scan of its list per host). */
const memberSets = new WeakMap<Group, Set<string>>();
function memberSet(g: Group): Set<string> {
  let s = memberSets.get(g);
  if (!s || s.size !== g.hosts.length) memberSets.set(g, (s = new Set(g.hosts)));
  return s;
}

/** `from`: the YAML mapping whose key names the group (a number there is no group name). */
function addGroup(inv: Inventory, name: string, body: Record<string, unknown> | null, pos: Pos | undefined, parent: string | undefined, problems: Problem[], from?: object): void {
  // (any text, as ansible-core's add_group takes it — `ünï`, `web servers` —; only a YAML key that is no text is refused, as there)
  if (!name || (from && !keyWasText(from, name))) {
    problems.push(problem(pos, `Invalid group name supplied, expected a string but got '${name}'`, `write it as "${name}"`));
    return;
  }
  const g = ensureGroup(inv, name, pos);
  if (parent && parent !== g.name && !g.parents.includes(parent)) {
    g.parents.push(parent);
    const pg = inv.groups.get(parent)!;
    if (!pg.children.includes(g.name)) pg.children.push(g.name);
  }
  if (!body) return;
  // (its keys in the order written, as ansible-core's yaml plugin walks them: a group's children before
  // its hosts where they come first, which orders the inventory's hosts and groups)
  for (const key of Object.keys(body)) {
    if (key === 'vars' && body.vars) assignVars(g, body.vars);
    if (key === 'hosts') addHosts(inv, g, body, problems);
    if (key === 'children') {
      const children = (body.children ?? {}) as Record<string, Record<string, unknown> | null>;
      for (const [child, cb] of Object.entries(children)) addGroup(inv, child, cb, posOf(children, child), g.name, problems, children);
    }
  }
}

function addHosts(inv: Inventory, g: Group, body: Record<string, unknown>, problems: Problem[]): void {
  const hosts = (body.hosts ?? {}) as Record<string, Vars | null>;
  for (const [pattern, hv] of Object.entries(hosts)) {
    // (as ansible-core's yaml plugin refuses it: `1234:` is a number, no host name)
    if (!keyWasText(hosts, pattern)) {
      problems.push(problem(posOf(hosts, pattern), `Host pattern ${pattern} must be a string. Enclose integers/floats in quotation marks.`, `write it as "${pattern}"`));
      continue;
    }
    // (`web1:2222`, `[2001:db8::1]:22`: the port is the host's ansible_port, its written variables over it, as the yaml plugin sets them)
    const { host: named, port } = hostAndPort(pattern);
    const names = expandRange(named);
    if (!Array.isArray(names)) {
      problems.push(problem(posOf(hosts, pattern), names.error, 'ranges look like cp-[1:3], node[01:10] or rack-[a:c]'));
      continue;
    }
    for (const hn of names) {
      let h = inv.hosts.get(hn);
      if (!h) {
        h = { name: hn, vars: {}, groups: [], pos: posOf(hosts, pattern) };
        inv.hosts.set(hn, h);
      }
      if (port !== undefined) assignVars(h, { ansible_port: port });
      if (hv) assignVars(h, hv);
      const members = memberSet(g);
      if (!members.has(hn)) {
        members.add(hn);
        g.hosts.push(hn);
      }
    }
  }
}

/**
 * Links every top-level group under 'all', fills 'ungrouped' (a host in no other group) and
 * computes each host's groups: after loading, and again after group_by/add_host changed the
 * inventory (ansible-core's reconcile_inventory).
 */
export function reconcile(inv: Inventory): void {
  const all = inv.groups.get('all')!;
  for (const g of inv.groups.values()) {
    if (g.name !== 'all' && g.parents.length === 0) {
      g.parents.push('all');
      all.children.push(g.name);
    }
  }
  const ungrouped = inv.groups.get('ungrouped')!;
  // ansible_group_priority becomes the group's priority, no longer a variable (read here, once per
  // reconcile: groups group_by/add_host make have no variables)
  const priorities = (inv.priorities ??= new Map());
  for (const g of inv.groups.values()) {
    if (g.vars.ansible_group_priority === undefined) continue;
    priorities.set(g.name, Number(g.vars.ansible_group_priority) || 1);
    delete g.vars.ansible_group_priority;
  }
  const order = groupOrder(inv);
  const memberOf = new Map<string, Set<string>>();
  const addUp = (host: string, group: string): void => {
    const set = memberOf.get(host)!;
    if (set.has(group)) return;
    set.add(group);
    for (const p of inv.groups.get(group)!.parents) addUp(host, p);
  };
  for (const h of inv.hosts.values()) memberOf.set(h.name, new Set());
  for (const g of inv.groups.values()) if (g !== ungrouped) for (const h of g.hosts) addUp(h, g.name);
  const wasUngrouped = new Set(ungrouped.hosts);
  const stays = new Set<string>();
  for (const h of inv.hosts.values()) {
    if (inv.implicit?.has(h.name)) continue;
    const set = memberOf.get(h.name)!;
    set.add('all');
    // a host in another group leaves 'ungrouped', as ansible-core's reconcile clears it
    if ([...set].every((g) => g === 'all')) {
      if (!wasUngrouped.has(h.name)) ungrouped.hosts.push(h.name);
      stays.add(h.name);
      set.add('ungrouped');
    }
    // as ansible-core's sort_groups: by depth, then ansible_group_priority (an inventory's own group var), then name
    h.groups = [...set].sort(order);
  }
  ungrouped.hosts = ungrouped.hosts.filter((h) => stays.has(h) || inv.implicit?.has(h) || !inv.hosts.has(h));
}

/**
 * ansible-core's sort_groups as a comparator: by depth, then ansible_group_priority (an
 * inventory's own group var, kept in inv.priorities, not as a variable), then name. Depths are
 * worked out as asked for (a host's groups), memoized for this comparator.
 */
export function groupOrder(inv: Inventory): (a: string, b: string) => number {
  const priorities = inv.priorities ?? new Map<string, number>();
  const depth = new Map<string, number>();
  const depthOf = (name: string, seen = new Set<string>()): number => {
    if (name === 'all') return 0;
    if (depth.has(name)) return depth.get(name)!;
    if (seen.has(name)) return 1;
    seen.add(name);
    const d = 1 + Math.max(0, ...inv.groups.get(name)!.parents.map((p) => depthOf(p, seen)));
    depth.set(name, d);
    return d;
  };
  const priority = (g: string): number => priorities.get(g) ?? 1;
  return (a, b) => depthOf(a) - depthOf(b) || priority(a) - priority(b) || (a < b ? -1 : a > b ? 1 : 0);
}

