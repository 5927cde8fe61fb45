import type { Static, TObject } from '../source/vendor/typebox.js';
import type { TaskSpec, Tasks } from './ts-role.js';

export type { TaskSpec };

/** What a TypeScript role's `tasks(t, ctx)` knows about the host it plans for. */
export interface RoleContext<P = Record<string, unknown>> {
  /** The host these steps are for. */
  host: string;
  /** The role's parameters for this host, checked against `params` and with `defaults` filled in. */
  params: P;
  /** The host's variables at plan time (inventory, play, role defaults, extra vars). */
  vars: Record<string, unknown>;
  /** Every host's inventory variables. */
  hostvars: Record<string, Record<string, unknown>>;
  /** Group name → its hosts. */
  groups: Record<string, string[]>;
}

/**
 * A role written in TypeScript (or JavaScript): typed parameters as a TypeBox object schema
 * (checked for every host before anything runs, like meta/argument_specs) and defaults; `tasks`
 * is either code — `tasks(t, ctx)`, run per host at plan time, adding typed module calls through
 * `t` — or task data, the same keywords and modules as YAML tasks.
 */
export interface RoleDefinition<P extends TObject = TObject> {
  name: string;
  description?: string;
  params?: P;
  defaults?: Partial<Static<P>>;
  tasks: TaskSpec[] | ((t: Tasks, ctx: RoleContext<Static<P>>) => void);
  handlers?: TaskSpec[];
  /** Roles that run before this one (names or pkg/role refs). */
  dependencies?: string[];
}

/** Declares a role; the identity function, there for the types. */
export function defineRole<P extends TObject>(role: RoleDefinition<P>): RoleDefinition<P> {
  return role;
}
