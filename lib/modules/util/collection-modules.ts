// Modules of installed Ansible collections that agri-play has no module of (community.general's
// ufw, ansible.posix's firewalld, a collection in the playbook's collections/ folder), found as
// ansible-core's collection loader finds them (collections.ts; a module its collection's
// meta/runtime.yml redirects is followed there) and run on the host as ansible-core runs a Python
// module: AnsiballZ's way, with the collection's module_utils (library.ts, ansiballz.ts). A module
// with an action plugin of its collection (Python that ansible-core runs on the controller) is not
// one: agri-play does not run controller plugins, so its task stays one that fails where it runs.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { processWide } from '../../source/process-wide.js';
import { parse } from '../../source/vendor/yaml.js';
import type { TSchema } from '../../source/vendor/typebox.js';
import type { ActionModule, Module } from '../types.js';
import { collectionDir, FQCN, importRootOf } from './collections.js';
import type { ImportRoots } from './ansiballz.js';
import { runLibrary } from './library.js';

type Spec = Pick<Module, 'name' | 'kind' | 'description'> & { args: TSchema };
type Route = { redirect?: unknown; tombstone?: unknown; action_plugin?: unknown };

/** The playbook's folder (its collections/ folder is looked in first): set when the playbook loads. */
const where = processWide('collectionModulesPlaybook', () => ({ dir: process.cwd() }));
export const useCollectionsOf = (playbookDir: string): void => void (where.dir = playbookDir);

interface Found {
  /** The module's own name (after its runtime's redirects). */
  fqcn: string;
  path: string;
  /** Its Python package (`ansible_collections.ns.coll.plugins.modules`). */
  pkg: string[];
  /** It has an action plugin of its collection (ansible-core runs that, on the controller). */
  action: boolean;
}

const runtimes = new Map<string, Record<string, Route>>();
function routes(dir: string): Record<string, Route> {
  let r = runtimes.get(dir);
  if (!r) {
    const file = join(dir, 'meta', 'runtime.yml');
    const doc = existsSync(file) ? (parse(readFileSync(file, 'utf8')) as { plugin_routing?: { modules?: Record<string, Route> } } | null) : null;
    runtimes.set(dir, (r = doc?.plugin_routing?.modules ?? {}));
  }
  return r;
}

const found = new Map<string, Found | null>();

/** The installed collection module a FQCN names (ansible.builtin's and ansible.legacy's are not these); undefined where there is none to run. */
function find(name: string, hops = 0): Found | undefined {
  const m = FQCN.exec(name);
  if (!m || (m[1] === 'ansible' && (m[2] === 'builtin' || m[2] === 'legacy'))) return undefined;
  const dir = collectionDir(`${m[1]}.${m[2]}`, where.dir, { site: true });
  if (!dir) return undefined;
  const route = Object.hasOwn(routes(dir), m[3]) ? routes(dir)[m[3]] : undefined;
  if (route?.tombstone) return undefined;
  if (typeof route?.redirect === 'string') return hops < 8 ? find(route.redirect, hops + 1) : undefined;
  const parts = m[3].split('.');
  const path = `${join(dir, 'plugins', 'modules', ...parts)}.py`;
  // (an action plugin alone, with no module, is an action too)
  const plugin = `${join(dir, 'plugins', 'action', ...parts)}.py`;
  const action = route?.action_plugin !== undefined || existsSync(plugin);
  if (!existsSync(path) && !action) return undefined;
  return { fqcn: name, path: existsSync(path) ? path : plugin, pkg: ['ansible_collections', m[1], m[2], 'plugins', 'modules', ...parts.slice(0, -1)], action };
}

const lookup = (name: string): Found | undefined => {
  if (!found.has(name)) found.set(name, find(name) ?? null);
  return found.get(name) ?? undefined;
};

/** Where a collection's import (`ansible_collections.ns.coll.…`) is found: that collection's import root. */
const collectionRoot: ImportRoots = (mod) => {
  if (mod[0] !== 'ansible_collections' || mod.length < 3) return undefined;
  const dir = collectionDir(`${mod[1]}.${mod[2]}`, where.dir, { site: true });
  return dir === undefined ? undefined : importRootOf(dir);
};

const modules = new Map<string, ActionModule>();

/** An installed collection's module by its FQCN, as a module agri-play runs (its spec: any arguments; its own argument spec checks them on the host). */
export function collectionModule(name: string): ActionModule | undefined {
  const f = lookup(name);
  if (!f || f.action) return undefined;
  let mod = modules.get(f.path);
  if (!mod) {
    const spec: Spec = { name: f.fqcn, kind: 'action', description: `A module of an installed Ansible collection (${f.path}), run on the host as ansible-core runs it.`, args: { type: 'object' } as unknown as TSchema };
    modules.set(f.path, (mod = { ...spec, kind: 'action', run: (ctx, args) => runLibrary(ctx, f.fqcn, f.path, args as Record<string, unknown>, { pkg: f.pkg, rootOf: collectionRoot }) }));
  }
  return mod;
}

/** The FQCN of an installed collection's module that has an action plugin (which agri-play does not run), for the task's words. */
export const withActionPlugin = (name: string): string | undefined => {
  const f = lookup(name);
  return f?.action ? f.fqcn : undefined;
};
