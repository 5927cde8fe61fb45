import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../source/index.js';

/** ansible-names.json, written by scripts/record-ansible-names.ts from an installed `ansible` package. */
interface Names {
  /** ansible-core's short names routed to a module of the same name, by collection. */
  short: Record<string, string[]>;
  /** …and those routed to a module of another name. */
  renamed: Record<string, string>;
  /** …and those routed to a collection the `ansible` package has not (followed only where it is installed). */
  elsewhere: Record<string, string>;
  /** Each collection's modules. */
  collections: Record<string, string[]>;
}

let names: { short: Map<string, string>; fqcn: Set<string>; elsewhere: Map<string, string> } | undefined;
function load(): NonNullable<typeof names> {
  if (names) return names;
  const n = JSON.parse(readFileSync(join(packageRoot, 'lib', 'modules', 'ansible-names.json'), 'utf8')) as Names;
  const short = new Map(Object.entries(n.renamed));
  for (const [coll, list] of Object.entries(n.short)) for (const m of list) short.set(m, `${coll}.${m}`);
  const fqcn = new Set(Object.entries(n.collections).flatMap(([coll, list]) => list.map((m) => `${coll}.${m}`)));
  return (names = { short, fqcn, elsewhere: new Map(Object.entries(n.elsewhere ?? {})) });
}

/**
 * The module an Ansible install (ansible-core and the `ansible` package's collections) resolves a
 * task's module name to, as a collection's FQCN: undefined where Ansible has none of that name
 * either. (Read only for a name agri-play has no module of: a task naming one loads, and fails
 * where it runs, where ansible-core would run the collection's module.)
 */
export function ansibleModule(name: string): string | undefined {
  const n = load();
  const bare = name.replace(/^ansible\.(builtin|legacy)\./, '');
  if (!bare.includes('.')) return n.short.get(bare);
  return n.fqcn.has(name) ? name : undefined;
}

/**
 * Where ansible-core's runtime routes a short (or ansible.builtin./ansible.legacy.) module name, to a
 * collection the `ansible` package has or not (`formerly_core_ping` → testns.testcoll.ping): the
 * FQCN, for a name that may be an installed collection's module.
 */
export function ansibleRoute(name: string): string | undefined {
  const n = load();
  const bare = name.replace(/^ansible\.(builtin|legacy)\./, '');
  return bare.includes('.') ? undefined : (n.short.get(bare) ?? n.elsewhere.get(bare));
}
