/** Step outcomes, as Ansible names them (ok includes changed in the recap, as Ansible counts). */
export type Status = 'ok' | 'changed' | 'failed' | 'skipped' | 'unreachable' | 'rescued' | 'ignored';

export interface Counts {
  ok: number;
  changed: number;
  failed: number;
  skipped: number;
  unreachable: number;
  rescued: number;
  ignored: number;
  /** Remote round trips made for this host. */
  round_trips: number;
}

export interface FieldDiff {
  path: string;
  from?: unknown;
  to?: unknown;
}

/** What changed (or would), for --diff: file text and/or data fields. */
export interface DiffOut {
  target?: string;
  before?: string;
  after?: string;
  fields?: FieldDiff[];
}

export interface StepRef {
  id: string;
  play: string;
  host: string;
  task: string;
  module: string;
  /** The task's file:line in the playbook or role. */
  at: string;
}

/** Every event the engine emits; renderers are a mapped type over `event`. */
export type Event =
  | { event: 'run_start'; time: string; playbook: string; inventories: string[]; check: boolean; hosts: number; steps: number; forks: number; host_names?: string[] }
  | { event: 'play_start'; play: string; index: number; hosts: string[]; after?: number[]; lane?: string }
  | { event: 'play_end'; play: string; index: number; duration_ms: number; lane?: string }
  | ({ event: 'step_start'; t_ms: number } & StepRef)
  | ({
      event: 'step_end';
      t_ms: number;
      status: Status;
      changed: boolean;
      duration_ms: number;
      msg?: string;
      why?: string;
      note?: string;
      /** run_once: the result of the host that ran it, registered here too (not shown, not counted, as in Ansible) */
      run_once_copy?: boolean;
      /** check mode: the would-be change this step's outcome depends on */
      depends_on?: { step: string; resource: string };
      item?: string;
      diff?: DiffOut[];
      result?: Record<string, unknown>;
    } & StepRef)
  | { event: 'retry'; host: string; task: string; attempt: number; left: number; msg?: string }
  | { event: 'warning'; msg: string; host?: string }
  | { event: 'handlers_saved'; hosts: Record<string, string[]>; file: string }
  | { event: 'handlers_restored'; hosts: Record<string, string[]> }
  | { event: 'interrupted'; signal: string; second: boolean }
  | { event: 'recap'; hosts: Record<string, Counts>; /** set_stats' statistics by host, `_run` the run's */ custom_stats?: Record<string, Record<string, unknown>>; duration_ms: number; check: boolean; journal?: string; status?: 'complete' | 'interrupted' | 'crashed'; cause?: string };

/** What `agri-play lab --json` adds around the runs' own events. */
export type LabEvent =
  | { event: 'lab_start'; dir: string; ports: Record<string, number>; faults: string[] }
  | { event: 'lab_phase'; phase: number; of: number; title: string; args: string[] }
  /** When each site (lane) of a phase's run was done, in ms from its start. */
  | { event: 'lab_sites'; phase: number; lanes: Record<string, number> }
  | { event: 'lab_end'; code: number; duration_ms: number; report?: string; kubeconfigs: string[] };

export type EventName = Event['event'];
export type EventOf<K extends EventName> = Extract<Event, { event: K }>;

export function emptyCounts(): Counts {
  return { ok: 0, changed: 0, failed: 0, skipped: 0, unreachable: 0, rescued: 0, ignored: 0, round_trips: 0 };
}
