import type { ExecResult } from '../../connections/index.js';
import { shq } from '../../connections/quote.js';
import { ModuleFailure, type ModuleCtx } from '../types.js';

/** git on the host (its output unstripped), in a folder. */
export type Git = (args: string[], cwd?: string) => Promise<ExecResult>;

/** The git module's arguments (lib/modules/git.ts has their schema). */
export interface GitArgs {
  repo: string;
  dest?: string;
  version?: string;
  remote?: string;
  refspec?: string;
  force?: boolean;
  depth?: number;
  clone?: boolean;
  update?: boolean;
  accept_hostkey?: boolean;
  accept_newhostkey?: boolean;
  key_file?: string;
  ssh_opts?: string;
  executable?: string;
  bare?: boolean;
  recursive?: boolean;
  single_branch?: boolean;
  umask?: string;
}

/**
 * Whether dest holds a repository: its git folder (dest/.git, dest itself when bare, or the folder
 * a `.git` file names) has a config, as ansible-core's get_repo_path and its gitconfig test.
 */
export async function gitRepo(ctx: ModuleCtx, dest: string, bare: boolean): Promise<boolean> {
  const d = shq(dest);
  const r = await ctx.exec({ shell: `p=${bare ? d : `${d}/.git`}; if [ -f "$p" ]; then g=$(sed -n '1s/^gitdir: //p' "$p"); [ -n "$g" ] || exit 3; case $g in /*) p=$g;; *) p=${d}/$g;; esac; [ -d "$p" ] || exit 3; fi; [ -f "$p/config" ]` }, { signal: ctx.signal });
  if (r.rc === 3) throw new ModuleFailure('Current repo does not have a valid reference to a separate Git dir or it refers to the invalid path');
  return r.rc === 0;
}

/** get_head_branch: the branch HEAD is on, or when detached the remote's HEAD branch. */
export async function headBranch(git: Git, dest: string, remote: string): Promise<string> {
  const own = await git(['symbolic-ref', '-q', 'HEAD'], dest);
  if (own.rc === 0 && own.stdout.trim()) return own.stdout.trim().replace(/^refs\/heads\//, '');
  const r = await git(['symbolic-ref', '-q', `refs/remotes/${remote}/HEAD`], dest);
  if (r.rc !== 0) throw new ModuleFailure(`Unable to read the HEAD of ${remote} in ${dest}`);
  return r.stdout.trim().replace(`refs/remotes/${remote}/`, '');
}

/** get_remote_head: the commit version names on the remote (a commit names itself). */
export async function remoteHead(git: Git, at: { a: GitArgs; dest?: string; version: string; remote: string }): Promise<string> {
  const { a, version, remote } = at;
  const cloning = remote === a.repo;
  const cwd = cloning ? undefined : at.dest;
  const ls = async (...args: string[]) => {
    const r = await git(['ls-remote', remote, ...args], cwd);
    if (r.rc !== 0) throw new ModuleFailure(r.stderr.trim() || `git ls-remote exited ${r.rc}`, { rc: r.rc, cmd: r.cmd, stdout: r.stdout, stderr: r.stderr });
    return r.stdout;
  };
  let out: string;
  let tag = false;
  if (version === 'HEAD') out = await ls('-h', cloning ? 'HEAD' : `refs/heads/${await headBranch(git, at.dest!, remote)}`);
  else {
    // is_remote_branch, then is_remote_tag: the branch's answer is its head already
    const heads = await ls('-h', `refs/heads/${version}`);
    if (heads.includes(version)) out = heads;
    else if (await isRemote(git, '-t', remote, version, cwd)) [out, tag] = [await ls('-t', `refs/tags/${version}*`), true];
    else return version;
  }
  if (!out) throw new ModuleFailure(`Could not determine remote revision for ${version}`);
  if (tag) {
    for (const line of out.split('\n')) {
      if (line.endsWith(`${version}^{}`)) {
        out = line;
        break;
      }
      if (line.endsWith(version)) out = line;
    }
  }
  return out.split(/\s+/)[0];
}

/** is_remote_branch (-h) / is_remote_tag (-t): whether the remote has version under that name. */
export async function isRemote(git: Git, kind: '-h' | '-t', remote: string, version: string, cwd?: string): Promise<boolean> {
  const r = await git(['ls-remote', remote, kind, `refs/${kind === '-h' ? 'heads' : 'tags'}/${version}`], cwd);
  if (r.rc !== 0) throw new ModuleFailure(r.stderr.trim(), { rc: r.rc, cmd: r.cmd });
  return r.stdout.includes(version);
}
