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

/** The library modules found so far: name → file (those of `library`/ANSIBLE_LIBRARY folders apart: they come after). */
const found = processWide('libraryModules', () => new Map<string, string>());
const configured = processWide('libraryModulesConfigured', () => new Map<string, string>());

/**
 * Adds the modules of a `library/` folder (a file's name without its extension is the module's
 * name; the first found wins; of one name's files, the `.py` one, as ansible-core's module loader
 * picks the `.py` module). `configured`: a folder of ansible.cfg's `library` (ANSIBLE_LIBRARY),
 * after every playbook's and role's library/ whenever those are found.
 */
export function addLibraryDir(dir: string, o: { configured?: boolean } = {}): void {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return;
  const into = o.configured ? configured : found;
  const files = readdirSync(dir).sort((a, b) => Number(extname(b) === '.py') - Number(extname(a) === '.py') || (a < b ? -1 : a > b ? 1 : 0));
  for (const f of files) {
    const path = join(dir, f);
    if (f.startsWith('_') || f.startsWith('.') || /\.(pyc|pyo|ps1|psm1|md|txt|yml|yaml|json)$/.test(f) || !statSync(path).isFile()) continue;
    const name = basename(f, extname(f));
    if (!into.has(name)) into.set(name, path);
  }
}

/** The file of a library module (short name, or ansible.legacy.name). */
export const libraryPath = (name: string): string | undefined => {
  if (found.size === 0 && configured.size === 0) return undefined;
  const short = name.replace(/^ansible\.legacy\./, '');
  return found.get(short) ?? configured.get(short);
};

const specs = new Map<string, Spec>();

/** A library module's spec: any arguments (its own argument spec checks them on the host). */
export function librarySpec(name: string): Spec | undefined {
  const path = libraryPath(name);
  if (!path) return undefined;
  let s = specs.get(path);
  if (!s) specs.set(path, (s = { name: name.replace(/^ansible\.legacy\./, ''), kind: 'action', description: `A module of a library/ folder (${path}), run on the host as ansible-core runs it.`, args: { type: 'object' } as unknown as TSchema }));
  return s;
}
