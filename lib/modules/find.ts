import { Type } from '../source/vendor/typebox.js';
import { pyRegex } from '../source/index.js';
import { shq } from '../connections/quote.js';
import { optList } from './util/arg-types.js';
import { defineModule, ModuleFailure, type ModuleCtx } from './types.js';
import { sha1 } from './util/content.js';
import { fnmatch } from '../source/splitter.js';
import { modeFacts, TYPE_BITS } from './util/stat-script.js';

const list = optList;
const Args = Type.Object(
  {
    paths: Type.Union([Type.Array(Type.String()), Type.String()], { description: 'Folders to look in (a list, or comma-separated).' }),
    patterns: list('Names to match: shell globs, or Python regular expressions with use_regex (default: all).'),
    excludes: list('Names to leave out among those matched.'),
    contains: Type.Optional(Type.String({ description: 'Only files with a line this regular expression matches at its start.' })),
    read_whole_file: Type.Optional(Type.Boolean({ description: 'contains searches the whole file instead of line by line.' })),
    file_type: Type.Optional(Type.Union(['any', 'directory', 'file', 'link'].map((t) => Type.Literal(t)), { description: 'What to find (default file).' })),
    age: Type.Optional(Type.String({ description: "Older than this ('2d', '1w', '3600'); negative: newer than." })),
    age_stamp: Type.Optional(Type.Union(['atime', 'ctime', 'mtime'].map((t) => Type.Literal(t)), { description: 'The time age compares (default mtime).' })),
    size: Type.Optional(Type.String({ description: "At least this size ('10m', '1k'); negative: at most." })),
    recurse: Type.Optional(Type.Boolean({ description: 'Look in subfolders too.' })),
    hidden: Type.Optional(Type.Boolean({ description: 'Include names that start with a dot.' })),
    follow: Type.Optional(Type.Boolean({ description: 'Follow symlinks to folders.' })),
    get_checksum: Type.Optional(Type.Boolean({ description: 'The sha1 of each file found.' })),
    use_regex: Type.Optional(Type.Boolean({ description: 'patterns/excludes are Python regular expressions (matched at the start of the name).' })),
    depth: Type.Optional(Type.Integer({ description: 'How deep to recurse (1: the folder itself).' })),
  },
  { additionalProperties: false },
);
type A = typeof Args.static;

const items = (v: string[] | string | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : v.split(',').map((s) => s.trim()).filter(Boolean));

/** ansible-core's pfilter: a name a pattern matches and no exclude does. */
function nameFilter(a: A): (name: string) => boolean {
  const compile = (p: string) => (a.use_regex ? pyRegex(`^(?:${p})`) : fnmatch(p));
  const patterns = (items(a.patterns).length ? items(a.patterns) : [a.use_regex ? '.*' : '*']).map(compile);
  const excludes = items(a.excludes).map(compile);
  return (name) => patterns.some((p) => p.test(name)) && !excludes.some((e) => e.test(name));
}

function amount(v: string | undefined, units: Record<string, number>, re: RegExp, what: string): number | undefined {
  if (v === undefined) return undefined;
  const m = re.exec(v.toLowerCase());
  if (!m) throw new ModuleFailure(`failed to process ${what}`, { [what]: v });
  return Number(m[1]) * (units[m[2] ?? ''] ?? 1);
}

// per entry: type, raw mode (octal), uid, gid, size, inode, dev, nlink, atime, mtime, ctime, user, group, path — NUL-ended
const FORMAT = '%y\\t%#m\\t%U\\t%G\\t%s\\t%i\\t%D\\t%n\\t%A@\\t%T@\\t%C@\\t%u\\t%g\\t%d\\t%p\\0';

function statinfo(f: string[]): Record<string, unknown> {
  const [type, mode, uid, gid, size, ino, dev, nlink, atime, mtime, ctime, user, group, path] = f;
  return {
    path,
    ...modeFacts((TYPE_BITS[type] ?? 0) | parseInt(mode, 8), {
      uid: Number(uid), gid: Number(gid), size: Number(size), inode: Number(ino), dev: Number(dev), nlink: Number(nlink),
      atime: Number(atime), mtime: Number(mtime), ctime: Number(ctime), gr_name: group === String(gid) ? '' : group, pw_name: user === String(uid) ? '' : user,
    }),
  };
}

async function contains(ctx: ModuleCtx, path: string, re: RegExp, whole: boolean): Promise<boolean> {
  const text = (await ctx.files.read(path))?.toString('utf8') ?? '';
  return whole ? re.test(text) : text.split(/(?<=\n)/).some((line) => re.test(line));
}

/**
 * The found entries in os.walk's order, as the module lists them: a folder's entries together, its
 * files before its folders (each in the folder's own order, which find keeps), then each folder's,
 * depth first. find(1) lists a folder's content right after the folder instead.
 */
function walkOrder(files: Record<string, unknown>[], dirs: string[]): Record<string, unknown>[] {
  // (find walks depth first as os.walk does: its folders come in the same order, each first met at its
  // first entry — any entry walked, matched or not: `dirs`)
  const byDir = new Map<string, Record<string, unknown>[]>(dirs.map((d) => [d, []]));
  for (const f of files) {
    const d = folderOf(String(f.path));
    const list = byDir.get(d);
    if (list) list.push(f);
    else byDir.set(d, [f]);
  }
  return [...byDir.values()].flatMap((here) => [...here.filter((f) => f.isdir !== true), ...here.filter((f) => f.isdir === true)]);
}

/** The folder of a path (as walkOrder groups them). */
const folderOf = (p: string): string => p.slice(0, p.lastIndexOf('/'));

/** ansible.builtin.find: files, folders or links under paths by name, age, size and content, each with stat's fields. */
export default defineModule({
  name: 'find',
  kind: 'action',
  description: 'Finds files (or folders, links) under paths by name (globs or regular expressions), age, size and content, as ansible.builtin.find: files (with stat fields), matched, examined.',
  args: Args,
  aliases: { name: 'paths', path: 'paths', pattern: 'patterns', exclude: 'excludes' },
  // each path as ansible-core's find expands it (os.path.expanduser(os.path.expandvars(p)))
  paths: ['paths'],
  async run(ctx, a) {
    const age = amount(a.age, { s: 1, m: 60, h: 3600, d: 86400, w: 604800 }, /^(-?\d+)(s|m|h|d|w)?$/, 'age');
    const size = amount(a.size, { b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 }, /^(-?\d+)(b|k|m|g|t)?$/, 'size');
    const named = nameFilter(a);
    const content = a.contains !== undefined ? pyRegex(a.read_whole_file ? a.contains : `^(?:${a.contains})`) : undefined;
    const type = a.file_type ?? 'file';
    const stamp = ({ atime: 8, ctime: 10, mtime: 9 } as Record<string, number>)[a.age_stamp ?? 'mtime'];
    const now = ctx.now();
    const files: Record<string, unknown>[] = [];
    const dirs = new Set<string>();
    const skipped: Record<string, string> = {};
    let examined = 0;
    for (const root of items(a.paths)) {
      // ansible-core's os.walk looks at the entries one level below `depth` too (counted in examined, not matched)
      const depth = a.recurse ? (a.depth ? ` -maxdepth ${a.depth + 1}` : '') : ' -maxdepth 1';
      // (follow: links to folders are walked, as os.walk(followlinks=True), but each entry is its lstat, as the
      // module's: the paths -L finds are printed again without it, after the walk's root, below which
      // their depth is worked out from the path)
      const walk = a.follow ? `printf '%s\\0' "$p"; find -L "$p" -mindepth 1${depth} -print0 | xargs -0 -r sh -c 'find "$@" -maxdepth 0 -printf '"'"'${FORMAT}'"'"'' sh` : `find "$p" -mindepth 1${depth} -printf '${FORMAT}'`;
      const r = await ctx.exec({ shell: `p=${shq(root)}; case "$p" in "~"*) p="$HOME\${p#\\~}";; esac; [ -d "$p" ] || { echo "'$p' is not a directory" >&2; exit 3; }; ${walk}` });
      if (r.rc === 3) {
        skipped[root] = r.stderr.trim();
        continue;
      }
      const entries = r.stdout.split('\0').filter(Boolean);
      const top = a.follow ? entries.shift()!.replace(/\/+$/, '') : '';
      for (const entry of entries) {
        const f = entry.split('\t');
        examined++;
        const path = f.slice(14).join('\t');
        dirs.add(folderOf(path));
        const level = a.follow ? path.slice(top.length).split('/').length - 1 : Number(f[13]);
        if (a.recurse && a.depth && level > a.depth) continue;
        const base = path.slice(path.lastIndexOf('/') + 1);
        if (base.startsWith('.') && !a.hidden) continue;
        const t = f[0];
        const wanted = type === 'any' || (type === 'directory' && t === 'd') || (type === 'file' && t === 'f') || (type === 'link' && t === 'l');
        if (!wanted || !named(base)) continue;
        const ts = Number(f[stamp]);
        if (age !== undefined && !(age >= 0 ? now - ts >= age : now - ts <= -age)) continue;
        const bytes = Number(f[4]);
        if (t === 'f' && size !== undefined && !(size >= 0 ? bytes >= size : bytes <= -size)) continue;
        if (type === 'file' && content && !(await contains(ctx, path, content, a.read_whole_file ?? false))) continue;
        const info = statinfo([...f.slice(0, 13), path]);
        if (t === 'f' && a.get_checksum) info.checksum = sha1((await ctx.files.read(path)) ?? Buffer.alloc(0));
        files.push(info);
      }
    }
    const msg = Object.keys(skipped).length ? 'Not all paths examined, check warnings for details' : 'All paths examined';
    // (module.warn for each path it could not walk)
    const warnings = Object.entries(skipped).map(([p, why]) => `Skipped '${p}' path due to this access issue: ${why}\n`);
    return { changed: false, data: { files: walkOrder(files, [...dirs]), matched: files.length, examined, msg, skipped_paths: skipped, ...(warnings.length ? { warnings } : {}) } };
  },
});
