import { checkTemplates, loadWarnings, usePluginDirs } from './templates.js';
import { warnReserved } from './reserved.js';
import { dirname, resolve } from 'node:path';
import { InputError } from '../errors.js';
import { combineVars, posOf, problem, readYaml, schema, validate, yes, type Pos, type Problem } from '../source/index.js';
import { becomeMethodProblem, collectionsOf, toList, toStrings } from './keywords.js';
import { atLoad } from './at-load.js';
import { isDict } from '../source/python.js';
import { PlayRoles, type RoleHow } from './play-roles.js';
import { loadRoleDir, roleDirs } from './roles.js';
import { moduleDefaultsOf, PlayModuleDefaults } from './module-defaults.js';
import { ActionGroups } from './action-groups.js';
import { useCollectionsOf } from '../modules/index.js';
import { checkNotify, handlerTasks, parseTaskList, type TaskScope } from './tasks.js';
import { roleKey, type Node, type Play, type Playbook, type RoleInfo, type TaskNode, type VarPrompt, type Vars } from './types.js';

const flush = (scope: TaskScope, pos: Pos): Node => ({
  kind: 'task',
  id: `${pos.file}:${pos.line}#flush${scope.counter.n++}`,
  name: 'meta: flush_handlers',
  module: 'meta',
  args: { action: 'flush_handlers', implicit: true },
  kw: { when: [], notify: [], listen: [], tags: ['always'], vars: {} },
  pos,
  dir: scope.dir,
});


/**
 * Whether a play gathers facts: `gather_facts: true`, or — lazily — unset and some task of the
 * play or its roles uses a fact (Ansible gathers whenever it is unset).
 */
/** How a playbook is read: ansible.cfg's gathering and roles_path. */
export interface LoadOptions {
  /** implicit (Ansible's default): facts are gathered unless gather_facts: false; explicit: only with gather_facts: true. */
  gathering?: 'implicit' | 'explicit' | 'smart';
  /** Folders searched for roles first (roles_path, ANSIBLE_ROLES_PATH). */
  rolesPath?: string[];
  /** -e: an import's templated name is rendered with them at load. */
  extraVars?: Vars;
  /** ansible.cfg gather_subset, gather_timeout, fact_path (ANSIBLE_GATHER_SUBSET, …): the implicit fact gathering's, where the play gives none. */
  gatherDefaults?: { gather_subset?: string[]; gather_timeout?: number; fact_path?: string };
  /** ansible.cfg any_errors_fatal (ANSIBLE_ANY_ERRORS_FATAL): the plays' any_errors_fatal where they do not set it. */
  anyErrorsFatal?: boolean;
  /** The playbook itself, already made (an ad hoc command's one play): `file` is then only its name, in its folder. */
  doc?: unknown[];
}
let options: LoadOptions = {};

function gathers(p: Record<string, unknown>): boolean {
  if (p.gather_facts !== undefined) return yes(p.gather_facts);
  return options.gathering !== 'explicit';
}

const rolesIn = (dir: string): string[] => [...new Set([...(options.rolesPath ?? []), ...roleDirs(dir)])];

/** Loads a playbook file (and the playbooks it imports); throws InputError with every problem. */
export function loadPlaybook(file: string, opts: LoadOptions = {}): Playbook {
  options = opts;
  const problems: Problem[] = [];
  const plays: Play[] = [];
  const counter = { n: 0 };
  loadWarnings.length = 0;
  // the playbook's own filter_plugins/ and test_plugins/, as ansible-core adds its folder's
  usePluginDirs(dirname(resolve(file)));
  useCollectionsOf(dirname(resolve(file)));
  loadInto(resolve(file), plays, problems, counter, []);
  if (problems.length) throw new InputError(problems);
  return { file: resolve(file), dir: dirname(resolve(file)), plays, warnings: [...loadWarnings] };
}

function loadInto(file: string, plays: Play[], problems: Problem[], counter: { n: number }, chain: string[], importVars: Vars = {}): void {
  const parsed = options.doc && chain.length === 0 ? { value: options.doc, problems: [] as Problem[] } : readYaml(file);
  if (parsed.problems.length) return void problems.push(...parsed.problems);
  const doc = parsed.value;
  // (a playbook made in memory has no place in a file: line 0, which errors leave out, as ansible-core's for a task with no YAML position)
  const at = options.doc && chain.length === 0 ? { file, line: 0, col: 0 } : { file, line: 1, col: 1 };
  if (doc === null || doc === undefined) return void problems.push(problem(at, 'empty playbook', 'a playbook is a list of plays, each with hosts: and tasks: or roles:'));
  if (!Array.isArray(doc)) return void problems.push(problem(posOf(doc) ?? at, 'a playbook must be a list of plays', 'start each play with "- hosts: ..."'));
  doc.forEach((p, i) => {
    const pos = posOf(doc, i, 'value') ?? at;
    if (!p || typeof p !== 'object' || Array.isArray(p)) return void problems.push(problem(pos, 'each play must be a mapping with hosts:'));
    const play = p as Record<string, unknown>;
    if (play.import_playbook !== undefined) {
      // (its name templated at load with its own vars and -e, as ansible-core's PlaybookInclude)
      const own = isDict(play.vars) ? play.vars : {};
      const named = atLoad(String(play.import_playbook), { play: own, extra: options.extraVars ?? {} });
      if (named === undefined) return void problems.push(problem(posOf(play, 'import_playbook'), `import_playbook is resolved at load: '${play.import_playbook}' cannot be rendered with its vars and -e`));
      const target = resolve(dirname(file), named);
      if (chain.includes(target)) return void problems.push(problem(posOf(play, 'import_playbook'), `import_playbook of ${play.import_playbook} imports itself`));
      const first = plays.length;
      // the imported playbook's own library/ and plugin folders, as ansible-core adds each playbook's
      if (dirname(target) !== dirname(file)) usePluginDirs(dirname(target));
      loadInto(target, plays, problems, counter, [...chain, file], { ...importVars, ...own });
      // its `when:` is every imported play's tasks' (ansible-core prepends it to each of their blocks)
      const when = toList(play.when);
      if (when.length) for (const pl of plays.slice(first)) pl.tasks = pl.tasks.map((n) => (isImplicitFlush(n) ? n : { ...n, kw: { ...n.kw, when: [...when, ...n.kw.when] } }) as Node);
      // its `vars:` are every imported play's, over the play's own (ansible-core's PlaybookInclude)
      if (isDict(play.vars)) for (const pl of plays.slice(first)) pl.vars = { ...pl.vars, ...own };
      // its `tags:` are every imported play's, and so their tasks' (--tags selects them, --skip-tags leaves them out)
      const tags = toStrings(play.tags);
      if (tags.length) for (const pl of plays.slice(first)) pl.tags = [...new Set([...pl.tags, ...tags])];
      return;
    }
    const play0 = loadPlay(play, pos, file, plays.length, problems, counter, importVars);
    if (play0) plays.push(play0);
  });
}

function loadPlay(p: Record<string, unknown>, pos: Pos, file: string, index: number, problems: Problem[], counter: { n: number }, importVars: Vars): Play | undefined {
  // ansible-core still reads a play's `vars` written as a list of mappings (merged in order)
  if (Array.isArray(p.vars) && p.vars.every(isDict)) p.vars = combineVars(...(p.vars as Vars[]));
  const found = validate(schema('playbook'), p, 'play');
  if (found.length) return void problems.push(...found);
  if (p.hosts === undefined) return void problems.push(problem(pos, `play${p.name ? ` '${p.name}'` : ''} has no hosts:`, 'add hosts: all (or a group name)'));
  const dir = dirname(file);
  // the play's handlers in ansible-core's order (a name runs the last loaded): the listed roles',
  // the play's own, the imported roles', and an include_role's (added when the include is reached)
  const listed: TaskNode[] = [];
  const imported: TaskNode[] = [];
  const included: TaskNode[] = [];
  // a role's handlers join the play once (per handlers file: handlers_from names another), whether it is listed, imported or included by name
  const handlersOf = new Set<string>();
  const addHandlers = (role: RoleInfo, list: TaskNode[], how: RoleHow): void => {
    const key = roleKey(role);
    if (handlersOf.has(key)) return;
    handlersOf.add(key);
    if (how === 'included') included.push(...list.map((h) => ({ ...h, includedWith: key })));
    else (how === 'listed' ? listed : imported).push(...list);
  };
  const defaultsCtx = new PlayModuleDefaults(new ActionGroups(dir, (msg) => loadWarnings.push(problem(pos, msg))));
  const playDefaults = moduleDefaultsOf(p, pos, problems, defaultsCtx);
  const playRoles = new PlayRoles({
    load: (name, at, s, from) => loadRoleDir(name, at, rolesIn(dir), s, from, dir),
    handlers: (role, list, how) => addHandlers(role, list, how),
    id: (at) => `${file}:${at?.line ?? 0}#role${counter.n++}`,
  });
  const scope: TaskScope = {
    file,
    dir,
    ...(pos.line === 0 ? { unplaced: true } : {}),
    problems,
    ...(playDefaults ? { moduleDefaults: [playDefaults] } : {}),
    playModuleDefaults: defaultsCtx,
    collections: collectionsOf(p, {}),
    including: [file],
    counter,
    loadRole: (name, at, s, o) => playRoles.include(name, at, s, o),
    loadVars: { play: { ...(isDict(p.vars) ? p.vars : {}), ...importVars }, extra: options.extraVars ?? {} },
  };
  const roleTasks: Node[] = [];
  ((p.roles as unknown[]) ?? []).forEach((r, i) => {
    const block = playRoles.listEntry(r, posOf(p.roles, i, 'value'), scope);
    if (block) roleTasks.push(block);
  });
  const pre = parseTaskList(p.pre_tasks, scope, 'pre_tasks');
  const main = parseTaskList(p.tasks, scope, 'tasks');
  const post = parseTaskList(p.post_tasks, scope, 'post_tasks');
  const own = handlerTasks(parseTaskList(p.handlers, { ...scope, handlers: true }, 'handlers'));
  const handlers = [...listed, ...own, ...imported, ...included];
  defaultsCtx.check(problems);
  checkNotify([...roleTasks, ...pre, ...main, ...post, ...handlers], handlers, problems);
  const tasks: Node[] = [];
  if (gathers(p)) {
    // the gather_facts action (ansible-core's PlayIterator's), with the play's gather_subset, gather_timeout and
    // fact_path (its play keywords); never run_once, the play's or not (the facts would be one host's for all)
    const args = Object.fromEntries(['gather_subset', 'gather_timeout', 'fact_path'].filter((k) => p[k] !== undefined && p[k] !== null).map((k) => [k, p[k]]));
    // (ansible.cfg's gather_subset, gather_timeout and fact_path: the play keywords' defaults)
    for (const [k, v] of Object.entries(options.gatherDefaults ?? {})) if (args[k] === undefined && p[k] === undefined) args[k] = v;
    const gather = parseTaskList([{ name: 'Gathering Facts', gather_facts: args, tags: ['always'], run_once: false }], scope, 'facts');
    for (const t of gather) if (t.kind === 'task') t.gather = options.gathering === 'smart' ? 'smart' : 'implicit';
    tasks.push(...gather);
  }
  if (pre.length) tasks.push(...pre, flush(scope, pos));
  tasks.push(...roleTasks, ...main);
  // ansible-core flushes after the tasks and again after post_tasks, even none: a handler that
  // notified an earlier one in the first flush runs in the second
  if (post.length || handlers.length) tasks.push(flush(scope, pos), ...post);
  const after = toStrings(p.after).map((name) => ({ name, pos: posOf(p, 'after') ?? pos }));
  const serial = p.serial === undefined ? undefined : (Array.isArray(p.serial) ? p.serial : [p.serial]) as (number | string)[];
  checkTemplates(p.vars, pos, problems, true);
  warnReserved(p.vars, pos);
  for (const r of playRoles.exposed) for (const v of [r.defaults, r.vars]) warnReserved(v, { file: r.path, line: 1, col: 1 });
  // play keywords agri-play cannot honour are refused, not ignored
  const method = becomeMethodProblem(p, pos);
  if (method) problems.push(method);
  // (an entry that is a list: the first of its files found, as ansible-core's `conditional includes`)
  const varsFiles = (typeof p.vars_files === 'string' ? [p.vars_files] : ((p.vars_files as unknown[]) ?? [])).map((f, i) => ({ path: Array.isArray(f) ? f.map(String) : String(f), pos: posOf(p.vars_files, i, 'value') ?? posOf(p, 'vars_files') ?? pos }));
  const mfp = p.max_fail_percentage;
  return {
    index,
    name: typeof p.name === 'string' ? p.name : `play ${index + 1}`,
    hosts: Array.isArray(p.hosts) ? p.hosts.join(',') : String(p.hosts),
    pos,
    vars: (p.vars as Vars) ?? {},
    varsFiles,
    ...(Array.isArray(p.vars_prompt) && p.vars_prompt.length ? { varsPrompt: p.vars_prompt as VarPrompt[] } : {}),
    tasks,
    handlers,
    after,
    afterGiven: p.after !== undefined,
    serial,
    lanes: typeof p.lanes === 'string' ? p.lanes : undefined,
    tags: toStrings(p.tags),
    become: p.become,
    becomeUser: p.become_user as string | undefined,
    ...(p.become_method !== undefined ? { becomeMethod: String(p.become_method) } : {}),
    ...(p.become_flags !== undefined && p.become_flags !== null ? { becomeFlags: String(p.become_flags) } : {}),
    connection: p.connection as string | undefined,
    anyErrorsFatal: p.any_errors_fatal === undefined ? options.anyErrorsFatal === true : p.any_errors_fatal === true,
    ...(p.force_handlers !== undefined ? { forceHandlers: yes(p.force_handlers) } : {}),
    maxFailPercentage: mfp === undefined ? undefined : Number(mfp),
    ignoreErrors: p.ignore_errors,
    checkMode: p.check_mode,
    kw: { noLog: p.no_log, diff: p.diff, ignoreUnreachable: p.ignore_unreachable, runOnce: p.run_once, throttle: p.throttle, timeout: p.timeout, ...(p.remote_user !== undefined ? { remoteUser: String(p.remote_user) } : {}) },
    ...(typeof p.order === 'string' ? { order: p.order } : {}),
    ...(typeof p.strategy === 'string' ? { strategy: p.strategy } : {}),
    environment: p.environment,
    roles: playRoles.exposed,
    varsFrom: p.vars_from,
  };
}

/** The flushes the load puts between a play's sections (not the play's own tasks). */
const isImplicitFlush = (n: Node): boolean => n.kind === 'task' && n.module === 'meta' && n.args.action === 'flush_handlers' && n.args.implicit === true;
