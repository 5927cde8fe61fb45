// ansible.posix.mount's fstab and mount table logic (1.5.4's, Linux), ported line for line: which
// line is a mount point's, when it differs, what is written, and which paths are mounted where.

/** The module's arguments as it fills them in (`args`): defaults, then what was given. */
export interface FstabArgs {
  name: string;
  src?: string;
  fstype?: string;
  opts: string;
  dump: string;
  passno: string;
  fstab: string;
  boot: string;
}

/** _escape_fstab: space, ampersand and backslash as fstab's octal escapes. */
const escapeFstab = (v: string): string => v.replaceAll('\\', '\\134').replaceAll(' ', '\\040').replaceAll('&', '\\046');

const escaped = (a: FstabArgs): Record<string, string | undefined> => Object.fromEntries(Object.entries(a).map(([k, v]) => [k, v === undefined ? undefined : escapeFstab(v)]));

/** `new_line % ld`: Python's % of a missing key is a KeyError; required_if keeps src and fstype given where a line is written. */
const lineOf = (ld: Record<string, unknown>): string => `${String(ld.src)} ${String(ld.name)} ${String(ld.fstype)} ${String(ld.opts)} ${String(ld.dump)} ${String(ld.passno)}\n`;

/** readlines(): each line with its newline, the last one without where the file does not end in one. */
const readLines = (text: string): string[] => text.split(/(?<=\n)/).filter((l) => l !== '');

/** Python's str.split(): runs of whitespace, none at either end. */
const words = (l: string): string[] => l.split(/\s+/).filter(Boolean);

/** Whether a line's mount point is another than this one (for swap, `none`, its src is compared instead). */
function another(ld: Record<string, unknown>, name: string | undefined, args: FstabArgs): boolean {
  return ld.name !== name || (args.src !== undefined && ld.name === 'none' && ld.fstype === 'swap' && ld.src !== args.src);
}

/**
 * _set_mount_save_old: the file's lines with this mount point's line as asked (its first
 * matching line changed where a field differs; appended where there is none), whether that
 * changed anything, and the lines as they were (each ending in a newline).
 */
export function setMount(text: string, args: FstabArgs): { lines: string[]; old: string[]; changed: boolean } {
  const want = escaped(args);
  const lines: string[] = [];
  const old: string[] = [];
  let exists = false;
  let changed = false;
  for (let line of readLines(text)) {
    if (!line.endsWith('\n')) line += '\n';
    old.push(line);
    const fields = words(line);
    // (a blank line, a comment, or one that is no entry: 4 to 6 fields on Linux)
    if (!line.trim() || line.trim().startsWith('#') || fields.length < 4 || fields.length > 6) {
      lines.push(line);
      continue;
    }
    // (the last two fields are optional on Linux: 0, an int, which no given text equals)
    const ld: Record<string, unknown> = { dump: 0, passno: 0 };
    ['src', 'name', 'fstype', 'opts', 'dump', 'passno'].forEach((k, i) => i < fields.length && (ld[k] = fields[i]));
    if (another(ld, want.name, args)) {
      lines.push(line);
      continue;
    }
    exists = true;
    for (const t of ['src', 'fstype', 'opts', 'dump', 'passno']) {
      if (ld[t] !== want[t]) {
        ld[t] = want[t];
        changed = true;
      }
    }
    lines.push(changed ? lineOf(ld) : line);
  }
  if (!exists) {
    lines.push(lineOf(want));
    changed = true;
  }
  return { lines, old, changed };
}

/** unset_mount: the file without this mount point's lines (only lines of exactly 6 fields are read), and whether it had one. */
export function unsetMount(text: string, args: FstabArgs): { lines: string[]; changed: boolean } {
  const name = escapeFstab(args.name);
  const lines: string[] = [];
  let changed = false;
  for (const line of readLines(text)) {
    const fields = words(line);
    if (!line.trim() || line.trim().startsWith('#') || fields.length !== 6) {
      lines.push(line);
      continue;
    }
    const [src, mountPoint, fstype] = fields;
    if (another({ src, name: mountPoint, fstype }, name, args)) {
      lines.push(line);
      continue;
    }
    changed = true;
  }
  return { lines, changed };
}

export interface LinuxMount {
  src: string;
  opts: string;
  fs: string;
}

/**
 * get_linux_mounts: /proc/self/mountinfo's mounts by mount point, a bind mount's source as the
 * path it shows (its parent's mount point before its root), others' as their device.
 */
export function linuxMounts(mountinfo: string): Map<string, LinuxMount> {
  const info = new Map<number, { parent: number; root: string; dst: string; opts: string; fs: string; src: string }>();
  for (const line of mountinfo.split('\n').map((l) => l.trim())) {
    if (!line) continue;
    const f = line.split(/\s+/);
    info.set(Number(f[0]), { parent: Number(f[1]), root: f[3], dst: f[4], opts: f[5], fs: f.at(-3)!, src: f.at(-2)! });
  }
  const mounts = new Map<string, LinuxMount>();
  for (const mnt of info.values()) {
    let src = mnt.src;
    const m = mnt.parent !== 1 ? info.get(mnt.parent) : undefined;
    if (m) {
      if (m.root.length > 1 && mnt.root.startsWith(`${m.root}/`)) mnt.root = mnt.root.slice(m.root.length);
      if (m.dst !== '/') mnt.root = `${m.dst}${mnt.root}`;
      src = mnt.root;
    }
    mounts.set(mnt.dst, { src, opts: mnt.opts, fs: mnt.fs });
  }
  return mounts;
}

/** is_bind_mounted on Linux: the path is a mount point (of this src, when one is given). */
export function isBindMounted(mounts: Map<string, LinuxMount>, dest: string, src?: string): boolean {
  const m = mounts.get(dest);
  return src === undefined ? m !== undefined : m?.src === src;
}
