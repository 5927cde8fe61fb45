// The layers VarStore (scope.ts) merges a task's variables from, its record of each host, and its `groups` view.
import { groupHosts, type Inventory } from '../inventory/index.js';
import type { Play, RoleInfo } from '../playbook/index.js';

type Vars = Record<string, unknown>;

export interface PlayRoleLayers {
  defaults: Vars[];
  vars: Vars[];
  names: { play: string[]; deps: string[]; all: string[] };
}

export interface TaskLayers {
  below: Vars;
  above: Vars;
  /** Role params and include params: over set_fact. */
  high: Vars;
  /** below and above in their parts, for a host with a public include_role's layers between them. */
  split: { playDefaults: Vars; taskDefaults: Vars; playVars: Vars; taskVars: Vars };
  /** Names whose value is a template in some layer (or -e): rendered with the rest. */
  templated: string[];
  role?: { name: string; path: string };
  /** ansible_search_path. */
  searchPath: string[];
}

/** One host's variable state (VarStore). */
export interface HostSlot {
  /** Registered results and set_fact values. */
  facts: Vars;
  /** Inventory variables (until the inventory changes). */
  inv?: Vars;
  layer?: HostLayer;
  /** The fact cache's facts, and the variables they give. */
  cached?: Vars;
  factLayer?: Vars;
  /** include_vars. */
  included?: Vars;
  /** Public include_roles' layers, by play index. */
  published?: Map<number, Published>;
  /** The play's vars_files as read for the host, by play index, once complete (filesFor). */
  files?: Map<number, Vars>;
  /** The last merge of plain layers (forTask), until something it holds changes. */
  merged?: { t: TaskLayers; play: Play; all: string[]; live: string[]; batch: string[]; vars: Vars };
}

export interface Published {
  defaults: Vars;
  vars: Vars;
  templated: string[];
}

export interface HostLayer {
  vars: Vars;
  templated: string[];
  short: string;
  groupNames: string[];
}

/**
 * ansible-core's include params of a role an include_role/import_role of another role's tasks
 * brought: the names and folders of the roles it came through, the nearest first (none for a role
 * of the play's `roles:` or of a play's task).
 */
export function parentRoles(roles: RoleInfo[]): Vars {
  if (roles.length < 2) return {};
  // (a role whose next is its meta dependency did not include it)
  const parents = roles.filter((r, i) => i < roles.length - 1 && !r.deps?.includes(roles[i + 1])).reverse();
  if (!parents.length) return {};
  return { ansible_parent_role_names: parents.map((r) => r.name), ansible_parent_role_paths: parents.map((r) => r.path) };
}

export function emptyLayers(l: TaskLayers): boolean {
  return !l.templated.length && empty(l.below) && empty(l.above) && empty(l.high);
}

export function empty(o: Vars): boolean {
  for (const _ in o) return false;
  return true;
}

/** The `groups` view of an inventory: each group's hosts worked out when read, kept in `cache` (emptied when the inventory changes). */
export function groupsView(inv: Inventory, cache: Map<string, string[]>): Record<string, string[]> {
  const of = (name: string): string[] => {
    let hosts = cache.get(name);
    if (!hosts) cache.set(name, (hosts = groupHosts(inv, name)));
    return hosts;
  };
  const known = (name: string | symbol): name is string => typeof name === 'string' && inv.groups.has(name);
  return new Proxy({} as Record<string, string[]>, {
    get: (_t, name) => (known(name) ? of(name) : undefined),
    has: (_t, name) => known(name),
    set: () => false,
    deleteProperty: () => false,
    defineProperty: () => false,
    ownKeys: () => [...inv.groups.keys()],
    getOwnPropertyDescriptor: (_t, name) => (known(name) ? { enumerable: true, configurable: true, value: of(name) } : undefined),
  });
}
