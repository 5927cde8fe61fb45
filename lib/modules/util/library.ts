// Modules of a role's or the playbook's `library/` folder, run on the host as ansible-core runs
// them: a Python module with ansible.module_utils (new style) through AnsiballZ's way
// (util/ansiballz.ts); a WANT_JSON, binary or old-style module with its arguments in a file (JSON,
// or key=value words), under its shebang's interpreter. (library-dirs.ts finds them.)
import { readFileSync, statSync } from 'node:fs';
import { ANSIBLE_CORE_VERSION } from '../../source/ansible-version.js';
import { shq } from '../../connections/quote.js';
import { libraryPath, librarySpec } from './library-dirs.js';
import { contextShell } from './expand.js';
import { ansibleOnly, ansibleRoot, jsonParts, moduleUtilsOf, program, type ImportRoots } from './ansiballz.js';
import { ModuleFailure, type ActionModule, type ActionResult, type ModuleCtx } from '../types.js';
import { jsonText } from '../../source/pyint.js';

const made = new Map<string, ActionModule>();

/** A library module by name (short, or ansible.legacy.name). */
export function libraryModule(name: string): ActionModule | undefined {
  const path = libraryPath(name);
  const spec = librarySpec(name);
  if (!path || !spec) return undefined;
  let m = made.get(path);
  if (!m) made.set(path, (m = { ...spec, kind: 'action', run: (ctx, args) => runLibrary(ctx, spec.name, path, args as Record<string, unknown>) }));
  return m;
}

const MODULE_FAILURE = 'MODULE FAILURE\nSee stdout/stderr for the exact error';

/** The internal arguments AnsibleModule reads (ansible-core's _update_module_args). */
function internal(ctx: ModuleCtx, name: string): Record<string, unknown> {
  return {
    _ansible_check_mode: ctx.checkMode === true,
    _ansible_no_log: false,
    _ansible_debug: false,
    _ansible_diff: ctx.diffMode === true,
    _ansible_verbosity: 0,
    _ansible_version: ANSIBLE_CORE_VERSION,
    _ansible_module_name: name,
    _ansible_syslog_facility: 'LOG_USER',
    _ansible_selinux_special_fs: ['fuse', 'nfs', 'vboxsf', 'ramfs', '9p', 'vfat'],
    _ansible_string_conversion_action: 'warn',
    _ansible_socket: null,
    _ansible_shell_executable: contextShell(ctx),
    _ansible_keep_remote_files: false,
    _ansible_tmpdir: null,
    _ansible_remote_tmp: '~/.ansible/tmp',
  };
}

/** The host's Python, as a shell word: ansible_python_interpreter, the one discovery found, else /usr/bin/python3 or python3. */
export const hostPython = (ctx: ModuleCtx): string => interpreter(ctx, undefined);

/** The interpreter of a shebang: Python's is the host's (ansible_python_interpreter, else /usr/bin/python3 or python3). */
function interpreter(ctx: ModuleCtx, shebang: string | undefined): string {
  // (auto, auto_silent, auto_legacy…: the one discovery found, else as ansible-core's first choice on Linux, /usr/bin/python3)
  const set = ctx.vars.ansible_python_interpreter;
  const found = (ctx.vars.ansible_facts as Record<string, unknown> | undefined)?.discovered_interpreter_python;
  const python = typeof set === 'string' && !set.startsWith('auto') ? shq(set) : typeof found === 'string' ? shq(found) : '"$(command -v /usr/bin/python3 || command -v python3)"';
  if (!shebang || /python/.test(shebang)) return python;
  return shebang.slice(2).trim();
}

/**
 * ansible-core's action plugins that run no module on the host (and agri-play's own modules, which
 * Ansible has not: Talos, Proxmox, Kubernetes, helm, Doppler): interpreter discovery is for the
 * others, which ansible-core runs as Python modules.
 */
const NO_MODULE = new Set(['add_host', 'assert', 'debug', 'fail', 'group_by', 'include_vars', 'meta', 'pause', 'set_fact', 'set_stats', 'raw', 'script', 'reboot', 'wait_for_connection', 'include_tasks', 'include_role', 'import_tasks', 'import_role', 'x509_ca', 'doppler_secret']);
const OWN = /^(talos|proxmox|kube|helm)_/;

/** Whether ansible-core would run this module as Python, so discover the interpreter first: a built-in of Ansible's that is a module, or a library module whose shebang names Python (or that has none). */
export function runsPython(mod: { name: string }): boolean {
  const path = libraryModule(mod.name) === mod ? libraryPath(mod.name) : undefined;
  if (!path) return !NO_MODULE.has(mod.name) && !OWN.test(mod.name);
  const { text, shebang } = load(mod.name, path);
  return text !== undefined && (!shebang || /python/.test(shebang));
}

/** A module file as read once (until it changes): its bytes, text and shebang, and its AnsiballZ program where it is an AnsibleModule one. */
interface Loaded {
  source: Buffer;
  text?: string;
  shebang?: string;
  program?: (args: Record<string, unknown>) => string;
}
const loaded = new Map<string, { mtime: number; value: Loaded }>();

/** A collection's module: its Python package, and where its collection's imports are. */
export interface InCollection {
  pkg: string[];
  rootOf: ImportRoots;
}

function load(name: string, path: string, coll?: InCollection): Loaded {
  const mtime = statSync(path).mtimeMs;
  const have = loaded.get(path);
  if (have?.mtime === mtime) return have.value;
  const source = readFileSync(path);
  const text = source.includes(0) ? undefined : source.toString('utf8');
  const value: Loaded = { source, text, shebang: text?.startsWith('#!') ? text.slice(0, text.indexOf('\n')) : undefined };
  if (text !== undefined && /(from|import)\s+(ansible\.module_utils|ansible_collections\.)|from\s+\.+module_utils/.test(text)) {
    const root = ansibleRoot();
    if (!root) throw new ModuleFailure(`the module ${name} (${path}) imports ansible.module_utils: agri-play takes them from the controller's ansible-core, which is not installed here (apt-get install ansible-core)`);
    const rootOf: ImportRoots = coll ? (mod) => (mod[0] === 'ansible' ? root : coll.rootOf(mod)) : ansibleOnly(root);
    value.program = program(name, source, moduleUtilsOf(text, rootOf, coll?.pkg), ANSIBLE_CORE_VERSION, coll?.pkg);
  }
  loaded.set(path, { mtime, value });
  return value;
}

/** Runs a library/ or collection module on the host (its AnsiballZ program, else its file with the arguments in another). */
export async function runLibrary(ctx: ModuleCtx, name: string, path: string, args: Record<string, unknown>, coll?: InCollection): Promise<ActionResult> {
  const { source, text, shebang, program } = load(name, path, coll);
  const params = { ...args, ...internal(ctx, name) };
  // (an async task's module answers as under ansible-core's async_wrapper)
  const wrapped = ctx.async !== undefined;
  if (program) return resultOf(await ctx.exec({ shell: `${interpreter(ctx, shebang)} -` }, { stdin: program(params), keepEnds: wrapped }), wrapped);
  // the arguments in a file: JSON (WANT_JSON, a binary module), else key=value words (old style)
  const json = text === undefined || text.includes('WANT_JSON');
  const argText = json ? jsonText(params) : Object.entries(args).map(([k, v]) => `${k}=${shq(typeof v === 'string' ? v : jsonText(v))}`).join(' ');
  const run = text === undefined ? '"$d/m"' : `${interpreter(ctx, shebang)} "$d/m"`;
  const script = `d=$(mktemp -d) || exit 1; trap 'rm -rf "$d"' EXIT; IFS= read -r a; printf %s "$a" | base64 -d > "$d/args"; cat > "$d/m"; chmod 700 "$d/m"; ${run} "$d/args"`;
  return resultOf(await ctx.exec({ shell: script }, { stdin: Buffer.concat([Buffer.from(Buffer.from(argText).toString('base64') + '\n'), source]), keepEnds: wrapped }), wrapped);
}

/** A module's facts but those only the engine sets (ansible-core's: discovered_interpreter_*, ansible_*_interpreter). */
const ownFacts = (facts: Record<string, unknown>): Record<string, unknown> => Object.fromEntries(Object.entries(facts).filter(([k]) => !/^(ansible_)?discovered_interpreter_|^ansible_\w+_interpreter$/.test(k)));

/**
 * The module's JSON as the step's result, as ansible-core's TaskExecutor reads it; `wrapped`, as its
 * async_wrapper writes it: with the module's stderr, the warning of text after the JSON, and no JSON
 * at all a failure with the output as `data` and `stderr` (its message the Python error's last line).
 */
function resultOf(r: { rc: number; stdout: string; stderr: string }, wrapped = false): ActionResult {
  const { json: res, after } = jsonParts(r.stdout);
  if (!res && wrapped) return { failed: true, msg: 'ValueError: No start of json char found', data: { data: r.stdout, stderr: r.stderr } };
  if (!res) return { failed: true, msg: MODULE_FAILURE, data: { module_stdout: r.stdout, module_stderr: r.stderr, rc: r.rc } };
  if (wrapped) {
    // (_filter_non_json_lines' warning of text after the JSON)
    if (after.some((l) => l.trim())) res.warnings = [...(Array.isArray(res.warnings) ? res.warnings : res.warnings === undefined ? [] : [res.warnings]), `Module invocation had junk after the JSON data: ${after.join('\n')}`];
    if (r.stderr) res.stderr = r.stderr;
  }
  const { changed, failed, msg, skipped, ...data } = res;
  // (the registered result's facts are the host's: ansible-core removes the interpreter ones from the module's data)
  const facts = data.ansible_facts && typeof data.ansible_facts === 'object' ? ownFacts(data.ansible_facts as Record<string, unknown>) : undefined;
  if (facts) data.ansible_facts = facts;
  for (const k of Object.keys(data)) if (k.startsWith('_ansible_')) delete data[k];
  // (a result without `failed` fails when its rc is not 0)
  const bad = failed === undefined ? data.rc !== undefined && data.rc !== 0 && data.rc !== '0' : failed === true;
  return {
    changed: changed === true,
    failed: bad,
    ...(msg !== undefined ? { msg: String(msg) } : {}),
    ...(skipped === true ? { skipped: true } : {}),
    ...(facts ? { facts } : {}),
    data,
  };
}
