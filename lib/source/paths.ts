import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, extname, join, normalize } from 'node:path';
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

/** Python's os.path.join of two parts: no normalization (a `..` stays), an absolute second part wins. */
const pyJoin = (...parts: string[]): string => parts.reduce((a, b) => (b.startsWith('/') ? b : a === '' || a.endsWith('/') ? `${a}${b}` : `${a}/${b}`));

/** dataloader's _is_role: a folder that looks like a role's (a tasks/ or meta/ main file in it or beside it). */
function isRole(path: string): boolean {
  const up = dirname(path);
  const mains = (d: string) => ['main.yml', 'main.yaml', 'main'].map((m) => pyJoin(d, m));
  if (/(?:^|\/)tasks\/?$/.test(path) && mains(path).some((p) => existsSync(p))) return true;
  return [path, up].some((d) => ['tasks', 'meta'].some((k) => mains(pyJoin(d, k)).some((p) => existsSync(p))));
}

/**
 * ansible-core's path_dwim_relative_stack: where an action looks for a controller file (`source`,
 * under `dirname` — files, templates, vars — and beside it) in each folder of the task's search path,
 * then in the playbook's folder; the first that is there, and every place looked in (its
 * AnsibleFileNotFound lists them). An absolute or `~` path is only checked.
 */
export function dwimStack(paths: string[], dir: string, source: string, basedir: string): { found?: string; searched: string[] } {
  if (source.startsWith('/') || source.startsWith('~')) {
    const p = source.startsWith('~') ? source.replace(/^~(?=\/|$)/, process.env.HOME ?? '~') : source;
    return { found: existsSync(p) ? p : undefined, searched: [] };
  }
  const searched: string[] = [];
  for (const path of paths) {
    const up = dirname(path);
    if (up.endsWith('/tasks') && isRole(path)) searched.push(pyJoin(dirname(up), dir, source), pyJoin(up, source));
    else searched.push(pyJoin(path, dir, source), pyJoin(path, source));
  }
  searched.push(pyJoin(basedir, dir, source), pyJoin(basedir, source));
  // (the file found normalized, `files/./` as `files/`: the actions read it through os.path, which does)
  const found = searched.find((p) => existsSync(p));
  return { found: found === undefined ? undefined : normalize(found), searched };
}

/** AnsibleFileNotFound's words for a controller file no folder had (`searched`: where it was looked for). */
export const fileNotFound = (source: string, searched: string[] = []): string =>
  `Could not find or access '${source}'${searched.length ? `\nSearched in:\n\t${searched.join('\n\t')}` : ''} on the Ansible Controller.\nIf you are using a module and expect the file to exist on the remote, see the remote_src option`;
