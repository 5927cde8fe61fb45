// The modules of a role's or the playbook's `library/` folder: ansible-core adds them to its
// module loader when it loads the role, for the whole run; a task names one as it names a
// built-in, and it shadows a built-in of the same short name (as ansible.legacy resolves). What
// loading needs to know of one (library.ts runs it).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { processWide } from '../../source/process-wide.js';
import type { TSchema } from '../../source/vendor/typebox.js';
import type { Module } from '../types.js';

/** What the catalog knows of a module (catalog.ts's ModuleSpec). */
type Spec = Pick<Module, 'name' | 'kind' | 'description'> & { args: TSchema };

/** The library modules found so far: name → file. */
const found = processWide('libraryModules', () => new Map<string, string>());

/** Adds the modules of a `library/` folder (a file's name without its extension is the module's name; the first found wins). */
export function addLibraryDir(dir: string): void {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return;
  for (const f of readdirSync(dir).sort()) {
    const path = join(dir, f);
    if (f.startsWith('_') || f.startsWith('.') || /\.(pyc|pyo|ps1|psm1|md|txt|yml|yaml|json)$/.test(f) || !statSync(path).isFile()) continue;
    const name = basename(f, extname(f));
    if (!found.has(name)) found.set(name, path);
  }
}

/** The file of a library module (short name, or ansible.legacy.name). */
export const libraryPath = (name: string): string | undefined => (found.size === 0 ? undefined : found.get(name.replace(/^ansible\.legacy\./, '')));

const specs = new Map<string, Spec>();

/** A library module's spec: any arguments (its own argument spec checks them on the host). */
export function librarySpec(name: string): Spec | undefined {
  const path = libraryPath(name);
  if (!path) return undefined;
  let s = specs.get(path);
  if (!s) specs.set(path, (s = { name: name.replace(/^ansible\.legacy\./, ''), kind: 'action', description: `A module of a library/ folder (${path}), run on the host as ansible-core runs it.`, args: { type: 'object' } as unknown as TSchema }));
  return s;
}
