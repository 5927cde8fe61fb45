import { readFileSync } from 'node:fs';
import { librarySpec } from './util/library-dirs.js';
import { collectionModule } from './util/collection-modules.js';
import { ansibleRoute } from './ansible-names.js';
import type { TSchema } from '../source/vendor/typebox.js';
import type { Module } from './types.js';

/**
 * What loading a playbook needs to know of a module, without loading it: its name, kind,
 * arguments' schema, aliases, free-form key. `specs.json` beside this file is written at build
 * time from the registry (scripts/precompile.ts), so `--syntax-check` and the load of a run check
 * every task's arguments without importing the modules (110 files); a step imports them when it runs.
 */
export type ModuleSpec = Pick<Module, 'name' | 'kind' | 'description' | 'freeForm' | 'aliases' | 'paths'> & { args: TSchema; keepsTypes?: boolean };

export interface Catalog {
  specs: ModuleSpec[];
  /** Every name a module is called by (FQCNs, collection names) → its index in specs. */
  names: Record<string, number>;
}

export const CATALOG_FILE = 'specs.json';

let catalog: Catalog | undefined;
function load(): Catalog {
  return (catalog ??= JSON.parse(readFileSync(new URL(CATALOG_FILE, import.meta.url), 'utf8')) as Catalog);
}

/** A module's spec by its name or an Ansible FQCN alias (ansible.builtin.copy). */
export function findSpec(name: string): ModuleSpec | undefined {
  // a library/ folder's module first, as ansible.legacy finds it (not under ansible.builtin.)
  const lib = name.startsWith('ansible.builtin.') ? undefined : librarySpec(name);
  if (lib) return lib;
  const c = load();
  const i = Object.hasOwn(c.names, name) ? c.names[name] : undefined;
  // (else an installed collection's module, by its FQCN)
  return i === undefined ? collectionModule(name) : c.specs[i];
}

/**
 * A module's spec as a task names it (`collections`: the collections keyword's list, searched for a
 * short name first, ansible.legacy after them unless named): its own name, else where ansible-core's
 * runtime routes it (an installed collection's module), as its module loader resolves a name.
 */
export function resolveSpec(name: string, collections?: string[]): ModuleSpec | undefined {
  const routed = (n: string): ModuleSpec | undefined => {
    const own = findSpec(n);
    if (own) return own;
    const to = ansibleRoute(n);
    return to === undefined ? undefined : findSpec(to);
  };
  if (!collections?.length || name.includes('.')) return routed(name);
  const list = collections.includes('ansible.builtin') || collections.includes('ansible.legacy') ? collections : [...collections, 'ansible.legacy'];
  for (const c of list) {
    const s = c === 'ansible.legacy' ? routed(name) : c === 'ansible.builtin' ? routed(`ansible.builtin.${name}`) : findSpec(`${c}.${name}`);
    if (s) return s;
  }
  return undefined;
}

/** Every name a module can be called by (for did-you-mean). */
export function specNames(): string[] {
  return Object.keys(load().names);
}

/** The catalog of a registry's modules, as the build writes it. */
export function catalogOf(byName: Map<string, Module>): Catalog {
  const index = new Map<Module, number>();
  const specs: ModuleSpec[] = [];
  const names: Record<string, number> = {};
  for (const [name, m] of byName) {
    let i = index.get(m);
    if (i === undefined) {
      index.set(m, (i = specs.length));
      const { name: own, kind, description, freeForm, aliases, paths, args } = m;
      specs.push({ name: own, kind, description, args, ...(freeForm ? { freeForm } : {}), ...(aliases ? { aliases } : {}), ...(paths ? { paths } : {}), ...(m.kind === 'action' && m.keepsTypes ? { keepsTypes: true } : {}) });
    }
    names[name] = i;
  }
  return JSON.parse(JSON.stringify({ specs, names })) as Catalog;
}

/**
 * Task keys the planner handles itself (not modules): blocks, includes, meta.
 * Kept here so the loader can tell a module from a typo in one place.
 */
export const PLANNER_ACTIONS = ['include_tasks', 'import_tasks', 'include_role', 'import_role', 'meta', 'import_playbook', 'include'];
export function isPlannerAction(name: string): boolean {
  const short = name.replace(/^ansible\.(builtin|legacy)\./, '');
  return PLANNER_ACTIONS.includes(short);
}
