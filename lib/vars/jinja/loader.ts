// Where Jinja's include/import/from find templates (lib/vars/template.ts renders with it).
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';

/**
 * Where `{% include %}`, `{% import %}` and `{% from %}` find templates, as ansible-core's template
 * loader searches: the including template's folder, then each folder of the search path and its
 * templates/ (set for each render from its variables: rendering is synchronous).
 */
let searchPath: string[] = [];
/** Jinja's lexer drops a template's one last newline (keep_trailing_newline is off in Ansible's environment). */
export const dropTrailingNewline = (src: string): string => (src.endsWith('\n') ? src.slice(0, src.endsWith('\r\n') ? -2 : -1) : src);
/** Sets the folders a render's includes are found in. */
export function searchFrom(vars: Record<string, unknown>): void {
  searchPath = searchPathOf(vars);
}
export const loader = {
  getSource(name: string): { src: string; path: string; noCache: boolean } | null {
    for (const dir of searchPath) {
      const path = isAbsolute(name) ? name : join(dir, name);
      if (existsSync(path) && statSync(path).isFile()) return { src: dropTrailingNewline(readFileSync(path, 'utf8')), path, noCache: true };
    }
    return null;
  },
};

function searchPathOf(vars: Record<string, unknown>): string[] {
  const dirs: string[] = [];
  if (typeof vars.template_fullpath === 'string') dirs.push(dirname(vars.template_fullpath));
  const roots = [...(Array.isArray(vars.ansible_search_path) ? vars.ansible_search_path : []), vars.role_path, vars.playbook_dir].filter((d): d is string => typeof d === 'string');
  for (const d of roots) dirs.push(join(d, 'templates'), d);
  return [...new Set(dirs)];
}

