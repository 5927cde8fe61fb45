// What a sandbox's files differ in from this machine's: its overlay's upper folder holds every file
// a run wrote, made or removed (a removed one as a whiteout), so a Galaxy role's result under
// agri-play is compared file by file with ansible-core's (test/galaxy-case.ts). A file the machine
// has too (the overlay's lower side is its root) is compared by what the run changed in it, not by
// its whole content: the recording's machine and the test's may differ in what else it holds (its
// users, its packages), and the day (a password's last change, in days).
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Each changed path (from /): `MODE UID:GID sha256:…` for a file (`changes:…` where the machine has
 * it too), `-> TARGET` for a link, `removed` for a whiteout; and `dpkg NAME:ARCH`: each package
 * whose state the run changed, its status and version (`removed` where dpkg no longer knows it).
 */
export type FileChanges = Record<string, string>;

/** The key of a package's entry in FileChanges. */
export const DPKG = 'dpkg ';

/**
 * Where a run's files are not the role's doing, or not the same from one run to the next under
 * either tool: the sandbox's own set-up (test/sandbox.sh), logs and caches, apt's lists and
 * dpkg's bookkeeping of its own runs, compiled Python, ansible-core's remote temp folder.
 * Packages' own files under /usr are the packages' (dpkg's status says which are installed).
 */
const NOISE = [
  /^\/usr\/(?!local\/)/,
  /^\/var\/(log|cache|backups|tmp)\//,
  /^\/var\/lib\/apt\/lists\//,
  /^\/var\/lib\/dpkg\/(triggers\/|lock|[^/]*-old$)/,
  /^\/etc\/ld\.so\.cache$/,
  /\/__pycache__\//,
  // (ansible-core's remote temp folder; the rpm database its package manager probe leaves in root's home)
  /^\/root\/\.(ansible|cache|rpmdb)\//,
  /^\/root\/\.ssh\/authorized_keys$/,
  /^\/root\/\.(bashrc|profile)$/,
  /^\/etc\/ssh\/agri_sandbox_host_key$/,
  /^\/etc\/(hostname|hosts)$/,
  /^\/etc\/dpkg\/dpkg\.cfg\.d\/agri-sandbox-unsafe-io$/,
  /^\/etc\/apt\/sources\.list$/,
  /^\/etc\/apt\/sources\.list\.d\//,
  // (the account files' backups: the state before the last change, against this machine's own
  // backups, which hold its own last change — not the role's doing)
  /^\/etc\/(passwd|group|shadow|gshadow|subuid|subgid)-$/,
  // (their lock files: a test changing this machine's accounts holds one, which the sandbox sees
  // through its overlay and its shadow-utils remove as stale — the pid is not in its namespace)
  /^\/etc\/((passwd|group|shadow|gshadow|subuid|subgid)\.(lock|\d+)|\.pwd\.lock)$/,
];

/** Today in days since 1970, as /etc/shadow's last change counts (the day before and after too: a run may cross midnight). */
const TODAY = Math.floor(Date.now() / 86_400_000);

type Entries = (text: string) => Map<string, string>;

/** passwd, group, shadow, gshadow: an entry per name; shadow's last change, when it is today, as `TODAY`. */
const byName: Entries = (text) =>
  new Map(
    text
      .split('\n')
      .filter(Boolean)
      .map((l) => {
        const f = l.split(':');
        if (f.length === 9 && Math.abs(Number(f[2]) - TODAY) <= 1 && f[2] !== '') f[2] = 'TODAY';
        return [f[0], f.join(':')];
      }),
  );

/** dpkg's status, apt's extended_states: a stanza per package (and architecture). */
const byPackage: Entries = (text) =>
  new Map(
    text
      .split(/\n\n+/)
      .filter((s) => s.trim())
      .map((s) => [`${/^Package: (.*)$/m.exec(s)?.[1]}:${/^Architecture: (.*)$/m.exec(s)?.[1] ?? ''}`, s.trim()]),
  );

/** ucf's hashfile and registry, dpkg's statoverride: an entry per path (the line's last field). */
const byPath: Entries = (text) => new Map(text.split('\n').filter(Boolean).map((l) => [l.trim().split(/\s+/).at(-1)!, l]));

/** The machine's files whose entries a run adds to, changes or removes: compared entry by entry. */
const KEYED: [RegExp, Entries][] = [
  // (a copy of them elsewhere too, as a chroot jail's /var/jail/etc/passwd)
  [/\/etc\/(passwd|group|shadow|gshadow)-?$/, byName],
  [/^\/var\/lib\/(dpkg\/status|apt\/extended_states)$/, byPackage],
  [/^\/var\/lib\/(ucf\/(hashfile|registry)(\.\d+)?|dpkg\/statoverride)$/, byPath],
];

const sha = (data: Buffer | string): string => createHash('sha256').update(data).digest('hex').slice(0, 16);

/** What a run changed in a text file the machine has too: its entries (KEYED), else its removed and added lines in order (diff's, without line numbers). */
function changesOf(path: string, before: Buffer, after: Buffer, file: string, from: string): string {
  const keyed = KEYED.find(([p]) => p.test(path))?.[1];
  if (keyed) {
    const [a, b] = [keyed(before.toString('latin1')), keyed(after.toString('latin1'))];
    const out = [...new Set([...a.keys(), ...b.keys()])].filter((k) => a.get(k) !== b.get(k)).sort().map((k) => `${k}\n-${a.get(k) ?? ''}\n+${b.get(k) ?? ''}`);
    return sha(out.join('\n'));
  }
  let lines: string;
  try {
    lines = execFileSync('diff', ['--unchanged-line-format=', '--old-line-format=-%L', '--new-line-format=+%L', '--', from, file], { encoding: 'latin1', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    // (diff exits 1 when the files differ)
    lines = (e as { stdout?: string }).stdout ?? '';
  }
  return sha(lines);
}

const CRONTAB = /^\/var\/spool\/cron\/crontabs\//;

/**
 * A crontab without the lines crontab(1) writes first (`DO NOT EDIT`, its temp file's name and the
 * time it was installed, cron's version): the jobs alone. (Compared whole even where this machine
 * has one: a test that ran here may have left root's, empty, or not.)
 */
const cronJobs = (data: Buffer): Buffer => Buffer.from(data.toString('latin1').replace(/^# DO NOT EDIT THIS FILE.*\n# \(.* installed on .*\)\n# \(Cron version .*\)\n/, ''), 'latin1');

/** A path as it is compared: the backup name ansible-core gives a file (`PATH.PID.YYYY-MM-DD@HH:MM:SS~`) without its pid and time. */
const comparedPath = (path: string): string => path.replace(/\.\d+\.\d{4}-\d\d-\d\d@\d\d:\d\d:\d\d~$/, '.PID.TIME~');

/** One changed file: its mode, owner and content, or what changed in it where the machine has it too (a text file). */
function fileEntry(path: string, file: string, st: { mode: number; uid: number; gid: number }, base: string): string {
  const head = `${(st.mode & 0o7777).toString(8).padStart(4, '0')} ${st.uid}:${st.gid}`;
  if (CRONTAB.test(path)) return `${head} sha256:${sha(cronJobs(readFileSync(file)))}`;
  const after = readFileSync(file);
  // (the accounts as the sandbox started with them, where it copied them: the machine's may have changed since;
  // and where a run copied them elsewhere, into a jail, what that copy changed from them: the machine's own users are not the recording's)
  const account = /\/etc\/(passwd|group|shadow|gshadow|subuid|subgid)$/.exec(path)?.[1];
  const copied = account !== undefined && (ACCOUNTS.test(path) || !existsSync(path)) && existsSync(join(base, account));
  const from = copied ? join(base, account) : path;
  const lower = existsSync(from) && lstatSync(from).isFile() ? readFileSync(from) : undefined;
  if (lower && !lower.includes(0) && !after.includes(0)) return `${head} changes:${changesOf(path, lower, after, file, from)}`;
  return `${head} sha256:${sha(after)}`;
}

/** Each package whose dpkg state the run changed: its status and version. */
function packageChanges(upper: string, out: FileChanges): void {
  const status = join(upper, 'var/lib/dpkg/status');
  if (!existsSync(status) || !existsSync('/var/lib/dpkg/status')) return;
  const [a, b] = [byPackage(readFileSync('/var/lib/dpkg/status', 'latin1')), byPackage(readFileSync(status, 'latin1'))];
  const field = (s: string, k: string) => new RegExp(`^${k}: (.*)$`, 'm').exec(s)?.[1] ?? '';
  for (const k of new Set([...a.keys(), ...b.keys()])) {
    const [was, now] = [a.get(k), b.get(k)];
    if (was !== now) out[`${DPKG}${k}`] = now === undefined ? 'removed' : `${field(now, 'Status')} ${field(now, 'Version')}`;
  }
}

/** The account files sandbox.sh copies into a sandbox as it starts (and keeps in its `base` folder). */
const ACCOUNTS = /^\/etc\/(passwd|group|shadow|gshadow|subuid|subgid)$/;

/** The changes an overlay's upper folder (over this machine's root) holds, but for NOISE; `base`: the accounts the sandbox started with. */
export function overlayChanges(upper: string, base: string): FileChanges {
  const out: FileChanges = {};
  packageChanges(upper, out);
  const entries = (dir: string) => {
    try {
      return readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
  };
  const walk = (dir: string, at: string): void => {
    for (const e of entries(dir)) {
      const real = `${at}/${e.name}`;
      const file = join(dir, e.name);
      if (e.isDirectory()) {
        walk(file, real);
        continue;
      }
      const path = comparedPath(real);
      if (NOISE.some((n) => n.test(path))) continue;
      try {
        const st = lstatSync(file);
        if (e.isSymbolicLink()) out[path] = `-> ${readlinkSync(file)}`;
        // (overlayfs marks a removed file with a character device 0/0)
        else if (e.isCharacterDevice() && st.rdev === 0) out[path] = 'removed';
        else if (e.isFile()) out[path] = fileEntry(real, file, st, base);
      } catch (err) {
        // (a file a daemon the converge started removed while it was read — squid's swap.state.new — is none of the converge's)
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
    }
  };
  walk(upper, '');
  return out;
}
