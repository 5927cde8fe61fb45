import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'schemas'))) return dir;
    dir = dirname(dir);
  }
  throw new Error('agri-play: cannot find the package root from ' + fileURLToPath(import.meta.url));
}

/** The agri-play package folder (holds schemas/, roles/, playbooks/). */
export const packageRoot = findRoot();

/** The extensions of YAML (and JSON) inventory and vars files. */
export const YAML_EXT = ['.yaml', '.yml', '.json'];

/** A vars folder's files, as ansible-core's _get_dir_vars_files walks it: sorted, its folders too, files with no extension or a YAML/JSON one (not hidden, not `~` backups). */
export function dirVarsFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .filter((f) => !f.startsWith('.') && !f.endsWith('~'))
    .flatMap((f) => {
      const full = join(dir, f);
      if (statSync(full).isDirectory()) return dirVarsFiles(full);
      return extname(f) === '' || YAML_EXT.includes(extname(f)) ? [full] : [];
    });
}
