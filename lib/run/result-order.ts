/**
 * The order of a registered result's keys as ansible-core 2.14 gives them (what `r.keys()`,
 * `r | to_json` and `r | dict2items` show): the module's own order (its exit_json or fail_json
 * keywords), then what the executor adds (`stdout_lines`, and `failed` and `changed` where the
 * module set neither). agri-play's modules build their results in an order of their own; a
 * registered result is put in ansible-core's, for the modules whose orders were read from
 * ansible-core (test/compat/result_key_order.yaml). A list's '*' is where keys it does not name
 * go (at the end without one); a loop item's own keys (its loop variable, `ansible_loop_var`, its
 * index) stay last, as ansible-core adds them after the module's result.
 */
import { isDict } from '../source/python.js';
import { noLogArg } from './conceal.js';

type Vars = Record<string, unknown>;
type Order = readonly string[];

const COMMAND_OK: Order = ['changed', 'stdout', 'stderr', 'rc', 'cmd', 'start', 'end', 'delta', 'msg', 'skipped', 'invocation', 'stdout_lines', 'stderr_lines', 'failed'];
const COMMAND_FAILED: Order = ['changed', 'stdout', 'stderr', 'rc', 'cmd', 'start', 'end', 'delta', 'failed', 'msg', 'invocation', 'stdout_lines', 'stderr_lines'];
/** A command that could not be started: the module's fail_json before it ran anything. */
const COMMAND_NOT_RUN: Order = ['rc', 'stdout', 'stderr', 'cmd', 'failed', 'msg', 'invocation', 'stdout_lines', 'stderr_lines', 'changed'];
const command = (r: Vars, failed: boolean): Order => (!failed ? COMMAND_OK : 'start' in r ? COMMAND_FAILED : COMMAND_NOT_RUN);

/** copy and template: the action's own keys, or the file module's when nothing was copied (`path`), or its failure. */
const COPIED: Order = ['diff', 'dest', 'src', 'md5sum', 'checksum', 'changed', 'uid', 'gid', 'owner', 'group', 'mode', 'state', 'size', 'invocation', 'failed'];
const SAME: Order = ['diff', 'path', 'changed', 'uid', 'gid', 'owner', 'group', 'mode', 'state', 'size', 'invocation', 'checksum', 'dest', 'failed'];
const COPY_FAILED: Order = ['diff', 'failed', 'msg', 'changed'];
const copy = (r: Vars, failed: boolean): Order => (failed ? COPY_FAILED : 'path' in r ? SAME : COPIED);

/** Modules whose order is the same whether they failed or not. */
const ONE: Record<string, Order> = {
  raw: ['rc', 'stdout', 'stdout_lines', 'stderr', 'stderr_lines', 'changed', 'failed', 'msg'],
  set_fact: ['ansible_facts', 'failed', 'changed'],
  debug: ['*', 'failed', 'changed'],
  fail: ['failed', 'msg', 'changed'],
  include_vars: ['ansible_included_var_files', 'ansible_facts', 'failed', 'changed'],
  getent: ['ansible_facts', 'invocation', 'failed', 'changed'],
  ping: ['ping', 'invocation', 'failed', 'changed'],
  find: ['files', 'changed', 'msg', 'matched', 'examined', 'skipped_paths', 'invocation', 'failed'],
  replace: ['rc', 'msg', 'changed', 'invocation', 'failed'],
  stat: ['changed', 'stat', 'invocation', 'failed'],
  tempfile: ['changed', 'path', 'uid', 'gid', 'owner', 'group', 'mode', 'state', 'size', 'invocation', 'failed'],
};

/** Modules whose order differs when they failed (undefined: left as it is). */
const BY_OUTCOME: Record<string, (r: Vars, failed: boolean) => Order | undefined> = {
  command,
  shell: command,
  copy,
  template: copy,
  assert: (_, failed) => (failed ? ['failed', 'evaluated_to', 'assertion', 'msg', 'changed'] : ['changed', 'msg', 'failed']),
  lineinfile: (_, failed) => (failed ? ['rc', 'failed', 'msg', 'invocation', 'changed'] : ['changed', 'msg', 'backup', 'diff', 'invocation', 'failed']),
  file: (_, failed) => (failed ? undefined : ['path', 'dest', 'changed', 'diff', 'uid', 'gid', 'owner', 'group', 'mode', 'state', 'size', 'invocation', 'failed']),
  slurp: (_, failed) => (failed ? ['failed', 'msg', 'invocation', 'changed'] : ['content', 'source', 'encoding', 'invocation', 'failed', 'changed']),
};

/** (a loop item asks for each item: no regular expression for a short name) */
const shortName = (module: string): string => (module.startsWith('ansible.') ? module.replace(/^ansible\.(builtin|legacy)\./, '') : module);

/** The keys a loop adds to an item's result (its loop variable's name is its own). */
function loopKeys(r: Vars): Set<string> {
  const keys = new Set<string>();
  for (const named of ['ansible_loop_var', 'ansible_index_var']) {
    if (!(named in r)) continue;
    keys.add(named);
    if (typeof r[named] === 'string') keys.add(r[named]);
  }
  if ('ansible_loop' in r) keys.add('ansible_loop');
  return keys;
}

/** The result in ansible-core's key order for its module; as it is where that order is not known (or it was skipped or unreachable). */
export function inAnsibleOrder(module: string, r: Vars): Vars {
  if ('skip_reason' in r || r.unreachable === true) return r;
  const name = shortName(module);
  const failed = r.failed === true;
  const order = ONE[name] ?? BY_OUTCOME[name]?.(r, failed);
  if (!order) return r;
  const tail = loopKeys(r);
  const rest = Object.keys(r).filter((k) => !order.includes(k) && !tail.has(k));
  const keys = order.includes('*') ? order.flatMap((k) => (k === '*' ? rest : [k])) : [...order, ...rest];
  const out: Vars = {};
  // (a key named __proto__ stays a key)
  for (const k of [...keys, ...Object.keys(r).filter((k) => tail.has(k))]) if (Object.hasOwn(r, k)) Object.defineProperty(out, k, { value: r[k], enumerable: true, writable: true, configurable: true });
  return out;
}

/** ansible-core's action plugins that run no module: their results carry no `invocation`. */
const NO_MODULE = new Set(['debug', 'set_fact', 'assert', 'fail', 'include_vars', 'add_host', 'group_by', 'set_stats', 'pause', 'wait_for_connection', 'raw', 'script', 'fetch', 'meta', 'validate_argument_spec', 'include_tasks', 'include_role', 'import_tasks', 'import_role', 'gather_facts']);

/** The module's arguments as a no_log parameter shows them (AnsibleModule's remove_values): its value replaced, at any depth. */
function withoutSecrets(v: unknown, key = ''): unknown {
  if (key && noLogArg(key) && v !== null && v !== undefined) return 'VALUE_SPECIFIED_IN_NO_LOG_PARAMETER';
  if (Array.isArray(v)) return v.map((x) => withoutSecrets(x, key));
  if (isDict(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, withoutSecrets(x, k)]));
  return v;
}

/**
 * A loop item's `invocation` (ansible-core keeps it in each item of a module's loop, where it drops
 * the task's own): `module_args`, the arguments as the item rendered them, its no_log ones hidden
 * (copy's and template's `content` is None there: the action hands the module a file). Partly
 * ansible-core's: but for command and shell, the options the task did not give are not listed with
 * their defaults.
 */
export function invocationOf(module: string, args: Vars): Vars | undefined {
  const name = shortName(module);
  if (NO_MODULE.has(name)) return undefined;
  const shown = withoutSecrets(args) as Vars;
  if ((name === 'copy' || name === 'template') && 'content' in shown) shown.content = null;
  return { module_args: name === 'command' || name === 'shell' ? commandArgs(shown, name === 'shell') : shown };
}

/** command's options in the order of its argument_spec, and those with a default other than None. */
const COMMAND_SPEC = ['_raw_params', '_uses_shell', 'argv', 'chdir', 'executable', 'creates', 'removes', 'stdin', 'stdin_add_newline', 'strip_empty_ends'];
const COMMAND_DEFAULTS: Vars = { _uses_shell: false, stdin_add_newline: true, strip_empty_ends: true };

/**
 * command's and shell's module_args, as AnsibleModule has them: what the task gave, in its order (the
 * command line as `_raw_params`; shell's action adds `_uses_shell`), then the options with a default
 * (its first pass), then the rest as None.
 */
function commandArgs(a: Vars, shell: boolean): Vars {
  const out: Vars = {};
  for (const [k, v] of Object.entries(a)) out[k === 'cmd' ? '_raw_params' : k] = v;
  if (shell) out._uses_shell = true;
  for (const k of COMMAND_SPEC) if (k in COMMAND_DEFAULTS && !(k in out)) out[k] = COMMAND_DEFAULTS[k];
  for (const k of COMMAND_SPEC) if (!(k in out)) out[k] = null;
  return out;
}
