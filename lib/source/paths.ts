import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
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
