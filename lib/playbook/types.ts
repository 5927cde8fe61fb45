import type { RoleContext } from './define-role.js';
import type { Problem } from '../source/index.js';
import type { Pos } from '../source/index.js';

export type Vars = Record<string, unknown>;

export interface LoopControl {
  loop_var?: string;
  index_var?: string;
  label?: string;
  pause?: number | string;
  extended?: boolean | string;
  extended_allitems?: boolean | string;
}

/** Task keywords, normalized (lists are lists, conditions are lists of expressions). */
export interface Keywords {
  when: unknown[];
  loop?: unknown;
  loopControl?: LoopControl;
  register?: string;
  notify: string[];
  listen: string[];
  tags: string[];
  become?: unknown;
  becomeUser?: string;
  /** become_method: sudo (the default) or su; may be a template. */
  becomeMethod?: string;
  /** become_flags: the become command's own flags (sudo's default -H -S -n); may be a template. */
  becomeFlags?: string;
  /** remote_user: the user the task's host is reached as, unless the host says (ansible_user). */
  remoteUser?: string;
  /** The connection plugin's name (local, ssh, …) for hosts without ansible_connection, as ansible-core's keyword (the variable wins); may be a template. */
  connection?: string;
  retries?: unknown;
  until?: unknown[];
  delay?: unknown;
  changedWhen?: unknown[];
  failedWhen?: unknown[];
  checkMode?: unknown;
  diff?: unknown;
  noLog?: unknown;
  ignoreErrors?: unknown;
  ignoreUnreachable?: unknown;
  vars: Vars;
  delegateTo?: string;
  /** delegate_facts: the facts the task gathers or sets go to the delegate_to host, not the task's own. */
  delegateFacts?: unknown;
  runOnce?: unknown;
  environment?: unknown;
  anyErrorsFatal?: unknown;
  /** throttle: at most this many hosts run the task at once. */
  throttle?: unknown;
  /** The environments of the blocks around the task and its own, outermost first (set when the plan flattens). */
  environments?: unknown[];
  /** timeout: seconds the module may take before it is stopped and the step fails. */
  timeout?: unknown;
  /** async: seconds a background job may run; poll: seconds between looks (0: do not wait). */
  async?: unknown;
  poll?: unknown;
}

/** One option of a role's meta/argument_specs (Ansible's format, plus minimum/maximum/pattern). */
export interface RoleOption {
  type?: 'str' | 'int' | 'float' | 'bool' | 'list' | 'dict' | 'path' | 'raw';
  required?: boolean;
  choices?: unknown[];
  minimum?: number;
  maximum?: number;
  pattern?: string;
  description?: string | string[];
  pos?: Pos;
}

export interface RoleInfo {
  name: string;
  path: string;
  defaults: Vars;
  vars: Vars;
  /** Typed parameters (meta/argument_specs.yaml, of the entry point: main or tasks_from's), checked before the run. */
  options?: Record<string, RoleOption>;
  /**
   * An Ansible-layout role whose tasks start with its spec's validation (validate_argument_spec, as
   * ansible-core's): before the run only given values are checked, a required one not set is left to it.
   */
  specTask?: boolean;
  /** The handlers file (handlers_from) when not main: the role's handlers are these. */
  handlersFrom?: string;
  /** The keywords its `roles:` entry gives it (become, environment, …): its handlers take them too. */
  entry?: Partial<Keywords>;
  /** Its entry's `vars:` (a `roles:` entry's, import_role's or include_role's): role vars, under vars/main.yml's, as ansible-core's Role.vars. */
  entryVars?: Vars;
  /** Its entry's other keys: role parameters, over set_fact and include_vars, as ansible-core's role params. */
  params?: Vars;
  /** Its meta dependencies as loaded: their defaults and vars are this role's too (ansible-core's get_all_dependencies). */
  deps?: RoleInfo[];
}

/** include_role/import_role's tasks_from, vars_from, defaults_from, handlers_from: a role's files other than main. */
/** include_role/import_role's tasks_from, vars_from, defaults_from, handlers_from (without `_from`). */
export const ROLE_FROM_KEYS = ['tasks', 'vars', 'defaults', 'handlers'] as const;
export type RoleFrom = Partial<Record<(typeof ROLE_FROM_KEYS)[number], string>>;

export interface TaskNode {
  kind: 'task';
  id: string;
  name: string;
  /** No `name:` was written (`name` is then the module's name, as ansible-core shows such a task). */
  unnamed?: boolean;
  /** Canonical module name, or a planner action: meta. */
  module: string;
  args: Vars;
  kw: Keywords;
  pos: Pos;
  role?: RoleInfo;
  /** Folder the task's file is in (for files/ and templates/ lookups). */
  dir: string;
  /** A TypeScript role's `tasks(t, ctx)`: expanded per host at plan time into these tasks (`slot`: its place in the plan, the same for every host there). */
  expand?: (ctx: RoleContext, slot: string) => { tasks: Node[]; problems: Problem[] };
  /** include_tasks resolved when reached (a templated file name, a loop): the file's tasks, loaded then. */
  /** Loads the file (or role) an include names when it is reached; `missing` when there is none (a task failure, not a playbook error). */
  include?: (file: string, from?: RoleFrom, hostRan?: Map<string, unknown>) => { path: string; tasks: Node[]; problems: Problem[]; role?: RoleInfo; missing?: boolean };
  /** include_tasks/include_role's `apply`: the keywords the tasks it brings take (the include's own keywords are its own). */
  apply?: Keywords;
  /** include_role's `public`: the role's defaults and vars stay visible to the play's later tasks on the host. */
  public?: unknown;
  /** A handler of a role an include_role brings: it exists for a host once that include ran there (roleKey). */
  includedWith?: string;
  /** A handler's blocks among the handlers (an import_tasks, a top-level block), outermost first: their keywords are its. */
  handlerBlocks?: BlockNode[];
  /** The play's own fact gathering (ansible-core's gather_facts action: it marks the facts gathered); `smart` (ansible.cfg gathering): a host whose fact cache is so marked does not run it. */
  gather?: 'implicit' | 'smart';
  /** A module Ansible has (this FQCN of a collection) and agri-play has not: the task loads, and fails where it runs. */
  absent?: string;
}

/** A task's arguments given as one template (`add_host: "{{ host_args }}"`): rendered when it runs, to a mapping under its other arguments (ansible-core's `_variable_params`). */
export const VARIABLE_PARAMS = '_variable_params';
/**
 * A task's module_defaults where one of them is a template (`ping: "{{ ping_defaults }}"`): the
 * defaults that apply, in the order they update one another (mappings, and templates that render to
 * mappings when the task runs), under the task's own arguments.
 */
export const DEFAULT_PARAMS = '_agri_module_defaults';

/** A role's identity as its handlers join a play: its folder and handlers file. */
export const roleKey = (role: RoleInfo): string => `${role.path}\0${role.handlersFrom ?? ''}`;

export interface BlockNode {
  kind: 'block';
  id: string;
  name: string;
  block: Node[];
  rescue: Node[];
  always: Node[];
  kw: Keywords;
  pos: Pos;
  role?: RoleInfo;
  /** An include reached at run time: its `vars:` and loop variables, over set_fact and include_vars (ansible-core's include params). */
  includeVars?: Vars;
}

export type Node = TaskNode | BlockNode;

export interface Play {
  index: number;
  name: string;
  hosts: string;
  pos: Pos;
  vars: Vars;
  /** vars_files: a file, or a list whose first file found is read. */
  varsFiles: { path: string | string[]; pos: Pos }[];
  /** vars_prompt: asked for before the run (lib/cli/prompt.ts), their answers set in `vars`. */
  varsPrompt?: VarPrompt[];
  /** pre_tasks, roles, tasks, post_tasks, with handler flushes between them (as Ansible does). */
  tasks: Node[];
  handlers: TaskNode[];
  after: { name: string; pos: Pos }[];
  /** True when `after:` was written; otherwise the play follows the one before it. */
  afterGiven: boolean;
  serial?: (number | string)[];
  /** A host variable whose value splits the hosts into lanes that run at their own pace (agri-play's). */
  lanes?: string;
  tags: string[];
  become?: unknown;
  becomeUser?: string;
  becomeMethod?: string;
  becomeFlags?: string;
  connection?: string;
  anyErrorsFatal: boolean;
  /** force_handlers: handlers run on hosts that failed too (undefined: the run's setting). */
  forceHandlers?: boolean;
  maxFailPercentage?: number;
  ignoreErrors?: unknown;
  checkMode?: unknown;
  environment?: unknown;
  /** Play keywords its tasks and handlers take when they and their blocks do not set them (no_log, diff, ignore_unreachable, remote_user). */
  kw: Partial<Keywords>;
  /** order: the order the play takes its hosts in (sorted, reverse_sorted, reverse_inventory, shuffle). */
  order?: string;
  /** strategy: linear (the default: every host does a task before any does the next), free or host_pinned (each at its own pace); may be a template. */
  strategy?: string;
  /** The roles whose defaults and vars every task of the play sees (ansible-core's play.get_roles(): listed, then imported). */
  roles: RoleInfo[];
  varsFrom?: unknown;
}

/** One vars_prompt entry as written (ansible-core's keys). */
export interface VarPrompt {
  name: string;
  prompt?: string;
  default?: unknown;
  private?: boolean | string;
  confirm?: boolean | string;
  encrypt?: 'sha512_crypt' | 'sha256_crypt';
  salt?: string;
  salt_size?: number;
  unsafe?: boolean | string;
}

export interface Playbook {
  file: string;
  dir: string;
  plays: Play[];
  /** Found at load, not fatal (an unknown filter behind a `when`). */
  warnings?: Problem[];
}
