// AnsibleModule.run_command's expansion of a command's arguments (ansible-core 2.14, not through a
// shell): os.path.expandvars then os.path.expanduser on each, with the environment the command
// gets on the host (the task's `environment` included).
import { shq } from '../../connections/quote.js';
import type { ModuleCtx } from '../types.js';

const VAR = /\$(\w+|\{[^}]*\})/g;

/** posixpath.expandvars: `$name` and `${name}` that are set are replaced; others stay as written. */
export function expandVars(s: string, env: Record<string, string>): string {
  if (!s.includes('$')) return s;
  return s.replace(VAR, (m, name: string) => {
    const n = name.startsWith('{') ? name.slice(1, -1) : name;
    return Object.hasOwn(env, n) ? env[n] : m;
  });
}

const USER = /^~([^/]*)/;

/** posixpath.expanduser: `~` is HOME, `~user` that user's home (from the host's passwd); an unknown user stays as written. */
export function expandUser(s: string, env: Record<string, string>, homes: Record<string, string>): string {
  const m = USER.exec(s);
  if (!m) return s;
  const home = m[1] ? homes[m[1]] : env.HOME;
  if (home === undefined || home === '') return s;
  return (home.replace(/\/+$/, '') + s.slice(m[0].length)) || '/';
}

/** The argv as run_command runs it; the host's environment is read (once, shared) only when an argument needs it. */
export async function expandArgv(ctx: ModuleCtx, argv: string[]): Promise<string[]> {
  if (!argv.some((a) => a.includes('$') || a.startsWith('~'))) return argv;
  const users = [...new Set(argv.map((a) => USER.exec(a)?.[1]).filter((u): u is string => Boolean(u)))];
  const script = `env -0; ${users.map((u) => `printf '\\001%s\\0' ${shq(u)}; getent passwd ${shq(u)} | cut -d: -f6 | tr -d '\\n'; printf '\\0'`).join('; ')}`;
  const r = await ctx.shared(`expand\0${users.join('\0')}`, (exec) => exec({ shell: script }, { signal: ctx.signal }));
  const env: Record<string, string> = {};
  const homes: Record<string, string> = {};
  const parts = r.stdout.split('\0');
  for (let i = 0; i < parts.length; i++) {
    const kv = parts[i];
    if (kv.startsWith('\u0001')) homes[kv.slice(1)] = parts[++i] ?? '';
    else if (kv.indexOf('=') > 0) env[kv.slice(0, kv.indexOf('='))] = kv.slice(kv.indexOf('=') + 1);
  }
  return argv.map((a) => expandUser(expandVars(a, env), env, homes));
}

/** An Ansible module's `path` arguments (AnsibleModule's type path: os.path.expanduser(os.path.expandvars(v))), expanded on the host. */
export function expandPaths<T extends Record<string, unknown>>(ctx: ModuleCtx, args: T, keys: string[]): Promise<T> | T {
  // a list of paths (find's `paths`) has each of its entries expanded
  const ks = keys.filter((k) => needsExpansion(args[k]) || (Array.isArray(args[k]) && (args[k] as unknown[]).some(needsExpansion)));
  // (most paths have nothing to expand: the arguments as they are, without a promise)
  return ks.length ? expanded(ctx, args, ks) : args;
}

const needsExpansion = (v: unknown): boolean => typeof v === 'string' && (v.includes('$') || v.startsWith('~'));

async function expanded<T extends Record<string, unknown>>(ctx: ModuleCtx, args: T, ks: string[]): Promise<T> {
  const flat = ks.flatMap((k) => (Array.isArray(args[k]) ? (args[k] as unknown[]).map(String) : [args[k] as string]));
  const out = await expandArgv(ctx, flat);
  let at = 0;
  const take = (v: unknown) => (Array.isArray(v) ? v.map(() => out[at++]) : out[at++]);
  return { ...args, ...Object.fromEntries(ks.map((k) => [k, take(args[k])])) };
}

/** The play context's shell (`_ansible_shell_executable`): ansible_shell_executable, else ansible.cfg's executable, else /bin/sh. */
export function contextShell(ctx: ModuleCtx): string {
  const v = ctx.evaluate('ansible_shell_executable');
  return typeof v === 'string' && v !== '' ? v : '/bin/sh';
}
