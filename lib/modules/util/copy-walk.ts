// ansible-core's copy action's _walk_dirs (plugins/action/copy.py, 2.14): a controller folder as
// the files, folders and links to make on the host, with the paths relative to dest.
import { lstatSync, readdirSync, readlinkSync, realpathSync, statSync, type Stats } from 'node:fs';
import { basename, dirname, join, posix } from 'node:path';

/** [controller path or link target, path relative to dest] */
export interface Walked {
  files: [string, string][];
  directories: [string, string][];
  symlinks: [string, string][];
}

const id = (st: Stats): string => `${st.dev}:${st.ino}`;
/** os.lstat / os.stat, undefined where Python's islink/isdir/isfile would say False (missing, a broken or circular link). */
const statOf = (p: string, follow: boolean): Stats | undefined => {
  try {
    return follow ? statSync(p) : lstatSync(p);
  } catch {
    return undefined;
  }
};
const isLink = (p: string): boolean => statOf(p, false)?.isSymbolicLink() ?? false;
const isDir = (p: string): boolean => statOf(p, true)?.isDirectory() ?? false;
const isFile = (p: string): boolean => statOf(p, true)?.isFile() ?? false;
/** os.path.realpath: as far as the links resolve (a broken or circular link leaves the rest as written). */
function realpath(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return join(realpath(dirname(p)), basename(p));
  }
}

/** os.walk(top) (top-down, links to folders listed, not entered), names sorted for a stable order. */
function* osWalk(top: string): Generator<[string, string[], string[]]> {
  let names: string[];
  try {
    names = readdirSync(top).sort();
  } catch {
    return;
  }
  const dirs = names.filter((n) => isDir(join(top, n)));
  yield [top, dirs, names.filter((n) => !dirs.includes(n))];
  for (const d of dirs) if (!isLink(join(top, d))) yield* osWalk(join(top, d));
}

/** local_follow (default true): links are followed, except a folder link back into the copy (kept a link). */
export function walkDirs(topdir: string, localFollow: boolean): Walked {
  const r: Walked = { files: [], directories: [], symlinks: [] };
  const recurse = (top: string, offset: number, parents: Set<string>, relBase = ''): void => {
    for (const [base, subs, files] of osWalk(top)) {
      for (const f of files) {
        const path = join(base, f);
        const dest = posix.join(relBase, path.slice(offset));
        if (!isLink(path)) r.files.push([path, dest]);
        else if (localFollow && isFile(realpath(path))) r.files.push([realpath(path), dest]);
        else r.symlinks.push([readlinkSync(path), dest]);
      }
      for (const d of subs) {
        const path = join(base, d);
        const dest = posix.join(relBase, path.slice(offset));
        if (!isLink(path)) {
          r.directories.push([path, dest]);
          continue;
        }
        const real = realpath(path);
        const here = id(statSync(real));
        if (!localFollow || parents.has(here)) {
          r.symlinks.push([readlinkSync(path), dest]);
          continue;
        }
        // the folders above the link, up to one known: a link to one of them is a circle, kept a link
        const fresh = new Set<string>();
        const parts = dirname(path).split('/');
        for (let i = parts.length; i > 0; i--) {
          const st = id(statSync(parts.slice(0, i).join('/') || '/'));
          if (parents.has(st)) break;
          fresh.add(st);
        }
        if (fresh.has(here)) r.symlinks.push([readlinkSync(path), dest]);
        else {
          r.directories.push([real, dest]);
          recurse(real, real.length + 1, new Set([...parents, ...fresh]), dest);
        }
      }
    }
  };
  // rsync's rule: `dir/` copies what is in it, `dir` the folder itself
  const base = topdir.endsWith('/') ? topdir : dirname(topdir);
  const offset = base.length + (base.endsWith('/') ? 0 : 1);
  if (isLink(topdir) && !localFollow) return { ...r, symlinks: [[readlinkSync(topdir), basename(topdir)]] };
  recurse(topdir, offset, new Set([id(statSync(topdir))]));
  return r;
}
