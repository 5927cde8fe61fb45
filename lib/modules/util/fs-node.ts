// What ansible-core's file handling reads of a path, in one round trip per set of paths: lstat's
// type, mode, ids and names, the followed stat's times, links count and inode, the link target and
// the real path (os.lstat, os.stat, os.readlink, os.path.realpath).
import { shq } from '../../connections/quote.js';
import type { ModuleCtx } from '../types.js';
import { nameFiles, nameIn } from './names.js';

export interface FsNode {
  path: string;
  /** os.path.lexists */
  exists: boolean;
  /** lstat's type */
  type: 'link' | 'directory' | 'file' | 'other' | 'absent';
  mode: number;
  uid: number;
  gid: number;
  owner: string;
  group: string;
  size: number;
  /** Through a link (os.path.exists / isdir / stat). */
  target?: { type: 'directory' | 'file' | 'other'; nlink: number; ino: string; atime: number; mtime: number };
  linkTarget?: string;
  realpath: string;
}

const TYPES: Record<string, FsNode['type']> = { 'symbolic link': 'link', directory: 'directory', 'regular file': 'file', 'regular empty file': 'file' };

/**
 * One process per path that exists and is no link (one stat prints both lines: lstat and stat
 * agree there), none for an absent one. A link's stat, target and real path need their own
 * (every reader of `realpath` follows a link).
 */
function script(paths: string[]): string {
  const lstat = 'l|%F|%a|%u|%g|%U|%G|%s';
  const stat = 'L|%F|%h|%d:%i|%.9X|%.9Y';
  const one = (p: string) =>
    `p=${shq(p)}; echo "@@"; if [ -L "$p" ]; then stat -c '${lstat}' -- "$p"; stat -L -c '${stat}' -- "$p" 2>/dev/null; printf 'r|%s\\n' "$(readlink -- "$p")"; printf 'R|%s\\n' "$(realpath -m -- "$p")"; elif [ -e "$p" ]; then stat -c '${lstat}\n${stat}' -- "$p"; fi`;
  return paths.map(one).join('\n');
}

/**
 * Each path's node (in order). The paths not known on the host yet are read in one exec that
 * changes nothing; each path's answer is then kept by itself (the prefetch asks for every `file`
 * step's path at once, a step later for its own), until something changes the host.
 */
export function probe(ctx: ModuleCtx, paths: string[]): Promise<FsNode[]> {
  const missing: string[] = [];
  let exec: ModuleCtx['exec'] | undefined;
  let go!: () => void;
  const answers = new Promise<void>((resolve) => (go = resolve)).then(() => exec!({ shell: script(missing) }, { signal: ctx.signal })).then((r) => r.stdout.split('@@\n').slice(1));
  const nodes = paths.map((path) =>
    ctx.shared(`fs-node\0${path}`, (e) => {
      exec ??= e;
      const i = missing.push(path) - 1;
      return answers.then((chunks) => parse(path, chunks[i] ?? ''));
    }),
  );
  if (missing.length) go();
  return Promise.all(nodes);
}

/**
 * file's arguments whose run reads nothing of a directory but its type, mode, ids, names and size
 * (state=directory, no times to set, no recursion): directoryNode can answer for it, no command run.
 */
export function quickDirectory(a: Record<string, unknown>): boolean {
  const kept = (t: unknown) => t === undefined || t === 'preserve';
  return a.state === 'directory' && !a.recurse && kept(a.modification_time) && kept(a.access_time);
}

/**
 * A directory's node from the run's own stat of it (over SSH an SFTP lstat, which the run puts in
 * flight early) and the host's /etc/passwd and /etc/group: for a directory that is no link, whose
 * owner and group those files name; else undefined (the caller probes). SFTP has no links count,
 * inode or sub-second times: those are NaN, for a caller that reads none (quickDirectory).
 */
export async function directoryNode(ctx: ModuleCtx, path: string): Promise<FsNode | undefined> {
  const st = await ctx.files.stat(path);
  if (st?.type !== 'directory') return undefined;
  const [pw, gr] = await nameFiles(ctx);
  const owner = nameIn(pw, st.uid);
  const group = nameIn(gr, st.gid);
  if (owner === undefined || group === undefined) return undefined;
  return { path, exists: true, type: 'directory', mode: parseInt(st.mode, 8), uid: st.uid, gid: st.gid, owner, group, size: st.size, realpath: path, target: { type: 'directory', nlink: NaN, ino: '', atime: NaN, mtime: NaN } };
}

function parse(path: string, chunk: string): FsNode {
  const n: FsNode = { path, exists: false, type: 'absent', mode: 0, uid: -1, gid: -1, owner: '', group: '', size: 0, realpath: path };
  for (const line of chunk.split('\n')) {
    const [k, ...f] = line.split('|');
    if (k === 'l') Object.assign(n, { exists: true, type: TYPES[f[0]] ?? 'other', mode: parseInt(f[1], 8), uid: Number(f[2]), gid: Number(f[3]), owner: f[4], group: f[5], size: Number(f[6]) });
    if (k === 'L') n.target = { type: f[0] === 'directory' ? 'directory' : f[0].startsWith('regular') ? 'file' : 'other', nlink: Number(f[1]), ino: f[2], atime: Number(f[3]), mtime: Number(f[4]) };
    if (k === 'r') n.linkTarget = f.join('|');
    if (k === 'R') n.realpath = f.join('|') || path;
  }
  return n;
}

/** ansible-core's get_state: link, directory, hard (more than one link), file, absent. */
export function stateOf(n: FsNode): 'link' | 'directory' | 'hard' | 'file' | 'absent' {
  if (!n.exists) return 'absent';
  if (n.type === 'link') return 'link';
  if (n.type === 'directory') return 'directory';
  if ((n.target?.nlink ?? 1) > 1) return 'hard';
  return 'file';
}

/** A mode as Python's '0%03o' prints it (0644, 04755). */
export const octal = (mode: number): string => `0${(mode & 0o7777).toString(8).padStart(3, '0')}`;

/** add_path_info's keys for a path that exists: ids, names, mode, state, size. */
export function pathFacts(n: FsNode): Record<string, unknown> {
  return n.target || n.exists ? { uid: n.uid, gid: n.gid, owner: n.owner, group: n.group, mode: octal(n.mode), state: stateOf(n), size: n.size } : {};
}

/**
 * AnsibleModule's add_path_info on a module's result, as its exit_json adds it: where the result's
 * `path` (else `dest`) is there (a link's target too), its ids, names, mode, state and size (a result's own `state` gives
 * way); else the result as it is.
 */
export async function withPathInfo<R extends Record<string, unknown>>(ctx: ModuleCtx, data: R): Promise<R> {
  const p = data.path ?? data.dest;
  if (typeof p !== 'string') return data;
  const [n] = await probe(ctx, [p]);
  // (os.path.exists: through a link, so a dangling one adds nothing)
  return n.target ? { ...data, ...pathFacts(n) } : data;
}
