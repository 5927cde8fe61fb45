// ansible.builtin.stat's result, read by one POSIX shell script on the host: GNU stat for the
// fields Python's os.stat gives, test -r/-w/-x for os.access, `<alg>sum` for the checksum, file(1)
// for the mime type and lsattr(1) for the attributes, as the Python module does.
import { shq } from '../../connections/quote.js';

export const ALGORITHMS = ['md5', 'sha1', 'sha224', 'sha256', 'sha384', 'sha512'] as const;
export const STAT_MARK = 'agri-stat\n';

export interface StatOptions {
  follow: boolean;
  /** The checksum algorithm; undefined: no checksum. */
  checksum?: (typeof ALGORITHMS)[number];
  md5: boolean;
  mime: boolean;
  attributes: boolean;
}

/** Ansible's FILE_ATTRIBUTES (module_utils/basic.py): lsattr's letters to names. */
const FILE_ATTRIBUTES: Record<string, string> = {
  A: 'noatime', a: 'append', c: 'compressed', C: 'nocow', d: 'nodump', D: 'dirsync', e: 'extents', E: 'encrypted', h: 'blocksize', i: 'immutable',
  I: 'indexed', j: 'journalled', N: 'inline', s: 'zero', S: 'synchronous', t: 'notail', T: 'blockroot', u: 'undelete', X: 'compressedraw', Z: 'compresseddirty',
};

// Fields: raw mode (hex), dev, inode, nlink, uid, gid, size, blocks, block size, rdev, atime, mtime, ctime, user, group.
const FORMAT = '%f|%d|%i|%h|%u|%g|%s|%b|%o|%r|%.9X|%.9Y|%.9Z|%U|%G';

/** The script; its one argument is the path. Each line is `key=value` after the mark. */
export function statScript(o: StatOptions): string {
  const lines = [
    'p="$1"; printf \'agri-stat\\n\'',
    `s=$(LC_ALL=C stat ${o.follow ? '-L ' : ''}--printf ${shq(FORMAT)} -- "$p" 2>&1) || { printf 'error=%s\\n' "$s"; exit 0; }`,
    'printf \'st=%s\\n\' "$s"',
    '[ -r "$p" ] && echo r=1; [ -w "$p" ] && echo w=1; [ -x "$p" ] && echo x=1',
    `[ -L "$p" ] && ${o.follow ? 'false' : 'true'} && { printf 'src=%s\\n' "$(realpath -- "$p")"; printf 'tgt=%s\\n' "$(readlink -- "$p")"; }`,
  ];
  const sums = [...(o.checksum ? [o.checksum] : []), ...(o.md5 ? ['md5'] : [])];
  if (sums.length) lines.push(`if [ -r "$p" ] && [ -f "$p" ] && { [ ! -L "$p" ] || ${o.follow ? 'true' : 'false'}; }; then ${sums.map((a) => `printf '${a}=%s\\n' "$(${a}sum < "$p" | cut -d' ' -f1)"`).join('; ')}; fi`);
  if (o.mime) lines.push('command -v file >/dev/null && m=$(file --mime-type --mime-encoding "$p" 2>/dev/null) && printf \'mime=%s\\n\' "$m"');
  if (o.attributes) lines.push('command -v lsattr >/dev/null && a=$(lsattr -vd "$p" 2>/dev/null) && printf \'attr=%s\\n\' "$a"');
  return lines.join('\n');
}

const TYPES: [string, number][] = [['isdir', 0o040000], ['ischr', 0o020000], ['isblk', 0o060000], ['isreg', 0o100000], ['isfifo', 0o010000], ['islnk', 0o120000], ['issock', 0o140000]];
const PERMS: [string, number][] = [['wusr', 0o200], ['rusr', 0o400], ['xusr', 0o100], ['wgrp', 0o020], ['rgrp', 0o040], ['xgrp', 0o010], ['woth', 0o002], ['roth', 0o004], ['xoth', 0o001], ['isuid', 0o4000], ['isgid', 0o2000]];
/** find's %y letters as st_mode type bits. */
export const TYPE_BITS: Record<string, number> = { d: 0o040000, c: 0o020000, b: 0o060000, f: 0o100000, p: 0o010000, l: 0o120000, s: 0o140000 };

/** st_mode as Ansible's stat and find give it: `mode` ('0644') and the is* types, then `between` (the owner, size and times), then the permission bits. */
export const modeFacts = (m: number, between: Record<string, unknown>): Record<string, unknown> => ({ ...typeFacts(m), ...between, ...permFacts(m) });
/** `mode` and the is* types of st_mode. */
const typeFacts = (m: number): Record<string, unknown> => ({ mode: (m & 0o7777).toString(8).padStart(4, '0'), ...Object.fromEntries(TYPES.map(([k, t]) => [k, (m & 0o170000) === t])) });
/** The permission bits of st_mode. */
const permFacts = (m: number): Record<string, unknown> => Object.fromEntries(PERMS.map(([k, b]) => [k, (m & b) !== 0]));
const num = (s: string): number => Number(s);

/** The stat dict as Ansible's module returns it, or the failure's message. */
export function parseStat(out: string, path: string, o: StatOptions): Record<string, unknown> | string {
  const kv = new Map<string, string>();
  for (const line of out.slice(STAT_MARK.length).split('\n')) {
    const i = line.indexOf('=');
    if (i > 0) kv.set(line.slice(0, i), line.slice(i + 1));
  }
  const err = kv.get('error');
  if (err !== undefined) return /No such file or directory/.test(err) ? { exists: false } : (err.match(/: ([^:]+)$/)?.[1] ?? err);
  const [rawMode, dev, ino, nlink, uid, gid, size, blocks, blksize, rdev, atime, mtime, ctime, user, group] = (kv.get('st') ?? '').split('|');
  const stat: Record<string, unknown> = {
    exists: true, path,
    ...modeFacts(parseInt(rawMode, 16), { uid: num(uid), gid: num(gid), size: num(size), inode: num(ino), dev: num(dev), nlink: num(nlink), atime: num(atime), mtime: num(mtime), ctime: num(ctime) }),
    blocks: num(blocks), block_size: num(blksize), device_type: num(rdev),
    readable: kv.has('r'), writeable: kv.has('w'), executable: kv.has('x'),
  };
  if (kv.has('src')) Object.assign(stat, { lnk_source: kv.get('src'), lnk_target: kv.get('tgt') });
  if (user !== 'UNKNOWN') stat.pw_name = user;
  if (group !== 'UNKNOWN') stat.gr_name = group;
  if (o.md5 && kv.has('md5')) stat.md5 = kv.get('md5');
  if (o.checksum && kv.has(o.checksum)) stat.checksum = kv.get(o.checksum);
  if (o.mime) {
    // (as the module unpacks `file`'s answer: a type and an encoding, or neither — a link's `inode/symlink` alone is 'unknown')
    const mime = kv.get('mime')?.split(':').pop()?.split(';');
    const known = mime?.length === 2;
    stat.mimetype = known ? mime[0].trim() : 'unknown';
    stat.charset = (known && mime[1].split('=')[1]?.trim()) || 'unknown';
  }
  if (o.attributes) {
    const parts = kv.get('attr')?.trim().split(/\s+/);
    const flags = parts?.[1]?.replace(/-/g, '') ?? '';
    Object.assign(stat, { version: parts?.[0] ?? null, attributes: [...flags].filter((f) => f in FILE_ATTRIBUTES).map((f) => FILE_ATTRIBUTES[f]), attr_flags: flags });
  }
  return stat;
}
