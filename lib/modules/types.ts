import type { TSchema, Static } from '../source/vendor/typebox.js';
import type { ExecOptions, ExecResult, FileStat, KubeApi, TalosApi, WriteOptions } from '../connections/index.js';

/** One field that differs: where, what it is, what it should be. */
export interface FieldChange {
  path: string;
  from?: unknown;
  to?: unknown;
}

/** Ansible-shaped result fields a module adds (rc, stdout, stat, dest, ...). */
export type ResultData = Record<string, unknown>;

/**
 * What `check` found. `ok` says why nothing needs doing; the others say what `apply` will do.
 * `run` is for actions whose effect cannot be known beforehand (command, shell): check mode
 * skips them, as Ansible does.
 */
export type Diff<K = unknown> =
  | { kind: 'ok'; why: string; data?: ResultData }
  | {
      kind: 'create' | 'modify' | 'remove' | 'run';
      fields?: FieldChange[];
      /** Text before/after, for unified diffs of files under --diff. */
      before?: string;
      after?: string;
      target?: string;
      data?: ResultData;
      /** Needs a reboot/restart to take effect (reported, not done). */
      pending?: string;
      /** The content the check found to write (rendered once: apply writes this, not a second render). */
      content?: Buffer;
      /** What apply needs from the check and nothing shows (not in output, events, results or journals): the paths, the file as it was, the plan. */
      keep?: K;
    };

/** The template module's Jinja settings (the engine's own type has the same shape). */
export interface JinjaOptions {
  trimBlocks?: boolean;
  lstripBlocks?: boolean;
  tags?: Record<string, string | undefined>;
}

/**
 * What a module sees: the host's world through narrow verbs, never a connection. Its verbs are
 * methods: call them on the context (`ctx.exec(…)`, `ctx.files.read(p)`), do not detach them.
 */
export interface ModuleCtx {
  host: string;
  vars: Readonly<Record<string, unknown>>;
  exec(cmd: string[] | { shell: string }, opts?: ExecOptions): Promise<ExecResult>;
  /**
   * A read of the target shared by every step on it (e.g. a PVE node's VMs and their configs,
   * read once by one remote script): `read` runs once per key until a command runs or a file is
   * written on that target (which may change anything), then again. `read` gets an exec that
   * does not count as a change.
   */
  shared<T>(key: string, read: (exec: ModuleCtx['exec']) => Promise<T>): Promise<T>;
  files: {
    read(path: string): Promise<Buffer | null>;
    write(path: string, data: Buffer, opts?: WriteOptions): Promise<void>;
    stat(path: string): Promise<FileStat | null>;
    mkdir(path: string, mode?: string): Promise<void>;
    chmod(path: string, mode: string): Promise<void>;
  };
  /** A file on the controller (copy src, template src), looked up in the role/playbook files. */
  local: {
    find(path: string, kind: 'files' | 'templates' | 'vars'): string | undefined;
    /** ansible-core's words for a controller file `find` does not find: AnsibleFileNotFound's, with every place looked in. */
    missing(path: string, kind: 'files' | 'templates' | 'vars'): string;
    read(path: string): Promise<Buffer>;
    /** Where the task was written: its role's folder (if any) and the folder of its file. */
    where: { role?: string; dir: string };
  };
  /** async/poll of the task (command and shell run it as a background job on the host). */
  async?: { seconds: number; poll: number };
  /**
   * A background job this run started from the controller (an async task with poll: 0 of a module
   * that is not command or shell), with its results file on the host; undefined for any other id.
   * `forget`: async_status's cleanup.
   */
  controllerJob?(jid: string, forget?: boolean): ({ finished: false } | { finished: true; data: ResultData; failed: boolean }) & { file: string } | undefined;
  /** The step runs in check mode (an action that would change something says so instead). */
  checkMode?: boolean;
  /** The step runs under become (ansible-core's connection.become: fetch then reads as slurp does). */
  readonly becomes?: boolean;
  /** The step runs with --diff (or diff: true): a module that returns its own `diff` gives it then only (AnsibleModule's _diff). */
  diffMode?: boolean;
  /** ansible.cfg's ansible_managed, when it sets one (the template module's `ansible_managed`). */
  readonly ansibleManaged?: string;
  /** A value never to be shown (output, events, journals), with or without a secret store: a token in a host's environment. */
  conceal(value: string): void;
  /** The secret store (Doppler), when the run has one. Values set here are redacted everywhere. */
  secrets?: {
    get(name: string, scope: { project?: string; config?: string }): Promise<string | undefined>;
    set(name: string, value: string | null, scope: { project?: string; config?: string }): Promise<void>;
    /** Marks a value secret without storing it (so check mode can't show it either). */
    protect(value: string): void;
    /** Whether a text holds a secret value. */
    isSecret(value: string): boolean;
  };
  /** The Talos machine API of the host (ansible_connection: talos); fails for other hosts. */
  talos(): Promise<TalosApi>;
  /**
   * helm, kubectl and the API for the host's cluster (ansible_connection: kube), or, on the
   * controller (localhost, as kubernetes.core runs), for `kubeconfig`/`context` (default
   * $K8S_AUTH_KUBECONFIG, $KUBECONFIG, ~/.kube/config); fails for other hosts.
   */
  kube(target?: { kubeconfig?: string; context?: string }): Promise<KubeApi>;
  /** Renders a template string with the host's variables (Jinja), and `extra` over them; `jinja`: the template module's settings. */
  render(text: string, extra?: Record<string, unknown>, jinja?: JinjaOptions): string;
  /** Evaluates a Jinja expression (debug's `var`). */
  evaluate(expr: string): unknown;
  /** Whether a condition holds, as `when` reads it (assert's `that`). */
  condition(cond: unknown): boolean;
  signal: AbortSignal;
  /** The kind of connection that reaches the host (local, ssh, …). */
  connectionKind?(): Promise<string>;
  /** Closes the host's connection (a reboot ended it): the next command opens a new one, and nothing read before is trusted. */
  resetConnection?(): Promise<void>;
  /** Seconds since the epoch; injectable for tests. */
  now(): number;
}

/** A module that reads the world and changes only what differs. */
export interface StateModule<S extends TSchema = TSchema, K = unknown> {
  name: string;
  kind: 'state';
  description: string;
  args: S;
  /** Key that a free-form string (`command: ls -l`) is put under. */
  freeForm?: string;
  /** Ansible parameter aliases: alias → canonical name. */
  aliases?: Record<string, string>;
  /** Arguments of Ansible's type `path`: $VARS and ~ in them are expanded on the host before the check. */
  paths?: string[];
  /** Arguments given as null reach the module as null, as AnsibleModule keeps a parameter given as None (its default does not apply); else they are left out. */
  nulls?: boolean;
  /**
   * Boolean arguments whose default is true and whose None ansible-core's module or action reads as
   * false (`boolean(None)`, Python's `if not x`): given as null they are false, not their default.
   */
  noneIsFalse?: string[];
  /** Its action plugin's words when a required argument is missing, which it checks before the module's (template's 'src and dest are required'). */
  missingWords?: string;
  check(ctx: ModuleCtx, args: Static<S>): Promise<Diff<K>>;
  apply(ctx: ModuleCtx, args: Static<S>, diff: Exclude<Diff<K>, { kind: 'ok' }>): Promise<ResultData | void>;
}

/** A controller-side action (debug, assert, set_fact, fail): no world to check, runs in check mode too. */
export interface ActionModule<S extends TSchema = TSchema> {
  name: string;
  kind: 'action';
  description: string;
  args: S;
  freeForm?: string;
  aliases?: Record<string, string>;
  paths?: string[];
  /** The arguments reach the module as the templates made them, a whole-valued float still a float (set_fact: its values become variables). */
  keepsTypes?: boolean;
  /** As a state module's: boolean arguments whose None the action reads as false (`boolean(None)`). */
  noneIsFalse?: string[];
  /** As a state module's: arguments given as null reach the action as null (debug's `msg: null`). */
  nulls?: boolean;
  /** An ansible-core action plugin that runs no module (pause): its stdout/stderr get no `_lines`, which only _execute_module adds. */
  noLines?: boolean;
  run(ctx: ModuleCtx, args: Static<S>): Promise<ActionResult>;
}

export interface ActionResult {
  changed?: boolean;
  failed?: boolean;
  msg?: string;
  data?: ResultData;
  /** Nothing was done, by the module's own rule (debug's verbosity): counted skipped. */
  skipped?: boolean;
  /**
   * The result's ansible_facts as ansible-core keeps them: in the host's fact cache (above inventory
   * variables, below play vars), each a variable of its own name and, without `ansible_`, under `ansible_facts`.
   */
  facts?: Record<string, unknown>;
  /** set_fact's variables (ansible-core's non-persistent facts: above include_vars, below -e). */
  setFacts?: Record<string, unknown>;
  /** Variables included for the host (include_vars): rendered where used, just below facts. */
  included?: Record<string, unknown>;
  /** set_stats: custom statistics for the run's stats (per host or the whole run's; aggregated or set). */
  stats?: { data: Record<string, unknown>; per_host: boolean; aggregate: boolean };
  /** group_by, add_host: a change to the run's inventory, for the plays after (the engine says whether it changed anything). */
  inventory?: InventoryChange;
}

/** The host joins `group` (made when missing, under `parents`), or a host is added (or updated) with its groups and variables. */
export type InventoryChange = { group: string; parents: string[] } | { host: string; groups: string[]; vars: Record<string, unknown> };

export type Module = StateModule | ActionModule;

export function defineModule<S extends TSchema, K = unknown>(m: StateModule<S, K>): StateModule<S, K>;
export function defineModule<S extends TSchema>(m: ActionModule<S>): ActionModule<S>;
export function defineModule(m: Module): Module {
  return m;
}

const FAILURE = Symbol.for('agri-play:ModuleFailure');

/** Thrown by a module for a failure that is the task's, not a bug: becomes `failed` with this msg. */
export class ModuleFailure extends Error {
  /**
   * One thrown by a module written against another copy of agri-play (the package a role or
   * module package brings, or the unbundled one beside the CLI's bundle) is one too.
   */
  static override [Symbol.hasInstance](x: unknown): boolean {
    if (this !== ModuleFailure) return Function.prototype[Symbol.hasInstance].call(this, x);
    return typeof x === 'object' && x !== null && FAILURE in x;
  }
  readonly [FAILURE] = true;
  constructor(
    message: string,
    readonly data: ResultData = {},
  ) {
    super(message);
    this.name = 'ModuleFailure';
  }
}

/** A module failed on the controller's own input (a missing src, template or values file): a failure in check mode too. */
export class ControllerFailure extends ModuleFailure {}
