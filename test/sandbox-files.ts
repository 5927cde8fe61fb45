// What a sandbox's files differ in from this machine's: its overlay's upper folder holds every file
// a run wrote, made or removed (a removed one as a whiteout), so a Galaxy role's result under
// agri-play is compared file by file with ansible-core's (test/galaxy-case.ts).
import { createHash } from 'node:crypto';
import { lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';

/** Each changed path (from /): `MODE UID:GID sha256:…` for a file, `-> TARGET` for a link, `removed` for a whiteout. */
export type FileChanges = Record<string, string>;

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
];

/**
 * A file as it is compared: a crontab without the line crontab(1) writes with its temp file's name
 * and the time (`# (/tmp/crontab.X installed on …)`).
 */
function comparedContent(path: string, data: Buffer): Buffer {
  if (!path.startsWith('/var/spool/cron/crontabs/')) return data;
  return Buffer.from(data.toString('latin1').replace(/^# \(.* installed on .*\)\n/m, ''), 'latin1');
}

/** A path as it is compared: the backup name ansible-core gives a file (`PATH.PID.YYYY-MM-DD@HH:MM:SS~`) without its pid and time. */
const comparedPath = (path: string): string => path.replace(/\.\d+\.\d{4}-\d\d-\d\d@\d\d:\d\d:\d\d~$/, '.PID.TIME~');

/** The changes an overlay's upper folder holds, but for NOISE. */
export function overlayChanges(upper: string): FileChanges {
  const out: FileChanges = {};
  const walk = (dir: string, at: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const path = comparedPath(`${at}/${e.name}`);
      const file = join(dir, e.name);
      if (e.isDirectory()) {
        walk(file, path);
        continue;
      }
      if (NOISE.some((n) => n.test(path))) continue;
      const st = lstatSync(file);
      if (e.isSymbolicLink()) out[path] = `-> ${readlinkSync(file)}`;
      // (overlayfs marks a removed file with a character device 0/0)
      else if (e.isCharacterDevice() && st.rdev === 0) out[path] = 'removed';
      else if (e.isFile()) out[path] = `${(st.mode & 0o7777).toString(8).padStart(4, '0')} ${st.uid}:${st.gid} sha256:${createHash('sha256').update(comparedContent(path, readFileSync(file))).digest('hex').slice(0, 16)}`;
    }
  };
  walk(upper, '');
  return out;
}
