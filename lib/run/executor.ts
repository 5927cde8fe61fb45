import { setMaxListeners } from 'node:events';
import { PendingChanges } from './pending.js';
import { PGraph, type PGraphNode } from 'p-graph';
import { openConnection, type Connection } from '../connections/index.js';
import { loadModules } from '../modules/index.js';
import { inventoryDir, localPython, type Inventory } from '../inventory/index.js';
import { ansibleVersionVar } from '../source/index.js';
import { startRun, type PlayFiles } from '../vars/index.js';
import type { Plan } from '../plan/index.js';
import { Exit } from '../errors.js';
import type { Counts, Event } from '../report/events.js';
import type { RunCarry, RunCtx, RunOptions, Vars } from './context.js';
import { FileCache } from './file-cache.js';
import { HostState } from './host-state.js';
import { prefetch } from './prefetch.js';
import { Journal, loadPendingHandlers, savePendingHandlers } from './journal.js';
import { VarStore } from './scope.js';
import { factStore } from './fact-cache.js';
import { TempLedger } from './temp-ledger.js';
import { runStep } from './step.js';
import { Lockstep } from './lockstep.js';
import { endedFailures, failWithOnce, fatalOutcome, forcedFailures, noHostsLeft, overMaxFail } from './fatal.js';
import { Slots } from './slots.js';
import { BatchWatch } from './batch-watch.js';
import { useSecrets } from '../vars/index.js';
import { jsonText } from '../source/pyint.js';

export interface RunSummary {
  exitCode: number;
  /** For the next playbook of the same command. */
  carry: RunCarry;
  recap: Record<string, Counts>;
  journal?: string;
  interrupted: boolean;
}


/**
 * The hosts of the plays that have a task for them: a play whose tasks --tags (or --start-at-task)
 * left out brings its hosts into no recap, as ansible-core counts a host once a task ran there.
 */
function hostsWithSteps(plan: Plan): string[] {
  return [...new Set(plan.plays.filter((p) => p.flat.some((f) => !f.handler && f.task.module !== 'meta')).flatMap((p) => p.hosts))];
}

/**
 * Runs the plan: p-graph schedules each host's path of steps in a play as its dependencies
 * finish, at most `forks` hosts at a time. Steps never throw into p-graph (it would silently
 * drop their dependents); each records its own outcome in its host's state, and later steps
 * of a failed host see that and stop.
 */
export async function runPlan(plan: Plan, inventory: Inventory, opts: RunOptions, playFiles: Map<number, PlayFiles> = new Map(), more?: () => Plan | undefined): Promise<RunSummary> {
  const started = new Date();
  const journal = opts.stateDir ? new Journal(opts.stateDir, started) : undefined;
  const emit = (e: Event): void => {
    const safe = opts.redactor.redactValue(e);
    journal?.write(jsonText(safe));
    opts.emit(safe);
  };
  const magic: Vars = {
    // (ansible-core's ansible_config_file: the config it read, None where none)
    ...(opts.configFile !== undefined ? { ansible_config_file: opts.configFile } : {}),
    ansible_check_mode: opts.check,
    ansible_diff_mode: opts.diff,
    ansible_forks: opts.forks,
    ansible_verbosity: opts.verbosity,
    playbook_dir: opts.playbookDir,
    inventory_file: opts.inventorySources[0],
    // --tags and --skip-tags as given (ansible-core's default: all, none)
    ansible_run_tags: opts.tagFilter?.tags.length ? [...opts.tagFilter.tags] : ['all'],
    ansible_skip_tags: [...(opts.tagFilter?.skipTags ?? [])],
    // the controller's Python (ansible-core's: the one running ansible-playbook)
    ansible_playbook_python: localPython(),
  };
  // ansible-core's options variables (load_options_vars: its version, the -i sources, --limit where given) and inventory_dir, as the template engine gives them
  // (a host list's inventory_dir is the text 'None', as ansible-core sets it: a str, not None)
  const first = opts.inventorySources[0];
  startRun({ ansible_version: ansibleVersionVar(), ansible_inventory_sources: opts.inventorySources, inventory_dir: first === undefined ? undefined : (inventoryDir(first) ?? 'None'), ...(opts.limit !== undefined ? { ansible_limit: opts.limit } : {}) }, opts.connectOptions?.ssh?.timeout, opts.shellExecutable);
  const vars = new VarStore(inventory, opts.extraVars, magic, playFiles, { store: factStore(opts.facts?.cache, (msg) => emit({ event: 'warning', msg })), inject: opts.facts?.inject ?? true, privateRoleVars: opts.privateRoleVars });
  if (opts.carry) vars.carryFrom(opts.carry.vars);
  if (opts.facts?.flush) for (const h of inventory.hosts.keys()) vars.clearHostFacts(h);
  const conns = new Map<string, Promise<Connection>>();
  // --check writes nothing and removes nothing, not even what a killed run left
  const temps = opts.check || !opts.stateDir ? undefined : new TempLedger(opts.stateDir);
  const caches = new Map<string, FileCache>();
  const rc: RunCtx = {
    opts,
    inventory,
    vars,
    hosts: new Map(),
    host(name) {
      let h = this.hosts.get(name);
      if (!h) {
        this.hosts.set(name, (h = new HostState()));
        h.owner = this.hosts;
      }
      return h;
    },
    connection(host, hv, { kind, key }) {
      let c = conns.get(key);
      if (!c) {
        c = opts.connect ? opts.connect(host, kind, hv) : openConnection({ name: host, kind, vars: hv }, opts.connectOptions);
        if (temps) c = c.then((x) => temps.attach(host, x));
        conns.set(key, c);
      }
      return c;
    },
    async resetConnection(host) {
      const hs = this.hosts.get(host);
      if (hs) hs.conn = undefined;
      const mine = [...conns.keys()].filter((k) => k === host || k.startsWith(`${host}\0`));
      const cs = mine.map((k) => conns.get(k)!);
      mine.forEach((k) => conns.delete(k));
      await Promise.all(cs.map((c) => c.then((x) => x.close()).catch(() => undefined)));
    },
    hostOf(step) {
      const known = step.ref.run as HostState | undefined;
      if (known?.owner === this.hosts) return known;
      return (step.ref.run = this.host(step.host));
    },
    files(host) {
      let f = caches.get(host);
      if (!f) caches.set(host, (f = new FileCache()));
      return f;
    },
    stopping: false,
    abort: runAbort(),
    playStopped: new Set(),
    throttles: new Map(),
    fatal: false,
    stopAfterTask: { plays: new Set(), fatal: false, fatalHosts: new Set(), reached: false },
    breakAfter: new Map(),
    once: new Map(),
    // (the command's: the playbook before this one's go on, as ansible-core's stats)
    customStats: opts.carry?.customStats ?? {},
    jobs: new Map(),
    changedBefore: false,
    pending: new PendingChanges(),
    t0: Date.now(),
    emit,
  };
  useSecrets(opts.secrets, opts.redactor);
  const allHosts = hostsWithSteps(plan);
  // the playbook before this one in the command: its hosts' counts go on (ansible-core's stats are the command's)
  for (const [h, before] of opts.carry?.hosts ?? []) {
    const hs = rc.host(h);
    Object.assign(hs.counts, before.counts);
    Object.assign(hs, { rescuedCountedFailures: before.rescuedCountedFailures, unreachableCleared: before.unreachableCleared, cleared: before.cleared, counted: before.counted });
  }
  for (const h of allHosts) rc.host(h);
  emit({ event: 'run_start', time: started.toISOString(), playbook: opts.playbook, inventories: opts.inventorySources, check: opts.check, hosts: allHosts.length, steps: plan.stepCount, forks: opts.forks, host_names: allHosts });

  const pending = loadPendingHandlers(opts.stateDir, opts.inventorySources);
  const restored: Record<string, string[]> = {};
  for (const [h, names] of Object.entries(pending)) {
    if (!rc.hosts.has(h)) continue;
    names.forEach((n) => rc.host(h).notified.add(n));
    restored[h] = names;
  }
  if (Object.keys(restored).length) emit({ event: 'handlers_restored', hosts: restored });

  const detach = opts.signals?.onInterrupt((second, name) => {
    emit({ event: 'interrupted', signal: name, second });
    rc.stopping = true;
    if (second) {
      rc.abort.abort();
      // a second Ctrl-C also cuts transfers in flight: closing a connection fails what it carries
      for (const c of conns.values()) void c.then((x) => x.close()).catch(() => undefined);
    }
  });

  const playT0 = new Map<string, number>();
  const watch = new BatchWatch(rc);
  // every node may start (a lockstep batch needs all its hosts under way); --forks bounds the paths running steps
  const lockstep = new Lockstep(new Slots(Math.max(1, opts.forks)), (step, included) => runStep(rc, step, included), (chains, at, ahead) => {
    const { plays, fatal, fatalHosts, reached, onceReached, onceFailed, endedFailing } = rc.stopAfterTask;
    rc.stopAfterTask = { plays: new Set(), fatal: false, fatalHosts: new Set(), reached: false };
    if (onceFailed) failWithOnce(rc, ahead(), onceReached ?? new Set());
    for (const p of plays) rc.playStopped.add(p);
    rc.fatal ||= fatal;
    const forced = [...(reached ? forcedFailures(rc, chains, at, fatalHosts, onceReached) : []), ...(endedFailing ? endedFailures(chains, at, endedFailing) : [])];
    const first = chains.find((c) => c.length)![0];
    const play = first.play.play.index;
    const outcome = fatalHosts.size || forced.length ? fatalOutcome(rc, chains, at, ahead(), fatalHosts, forced) : 'none';
    // (end_play's: ansible-core's executor takes AnsibleEndPlay before it looks at the result, so the
    // playbook goes on, and every host the play ended, each marked, is failed in the plays after it)
    if (outcome !== 'none' && endedFailing && rc.playStopped.has(play)) {
      for (const a of ahead()) if (!rc.hostOf(a.chain[0]).unreachable) rc.hostOf(a.chain[0]).failEnded(play);
      return;
    }
    if (typeof outcome !== 'string') rc.breakAfter.set(play, new Set([...(rc.breakAfter.get(play) ?? []), ...outcome.marked]));
    const marked = rc.breakAfter.get(play);
    if (outcome === 'now' || (marked && (noHostsLeft(rc, first, marked) || (typeof outcome !== 'string' && overMaxFail(rc, first, marked))))) {
      rc.playStopped.add(play);
      rc.fatal = true;
    }
  });
  /** One segment's graph (the whole plan, unless a group_by/add_host cuts the playbook: see plan/segments.ts). */
  const runGraph = async (part: Plan): Promise<void> => {
    const nodes = new Map<string, PGraphNode>();
    for (const id of part.nodes.keys()) nodes.set(id, {});
    const barrier = (id: string): void => {
      const m = /^play(\d+):(start|end|batch(\d+))(?::(.*))?$/.exec(id);
      if (!m) return;
      const pp = part.plays[Number(m[1])];
      const lane = m[4];
      // a play in lanes starts and ends once per lane; its overall end says nothing more
      if (pp.lanes && lane === undefined) return;
      // (a play without lanes: the end of each batch, then the next one's start)
      const b = m[2] === 'start' ? -1 : m[3] === undefined ? pp.batches.length - 1 : Number(m[3]);
      // (a play end_play ended, the playbook not: ansible-core's executor takes AnsibleEndPlay before it counts the batch's failures)
      const endPlay = rc.playStopped.has(pp.play.index) && !rc.fatal;
      if (!pp.lanes && b >= 0 && !rc.fatal && !endPlay && (watch.ended(pp, b) || rc.breakAfter.has(pp.play.index))) rc.fatal = true;
      if (!pp.lanes && m[2] !== 'end') watch.begin(pp, b + 1);
      if (m[3] !== undefined) return;
      const key = `${pp.play.index}:${lane ?? ''}`;
      const tag = lane === undefined ? {} : { lane };
      // (a play after the playbook ended, any_errors_fatal or a batch that all failed, is not shown, as in ansible-core)
      if (m[2] === 'start') {
        if (rc.stopping || rc.fatal) return;
        playT0.set(key, Date.now());
        emit({ event: 'play_start', play: pp.play.name, index: pp.play.index, hosts: lane === undefined ? pp.hosts : (pp.lanes?.get(lane) ?? []), after: pp.after, ...tag });
      } else if (!rc.stopping && playT0.has(key)) {
        emit({ event: 'play_end', play: pp.play.name, index: pp.play.index, duration_ms: Date.now() - playT0.get(key)!, ...tag });
      }
    };
    await loadModules(modulesOf(part));
    await new PGraph(nodes, part.edges).run({
      concurrency: nodes.size,
      continue: true,
      run: async (id) => {
        const chain = part.nodes.get(id)!;
        if (chain.length === 0) return barrier(id);
        await lockstep.path(chain, () => prefetch(rc, chain));
      },
    });
  };
  let crashed: unknown;
  try {
    for (let part: Plan | undefined = plan; part; part = rc.stopping || rc.fatal ? undefined : more?.()) {
      await runGraph(part);
    }
  } catch (e) {
    // whatever broke, the run still ends with a recap and a complete journal that says so
    crashed = e;
  } finally {
    detach?.();
    // background async tasks end first: their commands go over these connections
    await Promise.all([...rc.jobs.values()].map((j) => j.done));
    await Promise.all([...conns.values()].map((c) => c.then((x) => x.close()).catch(() => undefined)));
    temps?.close();
  }
  for (const [key, c] of conns) {
    const conn = await c.catch(() => undefined);
    const hs = rc.hosts.get(key.split('\0')[0]);
    if (conn && hs) hs.counts.round_trips += conn.roundTrips();
  }

  const left: Record<string, string[]> = {};
  for (const [h, hs] of rc.hosts) if (hs.notified.size) left[h] = [...hs.notified];
  // a check run changed nothing: the handlers it would have notified are no one's debt
  const saved = opts.check ? undefined : savePendingHandlers(opts.stateDir, opts.inventorySources, left);
  if (saved) emit({ event: 'handlers_saved', hosts: left, file: saved });

  const recap: Record<string, Counts> = {};
  // (with the hosts later segments' plays brought: add_host's, those a group_by put in a play)
  for (const [h, hs] of rc.hosts) if (hs.counted) recap[h] = hs.counts;
  const status = crashed ? 'crashed' : rc.stopping ? 'interrupted' : 'complete';
  const custom = Object.keys(rc.customStats).length ? { custom_stats: rc.customStats } : {};
  emit({ event: 'recap', hosts: recap, ...custom, duration_ms: Date.now() - started.getTime(), check: opts.check, journal: journal?.file, status, ...(crashed ? { cause: String((crashed as Error)?.message ?? crashed) } : {}) });
  await journal?.close();
  if (crashed) throw crashed;
  // as ansible-core: a host whose errors meta: clear_host_errors cleared (and that did not fail again) is not failed
  const failed = [...rc.hosts.entries()].some(([, hs]) => hs.failed || (hs.counts.failed > hs.rescuedCountedFailures && !hs.cleared));
  // (an unreachable host that meta: clear_host_errors did not clear; DESIGN's contract: 3 only when none failed)
  const unreachable = [...rc.hosts.values()].some((hs) => hs.counts.unreachable > hs.unreachableCleared);
  const exitCode = rc.stopping ? Exit.interrupted : rc.inputError ? Exit.input : failed ? Exit.failed : unreachable ? Exit.unreachable : Exit.ok;
  return { exitCode, recap, journal: journal?.file, interrupted: rc.stopping, carry: { vars, hosts: rc.hosts, customStats: rc.customStats } };
}

/**
 * The run's stop signal. Every command in flight listens to it (one listener per host's command,
 * removed when the command ends), so more than node's default 10 at once is the normal case, not
 * a leak: without this node warns on stderr as soon as 11 hosts run a command together.
 */
function runAbort(): AbortController {
  const c = new AbortController();
  setMaxListeners(0, c.signal);
  return c;
}

/** The modules a plan's steps name, to load before it runs (a templated name is the host's, loaded at its step). */
function modulesOf(part: Plan): Set<string> {
  const names = new Set<string>();
  let last: unknown;
  for (const chain of part.nodes.values()) {
    for (const step of chain) {
      const task = step.flat.task;
      if (task === last) continue;
      last = task;
      if (!task.module.includes('{{')) names.add(task.module);
    }
  }
  return names;
}
