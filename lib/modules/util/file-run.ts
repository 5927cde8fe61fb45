// The machinery of ansible-core's file module (file.py's timestamps, basic.py's
// set_*_if_different) that lib/modules/file.ts runs its states with: each change is made only
// when it differs, and not at all in a dry run (the module's check mode).
import { shq } from '../../connections/quote.js';
import { ModuleFailure, type ModuleCtx } from '../types.js';
import { directoryNode, octal, probe, type FsNode } from './fs-node.js';
import { normalizeMode } from './mode.js';

/** The file arguments the machinery reads. */
export interface FileArgs {
  path: string;
  owner?: string;
  group?: string;
  mode?: string | number;
  attributes?: string;
  follow?: boolean;
}
export type Diff = { before: Record<string, unknown>; after: Record<string, unknown> };
/** 'now', 'preserve' (undefined) or seconds since the epoch. */
export type Stamp = number | 'now' | undefined;

/** Python's time.strptime + time.mktime for the directives file's formats use (local time). */
export function strptime(text: string, format: string): number {
  const parts: Record<string, number> = { Y: 1900, m: 1, d: 1, H: 0, M: 0, S: 0 };
  let re = '';
  const order: string[] = [];
  for (let i = 0; i < format.length; i++) {
    const c = format[i];
    if (c === '%' && i + 1 < format.length) {
      const d = format[++i];
      if (d === '%') re += '%';
      else if (d in parts) (order.push(d), (re += d === 'Y' ? '(\\d{4})' : '(\\d{1,2})'));
      else throw new Error(`'${d}' is a bad directive in format '%${d}'`);
    } else re += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  const m = new RegExp(`^${re}$`).exec(text);
  if (!m) throw new Error(`time data '${text}' does not match format '${format}'`);
  order.forEach((d, i) => (parts[d] = Number(m[i + 1])));
  return new Date(parts.Y, parts.m - 1, parts.d, parts.H, parts.M, parts.S).getTime() / 1000;
}

export function stamp(v: string, format: string): Stamp {
  if (v === 'preserve') return undefined;
  if (v === 'now') return 'now';
  try {
    return strptime(v, format);
  } catch (e) {
    throw new ModuleFailure(`Error while obtaining timestamp for time ${v} using format ${format}: ${(e as Error).message}`);
  }
}

/**
 * ansible-core's file module (file.py with basic.py's set_*_if_different), run once to find out
 * (dry: as its check mode) and once to do it: each step reads the path, then changes only what
 * differs, in the module's order, with its messages and result keys.
 */
export class FileRun {
  changed = false;
  constructor(
    private ctx: ModuleCtx,
    private a: FileArgs,
    private dry: boolean,
    /** Nothing but a directory's type, mode, ids, names and size is read (fs-node.ts quickDirectory). */
    private quick = false,
  ) {}

  private known = new Map<string, FsNode>();
  /** A path as the module last read it: read once until something here changes the host. */
  node = async (p: string): Promise<FsNode> => {
    let n = this.known.get(p);
    if (!n) this.known.set(p, (n = (this.quick ? await directoryNode(this.ctx, p) : undefined) ?? (await probe(this.ctx, [p]))[0]));
    return n;
  };
  /** Something changed the host: every path is read again. */
  forget(): void {
    this.known.clear();
  }

  private async sh(script: string, fail: (err: string) => string): Promise<void> {
    if (this.dry) return;
    this.forget();
    const r = await this.ctx.exec({ shell: script }, { signal: this.ctx.signal });
    if (r.rc !== 0) throw new ModuleFailure(fail(r.stderr.trim() || r.stdout.trim()), { path: this.a.path });
  }

  private async id(kind: 'passwd' | 'group', name: string, path: string): Promise<number> {
    if (/^\d+$/.test(name)) return Number(name);
    const r = await this.ctx.exec(['getent', kind, name], { signal: this.ctx.signal });
    if (r.rc !== 0) throw new ModuleFailure(`${kind === 'passwd' ? 'chown' : 'chgrp'} failed: failed to look up ${kind === 'passwd' ? 'user' : 'group'} ${name}`, { path });
    return Number(r.stdout.split(':')[2]);
  }

  /** set_fs_attributes_if_different: owner, group, mode, attributes of one path (not following it). */
  async attrs(path: string, diff?: Diff): Promise<boolean> {
    const { owner, group, mode, attributes } = this.a;
    if (owner === undefined && group === undefined && mode === undefined && attributes === undefined) return false;
    let n = await this.node(path);
    // check_file_absent_if_check_mode
    if (this.dry && !n.target) return (this.changed = true);
    const note = (k: string, from: unknown, to: unknown) => diff && ((diff.before[k] = from), (diff.after[k] = to));
    let changed = false;
    if (owner !== undefined) {
      const uid = await this.id('passwd', String(owner), path);
      if (uid !== n.uid) {
        note('owner', n.uid, uid);
        changed = true;
        await this.sh(`chown -h ${uid} -- ${shq(path)}`, (e) => `chown failed: ${e}`);
      }
    }
    if (group !== undefined) {
      const gid = await this.id('group', String(group), path);
      if (gid !== n.gid) {
        note('group', n.gid, gid);
        changed = true;
        await this.sh(`chgrp -h ${gid} -- ${shq(path)}`, () => 'chgrp failed');
      }
    }
    if (mode !== undefined) {
      const prev = n.mode.toString(8).padStart(4, '0');
      const want = normalizeMode(mode, { mode: prev, type: n.type === 'directory' ? 'directory' : 'file' })!;
      if (parseInt(want, 8) !== n.mode) {
        note('mode', octal(n.mode), octal(parseInt(want, 8)));
        if (this.dry) changed = true;
        // a link's own mode cannot be set on Linux: its target's is left as it was (basic.py)
        else if (n.type !== 'link') {
          await this.sh(`chmod ${want} -- ${shq(path)}`, (e) => `chmod failed: ${e}`);
          n = await this.node(path);
          changed ||= n.mode !== parseInt(prev, 8);
        }
      }
    }
    if (attributes !== undefined) {
      const r = await this.ctx.exec({ shell: `command -v lsattr >/dev/null && lsattr -d -- ${shq(path)} 2>/dev/null | cut -d' ' -f1` }, { signal: this.ctx.signal });
      const have = r.stdout.trim().replace(/-/g, '');
      const op = attributes.startsWith('-') || attributes.startsWith('+') ? attributes[0] : '=';
      const flags = op === '=' ? attributes : attributes.slice(1);
      if (r.rc === 0 && (have !== flags || op === '-')) {
        changed = true;
        note('attributes', have, `${op}${flags}`);
        await this.sh(`chattr ${shq(`${op}${flags}`)} -- ${shq(path)} 2>&1 | { ! grep . ; }`, (e) => `chattr failed: Error while setting attributes: ${e}`);
      }
    }
    if (changed) this.changed = true;
    return changed;
  }

  /** update_timestamp_for_file (times through links, as os.utime). */
  async times(path: string, mtime: Stamp, atime: Stamp, diff?: Diff): Promise<boolean> {
    if (mtime === undefined && atime === undefined) return false;
    const n = await this.node(path);
    if (!n.target) {
      if (this.dry) return (this.changed = true);
      throw new ModuleFailure(`Error while updating modification or access time: [Errno 2] No such file or directory: b'${path}'`, { path });
    }
    const now = Date.now() / 1000;
    const both = mtime === 'now' && atime === 'now';
    const m = mtime === undefined ? n.target.mtime : mtime === 'now' ? now : mtime;
    const at = atime === undefined ? n.target.atime : atime === 'now' ? now : atime;
    if (!both && m === n.target.mtime && at === n.target.atime) return false;
    const set = both ? `touch -c -- ${shq(path)}` : `touch -c -m -d @${m} -- ${shq(path)} && touch -c -a -d @${at} -- ${shq(path)}`;
    await this.sh(set, (e) => `Error while updating modification or access time: ${e}`);
    if (diff && m !== n.target.mtime) ((diff.before.mtime = n.target.mtime), (diff.after.mtime = m));
    if (diff && at !== n.target.atime) ((diff.before.atime = n.target.atime), (diff.after.atime = at));
    return (this.changed = true);
  }

  /** load_file_common_arguments' path: a link's real path when following. */
  async argsPath(path: string): Promise<string> {
    const n = await this.node(path);
    return (this.a.follow ?? true) && n.type === 'link' ? n.realpath : path;
  }
}

export function initialDiff(path: string, state: string, prev: string): Diff {
  const diff: Diff = { before: { path }, after: { path } };
  if (prev !== state) ((diff.before.state = prev), (diff.after.state = state));
  return diff;
}

