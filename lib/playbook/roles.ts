import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, resolve } from 'node:path';
import { checkTemplates, usePluginDirs } from './templates.js';
import { collectionsOf, readKeywords } from './keywords.js';
import { buildTasks } from './ts-role.js';
import { loadTsModule } from './ts-load.js';
import { closest, combineVars, dirVarsFiles, isRecord, packageRoot, posOf, problem, readYaml, validate, yes, type JsonSchema, type Pos, type Problem } from '../source/index.js';
import type { RoleDefinition } from './define-role.js';
import { collectionRole } from './collections.js';
import { PackageProblem, projectDir, rolesOfPackage, splitRef, type PackageRole } from './packages.js';
import { handlerTasks, parseTaskList, type TaskScope } from './tasks.js';
import type { Node, RoleFrom, RoleInfo, RoleOption, TaskNode, Vars } from './types.js';

/** Folders roles are looked up in: beside the playbook, above it, the project's roles/, agri-play's own, then the playbook's folder itself (as ansible-core's basedir). */
export function roleDirs(playbookDir: string): string[] {
  const project = projectDir(playbookDir);
  return [...new Set([join(playbookDir, 'roles'), join(playbookDir, '..', 'roles'), ...(project ? [join(project, 'roles')] : []), join(packageRoot, 'roles'), playbookDir])];
}

function mainFile(dir: string): string | undefined {
  for (const f of ['main.yaml', 'main.yml']) if (existsSync(join(dir, f))) return join(dir, f);
  return undefined;
}

/**
 * A role's file in `dir`: main, or a *_from name as ansible-core finds it (the name as given, then
 * with .yml, .yaml, .json). A *_from name not found is a problem ("Could not find specified file").
 */
function roleFile(dir: string, from: string | undefined, pos: Pos | undefined, scope: TaskScope): string | undefined {
  if (from === undefined) return mainFile(dir);
  const f = ['', '.yml', '.yaml', '.json'].map((e) => join(dir, from + e)).find((p) => existsSync(p) && statSync(p).isFile());
  if (!f) scope.problems.push(problem(pos, `Could not find specified file in role: ${basename(dir)}/${from}`));
  return f;
}

/**
 * A role's defaults or vars as ansible-core's _load_role_yaml finds them (allow_dir): main.yml,
 * .yaml, .json or `main` — a folder's files merged in order (defaults/main/00.yml, 01.yml) — or a
 * *_from name (as given first). A *_from name not found is a problem.
 */
function roleVars(dir: string, from: string | undefined, pos: Pos | undefined, scope: TaskScope, inner: TaskScope): Vars {
  const name = from ?? 'main';
  const exts = from === undefined ? ['.yml', '.yaml', '.json', ''] : ['', '.yml', '.yaml', '.json'];
  const hit = existsSync(dir) ? exts.map((e) => join(dir, name + e)).find((p) => existsSync(p)) : undefined;
  if (!hit) {
    if (from !== undefined) scope.problems.push(problem(pos, `Could not find specified file in role: ${basename(dir)}/${from}`));
    return {};
  }
  return combineVars(...(statSync(hit).isDirectory() ? dirVarsFiles(hit) : [hit]).map((f) => readVarsFile(f, inner)));
}

function readVarsFile(f: string, scope: TaskScope): Vars {
  const parsed = readYaml(f);
  if (parsed.problems.length) scope.problems.push(...parsed.problems);
  checkTemplates(parsed.value, { file: f, line: 1, col: 1 }, scope.problems, true);
  return parsed.value && typeof parsed.value === 'object' && !Array.isArray(parsed.value) ? (parsed.value as Vars) : {};
}

/** A role's argument specs by entry point: meta/argument_specs.yml's, else meta/main.yml's `argument_specs` (as ansible-core's _get_role_argspecs). */
interface Specs {
  file: string;
  entries: Record<string, Record<string, unknown>>;
}

function readSpecs(dir: string, meta: ReturnType<typeof readYaml> | undefined, metaFile: string | undefined): { specs?: Specs; problems: Problem[] } {
  const own = SPEC_FILES.map((n) => join(dir, n)).find((p) => existsSync(p));
  const f = own ?? metaFile;
  const parsed = own ? readYaml(own) : meta;
  if (!f || !parsed) return { problems: [] };
  if (parsed.problems.length) return { problems: parsed.problems };
  const bad = (at: Pos, message: string, hint: string) => ({ problems: [problem(at, message, hint)] });
  const specs = (parsed.value as { argument_specs?: unknown } | null)?.argument_specs;
  if (!isRecord(specs)) return { problems: [] };
  for (const [entry, spec] of Object.entries(specs)) {
    const options = isRecord(spec) ? spec.options : undefined;
    if (options === undefined || options === null) continue;
    if (!isRecord(options)) return bad(posOf(spec, 'options') ?? { file: f, line: 1, col: 1 }, `argument_specs ${entry}.options must be a mapping of option names`, 'options: {NAME: {type: int}}');
    for (const [k, o] of Object.entries(options)) {
      if (!isRecord(o)) return bad(posOf(options, k, 'value') ?? posOf(options, k) ?? { file: f, line: 1, col: 1 }, `argument_specs option '${k}' must be a mapping`, `${k}: {type: str, required: true}`);
    }
  }
  return { specs: { file: f, entries: specs as Specs['entries'] }, problems: [] };
}

/** An entry point's options (with their places), for the checks before the run. */
function optionsAt(specs: Specs | undefined, entry: string): Record<string, RoleOption> | undefined {
  const options = specs?.entries[entry]?.options as Record<string, RoleOption> | undefined;
  if (!isRecord(options)) return undefined;
  // (copies: the spec itself goes to the validation task as it was written)
  return Object.fromEntries(Object.entries(options).map(([k, o]) => [k, { ...o, pos: posOf(options, k) }]));
}

/**
 * The task ansible-core's role starts with when its entry point has an argument spec
 * (_create_validation_task): validate_argument_spec of the entry's options, tagged always.
 */
function validationTask(specs: Specs, entry: string, name: string, path: string, scope: TaskScope): Node[] {
  const spec = specs.entries[entry];
  const title = `Validating arguments against arg spec '${entry}'${spec.short_description !== undefined ? ` - ${String(spec.short_description)}` : ''}`;
  const task = { name: title, tags: ['always'], validate_argument_spec: { argument_spec: spec.options ?? {}, validate_args_context: { type: 'role', name, argument_spec_name: entry, path } } };
  return parseTaskList([task], { ...scope, file: specs.file, dir: dirname(specs.file) }, 'argument_specs');
}

export interface LoadedRole {
  role: RoleInfo;
  tasks: Node[];
  handlers: TaskNode[];
  /** meta/main.yml dependencies as written (a name, or an entry with parameters), in run order. */
  deps: unknown[];
  /** meta/main.yml allow_duplicates: listed twice with the same parameters, the role runs twice. */
  allowDuplicates?: boolean;
}

const ROLE_PARTS = ['tasks', 'handlers', 'defaults', 'vars', 'meta'];
const SPEC_FILES = ['argument_specs.yml', 'argument_specs.yaml'];

/**
 * Loads a role by name: `roles/NAME` beside the playbook (then agri-play's own roles/), else a
 * role an installed package declares (`pkg/role`, `@scope/pkg/role`).
 */
export function loadRoleDir(name: string, pos: Pos | undefined, dirs: string[], scope: TaskScope, from: RoleFrom = {}, playbookDir?: string): LoadedRole | undefined {
  const fromTs = (): undefined => void scope.problems.push(problem(pos, `role '${name}' is a TypeScript role: ${Object.keys(from).map((k) => `${k}_from`).join(', ')} name files of an Ansible-layout role`));
  // (a name with a path, `../setup_remote_tmp_dir` too, is looked for under each folder in turn, as ansible-core's _load_role_path)
  // (a collection's role by its FQCN: ns.coll.role; a short name in the collections keyword's collections first, as ansible-core's _load_role_path)
  const listed = name.includes('.') || playbookDir === undefined ? [] : (scope.collections ?? []).filter((c) => c !== 'ansible.builtin' && c !== 'ansible.legacy');
  const path = listed.map((c) => collectionRole(`${c}.${name}`, playbookDir!)).find((p) => p !== undefined) ?? dirs.map((d) => resolve(d, name)).find((p) => existsSync(p)) ?? (playbookDir === undefined ? undefined : collectionRole(name, playbookDir));
  if (path) {
    // roles/NAME/role.ts: a TypeScript role, found as roles/NAME/tasks/main.yml is
    const ts = ['role.ts', 'role.mts'].map((f) => join(path, f)).find((f) => existsSync(f));
    if (ts) return Object.keys(from).length ? fromTs() : loadModuleRole({ ref: name, path: ts, pkg: 'roles/', version: '-', kind: 'module', role: name } as PackageRole, pos, scope);
    if (!ROLE_PARTS.some((part) => mainFile(join(path, part))) && !SPEC_FILES.some((f) => existsSync(join(path, 'meta', f))) && !Object.keys(from).length) return void scope.problems.push(problem(pos, `${path} is not a role: it has no role.ts, no tasks/, handlers/, defaults/, vars/ or meta/ main file and no meta/argument_specs`)), undefined;
    return loadAnsibleRole(name, path, scope, from, pos);
  }
  // (a relative or absolute path names no package)
  const ref = name.startsWith('.') || name.startsWith('/') ? undefined : splitRef(name);
  if (ref) {
    const project = projectDir(dirname(dirs[0])) ?? process.cwd();
    try {
      const roles = rolesOfPackage(project, ref[0]);
      const found = roles.find((r) => r.role === ref[1]);
      const ts = found?.kind === 'dir' ? ['role.ts', 'role.mts'].map((f) => join(found.path, f)).find((f) => existsSync(f)) : undefined;
      if (found && (found.kind === 'module' || ts) && Object.keys(from).length) return fromTs();
      if (found) return found.kind === 'module' ? loadModuleRole(found, pos, scope) : ts ? loadModuleRole({ ...found, path: ts, kind: 'module' }, pos, scope) : loadAnsibleRole(name, found.path, scope, from, pos);
      scope.problems.push(problem(pos, `package ${ref[0]} has no role '${ref[1]}'`, `its roles: ${roles.map((r) => r.role).join(', ')}`));
    } catch (e) {
      if (!(e instanceof PackageProblem)) throw e;
      scope.problems.push(problem(pos, `role '${name}': ${e.message}`));
    }
    return undefined;
  }
  const known = dirs.flatMap((d) => (existsSync(d) ? readdirSync(d) : []));
  const hint = closest(name, known);
  // (ansible-core's words, its search path as it prints it)
  scope.problems.push(problem(pos, `the role '${name}' was not found in ${dirs.join(':')}`, hint ? `did you mean '${hint}'?` : 'packages name roles as pkg/role'));
  return undefined;
}

const TYPES: Record<string, RoleOption['type']> = { string: 'str', integer: 'int', number: 'float', boolean: 'bool', array: 'list', object: 'dict' };

/** A TypeBox/JSON Schema object of parameters as role options (the checks meta/argument_specs gets). */
function optionsOf(schema: RoleDefinition['params']): Record<string, RoleOption> | undefined {
  if (!schema?.properties) return undefined;
  const required = new Set(schema.required ?? []);
  const entries = Object.entries(schema.properties as Record<string, Record<string, unknown>>).map(([k, p]): [string, RoleOption] => {
    const consts = Array.isArray(p.anyOf) && p.anyOf.every((x) => isRecord(x) && 'const' in x) ? p.anyOf.map((x) => (x as { const: unknown }).const) : undefined;
    const o: RoleOption = { type: TYPES[String(p.type)] ?? 'raw', required: required.has(k), choices: (p.enum as unknown[]) ?? consts };
    for (const f of ['minimum', 'maximum', 'pattern', 'description'] as const) if (p[f] !== undefined) Object.assign(o, { [f]: p[f] });
    return [k, o];
  });
  return Object.fromEntries(entries);
}

/** A role module (JavaScript exporting defineRole(...)), loaded synchronously (require of ESM, Node ≥ 20.19). */
function loadModuleRole(r: PackageRole, pos: Pos | undefined, scope: TaskScope): LoadedRole | undefined {
  let def: RoleDefinition;
  try {
    const mod = (/\.m?ts$/.test(r.path) ? loadTsModule(r.path) : createRequire(import.meta.url)(r.path)) as { default?: RoleDefinition } & RoleDefinition;
    def = mod.default ?? mod;
  } catch (e) {
    scope.problems.push(problem(pos, `role '${r.ref}' (${r.pkg}@${r.version}) does not load: ${(e as Error).message.split('\n')[0]}`, `fix ${r.path} in the package`));
    return undefined;
  }
  if (!isRecord(def) || !(Array.isArray(def.tasks) || typeof def.tasks === 'function')) {
    scope.problems.push(problem(pos, `role '${r.ref}': ${r.path} must export default defineRole({ name, tasks(t, ctx) { … } }) (or tasks: [...])`));
    return undefined;
  }
  const role: RoleInfo = { name: r.ref, path: dirname(r.path), defaults: { ...(def.defaults ?? {}) }, vars: {}, options: optionsOf(def.params) };
  const inner: TaskScope = { ...scope, role, file: r.path, dir: dirname(r.path) };
  const tasks = typeof def.tasks === 'function' ? [tsRoleTask(def.tasks, r.ref, role, inner, def.params)] : parseTaskList(def.tasks, inner, `${r.ref} tasks`);
  const handlers = handlerTasks(parseTaskList(def.handlers ?? [], inner, `${r.ref} handlers`));
  return { role, tasks, handlers, deps: def.dependencies ?? [] };
}

let tsEntries = 0;

/**
 * The one task a TypeScript role's `tasks(t, ctx)` stands for until the plan expands it for each
 * host: the specs it adds are parsed and checked as YAML tasks are, each at the line of its `t.…` call.
 */
function tsRoleTask(build: Extract<RoleDefinition['tasks'], (...a: never[]) => void>, ref: string, role: RoleInfo, scope: TaskScope, params: RoleDefinition['params']): TaskNode {
  // the same prefix for every host's steps of one place in the plan (their registers and functions
  // named alike: one template text for all hosts, compiled once), another for each other place
  const prefixes = new Map<string, string>();
  const prefixOf = (slot: string): string => {
    let p = prefixes.get(slot);
    if (!p) prefixes.set(slot, (p = `${ref.replace(/\W/g, '_')}_${tsEntries++}`));
    return p;
  };
  return {
    kind: 'task',
    id: `${scope.file}#ts`,
    name: ref,
    module: 'ts_role',
    args: {},
    kw: readKeywords({}),
    pos: { file: scope.file, line: 1, col: 1 },
    role,
    dir: scope.dir,
    expand: (ctx, slot) => {
      const problems: Problem[] = [];
      let built: ReturnType<typeof buildTasks>;
      // the typed parameters as their schema says ("2" → 2, "yes" → true), as the checks before the run read them
      if (params) validate(params as object as JsonSchema, ctx.params, `${ref} parameters`, ctx.params, [], true);
      try {
        built = buildTasks(build, ctx, prefixOf(slot));
      } catch (e) {
        return { tasks: [], problems: [problem({ file: scope.file, line: 1, col: 1 }, `role '${ref}' for ${ctx.host}: ${(e as Error).message}`)] };
      }
      const tasks = parseTaskList(built.map((b) => b.spec), { ...scope, problems }, `${ref} tasks`);
      tasks.forEach((t, i) => {
        const { at, site } = built[i] ?? {};
        if (at) t.pos = at;
        // (named by the place in the transpiled file: the .ts place is mapped only when read)
        if (t.kind === 'task') t.id = `${site ?? `${t.pos.file}:${t.pos.line}`}#${ctx.host}`;
      });
      for (const p of problems) if (p.line === 1 && built[0]?.at) Object.assign(p, built.find((b) => b.at)?.at);
      return { tasks, problems };
    },
  };
}

/** Loads an Ansible-layout role (tasks/, handlers/, defaults/, vars/, meta/). */
function loadAnsibleRole(name: string, path: string, scope: TaskScope, from: RoleFrom, pos: Pos | undefined): LoadedRole {
  const role: RoleInfo = { name, path, defaults: {}, vars: {}, ...(from.handlers !== undefined ? { handlersFrom: from.handlers } : {}) };
  const inner: TaskScope = { ...scope, role, file: path, dir: path, noRoleSpec: false };
  // its Python filter and test plugins, before its templates are checked (ansible-core adds them when it loads the role, for the whole run)
  usePluginDirs(path);
  role.defaults = roleVars(join(path, 'defaults'), from.defaults, pos, scope, inner);
  role.vars = roleVars(join(path, 'vars'), from.vars, pos, scope, inner);
  const load = (sub: 'tasks' | 'handlers'): Node[] => {
    const f = roleFile(join(path, sub), from[sub], pos, scope);
    if (!f) return [];
    const parsed = readYaml(f);
    if (parsed.problems.length) return void scope.problems.push(...parsed.problems), [];
    return parseTaskList(parsed.value, { ...inner, file: f, dir: join(path, sub), ...(sub === 'handlers' ? { handlers: true } : {}) }, `${name}/${sub}/${from[sub] ?? 'main'}`);
  };
  // meta/main.yml, read once: its dependencies, allow_duplicates and (without meta/argument_specs.yml) argument_specs
  const metaFile = mainFile(join(path, 'meta'));
  const meta = metaFile ? readYaml(metaFile) : undefined;
  const { specs, problems } = readSpecs(join(path, 'meta'), meta, metaFile);
  scope.problems.push(...problems);
  // (its tasks search its meta/main.yml's collections, not the play's: ansible-core's roles do not inherit them;
  // a collection's role its own collection first, and ansible.builtin, not ansible.legacy, after them)
  const own = /\/ansible_collections\/(\w+)\/(\w+)\/roles\/[^/]+\/?$/.exec(path);
  const listed = collectionsOf(isRecord(meta?.value) ? meta.value : {}, {}) ?? [];
  inner.collections = own ? [...new Set([`${own[1]}.${own[2]}`, ...listed, ...(listed.some((c) => c === 'ansible.builtin' || c === 'ansible.legacy') ? [] : ['ansible.builtin'])])] : listed.length ? listed : undefined;
  const entry = from.tasks ?? 'main';
  // (rolespec_validate: false: no check of the role's parameters, before the run either)
  role.options = scope.noRoleSpec ? undefined : optionsAt(specs, entry);
  const tasks = load('tasks');
  if (specs?.entries[entry] && !scope.noRoleSpec) {
    tasks.unshift(...validationTask(specs, entry, basename(path), path, inner));
    role.specTask = true;
  }
  const handlers = handlerTasks(load('handlers'));
  const list = (meta?.value as { dependencies?: unknown } | null | undefined)?.dependencies;
  const allowDuplicates = yes((meta?.value as { allow_duplicates?: unknown } | null | undefined)?.allow_duplicates ?? false);
  return { role, tasks, handlers, deps: Array.isArray(list) ? list : [], allowDuplicates };
}
