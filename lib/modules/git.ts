import { Type } from '../source/vendor/typebox.js';
import { shq } from '../connections/quote.js';
import { defineModule, ModuleFailure, type ModuleCtx } from './types.js';
import { gitRepo, headBranch, isRemote, remoteHead, type Git, type GitArgs } from './util/git.js';

const flag = (description: string) => Type.Optional(Type.Boolean({ description }));
const Args = Type.Object(
  {
    repo: Type.String({ description: 'The repository: git, SSH or HTTP(S) address, or a local path.' }),
    dest: Type.Optional(Type.String({ description: 'Where to check it out (required unless clone: false).' })),
    version: Type.Optional(Type.String({ description: 'Branch, tag or commit (default HEAD: the remote\'s default branch).' })),
    remote: Type.Optional(Type.String({ description: 'The remote\'s name (default origin).' })),
    refspec: Type.Optional(Type.String({ description: 'More refs to fetch (e.g. refs/pull/*).' })),
    force: flag('Discard local modifications of tracked files.'),
    depth: Type.Optional(Type.Integer({ description: 'A shallow clone of this many commits (HEAD, branches, tags or with refspec).' })),
    clone: flag('Clone when dest has no repository (default true); false only reports the remote head.'),
    update: flag('Fetch and check out version when the repository is there (default true).'),
    accept_hostkey: flag('ssh -o StrictHostKeyChecking=no.'),
    accept_newhostkey: flag('ssh -o StrictHostKeyChecking=accept-new.'),
    key_file: Type.Optional(Type.String({ description: 'The SSH private key git uses (IdentitiesOnly).' })),
    ssh_opts: Type.Optional(Type.String({ description: 'More ssh options for git.' })),
    executable: Type.Optional(Type.String({ description: 'The git binary (default git on PATH).' })),
    bare: flag('A bare repository.'),
    recursive: flag('Clone and update submodules too (default true).'),
    single_branch: flag('Clone only the one branch (or tag) of version.'),
    umask: Type.Optional(Type.String({ description: 'The umask (octal text) git runs with.' })),
  },
  { additionalProperties: false },
);

/** GIT_SSH_COMMAND as set_git_ssh_env builds it (git ≥ 2.3): the host's ssh command, then the options. */
function sshOpts(a: GitArgs): string {
  let opts = a.ssh_opts;
  for (const [on, o] of [[a.accept_hostkey, 'no'], [a.accept_newhostkey, 'accept-new']] as const) {
    if (!on) continue;
    if (opts === undefined) opts = `-o StrictHostKeyChecking=${o}`;
    else if (!opts.includes('-o StrictHostKeyChecking=no') && !opts.includes('-o StrictHostKeyChecking=accept-new')) opts += ` -o StrictHostKeyChecking=${o}`;
  }
  opts = opts === undefined ? '' : ' ' + opts;
  if (!opts.includes('BatchMode=yes')) opts += ' -o BatchMode=yes';
  if (a.key_file) {
    if (!opts.includes(`-i ${a.key_file}`)) opts += `  -i ${a.key_file}`;
    if (!opts.includes('IdentitiesOnly=yes')) opts += ' -o IdentitiesOnly=yes';
  }
  return opts;
}

/** git on the host with the C locale (git's output is read), the ssh options and the umask. */
function runner(ctx: ModuleCtx, a: GitArgs): Git {
  const umask = a.umask === undefined ? '' : `umask ${shq(a.umask)} && `;
  const prelude = `export GIT_SSH_COMMAND="\${GIT_SSH:-\${GIT_SSH_COMMAND:-ssh}} \${GIT_SSH_OPTS:-}"${shq(sshOpts(a))}; ${umask}`;
  const env = { LANG: 'C', LC_ALL: 'C', LC_MESSAGES: 'C', LC_CTYPE: 'C' };
  const git = a.executable ?? 'git';
  // (a failed command's `cmd` names git by its path, as get_bin_path found it: looked up only then, once)
  let path = a.executable;
  const pathOf = async () => (path ??= (await ctx.exec({ shell: 'command -v git' }, { signal: ctx.signal })).stdout.trim() || 'git');
  return async (args, cwd) => {
    const r = await ctx.exec({ shell: `${prelude}exec ${[git, ...args].map(shq).join(' ')}` }, { signal: ctx.signal, env, cwd, keepEnds: true });
    return { ...r, cmd: [r.rc === 0 ? git : await pathOf(), ...args].join(' ') };
  };
}

/** A git command that must succeed; its failure is `msg` (stdout and stderr in the result, as ansible-core's fail_json). */
const must = async (git: Git, args: string[], cwd: string | undefined, msg?: string) => {
  const r = await git(args, cwd);
  if (r.rc !== 0) throw new ModuleFailure(msg ?? (r.stderr.trim() || `${r.cmd} exited ${r.rc}`), { rc: r.rc, stdout: r.stdout, stderr: r.stderr, cmd: r.cmd });
  return r.stdout;
};

/** Where things stand: what check found, for apply and the result. */
export interface Found {
  repo: string;
  dest?: string;
  before: string | null;
  after?: string;
  localMods: boolean;
  urlChanged?: boolean;
}

export default defineModule({
  name: 'git',
  kind: 'state',
  description: 'A git checkout at a branch, tag or commit, as ansible.builtin.git keeps it: cloned when missing, fetched and checked out when behind, local modifications refused unless force.',
  args: Args,
  // (the module reads None as `not update`, `not allow_clone`, `if recursive`)
  noneIsFalse: ['update', 'clone', 'recursive'],
  aliases: { name: 'repo' },
  paths: ['dest', 'key_file', 'executable'],
  async check(ctx, a) {
    if (a.accept_hostkey && a.accept_newhostkey) throw new ModuleFailure('parameters are mutually exclusive: accept_hostkey|accept_newhostkey');
    if (a.umask !== undefined && !/^[0-7]+$/.test(a.umask)) throw new ModuleFailure('umask must be an octal integer');
    const git = runner(ctx, a);
    const version = a.version ?? 'HEAD';
    // depth and friends need a file:// address for a path, as ansible-core forces it
    const repo = a.repo.startsWith('/') ? `file://${a.repo}` : a.repo;
    if (!a.dest && a.clone !== false) throw new ModuleFailure('the destination directory must be specified unless clone=no');
    const dest = a.dest?.replace(/\/+$/, '') || a.dest;
    const there = dest ? await gitRepo(ctx, dest, !!a.bare) : false;
    if (!there) {
      // ansible-core reports the remote head without cloning in check mode and with clone: false
      const after = await remoteHead(git, { a: { ...a, repo }, dest, version, remote: repo });
      const keep: Found = { repo, dest, before: null, after, localMods: false };
      return { kind: 'create' as const, target: dest ?? repo, data: { before: null, after }, keep };
    }
    if (a.update === false) {
      const before = (await git(['rev-parse', 'HEAD'], dest)).stdout.trim();
      return { kind: 'ok', why: `${dest} is a repository (update: false)`, data: { before, after: before } };
    }
    const status = a.bare ? '' : (await git(['status', '--porcelain'], dest)).stdout;
    const localMods = status.split('\n').some((l) => l && !l.startsWith('??'));
    const before = (await git(['rev-parse', 'HEAD'], dest)).stdout.trim();
    if (localMods && !a.force) throw new ModuleFailure(`Local modifications exist in the destination: ${dest} (force=no).`, { before });
    const url = await git(['ls-remote', '--get-url', a.remote ?? 'origin'], dest);
    const urlChanged = url.rc === 0 && url.stdout.trim() !== repo && url.stdout.trim() !== '' && !(await samePath(ctx, url.stdout.trim(), repo));
    const after = await remoteHead(git, { a: { ...a, repo }, dest, version, remote: a.remote ?? 'origin' });
    const subs = !a.bare && a.recursive !== false && (await submodulesBehind(git, dest!));
    const data = { before, after, remote_url_changed: urlChanged };
    if (before === after && !localMods && !urlChanged && !subs) return { kind: 'ok', why: `${dest} is at ${version} (${before})`, data };
    const keep: Found = { repo, dest, before, localMods, urlChanged };
    return { kind: 'modify' as const, target: dest, fields: [{ path: 'version', from: before, to: after }], data, keep };
  },
  async apply(ctx, a, diff) {
    const f = diff.keep!;
    if (f.before === null && a.clone === false) return { ...diff.data };
    const git = runner(ctx, a);
    const version = a.version ?? 'HEAD';
    const remote = a.remote ?? 'origin';
    const dest = f.dest!;
    if (f.before === null) await clone(ctx, git, a, f.repo, dest, version);
    else {
      if (f.localMods) await must(git, ['reset', '--hard', 'HEAD'], dest);
      if (f.urlChanged) await must(git, ['remote', 'set-url', remote, f.repo], dest);
      await fetch(git, a, f.repo, dest, version, remote);
    }
    if (!a.bare) await switchVersion(git, a, dest, remote, version);
    let subs = false;
    if (a.recursive !== false && !a.bare && (subs = await submodulesBehind(git, dest))) {
      await must(git, ['submodule', 'sync'], dest);
      await must(git, ['submodule', 'update', '--init', '--recursive', ...(a.force ? ['--force'] : [])], dest, 'Failed to init/update submodules');
    }
    const after = (await git(['rev-parse', 'HEAD'], dest)).stdout.trim();
    const changed = f.before !== after || f.localMods || subs || !!f.urlChanged;
    return { before: f.before, after, ...(f.before === null ? {} : { remote_url_changed: f.urlChanged }), ...(subs ? { submodules_changed: true } : {}), ...(f.localMods ? { msg: `Local modifications exist in the destination: ${dest}` } : {}), changed };
  },
});

/** unfrackgitpath: two local paths that are the same folder. */
async function samePath(ctx: ModuleCtx, x: string, y: string): Promise<boolean> {
  if (!x.startsWith('/') || !y.startsWith('/')) return false;
  const r = await ctx.exec(['realpath', '-m', x, y], { signal: ctx.signal });
  const [p, q] = r.stdout.split('\n');
  return r.rc === 0 && p === q;
}

async function clone(ctx: ModuleCtx, git: Git, a: GitArgs, repo: string, dest: string, version: string): Promise<void> {
  const parent = dest.slice(0, dest.lastIndexOf('/')) || '/';
  await ctx.exec(['mkdir', '-p', parent], { signal: ctx.signal });
  const cmd = ['clone', ...(a.bare ? ['--bare'] : ['--origin', a.remote ?? 'origin'])];
  const branchOrTag = (await isRemote(git, '-h', repo, version)) || (await isRemote(git, '-t', repo, version));
  if (a.depth) {
    if (version === 'HEAD' || a.refspec) cmd.push('--depth', String(a.depth));
    else if (branchOrTag) cmd.push('--depth', String(a.depth), '--branch', version);
  }
  if (a.single_branch) cmd.push('--single-branch', ...(branchOrTag ? ['--branch', version] : []));
  await must(git, [...cmd, repo, dest], parent);
  if (a.bare && (a.remote ?? 'origin') !== 'origin') await must(git, ['remote', 'add', a.remote!, repo], dest);
  if (a.refspec) await must(git, ['fetch', ...(a.depth ? ['--depth', String(a.depth)] : []), a.remote ?? 'origin', a.refspec], dest);
}

async function fetch(git: Git, a: GitArgs, repo: string, dest: string, version: string, remote: string): Promise<void> {
  const cmd = ['fetch'];
  let refspecs: string[] = [];
  if (a.depth) {
    const current = await headBranch(git, dest, remote);
    if (a.refspec) refspecs.push(a.refspec);
    else if (version === 'HEAD') refspecs.push(current);
    else if (await isRemote(git, '-h', repo, version, dest)) {
      if (current !== version) refspecs.push(`+refs/heads/${version}:refs/heads/${version}`);
      refspecs.push(`+refs/heads/${version}:refs/remotes/${remote}/${version}`);
    } else if (await isRemote(git, '-t', repo, version, dest)) refspecs.push(`+refs/tags/${version}:refs/tags/${version}`);
    if (refspecs.length) cmd.push('--depth', String(a.depth));
  }
  if (!a.depth || !refspecs.length) {
    if (a.bare) refspecs = ['+refs/heads/*:refs/heads/*', '+refs/tags/*:refs/tags/*'];
    else cmd.push('--tags');
    if (a.refspec) refspecs.push(a.refspec);
  }
  if (a.force) cmd.push('--force');
  const r = await git([...cmd, remote, ...refspecs], dest);
  if (r.rc !== 0) throw new ModuleFailure(`Failed to download remote objects and refs: ${r.stdout} ${r.stderr}`, { cmd: r.cmd });
}

async function switchVersion(git: Git, a: GitArgs, dest: string, remote: string, version: string): Promise<void> {
  const branches = async () => (await must(git, ['branch', '--no-color', '-a'], dest, 'Could not determine branch data')).split('\n').map((l) => l.trim()).filter(Boolean);
  const local = async (b: string) => ((l) => l.includes(b) || l.includes(`* ${b}`))(await branches());
  if (version === 'HEAD') {
    const branch = await headBranch(git, dest, remote);
    await must(git, ['checkout', '--force', branch], dest, `Failed to checkout branch ${branch}`);
    await must(git, ['reset', '--hard', `${remote}/${branch}`, '--'], dest, `Failed to checkout branch ${branch}`);
    return;
  }
  if (await isRemote(git, '-h', remote, version, dest)) {
    if (a.depth && !(await local(version))) await must(git, ['fetch', `--depth=${a.depth}`, remote, `+refs/heads/${version}:refs/heads/${version}`, `+refs/heads/${version}:refs/remotes/${remote}/${version}`], dest, `Failed to fetch branch from remote: ${version}`);
    if (!(await local(version))) return void (await must(git, ['checkout', '--track', '-b', version, `${remote}/${version}`], dest, `Failed to checkout ${version}`));
    await must(git, ['checkout', '--force', version], dest, `Failed to checkout branch ${version}`);
    await must(git, ['reset', '--hard', `${remote}/${version}`], dest, `Failed to checkout ${version}`);
    return;
  }
  await must(git, ['checkout', '--force', version], dest, `Failed to checkout ${version}`);
}

/** submodules_fetch without the fetch: a submodule not checked out, or not at the commit the repository records. */
async function submodulesBehind(git: Git, dest: string): Promise<boolean> {
  const r = await git(['submodule', 'status'], dest);
  return r.rc === 0 && r.stdout.split('\n').some((l) => l !== '' && l[0] !== ' ');
}
