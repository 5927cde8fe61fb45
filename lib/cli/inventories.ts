import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { InputError } from '../errors.js';
import { emptyInventory, findInventory, implicitLocalhostVars, loadInventories, type Inventory } from '../inventory/index.js';
import { closest, problem } from '../source/index.js';

/** Resolves -i specs (paths or names) and loads them; none given → an implicit localhost. */
export function inventoriesFrom(specs: string[], cwd: string): { inventory: Inventory; sources: string[] } {
  if (specs.length === 0) {
    const inv = emptyInventory();
    inv.hosts.set('localhost', { name: 'localhost', vars: implicitLocalhostVars(), groups: ['all', 'ungrouped'] });
    inv.groups.get('all')!.hosts.push('localhost');
    inv.groups.get('ungrouped')!.hosts.push('localhost');
    return { inventory: inv, sources: ['(implicit localhost)'] };
  }
  const paths: string[] = [];
  for (const spec of specs) {
    const found = findInventory(spec, cwd);
    if (!found) {
      const dir = join(cwd, 'inventories');
      const known = existsSync(dir) ? readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).map((f) => f.replace(/\.ya?ml$/, '')) : [];
      const hint = closest(spec, known);
      throw new InputError([problem({ file: resolve(cwd, spec), line: 1, col: 1 }, `-i ${spec}: no such inventory (not a path, and no inventories/${spec}.yaml)`, hint ? `did you mean '${hint}'?` : known.length ? `inventories: ${known.join(', ')}` : undefined)]);
    }
    paths.push(found);
  }
  return { inventory: loadInventories(paths), sources: paths };
}
