import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { findSpec, isPlannerAction, resolveSpec, specNames, type ModuleSpec } from '../modules/catalog.js';
import { libraryPath } from '../modules/util/library-dirs.js';
import { parseKeyValues } from '../source/splitter.js';
import { closest, posOf, problem, readYaml, schema, validate, type Pos, type Problem } from '../source/index.js';
import { hasTemplate } from '../vars/index.js';
import { atLoad, duplicateImport, roleAtLoad, type LoadVars } from './at-load.js';
import { becomeMethodProblem, collectionsOf, errorOnMissingHandler, isTaskKeyword, missingHandler, readKeywords, TASK_KEYWORDS, UNSUPPORTED } from './keywords.js';
import { checkTemplates, loadWarnings, mayFail } from './templates.js';
import { fromAction, splitProblem } from './action-form.js';
import { loopedRoleNames, roleFrom, specValidate } from './role-names.js';
import { moduleDefaultsOf, withDefaults, type PlayModuleDefaults } from './module-defaults.js';
import { unrunnableModule } from './collections.js';
import { DEFAULT_PARAMS, VARIABLE_PARAMS, type BlockNode, type Keywords, type Node, type RoleFrom, type RoleInfo, type TaskNode, type Vars } from './types.js';

/** How include_role/import_role loads its role: its files, how it joins the play, its `vars:`; an include's dependencies run once per host (hostRan); `probe` only finds it. */
export interface RoleLoad {
  from?: RoleFrom;
  how: 'imported' | 'included';
  vars?: Vars;
  hostRan?: Map<string, unknown>;
  probe?: boolean;
  /** rolespec_validate: false: the role's tasks do not start with its argument spec's validation. */
  validate?: boolean;
}

/** What task parsing needs to know about where it is. */
export interface TaskScope {
  file: string;
  dir: string;
  /** Tasks of a playbook made in memory (an ad hoc command's): their place is in no file (line 0). */ unplaced?: boolean;
  role?: RoleInfo;
  problems: Problem[];
  /** Loads a role's tasks (its dependencies' first) for include_role/import_role. */
  loadRole(name: string, pos: Pos | undefined, scope: TaskScope, o: RoleLoad): { role: RoleInfo; tasks: Node[] } | undefined;
  /** Files already being included (to refuse include loops). */
  including: string[];
  counter: { n: number };
  /** Tasks loaded when an include is reached on a host: the roles that ran there (their dependencies run once per host). */
  hostRan?: Map<string, unknown>;
  /** Tasks here run only under a condition (a `when` on an enclosing block or include). */
  conditional?: boolean;
  /** Handlers: an include_tasks among them is one handler (by its name), its file loaded when it runs. */
  handlers?: boolean;
  /** module_defaults of the play and the blocks around (outermost first). */
  moduleDefaults?: Record<string, unknown>[];
  /** The collections keyword's list (of the play, a block, the task), searched for a module's short name. */
  collections?: string[];
  /** The play's module_defaults keys and action groups. */
  playModuleDefaults: PlayModuleDefaults;
  /** Inside a block at the top of the handlers: a block here is ansible-core's "Using a block as a handler". */
  inHandlerBlock?: boolean;
  /** What an import's templated name is rendered with at load. */
  loadVars?: LoadVars;
  /** The role loaded in this scope does not start with its argument spec's validation (rolespec_validate: false). */
  noRoleSpec?: boolean;
}

const META_ACTIONS = ['flush_handlers', 'noop', 'end_play', 'end_host', 'end_batch', 'clear_facts', 'clear_host_errors', 'reset_connection', 'refresh_inventory'];

/** include_*'s `apply:` keywords (tags, become, ignore_errors, environment, …), checked as a task's keywords are. */
function applyOf(raw: unknown, action: string, at: Pos, scope: TaskScope): { apply?: Keywords } {
  const apply = (raw as Record<string, unknown> | null)?.apply;
  if (apply === undefined || apply === null || typeof raw !== 'object') return {};
  if (typeof apply !== 'object' || Array.isArray(apply)) return void scope.problems.push(problem(posOf(raw, 'apply') ?? at, `${action} apply must be a mapping of task keywords`, 'apply: {tags: [web], become: true}')), {};
  const a = apply as Record<string, unknown>;
  for (const k of Object.keys(a)) if (!isTaskKeyword(k)) scope.problems.push(problem(posOf(a, k) ?? at, `'${k}' is not a task keyword (${action} apply)`, 'apply takes keywords such as tags, become, ignore_errors, environment'));
  return { apply: readKeywords(a) };
}

export function parseTaskList(list: unknown, scope: TaskScope, where: string): Node[] {
  if (list === null || list === undefined) return [];
  if (!Array.isArray(list)) {
    scope.problems.push(problem(posOf(list), `${where} must be a list of tasks`));
    return [];
  }
  const out: Node[] = [];
  list.forEach((t, i) => {
    const at = posOf(list, i, 'value') ?? { file: scope.file, line: scope.unplaced ? 0 : 1, col: scope.unplaced ? 0 : 1 };
    if (!t || typeof t !== 'object' || Array.isArray(t)) {
      scope.problems.push(problem(at, `each entry of ${where} must be a task (a mapping), found ${Array.isArray(t) ? 'a list' : JSON.stringify(t)}`));
      return;
    }
    const node = parseTask(t as Record<string, unknown>, at, scope);
    if (Array.isArray(node)) out.push(...node);
    else if (node) out.push(node);
  });
  return out;
}

function nextId(scope: TaskScope, pos: Pos): string {
  return `${pos.file}:${pos.line}#${scope.counter.n++}`;
}

function parseTask(original: Record<string, unknown>, at: Pos, scope: TaskScope): Node | Node[] | undefined {
  const t = original.action !== undefined || original.local_action !== undefined ? fromAction(original, at, scope.problems) : original;
  if (!t) return undefined;
  const before = scope.problems.length;
  const keys = Object.keys(t);
  const kwOnly: Record<string, unknown> = {};
  const moduleKeys: string[] = [];
  for (const k of keys) (isTaskKeyword(k) ? ((kwOnly[k] = t[k]), undefined) : moduleKeys.push(k));
  scope.problems.push(...validate(schema('task'), kwOnly, 'task', t));
  for (const k of keys) {
    // (`debugger: ~` or `never` asks for none: nothing to refuse)
    if (UNSUPPORTED[k] && !(k === 'debugger' && (t[k] === null || t[k] === 'never'))) scope.problems.push(problem(posOf(t, k), `'${k}' is not supported by agri-play`, UNSUPPORTED[k]));
  }
  const method = becomeMethodProblem(t, at);
  if (method) scope.problems.push(method);
  const kw = readKeywords(t);
  const conditional = Boolean(scope.conditional) || t.when !== undefined;
  const { block: _b, rescue: _r, always: _a, ...own } = t;
  checkTemplates(own, at, scope.problems, conditional, true);
  const ownDefaults = moduleDefaultsOf(t, at, scope.problems, scope.playModuleDefaults);
  const levels = ownDefaults ? [...(scope.moduleDefaults ?? []), ownDefaults] : scope.moduleDefaults;
  const collections = collectionsOf(t, scope);
  const inner = (conditional && !scope.conditional) || ownDefaults || collections !== scope.collections ? { ...scope, conditional, moduleDefaults: levels, collections } : scope;
  const name = typeof t.name === 'string' ? t.name : '';
  if (t.block !== undefined) {
    // ansible-core: a block at the top of the handlers (or a file they import) holds handlers, a block inside it
    // is its parser error; its rescue and always are loaded, never run (2.14 runs a handler block's `block` only)
    const handlerBlock = scope.handlers && !scope.inHandlerBlock;
    if (scope.handlers && !handlerBlock) scope.problems.push(problem(at, 'Using a block as a handler is not supported.', 'make each task of the block a handler (a listen: topic notifies them together)'));
    if (moduleKeys.length) scope.problems.push(problem(posOf(t, moduleKeys[0]), `a block cannot also have a module ('${moduleKeys[0]}')`));
    const block: BlockNode = {
      kind: 'block',
      id: nextId(scope, at),
      name,
      block: parseTaskList(t.block, handlerBlock ? { ...inner, inHandlerBlock: true } : inner, 'block'),
      rescue: parseTaskList(t.rescue, handlerBlock ? { ...inner, inHandlerBlock: true } : inner, 'rescue'),
      always: parseTaskList(t.always, handlerBlock ? { ...inner, inHandlerBlock: true } : inner, 'always'),
      kw,
      pos: at,
      role: scope.role,
    };
    return block;
  }
  for (const k of ['rescue', 'always']) if (t[k] !== undefined) scope.problems.push(problem(posOf(t, k), `'${k}' belongs to a block: add 'block:' to this task`));
  if (moduleKeys.length === 0) {
    scope.problems.push(problem(at, `task${name ? ` '${name}'` : ''} has no module`, 'add a module key such as command:, copy: or file:'));
    return undefined;
  }
  if (moduleKeys.length > 1) {
    const known = moduleKeys.filter((k) => findSpec(k) || isPlannerAction(k));
    const odd = moduleKeys.find((k) => !known.includes(k));
    if (odd === undefined || known.length === 0) {
      scope.problems.push(problem(posOf(t, moduleKeys[1]), `a task has one module; found ${moduleKeys.map((k) => `'${k}'`).join(' and ')}`, 'split it into one task per module'));
    } else {
      const hint = closest(odd, TASK_KEYWORDS);
      scope.problems.push(problem(posOf(t, odd), `unknown task keyword '${odd}'`, hint ? `did you mean '${hint}'?` : undefined));
    }
    return undefined;
  }
  const modKey = moduleKeys[0];
  const modPos = posOf(t, modKey) ?? at;
  if (isPlannerAction(modKey)) return plannerAction(modKey.replace(/^ansible\.(builtin|legacy)\./, ''), t, modKey, kw, at, modPos, inner);
  // a module named by a template (`action: {module: '{{ m }}'}`): found, and its arguments checked, when each host runs it
  if (hasTemplate(modKey)) {
    const args = moduleArgs(ANY_MODULE, t[modKey], t.args, modPos, scope);
    return { kind: 'task', id: nextId(scope, at), name: name || modKey, module: modKey, args, kw, pos: at, role: scope.role, dir: scope.dir, ...(name ? {} : { unnamed: true }) };
  }
  // (through the collections keyword's list, ansible-core's routing; else one agri-play cannot run, which fails where it runs)
  const mod = resolveSpec(modKey, inner.collections);
  const absent = mod ? undefined : unrunnableModule(modKey, inner.collections);
  if (absent) {
    loadWarnings.push(problem(modPos, `${absent.why}: the task fails if it runs`));
    return { kind: 'task', id: nextId(scope, at), name: name || modKey, module: modKey, args: moduleArgs(ANY_MODULE, t[modKey], t.args, modPos, scope), kw, pos: at, role: scope.role, dir: scope.dir, absent: absent.fqcn, ...(name ? {} : { unnamed: true }) };
  }
  if (!mod) {
    const hint = closest(modKey, [...specNames(), ...TASK_KEYWORDS]);
    scope.problems.push(problem(modPos, `unknown module '${modKey}'`, hint ? `did you mean '${hint}'?` : 'run agri-play doc to list the modules'));
    return undefined;
  }
  const given = moduleArgs(mod, t[modKey], t.args, modPos, scope);
  if (scope.problems.length > before) return undefined;
  // (gather_facts passes its facts module the defaults of setup under its own, as ansible-core's action does)
  const args = levels?.length ? withDefaults(given, [mod.name === 'gather_facts' ? findSpec('setup') : undefined, mod], levels, scope.playModuleDefaults.groups) : given;
  checkArgs(mod, args, t, modKey, scope);
  // (`ansible.builtin.X` stays the built-in where a library/ module X shadows the short name)
  const module = modKey.startsWith('ansible.builtin.') && libraryPath(mod.name) ? modKey : mod.name;
  const task: TaskNode = { kind: 'task', id: nextId(scope, at), name: name || modKey, module, args, kw, pos: at, role: scope.role, dir: scope.dir, ...(name ? {} : { unnamed: true }) };
  return task;
}

/**
 * Handlers as a flat list: an import_tasks or a block among them gives its tasks (each a handler), as
 * ansible-core's; each keeps the blocks around it, whose keywords (`when`, `vars`, `become`, …) it takes.
 */
export function handlerTasks(nodes: Node[], around: BlockNode[] = []): TaskNode[] {
  return nodes.flatMap((n) => (n.kind === 'task' ? [around.length ? { ...n, handlerBlocks: around } : n] : handlerTasks(n.block, [...around, n])));
}

/** How deep include_tasks may nest (a file including itself behind a condition recurses, as under ansible-core). */
const MAX_INCLUDE_DEPTH = 100;

/**
 * ansible-core's error on a notify naming no handler (ANSIBLE_ERROR_ON_MISSING_HANDLER, default on):
 * told before anything runs. A templated name, and a play whose handlers come from an include, are left to the run.
 */
export function checkNotify(nodes: Node[], handlers: TaskNode[], problems: Problem[]): void {
  if (!errorOnMissingHandler()) return;
  // (a templated notify is checked when it is rendered: lib/run/notify.ts)
  if (handlers.some((h) => h.include)) return;
  // a role's handler answers to `ROLE : name` too, as ansible-core's
  const names = new Set(handlers.flatMap((h) => [h.name, ...(h.role ? [`${h.role.name} : ${h.name}`] : []), ...h.kw.listen]));
  const walk = (list: Node[]): void => {
    for (const n of list) {
      for (const name of n.kw.notify) if (!hasTemplate(name) && !names.has(name)) problems.push(problem(n.pos, missingHandler(name), names.size ? `handlers: ${[...names].join(', ')}` : 'the play has no handlers'));
      if (n.kind === 'block') [n.block, n.rescue, n.always].forEach(walk);
    }
  };
  walk(nodes);
}

/** The options command/shell take in their free form (parse_kv's check_raw); any other word is the command. */
const RAW_KEYS = new Set(['creates', 'removes', 'chdir', 'executable', 'warn', 'stdin', 'stdin_add_newline', 'strip_empty_ends']);

/** A free-form `key=value` string split as ansible-core splits it; an unclosed quote or block is a problem there (its parser error). */
function keyValues(s: string, at: Pos, scope: TaskScope, raw?: Set<string>): ReturnType<typeof parseKeyValues> | undefined {
  try {
    return parseKeyValues(s, raw);
  } catch (e) {
    scope.problems.push(splitProblem(e, at));
    return undefined;
  }
}

const ANY_MODULE = { name: '', kind: 'action', description: 'a templated module name: any arguments', args: {} } as unknown as ModuleSpec;

/** Modules whose free-form text ansible-core's parser keeps for the action to refuse when run. */
const RAW_PARAM_MODULES = new Set(['add_host', 'group_by']);

/** Module arguments from the mapping form, the free-form string form, and `args:`. */
function moduleArgs(mod: ModuleSpec, raw: unknown, extra: unknown, at: Pos, scope: TaskScope): Record<string, unknown> {
  let args: Record<string, unknown> = {};
  if (typeof raw === 'string' || typeof raw === 'number') {
    const s = String(raw);
    const parsed = keyValues(s, at, scope, mod.name === 'command' || mod.name === 'shell' || mod.name === 'script' || mod.name === 'raw' ? RAW_KEYS : undefined);
    if (!parsed) return {};
    const { kv, rest } = parsed;
    args = { ...kv };
    if (mod.freeForm && rest) args[mod.freeForm] = rest;
    // ansible-core's ModuleArgsParser: a template as the arguments (`add_host: "{{ host_args }}"`) renders to them when the task runs
    else if (rest && hasTemplate(rest)) args[VARIABLE_PARAMS] = rest;
    // (add_host and group_by take any text there: it fails when the task runs, as ansible-core's action does)
    else if (rest && RAW_PARAM_MODULES.has(mod.name)) args[VARIABLE_PARAMS] = rest;
    else if (rest) scope.problems.push(problem(at, `'${mod.name}' takes key=value arguments; cannot read '${rest}'`, `write it as a mapping: ${mod.name}: { ... }`));
  } else if (raw && typeof raw === 'object' && !Array.isArray(raw)) {
    args = { ...(raw as Record<string, unknown>) };
  } else if (raw !== null && raw !== undefined) {
    scope.problems.push(problem(at, `arguments of '${mod.name}' must be a mapping or key=value text`));
  }
  if (extra && typeof extra === 'object') args = { ...(extra as Record<string, unknown>), ...args };
  for (const [alias, canonical] of Object.entries(mod.aliases ?? {})) {
    if (alias in args && !(canonical in args)) {
      args[canonical] = args[alias];
      delete args[alias];
    }
  }
  return args;
}

/** Checks module arguments before anything runs; values with {{ }} are checked after templating. */
function checkArgs(mod: ModuleSpec, args: Record<string, unknown>, task: Record<string, unknown>, modKey: string, scope: TaskScope): void {
  // arguments that a template gives are known when the task runs (checked then)
  if (args[VARIABLE_PARAMS] !== undefined || args[DEFAULT_PARAMS] !== undefined) return;
  const deep = (v: unknown): boolean => (typeof v === 'string' ? hasTemplate(v) : v !== null && typeof v === 'object' ? Object.values(v).some(deep) : false);
  const templated = new Set(Object.entries(args).filter(([, v]) => deep(v)).map(([k]) => k));
  const base: (string | number)[] = task[modKey] && typeof task[modKey] === 'object' ? [modKey] : [];
  const given = Object.fromEntries(Object.entries(args).filter(([, v]) => v !== null));
  const found = validate(mod.args as object as Record<string, unknown>, given, `${mod.name} arguments`, task, base);
  // a task that says it may fail (ignore_errors), or may not run (a `when` on it or around it), fails when
  // run for its arguments, as ansible-core's does (the second is warned of at load)
  const ignored = mayFail(task.ignore_errors);
  const conditional = Boolean(scope.conditional) || task.when !== undefined;
  for (const p of found) {
    const field = /^(\w+)/.exec(p.message.replace(/^unknown key '|^.* arguments /, ''))?.[1];
    if (field && templated.has(field) && !p.message.startsWith('unknown key') && !p.message.includes('missing required')) continue;
    if (typeof task[modKey] === 'string') Object.assign(p, posOf(task, modKey));
    if (!ignored) (conditional ? loadWarnings : scope.problems).push(conditional ? { ...p, message: `${p.message}: the task fails if it runs` } : p);
  }
}

function plannerAction(action: string, t: Record<string, unknown>, key: string, kw: ReturnType<typeof readKeywords>, at: Pos, modPos: Pos, scope: TaskScope): Node | Node[] | undefined {
  let raw = t[key];
  const name = typeof t.name === 'string' ? t.name : action;
  if (action === 'meta') {
    if (typeof raw !== 'string' || !META_ACTIONS.includes(raw)) {
      const hint = typeof raw === 'string' ? closest(raw, META_ACTIONS) : undefined;
      scope.problems.push(problem(modPos, `unknown meta action '${String(raw)}'`, hint ? `did you mean '${hint}'?` : `known: ${META_ACTIONS.join(', ')}`));
      return undefined;
    }
    if (scope.handlers && raw === 'flush_handlers') return void scope.problems.push(problem(modPos, 'flush_handlers cannot be used as a handler'));
    return { kind: 'task', id: nextId(scope, at), name: typeof t.name === 'string' ? t.name : `meta: ${raw}`, module: 'meta', args: { action: raw }, kw, pos: at, role: scope.role, dir: scope.dir };
  }
  if (action === 'include') {
    // ansible-core 2.14's legacy include (gone in 2.16): import_tasks unless its name is a template, it loops or an include reached brings it
    const parsed = typeof raw === 'string' ? keyValues(raw, modPos, scope) : { kv: { ...(raw as Record<string, unknown>) }, rest: '' };
    if (!parsed) return undefined;
    const { file: f, _raw_params: p, ...params } = parsed.kv as Record<string, unknown>;
    const file = String(f ?? p ?? parsed.rest ?? '');
    const dynamic = hasTemplate(file) || kw.loop !== undefined || scope.hostRan !== undefined;
    loadWarnings.push(problem(modPos, '"include" is deprecated, use include_tasks/import_tasks instead (ansible-core 2.14\'s warning; it is gone in 2.16)'));
    const as = dynamic ? 'include_tasks' : 'import_tasks';
    if (dynamic) return plannerAction(as, { ...t, [as]: file }, as, { ...kw, vars: { ...kw.vars, ...params } }, at, modPos, scope);
    // its key=value words are the tasks' vars (below set_fact); its `vars:` include params, over set_fact (get_include_params)
    const node = plannerAction(as, { ...t, [as]: file }, as, { ...kw, vars: params }, at, modPos, scope);
    if (node && !Array.isArray(node) && node.kind === 'block' && Object.keys(kw.vars).length) node.includeVars = kw.vars;
    return node;
  }
  if (action === 'include_tasks' || action === 'import_tasks') {
    // the free form is key=value pairs (`include_tasks: file=x.yml`) or the file name itself
    if (typeof raw === 'string' && !hasTemplate(raw)) {
      const parsed = keyValues(raw, modPos, scope);
      if (!parsed) return undefined;
      const { kv, rest } = parsed;
      if (Object.keys(kv).length) raw = rest ? { ...kv, _raw_params: rest } : kv;
    }
    const file = typeof raw === 'string' ? raw : (((raw as Record<string, unknown>)?.file ?? (raw as Record<string, unknown>)?._raw_params) as string | undefined);
    if (!file) return void scope.problems.push(problem(modPos, `${action} needs a file name`));
    // as ansible-core's path_dwim_relative: a role's handlers/ (for its handlers), tasks/ and own folder, beside the including file, the playbook's folder
    const roleDirs = scope.role ? [...(scope.handlers ? [join(scope.role.path, 'handlers')] : []), join(scope.role.path, 'tasks'), scope.role.path] : [];
    const bases = [...new Set([...roleDirs, scope.dir, dirname(scope.including[0] ?? scope.file)])];
    const base = bases[0];
    const where = (name: string): string => bases.map((b) => resolve(b, name)).find((p) => existsSync(p)) ?? resolve(base, name);
    const include = (name: string, _from?: RoleFrom, hostRan?: Map<string, unknown>) => {
      const path = where(name);
      const problems: Problem[] = [];
      if (!existsSync(path)) return { path, tasks: [], problems: [problem(modPos, `Could not find or access '${path}' on the Ansible Controller.`)], missing: true }; // (the include's `reason`, as ansible-core's)
      // a file may include itself behind a condition (a recursion, as under ansible-core); without one it would not end
      if (scope.including.length >= MAX_INCLUDE_DEPTH) return { path, tasks: [], problems: [problem(modPos, `include_tasks of ${name} is nested ${MAX_INCLUDE_DEPTH} deep: does it include itself without a condition that ends?`)] };
      const parsed = readYaml(path);
      if (parsed.problems.length) return { path, tasks: [], problems: parsed.problems };
      const tasks = parseTaskList(parsed.value, { ...scope, problems, file: path, dir: dirname(path), including: [...scope.including, path], hostRan }, name);
      return { path, tasks, problems };
    };
    const dynamic = (): TaskNode => ({ kind: 'task', id: nextId(scope, at), name, module: 'include_tasks', args: { file }, kw, pos: at, role: scope.role, dir: scope.dir, include, ...applyOf(raw, action, modPos, scope) });
    // include_tasks is resolved when reached, as under ansible-core (a templated name, a loop; it counts ok as
    // `included:`, a false `when` skips it once): a file that is not there fails it then, and one that cannot be
    // read as tasks (YAML, an unknown module: a module of another platform, say) ends the run then (exit 4)
    if (action === 'include_tasks') return dynamic();
    const named = atLoad(file, scope.loadVars, kw.vars);
    if (named === undefined) return void scope.problems.push(problem(modPos, `${action} is resolved at load: its file name '${file}' cannot be rendered with the play's vars, its own and -e`, 'use include_tasks (resolved when reached)'));
    if (kw.loop !== undefined) return void scope.problems.push(problem(posOf(t, 'loop') ?? at, `a loop over ${action} is not supported`, 'use include_tasks (resolved when reached) for a loop'));
    const path = where(named);
    if (!existsSync(path)) return void scope.problems.push(problem(modPos, `${action}: cannot find ${file} (looked in ${bases.join(', ')})`));
    if (scope.including.includes(path)) return void scope.problems.push(problem(modPos, `${action} of ${file} includes itself`));
    const parsed = readYaml(path);
    if (parsed.problems.length) return void scope.problems.push(...parsed.problems);
    const found: Problem[] = [];
    const inner = parseTaskList(parsed.value, { ...scope, problems: found, file: path, dir: dirname(path), including: [...scope.including, path] }, file);
    scope.problems.push(...found);
    return { kind: 'block', id: nextId(scope, at), name, block: inner, rescue: [], always: [], kw, pos: at, role: scope.role };
  }
  if (action === 'include_role' || action === 'import_role') {
    if (scope.handlers) return void scope.problems.push(problem(modPos, `Using '${action}' as a handler is not supported.`, 'notify a handler that is a task of the role, or include_tasks'));
    // the free form too: `include_role: name=web tasks_from=x.yml`
    if (typeof raw === 'string') {
      const parsed = keyValues(raw, modPos, scope);
      if (!parsed) return undefined;
      raw = parsed.kv;
    }
    const roleName = (raw as Record<string, unknown>)?.name ?? (raw as Record<string, unknown>)?.role;
    if (typeof roleName !== 'string') return void scope.problems.push(problem(modPos, `${action} needs name: ROLE`));
    const from = roleFrom(raw as Record<string, unknown>, action, modPos, scope.problems);
    if (!from) return undefined;
    const validate = specValidate(raw as Record<string, unknown>);
    // include_role is resolved when reached, as ansible-core's (a role behind a false `when`, a templated name, a loop)
    if (action === 'include_role') {
      const include = (name: string, f?: RoleFrom, hostRan?: Map<string, unknown>) => {
        const problems: Problem[] = [];
        const found = scope.loadRole(name, posOf(raw, 'name') ?? modPos, { ...scope, problems, hostRan }, { from: f, how: 'included', vars: kw.vars, hostRan, ...validate });
        return { path: name, tasks: found?.tasks ?? [], problems, role: found?.role, missing: !found };
      };
      // a role named as written must exist: found at load, as ansible-core finds it (with the handlers it brings);
      // the probe reads the files the include names (its tasks_from: a role that includes itself from
      // another of its files is no cycle), those named by a template are read when it is reached
      const named = Object.fromEntries(Object.entries(from).filter(([, v]) => v !== undefined && !hasTemplate(v))) as RoleFrom;
      // (one that is not there fails the include when reached, as ansible-core's: a false `when` may keep it from being reached)
      const probed: Problem[] = [];
      if (!hasTemplate(roleName) && scope.loadRole(roleName, posOf(raw, 'name') ?? modPos, { ...scope, problems: probed }, { from: named, how: 'included', probe: true })) scope.problems.push(...probed);
      for (const n of hasTemplate(roleName) ? loopedRoleNames(roleName, kw) : []) scope.loadRole(n, posOf(raw, 'name') ?? modPos, { ...scope, problems: [] }, { from: named, how: 'included', probe: true });
      const fromArgs = Object.fromEntries(Object.entries(from).map(([k, v]) => [`${k}_from`, v]));
      const pub = (raw as Record<string, unknown>).public;
      return { kind: 'task', id: nextId(scope, at), name, module: 'include_role', args: { name: roleName, ...fromArgs }, kw, pos: at, role: scope.role, dir: scope.dir, include, ...applyOf(raw, action, modPos, scope), ...(pub !== undefined ? { public: pub } : {}) };
    }
    const r = roleAtLoad(roleName, from, scope.loadVars, kw.vars);
    if ('key' in r) return void scope.problems.push(problem(posOf(raw, r.key) ?? modPos, `import_role is resolved at load: its ${r.key} '${r.value}' cannot be rendered with the play's vars, its own and -e`, 'use include_role (resolved when reached)'));
    if (scope.loadVars && duplicateImport(raw as Record<string, unknown>, r, scope.loadVars, kw.vars)) return { kind: 'block', id: nextId(scope, at), name, block: [], rescue: [], always: [], kw, pos: at, role: scope.role };
    const loaded = scope.loadRole(r.name, posOf(raw, 'name') ?? modPos, scope, { from: r.from, how: 'imported', vars: kw.vars, hostRan: scope.hostRan, ...validate });
    if (!loaded) return undefined;
    // its handlers take the import's keywords (delegate_to, become), as a listed role's take its entry's
    loaded.role.entry ??= kw;
    return { kind: 'block', id: nextId(scope, at), name, block: loaded.tasks, rescue: [], always: [], kw, pos: at, role: loaded.role };
  }
  scope.problems.push(problem(modPos, `'${action}' is not supported inside a task list here`, action === 'import_playbook' ? 'import_playbook belongs at the top level of a playbook' : 'use vars_files on the play'));
  return undefined;
}
