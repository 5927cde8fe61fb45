import type { Static, TObject } from '@sinclair/typebox';

/** A task as a playbook writes it: `{ name, <module>: args, when, loop, register, … }`. */
export type TaskSpec = Record<string, unknown>;

/**
 * A role written in TypeScript (or JavaScript): typed parameters as a TypeBox object schema
 * (checked for every host before anything runs, like meta/argument_specs), defaults, and tasks
 * as data — the same keywords and modules as YAML tasks, templated at run time.
 */
export interface RoleDefinition<P extends TObject = TObject> {
  name: string;
  description?: string;
  params?: P;
  defaults?: Partial<Static<P>>;
  tasks: TaskSpec[];
  handlers?: TaskSpec[];
  /** Roles that run before this one (names or pkg/role refs). */
  dependencies?: string[];
}

/** Declares a role; the identity function, there for the types. */
export function defineRole<P extends TObject>(role: RoleDefinition<P>): RoleDefinition<P> {
  return role;
}
