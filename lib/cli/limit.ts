// --limit's `@file` terms (a retry file, a list kept by hand), as ansible-core's
// InventoryManager.subset reads them: each names a file of host patterns, one a line.
import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { InputError } from '../errors.js';
import { problem } from '../source/index.js';

const at = { file: '--limit', line: 1, col: 1 };

/** The limit with each `@file` term replaced by the file's patterns (its blank lines passed over: a file of none limits nothing). */
export function limitWithFiles(limit: string, cwd: string): string {
  if (!limit.includes('@')) return limit;
  const terms = limit.split(',').flatMap((term) => {
    const t = term.trim();
    if (!t.startsWith('@')) return [term];
    const path = resolve(cwd, t.slice(1));
    let isFile: boolean;
    try {
      isFile = statSync(path).isFile();
    } catch {
      throw new InputError([problem(at, `Unable to find limit file '${t.slice(1)}'`, 'a term starting with @ names a file of host patterns, one a line')]);
    }
    if (!isFile) throw new InputError([problem(at, `Limit starting with "@" must be a file, not a directory: '${t.slice(1)}'`)]);
    return readFileSync(path, 'utf8').split('\n').map((l) => l.trim()).filter(Boolean);
  });
  return terms.join(',');
}
