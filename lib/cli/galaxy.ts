import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, normalize, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { execa } from '../source/vendor/execa.js';
import { Exit, InputError, UsageError } from '../errors.js';
import { readYaml, makeDirs } from '../source/index.js';
import type { Output } from './output.js';

/** One role of a requirements.yml (or `SRC[,VERSION[,NAME]]` on the command line), as ansible-galaxy reads it. */
export interface RoleRequirement {
  src: string;
  version?: string;
  name?: string;
  scm?: string;
}

interface Locked {
  src: string;
  version?: string;
  /** git: the commit installed; tarball: the sha256 of the archive. */
  commit?: string;
  sha256?: string;
}

const LOCK = 'roles.lock.json';

/** ansible-galaxy's `src,version,name` form. */
export function parseRoleArg(arg: string): RoleRequirement {
  const [src, version, name] = arg.split(',').map((s) => s.trim());
  return { src, ...(version ? { version } : {}), ...(name ? { name } : {}) };
}

/** The roles (and collections, reported) of a requirements.yml: a list of roles, or `{roles, collections}`. */
export function readRequirements(file: string): { roles: RoleRequirement[]; collections: string[] } {
  const parsed = readYaml(file);
  if (parsed.problems.length) throw new InputError(parsed.problems);
  const doc = parsed.value;
  const roles = (Array.isArray(doc) ? doc : ((doc as { roles?: unknown[] })?.roles ?? [])) as (RoleRequirement | string)[];
  const collections = Array.isArray(doc) ? [] : ((doc as { collections?: unknown[] })?.collections ?? []).map((c) => (typeof c === 'string' ? c : String((c as { name?: string }).name)));
  return { roles: roles.map((r) => (typeof r === 'string' ? parseRoleArg(r) : r)), collections };
}

/** The folder name ansible-galaxy gives a role: `name:`, else the repository's or archive's name. */
export function roleName(r: RoleRequirement): string {
  if (r.name) return r.name;
  const last = r.src.replace(/[#?].*$/, '').replace(/\/+$/, '').split(/[/:]/).pop() ?? r.src;
  return last.replace(/\.git$/, '').replace(/\.tar\.gz$|\.tgz$/, '');
}

const isGit = (r: RoleRequirement) => r.scm === 'git' || /^git\+|\.git$|^git@|^ssh:\/\//.test(r.src);
const isTarball = (r: RoleRequirement) => /\.(tar\.gz|tgz)$/.test(r.src.replace(/[#?].*$/, ''));

/**
 * Installs plain Ansible roles (no package.json) into `roles/` of the project, pinned in
 * roles.lock.json: a git repository at a tag, branch or commit (the commit installed is locked and
 * installed again next time), or a Galaxy-style tarball URL (its sha256 is locked and checked).
 * A role already installed at its locked pin is left alone. Galaxy names (`geerlingguy.ntp`) need
 * galaxy.ansible.com, which this does not call: give the role's git or tarball URL as src.
 */
export async function installRoles(reqs: RoleRequirement[], project: string, o: Output): Promise<number> {
  const lockFile = join(project, LOCK);
  const lock = (existsSync(lockFile) ? JSON.parse(readFileSync(lockFile, 'utf8')) : {}) as Record<string, Locked>;
  for (const r of reqs) {
    const name = roleName(r);
    if (!/^[\w.-]+$/.test(name) || name === '.' || name === '..') throw new UsageError(`role name '${name}' (from ${shownUrl(r.src)}) is not a folder name; give name:`);
    const dest = join(project, 'roles', name);
    // the lock keeps the source without its credentials (it is committed with the project)
    const src = shownUrl(r.src);
    const pinned = lock[name]?.src === src && lock[name]?.version === r.version ? lock[name] : undefined;
    if (pinned && existsSync(dest)) {
      o.line(`${name}: installed (${shownUrl(r.src)} ${pinned.commit ?? pinned.sha256?.slice(0, 12) ?? ''}), as locked`);
      continue;
    }
    const work = mkdtempSync(join(tmpdir(), 'agri-role-'));
    try {
      const got: { dir: string; pin: { commit?: string; sha256?: string } } | undefined = isGit(r) ? await fromGit(r, work, pinned?.commit) : isTarball(r) ? await fromTarball(r, work, pinned?.sha256) : undefined;
      if (!got) throw new UsageError(`${shownUrl(r.src)}: not a git repository or a .tar.gz URL (a Galaxy name needs galaxy.ansible.com; give the role's git URL as src:)`);
      if (!existsSync(join(got.dir, 'tasks')) && !existsSync(join(got.dir, 'meta')) && !existsSync(join(got.dir, 'handlers'))) throw new UsageError(`${shownUrl(r.src)}: no Ansible role there (no tasks/, handlers/ or meta/)`);
      makeDirs(dirname(dest));
      rmSync(dest, { recursive: true, force: true });
      renameSync(got.dir, dest);
      lock[name] = { src, ...(r.version ? { version: r.version } : {}), ...got.pin };
      o.line(`${name}: installed from ${shownUrl(r.src)}${r.version ? ` (${r.version})` : ''}, ${got.pin.commit ? `commit ${got.pin.commit}` : `sha256 ${got.pin.sha256}`}`);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }
  writeFileSync(lockFile, JSON.stringify(lock, null, 2) + '\n');
  return Exit.ok;
}

/** A URL as it may be printed: user and password (a token in an https URL) masked. */
export const shownUrl = (url: string): string => url.replace(/^([a-z+]+:\/\/)[^/@]+@/i, '$1********@');

async function fromGit(r: RoleRequirement, work: string, commit?: string): Promise<{ dir: string; pin: { commit: string } }> {
  const url = r.src.replace(/^git\+/, '');
  const shown = shownUrl(url);
  const said = (out: unknown) => String(out).trim().split(url).join(shown);
  const dir = join(work, 'role');
  const git = (args: string[], cwd?: string) => execa('git', args, { cwd, reject: false, all: true, env: { GIT_TERMINAL_PROMPT: '0' } });
  // a tag or branch is cloned at once; a commit (or the locked one) needs the history to check it out
  const exact = commit ?? (r.version && /^[0-9a-f]{7,40}$/.test(r.version) ? r.version : undefined);
  const clone = await git(['clone', '--quiet', ...(exact ? [] : ['--depth', '1', ...(r.version ? ['--branch', r.version] : [])]), '--', url, dir]);
  if (clone.exitCode !== 0) throw new UsageError(`git clone ${shown}${r.version ? ` (${r.version})` : ''} failed: ${said(clone.all)}`);
  if (exact) {
    const co = await git(['checkout', '--quiet', exact], dir);
    if (co.exitCode !== 0) throw new UsageError(`${shown}: no commit ${exact}: ${said(co.all)}`);
  }
  const head = String((await git(['rev-parse', 'HEAD'], dir)).stdout).trim();
  rmSync(join(dir, '.git'), { recursive: true, force: true });
  return { dir, pin: { commit: head } };
}

async function fromTarball(r: RoleRequirement, work: string, sha256?: string): Promise<{ dir: string; pin: { sha256: string } }> {
  const res = await fetch(r.src).catch((e: Error) => {
    throw new UsageError(`${shownUrl(r.src)}: ${e.message}`);
  });
  if (!res.ok) throw new UsageError(`${shownUrl(r.src)}: HTTP ${res.status}`);
  const data = Buffer.from(await res.arrayBuffer());
  const sum = createHash('sha256').update(data).digest('hex');
  if (sha256 && sum !== sha256) throw new UsageError(`${shownUrl(r.src)}: sha256 ${sum} is not the locked ${sha256} (the archive changed; remove its entry from ${LOCK} to take the new one)`);
  const dir = join(work, 'role');
  await untar(gunzipSync(data), dir);
  return { dir, pin: { sha256: sum } };
}

/** Extracts a tar into `dir`, dropping the archive's top folder (as ansible-galaxy does); no path leaves `dir`. */
async function untar(tar: Buffer, dir: string): Promise<void> {
  const { extract } = await import('tar-stream');
  const ex = extract();
  await new Promise<void>((done, fail) => {
    ex.on('entry', (h, stream, next) => {
      const rel = normalize(h.name.split('/').slice(1).join('/'));
      const target = resolve(dir, rel);
      const chunks: Buffer[] = [];
      stream.on('data', (c: unknown) => chunks.push(c as Buffer));
      stream.on('end', () => {
        if (rel && rel !== '.' && (target === dir || target.startsWith(dir + '/'))) {
          if (h.type === 'directory') makeDirs(target);
          else if (h.type === 'file') {
            makeDirs(dirname(target));
            writeFileSync(target, Buffer.concat(chunks), { mode: (h.mode ?? 0o644) & 0o755 });
          }
        }
        next();
      });
      stream.resume();
    });
    ex.on('finish', done);
    ex.on('error', fail);
    ex.end(tar);
  });
}
