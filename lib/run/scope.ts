import { addImplicitLocalhost, groupHosts, inventoryVars, type Inventory } from '../inventory/index.js';
import { resolveVars, templatedKeys } from '../vars/index.js';
import type { Play } from '../playbook/index.js';
import type { Frame } from '../plan/index.js';
import type { FactStore } from './fact-cache.js';
import { withFloats } from '../source/index.js';

export type Vars = Record<string, unknown>;

/** The play's hosts for a task: all it targets, those still in it, those of the task's batch still in it. */
export interface PlayHosts {
  all: string[];
  live: string[];
  batch: string[];
}

/**
 * Variable precedence, lowest first (Ansible's order for the sources we support):
 *  1. role defaults            2. inventory group vars (all → parents → children), group_vars/
 *  3. inventory host vars, host_vars/   3½. host facts (the fact cache: setup, facts modules, set_fact cacheable)
 *  4. play vars   5. play vars_files
 *  6. role vars (and role params)      7. block vars (outer → inner)   8. task vars
 *  9. loop variables           10. registered results and set_fact   11. extra vars (-e)
 * Magic variables (inventory_hostname, groups, hostvars, ...) are set by the engine.
 */
export class VarStore {
  private inv = new Map<string, Vars>();
  /** Registered results and set_fact values, per host. */
  readonly facts = new Map<string, Vars>();
  private groupsCache?: Record<string, string[]>;

  constructor(
    private readonly inventory: Inventory,
    readonly extra: Vars,
    readonly magic: Vars,
    /** Variables from each play's vars_files, by play index. */
    readonly playFiles: Map<number, Vars> = new Map(),
    /** Where facts persist between runs (jsonfile), and whether each fact is also a variable of its own name (inject_facts_as_vars). */
    private readonly factOpts: { store?: FactStore; inject: boolean } = { inject: true },
  ) {}

  private cached = new Map<string, Vars>();
  private factLayers = new Map<string, Vars>();

  /** Ansible's fact cache of a host: what setup and facts modules returned, and set_fact's cacheable facts (read from the store first). */
  hostFacts(host: string): Vars {
    let f = this.cached.get(host);
    if (!f) this.cached.set(host, (f = this.factOpts.store?.get(host) ?? {}));
    return f;
  }

  setHostFacts(host: string, facts: Vars): void {
    const f = { ...this.hostFacts(host), ...facts };
    this.cached.set(host, f);
    this.factLayers.delete(host);
    this.factOpts.store?.set(host, f);
  }

  /** meta: clear_facts, --flush-cache: the host's cached facts are gone (set_fact's non-cacheable facts stay). */
  clearHostFacts(host: string): void {
    this.cached.set(host, {});
    this.factLayers.delete(host);
    this.factOpts.store?.delete(host);
  }

  /** The variables a host's facts give: ansible_facts (names without `ansible_`, as Ansible's namespace_facts) and, injected, each fact by its own name. */
  factLayer(host: string): Vars {
    let l = this.factLayers.get(host);
    if (!l) {
      const f = this.hostFacts(host);
      const ns: Vars = {};
      for (const k of Object.keys(f)) ns[k.startsWith('ansible_') && k !== 'ansible_local' ? k.slice(8) : k] = f[k];
      l = this.factOpts.inject ? { ...f, ansible_facts: ns } : { ansible_local: f.ansible_local ?? {}, ansible_facts: ns };
      this.factLayers.set(host, l);
    }
    return l;
  }

  inventoryOf(host: string): Vars {
    let v = this.inv.get(host);
    if (!v) {
      const h = this.inventory.hosts.get(host);
      v = h ? inventoryVars(this.inventory, h) : {};
      this.inv.set(host, v);
    }
    return v;
  }

  factsOf(host: string): Vars {
    let f = this.facts.get(host);
    if (!f) {
      f = {};
      this.facts.set(host, f);
    }
    return f;
  }

  groups(): Record<string, string[]> {
    if (!this.groupsCache) {
      this.groupsCache = {};
      for (const g of this.inventory.groups.keys()) this.groupsCache[g] = groupHosts(this.inventory, g);
    }
    return this.groupsCache;
  }

  /** hostvars: every host's inventory vars and facts, read lazily (one view for the run: it reads the store on each access). */
  hostvars(): Record<string, Vars> {
    const store = this;
    // as ansible-core's inventory.get_host: `localhost` is there even when the inventory lacks it (the implicit localhost)
    const known = (name: string | symbol): name is string => typeof name === 'string' && (store.inventory.hosts.has(name) || ((name === 'localhost' || name === '127.0.0.1') && (addImplicitLocalhost(store.inventory, name), true)));
    return (this.hostvarsView ??= new Proxy({} as Record<string, Vars>, {
      get: (_t, name) => (known(name) ? { inventory_hostname: name, ...store.inventoryOf(name), ...store.factLayer(name), ...store.included.get(name), ...store.factsOf(name) } : undefined),
      has: (_t, name) => known(name),
      // read-only, as ansible-core's HostVars mapping (the view is shared by every step)
      set: () => false,
      deleteProperty: () => false,
      defineProperty: () => false,
      ownKeys: () => [...store.inventory.hosts.keys()],
      getOwnPropertyDescriptor: (_t, name) => (known(name) ? { enumerable: true, configurable: true, value: store.inventoryOf(name) } : undefined),
    }));
  }

  private hostvarsView?: Record<string, Vars>;

  /** Every variable a task on `host` sees, in precedence order. */
  forTask(host: string, play: Play, playHosts: PlayHosts, chain: Frame[], taskVars: Vars, roleFiles: Vars, loopVars: Vars = {}): Vars {
    const t = this.taskLayers(play, chain, taskVars, roleFiles);
    const h = this.hostLayer(host);
    const facts = this.factsOf(host);
    const cached = this.factLayer(host);
    const included = this.included.get(host);
    const pub = this.published.get(host);
    // role defaults < inventory < host facts < play vars, vars_files, role vars, block vars, task vars < include_vars < loop < set_fact/register < -e < magic
    // (a public include_role's defaults and vars: below the task's own role's, above the inventory's)
    const out: Vars = Object.assign({}, pub?.defaults, t.below, h.vars, cached, pub?.vars, t.above, included, loopVars, facts, this.extra, this.magic);
    out.inventory_hostname = host;
    // ansible-core's play context names the address: the inventory name unless a variable says otherwise
    if (out.ansible_host === undefined) out.ansible_host = host;
    out.inventory_hostname_short = h.short;
    out.group_names = h.groupNames;
    out.groups = this.groups();
    out.hostvars = this.hostvars();
    out.ansible_play_hosts_all = playHosts.all;
    out.ansible_play_hosts = playHosts.live;
    out.ansible_play_batch = playHosts.batch;
    out.play_hosts = playHosts.batch;
    out.ansible_play_name = play.name;
    if (t.role) {
      out.role_name = t.role.name;
      out.role_path = t.role.path;
    }
    out.ansible_search_path = this.searchPath(t.role?.path);
    const templated = t.templated.length ? (h.templated.length ? [...t.templated, ...h.templated] : t.templated) : h.templated;
    resolveVars(out, included ? [...templated, ...templatedKeys(included)] : templated, (k) => k in facts || k in this.magic || (k in cached && out[k] === cached[k]));
    return out;
  }

  /** Ansible's ansible_search_path: the role's folder and its tasks/ (task files of a play: the playbook's folder). */
  private searchPath(role: string | undefined): string[] {
    const key = role ?? '';
    let p = this.searchPaths.get(key);
    if (!p) this.searchPaths.set(key, (p = role ? [role, `${role}/tasks`] : [String(this.magic.playbook_dir ?? '.')]));
    return p;
  }

  private searchPaths = new Map<string, string[]>();

  /** Variables of include_vars on a host: a new layer object each time (its template keys are cached by identity). */
  include(host: string, vars: Vars): void {
    this.included.set(host, { ...this.included.get(host), ...vars });
  }

  private included = new Map<string, Vars>();

  /** include_role with public: its role's defaults and vars, seen by the host's later tasks. */
  publish(host: string, role: { defaults: Vars; vars: Vars }): void {
    const p = this.published.get(host);
    this.published.set(host, { defaults: { ...p?.defaults, ...role.defaults }, vars: { ...p?.vars, ...role.vars } });
  }

  private published = new Map<string, { defaults: Vars; vars: Vars }>();

  private tasks = new WeakMap<Frame[], { play: Play; taskVars: Vars; roleFiles: Vars; layers: TaskLayers }>();
  private hostLayers = new Map<string, HostLayer>();

  /** What a task's place gives its variables (the same for every host and step of it): merged once. */
  private taskLayers(play: Play, chain: Frame[], taskVars: Vars, roleFiles: Vars): TaskLayers {
    const hit = this.tasks.get(chain);
    if (hit && hit.play === play && hit.taskVars === taskVars && (hit.roleFiles === roleFiles || (empty(hit.roleFiles) && empty(roleFiles)))) return hit.layers;
    const roles = [...new Set(chain.map((f) => f.block.role).filter((r) => r !== undefined))];
    // (whole-valued floats written in them, `x: 1.0`, stay floats, as PyYAML reads them)
    const below = roles.map((r) => withFloats(r.defaults));
    const above = [play.vars, roleFiles, ...roles.map((r) => r.vars), ...chain.map((f) => f.block.kw.vars ?? {}), taskVars].map(withFloats);
    const layers: TaskLayers = {
      below: Object.assign({}, ...below) as Vars,
      above: Object.assign({}, ...above) as Vars,
      templated: [...new Set([...below, ...above, this.extra].flatMap((l) => templatedKeys(l)))],
      role: chain.findLast((f) => f.block.role)?.block.role,
    };
    this.tasks.set(chain, { play, taskVars, roleFiles, layers });
    return layers;
  }

  private hostLayer(host: string): HostLayer {
    let h = this.hostLayers.get(host);
    if (!h) {
      const vars = this.inventoryOf(host);
      const groups = this.inventory.hosts.get(host)?.groups.filter((g) => g !== 'all') ?? [];
      h = { vars, templated: templatedKeys(vars), short: host.split('.')[0], groupNames: groups.filter((g) => g !== 'ungrouped') };
      this.hostLayers.set(host, h);
    }
    return h;
  }
}

interface TaskLayers {
  below: Vars;
  above: Vars;
  /** Names whose value is a template in some layer (or -e): rendered with the rest. */
  templated: string[];
  role?: { name: string; path: string };
}

interface HostLayer {
  vars: Vars;
  templated: string[];
  short: string;
  groupNames: string[];
}

function empty(o: Vars): boolean {
  for (const _ in o) return false;
  return true;
}
