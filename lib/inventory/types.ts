import type { Pos } from '../source/index.js';

export type Vars = Record<string, unknown>;

export interface Host {
  name: string;
  /** Variables set on the host itself in the inventory (host_vars/ are in varDirs). */
  vars: Vars;
  /** Every group the host is in, including 'all', parents before children. */
  groups: string[];
  pos?: Pos;
  /** Where each of `vars` was written (for errors about a value). */
  varPos?: Record<string, Pos>;
}

export interface Group {
  name: string;
  hosts: string[];
  children: string[];
  parents: string[];
  vars: Vars;
  pos?: Pos;
  varPos?: Record<string, Pos>;
}

/** Variables and where each was written. */
export interface VarSet {
  vars: Vars;
  varPos?: Record<string, Pos>;
}

/** group_vars/ and host_vars/ of one folder: beside an inventory, or beside the playbook (`play`). */
export interface VarDir {
  dir: string;
  play: boolean;
  groups: Map<string, VarSet>;
  hosts: Map<string, VarSet>;
  /** What group_vars/ and host_vars/ hold (read for a group or host group_by/add_host makes later). */
  entries: Partial<Record<'group_vars' | 'host_vars', Set<string>>>;
}

export interface Inventory {
  /** Hosts in the order they were first declared. */
  hosts: Map<string, Host>;
  groups: Map<string, Group>;
  sources: string[];
  /** group_vars/ and host_vars/ folders, in the order read (see inventoryVars for their precedence). */
  varDirs: VarDir[];
  /** ansible-core's implicit localhost: there when a play names it, in no group, not in `all`. */
  implicit?: Set<string>;
  /** Each group's ansible_group_priority (kept here, not as a variable, as ansible-core keeps it). */
  priorities?: Map<string, number>;
  /**
   * `plugin: constructed` sources, in the order read, with the hosts there were before each and
   * those a source had put in `ungrouped` itself (an INI's top lines, a host list: the others join
   * it only at the reconcile after all sources): applied once the inventory is loaded (lib/cli/constructed.ts).
   */
  constructed?: { file: string; config: Record<string, unknown>; hosts: string[]; ungrouped: Set<string> }[];
}

/** How a host is reached, read from ansible_* (or agri_*) variables. */
export interface ConnectionSpec {
  kind: string;
  host: string;
  port?: number;
  user?: string;
}
