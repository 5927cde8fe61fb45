import { problem, type Pos } from '../source/index.js';
import { isTaskKeyword, readKeywords, toStrings } from './keywords.js';
import type { LoadedRole } from './roles.js';
import type { RoleLoad, TaskScope } from './tasks.js';
import type { BlockNode, Node, RoleFrom, RoleInfo, TaskNode, Vars } from './types.js';

/** How a role joins a play: listed in `roles:` (or a dependency of one), imported (import_role) or included when reached. */
export type RoleHow = 'listed' | 'imported' | 'included';

/** What a play's roles need from the play's loader. */
export interface RoleLoader {
  load(name: string, at: Pos | undefined, scope: TaskScope, from?: RoleFrom): LoadedRole | undefined;
  /** A role's handlers join the play. */
  handlers(role: RoleInfo, handlers: TaskNode[], how: RoleHow): void;
  /** A new block id near `at`. */
  id(at: Pos | undefined): string;
}

/** A `roles:` entry or meta dependency as ansible-core's RoleInclude reads it: the name, its `vars:`, its keywords and its parameters (every other key). */
interface RoleEntry {
  name: string;
  vars: Vars;
  params: Vars;
  keywords: ReturnType<typeof readKeywords>;
  /** ansible-core's role cache key: the same role with the same parameters, `vars`, `when` and `tags` is one role of the play. */
  identity: string;
}

function readEntry(entry: unknown): RoleEntry | undefined {
  const spec = typeof entry === 'string' ? { role: entry } : (entry as Record<string, unknown> | null);
  const name = spec?.role ?? spec?.name;
  if (typeof name !== 'string') return undefined;
  const { role: _r, name: _n, tags, when, vars, ...rest } = spec as Record<string, unknown>;
  // keywords (become, environment, ignore_errors, …) apply to the role's tasks; other keys are its parameters
  const params = Object.fromEntries(Object.entries(rest).filter(([k]) => !isTaskKeyword(k)));
  const kw = readKeywords(Object.fromEntries(Object.entries(rest).filter(([k]) => isTaskKeyword(k))));
  const keywords = { ...kw, when: when === undefined ? [] : Array.isArray(when) ? when : [when], tags: toStrings(tags), vars: {} };
  const v = vars !== null && typeof vars === 'object' && !Array.isArray(vars) ? (vars as Vars) : {};
  return { name, vars: v, params, keywords, identity: `${name}\0${JSON.stringify([params, v, when ?? null, tags ?? null])}` };
}

/**
 * A play's roles as ansible-core compiles them: a role's meta dependencies run before it, inside its
 * block (so its entry's `when`, tags and keywords are theirs too), each once per play for the same
 * parameters unless its meta allows duplicates; import_role and include_role run the role each time
 * (their deps once). The roles the play exposes — listed and imported ones, with their dependencies —
 * give every task of the play their defaults and vars (ansible-core's play.get_roles()).
 */
export class PlayRoles {
  private listed: RoleInfo[] = [];
  private imported: RoleInfo[] = [];
  /** The roles compiled at load, by identity (ansible-core's ROLE_CACHE with has_run, taken as run on every host). */
  private ran = new Map<string, { role: RoleInfo; allowDuplicates: boolean }>();

  constructor(private readonly loader: RoleLoader) {}

  /** The roles whose defaults and vars every task of the play sees: listed ones, then imported ones. */
  get exposed(): RoleInfo[] {
    return [...this.listed, ...this.imported];
  }

  /** A `roles:` entry: its block (dependencies first), or none when it ran already. */
  listEntry(entry: unknown, at: Pos | undefined, scope: TaskScope): BlockNode | undefined {
    const e = readEntry(entry);
    if (!e) return void scope.problems.push(problem(at, 'a role entry needs role: NAME')), undefined;
    const r = this.entry(e, at, scope, 'listed', undefined, []);
    if (r) this.listed.push(r.role);
    return r?.block;
  }

  /**
   * import_role/include_role: the role's dependencies' blocks then its tasks. An included role's
   * dependencies run once per host (`hostRan`); `probe` loads the role only to find it and its handlers.
   */
  include(name: string, at: Pos | undefined, scope: TaskScope, o: RoleLoad): { role: RoleInfo; tasks: Node[] } | undefined {
    const loaded = this.loader.load(name, at, o.validate === false ? { ...scope, noRoleSpec: true } : scope, o.from);
    if (!loaded) return undefined;
    this.loader.handlers(loaded.role, loaded.handlers, o.how);
    loaded.role.entryVars = o.vars ?? {};
    // (a probe's dependencies are loaded for their handlers and problems, not counted as run)
    const deps = this.deps(loaded, at, scope, o.how, o.probe ? new Map() : o.hostRan, [name]);
    if (o.probe) return { role: loaded.role, tasks: loaded.tasks };
    // (an import in a file an include brings when reached is not the play's: ansible-core adds it then, for every host)
    if (o.how === 'imported' && !o.hostRan) this.imported.push(loaded.role);
    return { role: loaded.role, tasks: [...deps, ...loaded.tasks] };
  }

  private entry(e: RoleEntry, at: Pos | undefined, scope: TaskScope, how: RoleHow, hostRan: Map<string, unknown> | undefined, parents: string[]): { role: RoleInfo; block?: BlockNode } | undefined {
    if (parents.includes(e.name)) return void scope.problems.push(problem(at, `role '${e.name}' depends on itself (${[...parents, e.name].join(' → ')})`, 'a role cannot be its own dependency')), undefined;
    const before = this.ran.get(e.identity) ?? (hostRan?.get(e.identity) as { role: RoleInfo; allowDuplicates: boolean } | undefined);
    if (before && !before.allowDuplicates) return { role: before.role };
    const loaded = this.loader.load(e.name, at, scope);
    if (!loaded) return undefined;
    const role = loaded.role;
    role.entryVars = e.vars;
    role.params = e.params;
    role.entry = e.keywords;
    // the entry's parameters are what the role's argument spec step checks over the variables (one it does not name fails it)
    const first = loaded.tasks[0];
    if (role.specTask && first?.kind === 'task' && first.module === 'validate_argument_spec' && Object.keys(e.params).length) first.args = { ...first.args, provided_arguments: e.params };
    (hostRan ?? this.ran).set(e.identity, { role, allowDuplicates: loaded.allowDuplicates === true });
    this.loader.handlers(role, loaded.handlers, how);
    const deps = this.deps(loaded, at, scope, how, hostRan, [...parents, e.name]);
    return { role, block: { kind: 'block', id: this.loader.id(at), name: `role ${e.name}`, block: [...deps, ...loaded.tasks], rescue: [], always: [], kw: e.keywords, pos: at ?? { file: scope.file, line: 1, col: 1 }, role } };
  }

  /** A role's meta dependencies, loaded (role.deps) and compiled: the blocks of those that run. */
  private deps(loaded: LoadedRole, at: Pos | undefined, scope: TaskScope, how: RoleHow, hostRan: Map<string, unknown> | undefined, parents: string[]): BlockNode[] {
    const blocks: BlockNode[] = [];
    loaded.role.deps = [];
    for (const d of loaded.deps) {
      const e = readEntry(d);
      if (!e) {
        scope.problems.push(problem(at, `role '${loaded.role.name}': a dependency needs role: NAME`, 'dependencies: [{role: common}]'));
        continue;
      }
      const r = this.entry(e, at, scope, how, hostRan, parents);
      if (!r) continue;
      loaded.role.deps.push(r.role);
      if (r.block) blocks.push(r.block);
    }
    return blocks;
  }
}
