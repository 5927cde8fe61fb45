import { addImplicitLocalhost, groupNamesOf, hostnameShort, inventoryVars, type Inventory } from '../inventory/index.js';
import { hostVarsFiles, readHostVarsFile, resolveVars, templatedKeys, type PlayFiles } from '../vars/index.js';
import type { Play, RoleInfo } from '../playbook/index.js';
import { allDeps, defaultsOf, roleChain, roleParams, taskDefaults, taskRoleVars, varsOf, type Frame } from '../plan/index.js';
import type { FactStore } from './fact-cache.js';
import { withPlayContext } from './play-context.js';
import { empty, emptyLayers, groupsView, parentRoles, type HostLayer, type HostSlot, type PlayRoleLayers, type Published, type TaskLayers } from './scope-layers.js';
export type { HostSlot } from './scope-layers.js';
import { combineVars, withFloats } from '../source/index.js';
import { Unresolved } from '../source/python.js';
export type Vars = Record<string, unknown>;
const NO_FILES: Vars = Object.freeze({});

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
 *  4. play vars   5. play vars_files   5½. the play's roles' vars (unless private_role_vars)
 *  6. the task's role's vars   7. block vars (outer → inner)   8. task vars
 *  9. include_vars, loop variables   10. registered results and set_fact
 *  10½. role params, an include's vars (its loop item too)   11. extra vars (-e)
 * Role defaults and vars are those of every role the play lists or imports (and their
 * dependencies), the task's own role's over them, as ansible-core's VariableManager.get_vars.
 * Magic variables (inventory_hostname, groups, hostvars, ...) are set by the engine, the play context's under all (play-context.ts).
 */
export class VarStore {
  /** Each host's variable state in one record: one lookup by name per step reaches all of it (it was seven maps). */
  private readonly slots = new Map<string, HostSlot>();
  /** Each group's hosts, worked out when a template reads it (groups['zone_a']), until the inventory changes. */
  private groupHosts = new Map<string, string[]>();
  private groupsView?: Record<string, string[]>;

  constructor(
    private readonly inventory: Inventory,
    readonly extra: Vars,
    readonly magic: Vars,
    /** Each play's vars_files, by play index. */
    private readonly playFiles: Map<number, PlayFiles> = new Map(),
    /** Where facts persist between runs (jsonfile), whether each fact is also a variable of its own name (inject_facts_as_vars), whether roles' vars are their own tasks' only (private_role_vars). */
    private readonly factOpts: { store?: FactStore; inject: boolean; privateRoleVars?: boolean } = { inject: true },
  ) {}

  /**
   * The next playbook of the same command goes on from this one's hosts' facts, set_fact and
   * registered values and include_vars (ansible-playbook A B: one VariableManager for both).
   */
  carryFrom(prev: VarStore): void {
    for (const [host, s] of prev.slots) this.slots.set(host, { facts: { ...s.facts }, cached: s.cached, included: s.included });
  }

  /** The host's record (a HostState keeps it: not looked up by name at every step). */
  slotOf(host: string): HostSlot {
    let s = this.slots.get(host);
    if (!s) this.slots.set(host, (s = { facts: {} }));
    return s;
  }

  /** Ansible's fact cache of a host: what setup and facts modules returned, and set_fact's cacheable facts (read from the store first). */
  hostFacts(host: string): Vars {
    const s = this.slotOf(host);
    return (s.cached ??= this.factOpts.store?.get(host) ?? {});
  }

  setHostFacts(host: string, facts: Vars): void {
    const s = this.slotOf(host);
    const f = { ...this.hostFacts(host), ...facts };
    s.cached = f;
    s.factLayer = s.merged = s.files = undefined;
    this.factOpts.store?.set(host, f);
  }

  /** meta: clear_facts, --flush-cache: the host's cached facts are gone (set_fact's non-cacheable facts stay). */
  clearHostFacts(host: string): void {
    const s = this.slotOf(host);
    s.cached = {};
    s.factLayer = s.merged = s.files = undefined;
    this.factOpts.store?.delete(host);
  }

  /** The variables a host's facts give: ansible_facts (names without `ansible_`, as Ansible's namespace_facts) and, injected, each fact by its own name. */
  factLayer(host: string): Vars {
    return this.factLayerOf(host, this.slotOf(host));
  }

  private factLayerOf(host: string, s: HostSlot): Vars {
    if (s.factLayer) return s.factLayer;
    const f = this.hostFacts(host);
    const ns: Vars = {};
    for (const k of Object.keys(f)) ns[k.startsWith('ansible_') && k !== 'ansible_local' ? k.slice(8) : k] = f[k];
    return (s.factLayer = this.factOpts.inject ? { ...f, ansible_facts: ns } : { ansible_local: f.ansible_local ?? {}, ansible_facts: ns });
  }

  /** group_by/add_host changed the inventory: every host's inventory variables, groups and `groups` are read again. */
  inventoryChanged(): void {
    for (const s of this.slots.values()) s.inv = s.layer = s.merged = s.files = undefined;
    this.groupHosts.clear();
  }

  inventoryOf(host: string): Vars {
    const s = this.slotOf(host);
    if (!s.inv) {
      const h = this.inventory.hosts.get(host);
      s.inv = h ? inventoryVars(this.inventory, h) : {};
    }
    return s.inv;
  }

  /** The host's registered results and set_fact values (read only: they change through setFacts). */
  factsOf(host: string): Readonly<Vars> {
    return this.slotOf(host).facts;
  }

  /**
   * Puts back, when called, the host's fact cache, include_vars values and the `keys` of its set_fact
   * values as they are now: the facts a step's action set are not the host's when the step's result
   * turns out failed (ansible-core's strategy applies a failed result's facts nowhere).
   */
  undoPoint(host: string, keys: string[]): () => void {
    const s = this.slotOf(host);
    const cached = this.hostFacts(host);
    const included = s.included;
    const prev = keys.map((k) => [k, Object.hasOwn(s.facts, k), s.facts[k]] as const);
    return () => {
      if (s.cached !== cached) {
        s.cached = cached;
        this.factOpts.store?.set(host, cached);
      }
      s.included = included;
      for (const [k, had, v] of prev) {
        if (had) s.facts[k] = v;
        else delete s.facts[k];
      }
      s.factLayer = s.merged = s.files = undefined;
    };
  }

  /** register, set_fact, a rescue's ansible_failed_result: values over the host's earlier ones. */
  setFacts(host: string, values: Vars): void {
    const s = this.slotOf(host);
    Object.assign(s.facts, values);
    s.merged = undefined;
  }

  /**
   * The `groups` magic variable: a read-only view (one for the run, as hostvars) whose groups'
   * host lists are worked out when read, not every group for every step: after each group_by the
   * next step would otherwise rebuild all of them (a group per host made that cubic).
   */
  groups(): Record<string, string[]> {
    return (this.groupsView ??= groupsView(this.inventory, this.groupHosts));
  }

  /** hostvars: every host's inventory vars and facts, read lazily (one view for the run: it reads the store on each access). */
  hostvars(): Record<string, Vars> {
    const store = this;
    // as ansible-core's inventory.get_host: `localhost` is there even when the inventory lacks it (the implicit localhost)
    const known = (name: string | symbol): name is string => typeof name === 'string' && (store.inventory.hosts.has(name) || ((name === 'localhost' || name === '127.0.0.1') && (addImplicitLocalhost(store.inventory, name), true)));
    return (this.hostvarsView ??= new Proxy({} as Record<string, Vars>, {
      get: (_t, name) => (known(name) ? store.hostvarsOf(name) : undefined),
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

  /** One host's entry of hostvars: its inventory variables and facts, their templates rendered with them (ansible-core's HostVarsVars). */
  private hostvarsOf(name: string): Vars {
    const [inv, included, facts] = [this.inventoryOf(name), this.slotOf(name).included, this.factsOf(name)];
    // (extra vars too: ansible-core's HostVars asks the variable manager for all of a host's but the play's)
    const out: Vars = combineVars({ inventory_hostname: name, inventory_hostname_short: hostnameShort(name), group_names: groupNamesOf(this.inventory, name) }, inv, this.factLayer(name), included, facts, this.extra);
    const keys = included ? [...templatedKeys(inv), ...templatedKeys(included)] : templatedKeys(inv);
    if (keys.length) resolveVars(out, keys, (k) => k in facts && out[k] === facts[k]);
    // (one that cannot be rendered with the host's own variables stays as written: HostVarsVars templates with fail_on_undefined=False)
    for (const k of keys) if (out[k] instanceof Unresolved) out[k] = out[k].text;
    return out;
  }

  /** Every variable a task on `host` sees, in precedence order. */
  forTask(host: string, play: Play, playHosts: PlayHosts, chain: Frame[], taskVars: Vars, roleFiles: Vars, taskDir: string, slot?: HostSlot): Vars {
    const t = this.taskLayers(play, chain, taskVars, roleFiles, taskDir);
    const s = slot ?? this.slotOf(host);
    const h = this.hostLayer(host, s);
    const pub = s.published?.get(play.index);
    // no template in any layer: the merge is data, the same for the host's next tasks of the same place until its facts,
    // includes or the play's hosts change (then dropped). It is read only (frozen, as every step's variables: a template's
    // `{% set %}` copies on write, a loop item spreads them), so the next step may be given the same object.
    const plain = !t.templated.length && !h.templated.length && !pub && !s.included;
    if (plain) {
      const m = s.merged;
      if (m && m.t === t && m.play === play && m.all === playHosts.all && m.live === playHosts.live && m.batch === playHosts.batch) return m.vars;
    }
    const out = Object.freeze(this.merge(host, s, play, playHosts, t, h, pub));
    if (plain) s.merged = { t, play, all: playHosts.all, live: playHosts.live, batch: playHosts.batch, vars: out };
    return out;
  }

  /** Whether a layer of a task's variables (not the play context's defaults) has `name`. */
  gives(name: string, host: string, play: Play, chain: Frame[], taskVars: Vars, roleFiles: Vars, taskDir: string, slot?: HostSlot): boolean {
    const s = slot ?? this.slotOf(host);
    const layers = this.layers(host, s, this.taskLayers(play, chain, taskVars, roleFiles, taskDir), this.hostLayer(host, s), s.published?.get(play.index));
    return layers.some((l) => l?.[name] !== undefined);
  }

  /**
   * A task's variable layers in precedence order: role defaults < inventory < host facts < play vars,
   * vars_files, roles' vars, the task's role's vars, block vars, task vars < include_vars <
   * set_fact/register < role params, include params < -e < magic (a public include_role's defaults
   * and vars: after the play's roles', below the task's own role's).
   */
  private layers(host: string, s: HostSlot, t: TaskLayers, h: HostLayer, pub: Published | undefined): (Vars | undefined)[] {
    const cached = this.factLayerOf(host, s);
    return pub
      ? [t.split.playDefaults, pub.defaults, t.split.taskDefaults, h.vars, cached, t.split.playVars, pub.vars, t.split.taskVars, s.included, s.facts, t.high, this.extra, this.magic]
      : [t.below, h.vars, cached, t.above, s.included, s.facts, t.high, this.extra, this.magic];
  }

  private merge(host: string, s: HostSlot, play: Play, playHosts: PlayHosts, t: TaskLayers, h: HostLayer, pub: Published | undefined): Vars {
    const facts = s.facts;
    const cached = this.factLayerOf(host, s);
    const included = s.included;
    const out: Vars = combineVars(...this.layers(host, s, t, h, pub));
    this.hostMagic(out, host, h, play, playHosts);
    const names = this.playRoleLayers(play).names;
    out.ansible_play_role_names = out.role_names = names.play;
    out.ansible_role_names = names.all;
    out.ansible_dependent_role_names = names.deps;
    if (t.role) {
      out.role_name = out.ansible_role_name = t.role.name;
      out.role_path = t.role.path;
    }
    out.ansible_search_path = t.searchPath;
    withPlayContext(out, host, play);
    let templated = t.templated.length ? (h.templated.length ? [...t.templated, ...h.templated] : t.templated) : h.templated;
    if (pub?.templated.length) templated = [...templated, ...pub.templated];
    // (a registered or set_fact value is final unless a layer above it — role params, include params, -e — gave the key)
    resolveVars(out, included ? [...templated, ...templatedKeys(included)] : templated, (k) => (k in facts && out[k] === facts[k]) || k in this.magic || (k in cached && out[k] === cached[k]));
    return out;
  }

  /** The magic variables of the host and the play's hosts (inventory_hostname, groups, hostvars, ansible_play_hosts, …). */
  private hostMagic(out: Vars, host: string, h: HostLayer, play: Play, playHosts: PlayHosts): void {
    out.inventory_hostname = host;
    // ansible-core's play context names the address: the inventory name unless a variable says otherwise
    if (out.ansible_host === undefined) out.ansible_host = out.ansible_ssh_host ?? host;
    out.inventory_hostname_short = h.short;
    out.group_names = h.groupNames;
    out.groups = this.groups();
    out.hostvars = this.hostvars();
    out.ansible_play_hosts_all = playHosts.all;
    out.ansible_play_hosts = playHosts.live;
    out.ansible_play_batch = playHosts.batch;
    out.play_hosts = playHosts.batch;
    out.ansible_play_name = play.name;
  }

  /**
   * The play's vars_files a task on `host` sees: where an entry is named by the host's variables, read
   * for the host (vars/files.ts), once it could render them all (facts may define one later); hosts
   * that read the same files share one object (a task's merged layers are kept by it).
   */
  filesFor(host: string, play: Play, playHosts: PlayHosts, slot?: HostSlot): Vars {
    const pf = this.playFiles.get(play.index);
    if (!pf?.parts) return pf?.vars ?? NO_FILES;
    const s = slot ?? this.slotOf(host);
    const hit = s.files?.get(play.index);
    if (hit) return hit;
    const gathered = this.hostFacts(host).module_setup === true;
    const got = hostVarsFiles(pf.dir, pf.parts, (sofar) => this.filesBase(host, s, play, playHosts, sofar), gathered, (p) => this.fileVars.get(p) ?? this.fileVars.set(p, readHostVarsFile(p)).get(p)!);
    const key = `${play.index}\0${got.paths.join('\0')}`;
    const vars = this.fileSets.get(key) ?? this.fileSets.set(key, got.vars).get(key)!;
    if (got.complete) (s.files ??= new Map()).set(play.index, vars);
    return vars;
  }

  private fileVars = new Map<string, Vars>();
  private fileSets = new Map<string, Vars>();

  /** What a vars_files entry is rendered with (ansible-core's get_vars up to the play's vars_files: no set_fact, task or block vars). */
  private filesBase(host: string, s: HostSlot, play: Play, playHosts: PlayHosts, sofar: Vars): Vars {
    const h = this.hostLayer(host, s);
    const cached = this.factLayerOf(host, s);
    const layers = [...this.playRoleLayers(play).defaults, h.vars, cached, withFloats(play.vars), sofar, this.extra, this.magic];
    const out = combineVars(...layers);
    this.hostMagic(out, host, h, play, playHosts);
    resolveVars(out, [...new Set(layers.flatMap((l) => templatedKeys(l)))], (k) => k in this.magic || (k in cached && out[k] === cached[k]));
    return out;
  }

  /**
   * Ansible's ansible_search_path (Base.get_search_path, and the playbook's folder the executor adds): the task's
   * role's folder, the roles' it came through (the nearest first), the task's file's folder, the playbook's folder.
   */
  private searchPath(roles: RoleInfo[], taskDir: string): string[] {
    const key = [...roles.map((r) => r.path), taskDir].join('\0');
    let p = this.searchPaths.get(key);
    if (!p) this.searchPaths.set(key, (p = [...new Set([...roles.map((r) => r.path).reverse(), taskDir, String(this.magic.playbook_dir ?? '.')])]));
    return p;
  }

  private searchPaths = new Map<string, string[]>();

  /** Variables of include_vars on a host: a new layer object each time (its template keys are cached by identity). */
  include(host: string, vars: Vars): void {
    const s = this.slotOf(host);
    s.included = combineVars(s.included, vars);
    s.merged = undefined;
  }

  /** include_role with public: its role's defaults and vars (its dependencies' too), seen by the host's later tasks of the play. */
  publish(host: string, play: number, role: RoleInfo): void {
    const s = this.slotOf(host);
    const byPlay = (s.published ??= new Map());
    const p = byPlay.get(play);
    const defaults: Vars = combineVars(p?.defaults, ...defaultsOf(role));
    const vars: Vars = this.factOpts.privateRoleVars ? (p?.vars ?? {}) : combineVars(p?.vars, ...varsOf(role));
    byPlay.set(play, { defaults, vars, templated: [...templatedKeys(defaults), ...templatedKeys(vars)] });
    s.merged = undefined;
  }

  /** The defaults and vars of the roles a play lists and imports (with their dependencies), merged once per play. */
  private playRoleLayers(play: Play): PlayRoleLayers {
    let l = this.playRoles.get(play);
    if (!l) {
      // ansible-core's magic role names: the play's roles, their dependencies', both
      const deps = [...new Set(play.roles.flatMap((r) => allDeps(r).map((d) => d.name)))];
      const own = play.roles.map((r) => r.name);
      const names = { play: own, deps, all: [...new Set([...deps, ...own])] };
      this.playRoles.set(play, (l = { defaults: play.roles.flatMap(defaultsOf), vars: this.factOpts.privateRoleVars ? [] : play.roles.flatMap(varsOf), names }));
    }
    return l;
  }

  private playRoles = new WeakMap<Play, PlayRoleLayers>();

  /** (a few per place: hosts whose vars_files differ share a place's tasks with different files) */
  private tasks = new WeakMap<Frame[], { play: Play; taskVars: Vars; roleFiles: Vars; taskDir: string; layers: TaskLayers }[]>();

  /** What a task's place gives its variables (the same for every host and step of it): merged once. */
  private taskLayers(play: Play, chain: Frame[], taskVars: Vars, roleFiles: Vars, taskDir: string): TaskLayers {
    const known = this.tasks.get(chain);
    // (tasks of one block without vars of their own share it: a host's merge is then reused from one to the next)
    const hit = known?.find((k) => k.play === play && k.taskDir === taskDir && (k.taskVars === taskVars || (empty(k.taskVars) && empty(taskVars))) && (k.roleFiles === roleFiles || (empty(k.roleFiles) && empty(roleFiles))));
    if (hit) return hit.layers;
    const roles = roleChain(chain);
    const pr = this.playRoleLayers(play);
    // (whole-valued floats written in them, `x: 1.0`, stay floats, as PyYAML reads them)
    const playVars = [withFloats(play.vars), withFloats(roleFiles), ...pr.vars];
    // (blocks' and the task's vars: updated over one another, as Task.get_vars, under hash_behaviour = merge too; include params likewise)
    const update = (l: Vars[]): Vars => Object.assign({}, ...l) as Vars;
    const taskVarLayers = [...taskRoleVars(roles), update([...chain.map((f) => f.block.kw.vars ?? {}), taskVars].map(withFloats))];
    const taskDefaultLayers = taskDefaults(roles);
    const high = [...roleParams(roles), update(chain.map((f) => withFloats(f.block.includeVars ?? {}))), parentRoles(roles)];
    const merge = (l: Vars[]): Vars => combineVars(...l);
    const split = { playDefaults: merge(pr.defaults), taskDefaults: merge(taskDefaultLayers), playVars: merge(playVars), taskVars: merge(taskVarLayers) };
    const layers: TaskLayers = {
      below: combineVars(split.playDefaults, split.taskDefaults),
      above: combineVars(split.playVars, split.taskVars),
      high: merge(high),
      split,
      templated: [...new Set([...pr.defaults, ...taskDefaultLayers, ...playVars, ...taskVarLayers, ...high, this.extra].flatMap((l) => templatedKeys(l)))],
      role: roles.at(-1),
      searchPath: this.searchPath(roles, taskDir),
    };
    // (layers with nothing in them are one object for every task of the same roles and folder: a host's merge of them is reused from task to task)
    const key = `${layers.role?.name ?? ''}\0${layers.searchPath.join('\0')}`;
    const shared = emptyLayers(layers) ? (this.noLayers.get(key) ?? this.noLayers.set(key, layers).get(key)!) : layers;
    const entry = { play, taskVars, roleFiles, taskDir, layers: shared };
    if (known && known.length < 4) known.push(entry);
    else this.tasks.set(chain, [entry]);
    return shared;
  }

  private noLayers = new Map<string, TaskLayers>();

  private hostLayer(host: string, s: HostSlot): HostLayer {
    if (!s.layer) {
      const vars = this.inventoryOf(host);
      s.layer = { vars, templated: templatedKeys(vars), short: hostnameShort(host), groupNames: groupNamesOf(this.inventory, host) };
    }
    return s.layer;
  }
}
