import type { Frame } from './types.js';
import type { RoleInfo } from '../playbook/index.js';
import { withFloats } from '../source/index.js';
type Vars = Record<string, unknown>;

/**
 * Roles' variables as ansible-core's Role computes them (playbook/role/__init__.py, 2.14): a role's
 * defaults and vars include its dependencies' (get_all_dependencies, deepest first), a task's role
 * adds those of the roles it was reached through (its dep chain), and its parameters sit apart,
 * above set_fact. Each function gives the layers in merge order, lowest first.
 */

/** get_all_dependencies(): each direct dependency after its own, recursively. */
export function allDeps(r: RoleInfo): RoleInfo[] {
  return (r.deps ?? []).flatMap((d) => [...allDeps(d), d]);
}

/** get_default_vars(): its dependencies' defaults, then its own. */
export function defaultsOf(r: RoleInfo): Vars[] {
  return [...allDeps(r).flatMap(defaultsOf), withFloats(r.defaults)];
}

/** get_vars(include_params=False): its dependencies' vars, its entry's `vars:`, then vars/main.yml. */
export function varsOf(r: RoleInfo): Vars[] {
  return [...allDeps(r).flatMap(varsOf), withFloats(r.entryVars ?? {}), withFloats(r.vars)];
}

/** The roles a task was reached through, outermost first; the last is the task's own (its dep chain, itself included, as compile() gives it). */
export function roleChain(chain: Frame[]): RoleInfo[] {
  return [...new Set(chain.map((f) => f.block.role).filter((r) => r !== undefined))];
}

/** A task role's defaults with its dep chain: its dependencies', those of the roles it came through, its own. */
export function taskDefaults(roles: RoleInfo[]): Vars[] {
  const role = roles.at(-1);
  return role ? [...allDeps(role).flatMap(defaultsOf), ...roles.map((r) => withFloats(r.defaults))] : [];
}

/** A task role's vars with its dep chain: those of the roles it came through (inherited), its dependencies', its own. */
export function taskRoleVars(roles: RoleInfo[]): Vars[] {
  const role = roles.at(-1);
  if (!role) return [];
  const own = (r: RoleInfo) => [withFloats(r.entryVars ?? {}), withFloats(r.vars)];
  return [...roles.flatMap(own), ...allDeps(role).flatMap(varsOf), ...own(role)];
}

/** get_role_params(dep_chain): the parameters of the roles it came through, then its own. */
export function roleParams(roles: RoleInfo[]): Vars[] {
  return roles.map((r) => withFloats(r.params ?? {}));
}
