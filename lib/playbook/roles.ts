import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { closest, packageRoot, posOf, problem, readYaml, type Pos } from '../source/index.js';
import { parseTaskList, type TaskScope } from './tasks.js';
import type { Node, RoleInfo, RoleOption, TaskNode, Vars } from './types.js';

/** Folders roles are looked up in: beside the playbook, then agri-play's own roles/. */
export function roleDirs(playbookDir: string): string[] {
  return [...new Set([join(playbookDir, 'roles'), join(playbookDir, '..', 'roles'), join(packageRoot, 'roles')])];
}

function mainFile(dir: string): string | undefined {
  for (const f of ['main.yaml', 'main.yml']) if (existsSync(join(dir, f))) return join(dir, f);
  return undefined;
}

function readVarsFile(dir: string, scope: TaskScope): Vars {
  const f = mainFile(dir);
  if (!f) return {};
  const parsed = readYaml(f);
  if (parsed.problems.length) scope.problems.push(...parsed.problems);
  return parsed.value && typeof parsed.value === 'object' && !Array.isArray(parsed.value) ? (parsed.value as Vars) : {};
}

/** meta/argument_specs.yml: `argument_specs: {main: {options: {NAME: {type, required, choices, ...}}}}`. */
function readSpecs(dir: string, scope: TaskScope): Record<string, RoleOption> | undefined {
  const f = ['argument_specs.yaml', 'argument_specs.yml'].map((n) => join(dir, n)).find((p) => existsSync(p));
  if (!f) return undefined;
  const parsed = readYaml(f);
  if (parsed.problems.length) return void scope.problems.push(...parsed.problems), undefined;
  const main = (parsed.value as { argument_specs?: { main?: { options?: Record<string, RoleOption> } } } | null)?.argument_specs?.main;
  if (!main?.options) return void scope.problems.push(problem({ file: f, line: 1, col: 1 }, 'argument_specs needs main.options', 'argument_specs: {main: {options: {NAME: {type: int, required: true}}}}')), undefined;
  for (const [k, o] of Object.entries(main.options)) o.pos = posOf(main.options, k);
  return main.options;
}

export interface LoadedRole {
  role: RoleInfo;
  tasks: Node[];
  handlers: TaskNode[];
  /** Roles from meta/main.yml dependencies, in run order. */
  deps: string[];
}

/** Loads an Ansible-layout role (tasks/, handlers/, defaults/, vars/, meta/). */
export function loadRoleDir(name: string, pos: Pos | undefined, dirs: string[], scope: TaskScope): LoadedRole | undefined {
  const path = dirs.map((d) => join(d, name)).find((p) => existsSync(p));
  if (!path) {
    const known = dirs.flatMap((d) => (existsSync(d) ? readdirSync(d) : []));
    const hint = closest(name, known);
    scope.problems.push(problem(pos, `unknown role '${name}'`, hint ? `did you mean '${hint}'?` : `looked in ${dirs.join(', ')}`));
    return undefined;
  }
  const role: RoleInfo = { name, path, defaults: {}, vars: {} };
  const inner: TaskScope = { ...scope, role, file: path, dir: path };
  role.defaults = readVarsFile(join(path, 'defaults'), inner);
  role.vars = readVarsFile(join(path, 'vars'), inner);
  const load = (sub: string): Node[] => {
    const f = mainFile(join(path, sub));
    if (!f) return [];
    const parsed = readYaml(f);
    if (parsed.problems.length) return void scope.problems.push(...parsed.problems), [];
    return parseTaskList(parsed.value, { ...inner, file: f, dir: join(path, sub) }, `${name}/${sub}/main`);
  };
  role.options = readSpecs(join(path, 'meta'), inner);
  const tasks = load('tasks');
  const handlers = load('handlers').filter((n): n is TaskNode => n.kind === 'task');
  const metaFile = mainFile(join(path, 'meta'));
  const deps: string[] = [];
  if (metaFile) {
    const meta = readYaml(metaFile);
    const list = (meta.value as { dependencies?: unknown[] } | null)?.dependencies ?? [];
    for (const d of list) {
      const dn = typeof d === 'string' ? d : ((d as Record<string, unknown>)?.role ?? (d as Record<string, unknown>)?.name);
      if (typeof dn === 'string') deps.push(dn);
    }
  }
  return { role, tasks, handlers, deps };
}
