// ansible-core's copy module with remote_src (modules/copy.py, 2.14): a file or a folder already on
// the host, copied there. Run once dry (check mode: what would change) and once for real, each
// step as the module takes it, with its messages.
import { shq } from '../../connections/quote.js';
import { ModuleFailure, type ModuleCtx } from '../types.js';
import { backupFile } from './content.js';
import { FileRun } from './file-run.js';
import { octal, pathFacts, type FsNode } from './fs-node.js';
import { pyBasename, pyDirname, pyJoin } from './pypath.js';

export interface RemoteArgs {
  src: string;
  dest: string;
  mode?: string | number;
  owner?: string;
  group?: string;
  attributes?: string;
  follow?: boolean;
  force?: boolean;
  backup?: boolean;
  validate?: string;
  directory_mode?: string | number;
  local_follow?: boolean;
}

/** filecmp's default ignores (dircmp hides these). */
const IGNORED = new Set(['RCS', 'CVS', 'tags', '.git', '.hg', '.bzr', '_darcs', '__pycache__']);

class RemoteCopy {
  changed = false;
  /** The path reads, and set_fs_attributes_if_different with the task's file arguments. */
  private f: FileRun;
  /** set_owner_if_different / set_group_if_different for each path a folder copy makes. */
  private owned: FileRun;
  constructor(
    private ctx: ModuleCtx,
    private a: RemoteArgs,
    private dry: boolean,
  ) {
    this.f = new FileRun(ctx, { path: a.dest, owner: a.owner, group: a.group, mode: a.mode, attributes: a.attributes, follow: a.follow ?? false }, dry);
    this.owned = new FileRun(ctx, { path: a.dest, owner: a.owner, group: a.group }, dry);
  }

  node = (p: string): Promise<FsNode> => this.f.node(p);

  async sh(script: string, what: string): Promise<string> {
    const r = await this.ctx.exec({ shell: `set -e; ${script}` }, { signal: this.ctx.signal });
    this.f.forget();
    this.owned.forget();
    if (r.rc !== 0) throw new ModuleFailure(`${what}: ${(r.stderr || r.stdout).trim()}`);
    return r.stdout;
  }

  /** A folder's entries as dircmp reads them: name, lstat type, type through links ('f', 'd', 'l', 'N' missing…). */
  async list(dir: string): Promise<Map<string, { own: string; real: string }>> {
    const out = await this.sh(`find ${shq(dir)} -mindepth 1 -maxdepth 1 -printf '%f\\t%y\\t%Y\\0'`, 'listing failed');
    const m = new Map<string, { own: string; real: string }>();
    for (const line of out.split('\0').filter(Boolean)) {
      const [name, own, real] = line.split('\t');
      if (!IGNORED.has(name)) m.set(name, { own, real });
    }
    return m;
  }

  /** filecmp.dircmp(src, dest): the common files that differ, what only src has, the common folders. */
  async dircmp(src: string, dest: string): Promise<{ diff: string[]; left: string[]; dirs: string[] }> {
    const [l, r] = [await this.list(src), await this.list(dest)];
    const left = [...l.keys()].filter((n) => !r.has(n)).sort();
    const common = [...l.keys()].filter((n) => r.has(n)).sort();
    const dirs = common.filter((n) => l.get(n)!.real === 'd' && r.get(n)!.real === 'd');
    const files = common.filter((n) => l.get(n)!.real === 'f' && r.get(n)!.real === 'f');
    const diff: string[] = [];
    for (const n of files) {
      const c = await this.ctx.exec(['cmp', '-s', '--', pyJoin(src, n), pyJoin(dest, n)], { signal: this.ctx.signal });
      if (c.rc !== 0) diff.push(n);
    }
    return { diff, left, dirs };
  }

  /** chown_recursive: owner and group of everything under path (links themselves). */
  async chownRecursive(path: string): Promise<boolean> {
    let changed = false;
    for (const [kind, want] of [['user', this.a.owner], ['group', this.a.group]] as const) {
      if (want === undefined) continue;
      const test = /^\d+$/.test(want) ? (kind === 'user' ? `! -uid ${want}` : `! -gid ${want}`) : `! -${kind} ${shq(want)}`;
      const r = await this.ctx.exec({ shell: `[ -e ${shq(path)} ] || exit 0; find ${shq(path)} ${test} -print -quit` }, { signal: this.ctx.signal });
      if (!r.stdout.trim()) continue;
      changed = true;
      if (!this.dry) await this.sh(`find ${shq(path)} ${test} -exec ${kind === 'user' ? 'chown' : 'chgrp'} -h -- ${shq(want)} {} +`, `${kind === 'user' ? 'chown' : 'chgrp'} failed`);
    }
    return changed;
  }

  /** shutil.copytree(src, dest, symlinks=not local_follow). */
  copytree(src: string, dest: string): Promise<string> {
    return this.sh(`cp -R ${this.a.local_follow === true ? '-L' : '-P'} --preserve=mode,timestamps -- ${shq(src.replace(/\/+$/, '') || '/')} ${shq(dest.replace(/\/+$/, ''))}`, 'copytree failed');
  }

  async diffFiles(src: string, dest: string, diff: string[]): Promise<boolean> {
    if (this.dry) return diff.length > 0;
    for (const n of diff) {
      const [s, d] = [pyJoin(src, n), pyJoin(dest, n)];
      if ((await this.node(s)).type === 'link' && this.a.local_follow === false) await this.sh(`ln -s -- "$(readlink -- ${shq(s)})" ${shq(d)}`, 'symlink failed');
      else await this.sh(`cp -L -- ${shq(s)} ${shq(d)}; chmod --reference=${shq(s)} -- ${shq(d)}`, 'copy failed');
      await this.owned.attrs(d);
    }
    return diff.length > 0;
  }

  async leftOnly(src: string, dest: string, left: string[]): Promise<boolean> {
    if (this.dry) return left.length > 0;
    const lf = this.a.local_follow;
    for (const n of left) {
      const [s, d] = [pyJoin(src, n), pyJoin(dest, n)];
      const node = await this.node(s);
      const link = node.type === 'link';
      const real = node.target?.type;
      if (link && real === 'directory' && lf === true) (await this.copytree(s, d), await this.chownRecursive(d));
      if (link && (real === 'directory' || real === 'file') && lf === false) await this.sh(`ln -s -- "$(readlink -- ${shq(s)})" ${shq(d)}`, 'symlink failed');
      if (link && real === 'file' && lf === true) (await this.sh(`cp -L -- ${shq(s)} ${shq(d)}`, 'copy failed'), await this.owned.attrs(d));
      if (!link && real === 'file') (await this.sh(`cp -- ${shq(s)} ${shq(d)}; chmod --reference=${shq(s)} -- ${shq(d)}`, 'copy failed'), await this.owned.attrs(d));
      if (!link && real === 'directory') (await this.copytree(s, d), await this.chownRecursive(d));
    }
    return left.length > 0;
  }

  /** copy_common_dirs (as the module: once something changed it looks no deeper). */
  async commonDirs(src: string, dest: string, dirs: string[]): Promise<boolean> {
    let changed = false;
    for (const n of dirs) {
      const [s, d] = [pyJoin(src, n), pyJoin(dest, n)];
      const c = await this.dircmp(s, d);
      if ((await this.diffFiles(s, d, c.diff)) || (await this.leftOnly(s, d, c.left))) changed = true;
      changed = changed || (await this.commonDirs(s, d, c.dirs));
    }
    return changed;
  }

  /** The three dircmp passes and the owners, src's content into dest. */
  async merge(src: string, dest: string): Promise<boolean> {
    const c = await this.dircmp(src, dest);
    const a = await this.diffFiles(src, dest, c.diff);
    const b = await this.leftOnly(src, dest, c.left);
    const d = await this.commonDirs(src, dest, c.dirs);
    const e = await this.chownRecursive(dest);
    return a || b || d || e;
  }

  async run(): Promise<Record<string, unknown>> {
    const a = this.a;
    const src = a.src;
    let dest = a.dest.includes('/') ? a.dest : `./${a.dest}`;
    const s = await this.node(src);
    if (!s.target) throw new ModuleFailure(`Source ${src} not found`);
    let sum: string | undefined;
    let md5: string | undefined;
    if (s.target.type === 'file') [sum, md5] = (await this.sh(`sha1sum -- ${shq(src)} | cut -d' ' -f1; md5sum -- ${shq(src)} | cut -d' ' -f1`, 'checksum failed')).trim().split('\n');
    else if (s.target.type !== 'directory') throw new ModuleFailure(`Cannot copy invalid source '${src}': not a file`);
    if (dest.endsWith('/')) {
      const dir = pyDirname(dest);
      if (!(await this.node(dir)).target) {
        if (this.dry) return { msg: `dest directory ${dir} would be created`, changed: true, src };
        await this.makedirs(dir);
      }
    }
    if ((await this.node(dest)).target?.type === 'directory') dest = pyJoin(dest, pyBasename(src));
    let d = await this.node(dest);
    let destSum: string | undefined;
    if (d.target) {
      if (d.type === 'link' && a.follow) ((dest = d.realpath), (d = await this.node(dest)));
      if (a.force === false) return { msg: 'file already exists', src, dest, changed: false };
      if (d.target?.type === 'file') destSum = (await this.sh(`sha1sum -- ${shq(dest)} | cut -d' ' -f1`, 'checksum failed')).trim();
    } else if (!(await this.node(pyDirname(dest) || '.')).target) throw new ModuleFailure(`Destination directory ${pyDirname(dest)} does not exist`);
    let backupFile: string | undefined;
    if (sum !== destSum || d.type === 'link') {
      if (!this.dry) backupFile = await this.replace(src, dest, d, s.target.type === 'file');
      this.changed = true;
    }
    if (sum === undefined && destSum === undefined && s.target.type === 'directory') await this.folder(src);
    const out: Record<string, unknown> = { dest, src, md5sum: md5 ?? null, checksum: sum ?? null, ...(backupFile ? { backup_file: backupFile } : {}) };
    await this.f.attrs(await this.f.argsPath(dest));
    this.changed ||= this.f.changed;
    const n = await this.node(dest);
    return { ...out, changed: this.changed, ...(n.target ? pathFacts(n) : {}) };
  }

  /** os.makedirs, then the new folders get the file arguments with directory_mode as their mode. */
  private async makedirs(dir: string): Promise<void> {
    const made: string[] = [];
    for (let p = dir; p && p !== '.' && p !== '/' && !(await this.node(p)).target; p = pyDirname(p)) made.unshift(p);
    await this.sh(`mkdir -p -- ${shq(dir)}`, `could not create ${dir}`);
    const f = new FileRun(this.ctx, { path: dir, owner: this.a.owner, group: this.a.group, mode: this.a.directory_mode, attributes: this.a.attributes }, false);
    for (const p of made) await f.attrs(p);
  }

  /** The file's content replaced (a link at dest becomes a file), as atomic_move does: the mode and owner of what was there, else a new file's. */
  private async replace(src: string, dest: string, d: FsNode, isFile: boolean): Promise<string | undefined> {
    let backup: string | undefined;
    if (this.a.backup && d.target) backup = await backupFile(this.ctx, dest);
    if (d.type === 'link') await this.sh(`rm -f -- ${shq(dest)}; : > ${shq(dest)}`, `failed to copy: ${src} to ${dest}`);
    if (this.a.validate) {
      if (!this.a.validate.includes('%s')) throw new ModuleFailure(`validate must contain %s: ${this.a.validate}`);
      const r = await this.ctx.exec({ shell: this.a.validate.replaceAll('%s', shq(src)) }, { signal: this.ctx.signal });
      if (r.rc !== 0) throw new ModuleFailure('failed to validate', { exit_status: r.rc, stdout: r.stdout, stderr: r.stderr });
    }
    if (!isFile) return backup;
    const dir = pyDirname(dest) || '.';
    const keep = `if [ -e ${shq(dest)} ]; then chmod --reference=${shq(dest)} -- "$t"; chown --reference=${shq(dest)} -- "$t" 2>/dev/null || true; else chmod "$(printf '%o' $((0666 & ~0$(umask))))" -- "$t"; fi`;
    await this.sh(`t=$(mktemp -p ${shq(dir)} .ansible_tmpXXXXXX); cp -- ${shq(src)} "$t"; touch -r ${shq(src)} -- "$t"; ${keep}; mv -fT -- "$t" ${shq(dest)} || { rm -f -- "$t"; exit 1; }`, `failed to copy: ${src} to ${dest}`);
    return backup;
  }

  /** A folder src: the module's four cases (src with or without a trailing slash, dest there or not). */
  private async folder(src: string): Promise<void> {
    const dest = this.a.dest;
    const there = (await this.node(dest)).target?.type === 'directory';
    const slash = src.endsWith('/');
    if (slash && there) this.changed = (await this.merge(src, dest)) || this.changed;
    else if (slash && !(await this.node(dest)).target) {
      if (!this.dry) await this.copytree(src, dest);
      await this.chownRecursive(dest);
      this.changed = true;
    } else if (!slash && there) {
      const into = pyJoin(dest, pyBasename(src));
      if (!(await this.node(into)).target) {
        if (!this.dry) (await this.copytree(src, into), await this.chownRecursive(into));
        this.changed = true;
      }
      if ((await this.node(into)).target) this.changed = (await this.merge(`${src}/`, into)) || this.changed;
    } else if (!slash && !(await this.node(dest)).target) {
      const into = pyJoin(dest, pyBasename(src));
      if (!(await this.node(into)).target) {
        if (this.dry) this.changed = true;
        else {
          await this.sh(`mkdir -p -- ${shq(into)}`, `could not create ${into}`);
          if (await this.merge(`${src}/`, into)) this.changed = true;
        }
      }
    }
  }
}

export async function remoteCopy(ctx: ModuleCtx, a: RemoteArgs, dry: boolean): Promise<Record<string, unknown>> {
  // mode: preserve is the source's own mode (through a link), done on the host
  if (a.mode === 'preserve') {
    const r = await ctx.exec(['stat', '-L', '-c', '%a', '--', a.src], { signal: ctx.signal });
    if (r.rc !== 0) throw new ModuleFailure(`Source ${a.src} not found`);
    a = { ...a, mode: octal(Number.parseInt(r.stdout.trim(), 8)) };
  }
  return new RemoteCopy(ctx, a, dry).run();
}
