import type { BecomeDefaults } from '../source/index.js';
import type { PendingChanges } from './pending.js';
import type { ConnectOptions, Connection } from '../connections/index.js';
import type { Inventory } from '../inventory/index.js';
import type { FactCacheSettings } from '../source/index.js';
import type { Event } from '../report/events.js';
import type { Redactor, SecretStore } from '../vars/index.js';
import type { FileCache } from './file-cache.js';
import type { HostState } from './host-state.js';
import type { VarStore } from './scope.js';
import type { Throttles } from './throttle.js';
import type { CustomStats } from './custom-stats.js';
import type { Step } from '../plan/index.js';

export type Vars = Record<string, unknown>;

/** A job the run started in the background (an async task with poll: 0 of a module it runs from the controller). */
export interface ControllerJob {
  /** Its results file on the host. */
  file: string;
  /** Its result (async_status's, with the job's keys) once it ended. */
  out?: { status: string; result: Vars };
  done: Promise<void>;
  /** async_status's cleanup: no longer known. */
  forgotten?: boolean;
}

/** What a run hands the next playbook of the same command: its hosts' variables and their recap counts so far. */
export interface RunCarry {
  vars: VarStore;
  hosts: Map<string, Pick<HostState, 'counts' | 'rescuedCountedFailures' | 'unreachableCleared' | 'cleared' | 'counted'>>;
  customStats: CustomStats;
}

export interface RunOptions {
  /** The ansible.cfg the run read (ansible_config_file), null where none. */
  configFile?: string | null;
  check: boolean;
  diff: boolean;
  forks: number;
  verbosity: number;
  /** Every step_end event carries its result (an ad hoc command shows each host's), not only from -v on. */
  results?: boolean;
  extraVars: Vars;
  /** Handlers run on hosts that failed too (--force-handlers, ansible.cfg force_handlers); a play's force_handlers wins. */
  forceHandlers?: boolean;
  /** The become keywords' defaults (ansible.cfg's [privilege_escalation], -b, --become-user, --become-method, -K). */
  becomeDefaults?: BecomeDefaults;
  /** Where host facts persist (ansible.cfg fact_caching), whether they are also variables of their own (inject_facts_as_vars), --flush-cache. */
  facts?: { cache?: FactCacheSettings; inject?: boolean; flush?: boolean };
  /** ansible.cfg private_role_vars: a role's vars are its own tasks' only (by default every task of the play sees them). */
  privateRoleVars?: boolean;
  /** ansible.cfg executable (ANSIBLE_EXECUTABLE): the play context's shell, ansible_shell_executable's default (the shell module's). */
  shellExecutable?: string;
  /** ansible.cfg ansible_managed: the template module's `ansible_managed` string (with {host}, {uid}, {file} and strftime's fields). */
  ansibleManaged?: string;
  /** --tags / --skip-tags, for the tasks of an include_tasks resolved when reached. */
  tagFilter?: { tags: string[]; skipTags: string[] };
  playbook: string;
  playbookDir: string;
  inventorySources: string[];
  /** --limit as given (ansible_limit). */
  limit?: string;
  /** meta: refresh_inventory: the inventory read again from its sources (the CLI's way of reading it). */
  reloadInventory?: () => Inventory;
  /** Where journals and saved handlers go (default .agri-play under the cwd). */
  stateDir: string;
  emit: (e: Event) => void;
  redactor: Redactor;
  /** Secrets (Doppler) for lookups and doppler_secret; absent when the run has none. */
  secrets?: SecretStore;
  /** Opens a connection for a host; tests and benchmarks inject their own. */
  connect?: (host: string, kind: string, vars: Vars) => Promise<Connection>;
  /** How real connections open (e.g. ssh host key policy). */
  connectOptions?: ConnectOptions;
  now?: () => number;
  /** Abort controller the CLI wires to SIGINT/SIGTERM. */
  signals?: { onInterrupt(cb: (second: boolean, name: string) => void): () => void };
  /** The run of the playbook before this one in the same command (ansible-playbook A B): its variables and counts go on here. */
  carry?: RunCarry;
}

/** Everything a running step may touch, shared across steps. */
export interface RunCtx {
  opts: RunOptions;
  inventory: Inventory;
  vars: VarStore;
  hosts: Map<string, HostState>;
  host(name: string): HostState;
  /** The step's host's state, from the plan's ref it shares with the host's other steps (no lookup by name). */
  hostOf(step: Step): HostState;
  /** The connection of a step's reach (its kind and keys: reach.ts's connectionKey). */
  connection(host: string, vars: Vars, reach: { kind: string; key: string }): Promise<Connection>;
  /** meta: reset_connection: closes the host's connection; the next step opens a new one. */
  resetConnection(host: string): Promise<void>;
  /** The file cache of a host (created on first use). */
  files(host: string): FileCache;
  /** Set on the first interrupt: nothing new starts. */
  stopping: boolean;
  /** Aborted on the second interrupt: running commands are cancelled. */
  abort: AbortController;
  /** Plays stopped for every host (any_errors_fatal, max_fail_percentage, end_play). */
  playStopped: Set<number>;
  /** throttle: the slots of each throttled task. */
  throttles: Throttles;
  /** any_errors_fatal fired: no later play runs either (as in Ansible, the playbook ends). */
  fatal: boolean;
  /** It was any_errors_fatal outside lockstep: a failed host's always section still runs (ansible-core's dont_fail_states), then it stops. */
  fatalSparesAlways?: boolean;
  /**
   * In a lockstep play, any_errors_fatal and max_fail_percentage stop the play once the task has run
   * on every host of the batch (as ansible-core finishes the fatal task first): the plays to stop
   * then, and the hosts whose failure had any_errors_fatal (fatal.ts weighs them); `reached`: a host
   * got past the step's gates (ansible-core's lockstep had the task at all: forcedFailures);
   * `onceReached`, of a run_once task: the hosts that got past them, and `onceFailed`: its run failed
   * (failWithOnce); `endedFailing`: the hosts a meta task ended with their top-level block's failure
   * pending, failed from then on (HostState.endPlayFailing: fatal.ts endedFailures).
   */
  stopAfterTask: { plays: Set<number>; fatal: boolean; fatalHosts: Set<string>; reached: boolean; onceReached?: Set<string>; onceFailed?: boolean; endedFailing?: Set<string> };
  /**
   * Plays whose any_errors_fatal let the batch go on: the playbook ends when the batch does (ansible-core's
   * RUN_FAILED_BREAK_PLAY); with the hosts it marked failed (in its _failed_hosts) though they go on.
   */
  breakAfter: Map<number, Set<string>>;
  /** The playbook was found wrong while running (a templated notify naming no handler): exit 4. */
  inputError?: boolean;
  /** Some host changed something earlier in this run. */
  changedBefore: boolean;
  /** Check mode: what earlier steps would have changed, so a failure that depends on it is told apart. */
  pending: PendingChanges;
  /** run_once results, shared by the hosts of a play. */
  once: Map<string, Promise<unknown>>;
  /** set_stats' statistics, by host ('_run': the run's). */
  customStats: CustomStats;
  /** The async tasks with poll: 0 the controller runs in the background, by job id (async-task.ts); the run waits for them before it ends. */
  jobs: Map<string, ControllerJob>;
  t0: number;
  emit(e: Event): void;
}
