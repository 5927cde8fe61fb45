import { InputError } from '../errors.js';
import { addImplicitLocalhost, inventoryVars, selectHosts, type Inventory } from '../inventory/index.js';
import type { Play, Playbook } from '../playbook/index.js';
import { closest, posOf, problem, type Problem } from '../source/index.js';
import { hasTemplate, renderText, renderValue } from '../vars/index.js';
import { hostTasks } from './expand.js';
import { flattenPlay, type TagFilter } from './flatten.js';
import { fromStart, type Start } from './start-at.js';
import { checkRoleParams } from './params.js';
import type { HostRef, Plan, PlannedPlay, Step } from './types.js';

export interface PlanOptions extends TagFilter {
  limit?: string;
  extraVars: Record<string, unknown>;
  /** Plan only the plays from..to-1 (those after a group_by/add_host are planned when it has run: see segments.ts). */
  only?: { from: number; to: number };
  /** --start-at-task's place (startAt): the tasks before it are passed over. */
  startAt?: Start;
  /** The strategy of a play that names none (ansible.cfg strategy, ANSIBLE_STRATEGY; linear by default). */
  strategy?: string;
}

const ORDERS = new Set(['inventory', 'sorted', 'reverse_sorted', 'reverse_inventory', 'shuffle']);

/** A play's `order:` of its hosts, as ansible-core's (inventory order by default). */
function orderHosts(hosts: string[], order: string | undefined): string[] {
  if (order === 'sorted') return [...hosts].sort();
  if (order === 'reverse_sorted') return [...hosts].sort().reverse();
  if (order === 'reverse_inventory') return [...hosts].reverse();
  if (order === 'shuffle') return [...hosts].map((h) => [Math.random(), h] as const).sort((a, b) => a[0] - b[0]).map(([, h]) => h);
  return hosts;
}

/**
 * Batches for serial, as ansible-core's _get_serialized_batches makes them: each entry a number, or
 * 'N%' of the play's hosts (pct_to_int: at least 1, so 34% of two hosts is one); 0 or less takes the
 * hosts left; the last entry repeats.
 */
export function batchesOf(hosts: string[], serial: (number | string)[] | undefined): string[][] {
  if (!serial || serial.length === 0 || hosts.length === 0) return [hosts];
  const out: string[][] = [];
  let i = 0;
  for (let k = 0; i < hosts.length; k = Math.min(k + 1, serial.length - 1)) {
    const left = hosts.length - i;
    const m = /^(\d+(?:\.\d+)?)%$/.exec(String(serial[k]));
    const size = m ? Math.trunc((Number(m[1]) / 100) * hosts.length) || 1 : Math.trunc(Number(serial[k]));
    const n = size > 0 ? size : left;
    out.push(hosts.slice(i, i + n));
    i += n;
  }
  return out;
}

const batchIndex = new WeakMap<PlannedPlay, Map<string, string[]>>();
/** The batch (`serial:`) a host of the play is in: the same array as in `batches`; the play's hosts when it has none. */
export function batchOf(pp: PlannedPlay, host: string): string[] {
  // (a play without serial, or whose hosts fit one batch: asked before every step, no lookup)
  if (pp.batches.length === 1) return pp.batches[0];
  let m = batchIndex.get(pp);
  if (!m) batchIndex.set(pp, (m = new Map(pp.batches.flatMap((b) => b.map((h) => [h, b] as const)))));
  return m.get(host) ?? pp.hosts;
}

function playOrder(pb: Playbook, problems: Problem[]): number[][] {
  const byName = new Map(pb.plays.map((p) => [p.name, p.index]));
  const deps = pb.plays.map((p) => {
    if (!p.afterGiven) return p.index > 0 ? [p.index - 1] : [];
    // a play in lanes keeps its lane's way through the play before it; after: adds whole plays
    const out: number[] = p.lanes && p.index > 0 ? [p.index - 1] : [];
    for (const a of p.after) {
      const i = byName.get(a.name);
      if (i === undefined) {
        const hint = closest(a.name, byName.keys());
        problems.push(problem(a.pos, `after: names unknown play '${a.name}'`, hint ? `did you mean '${hint}'?` : `plays: ${[...byName.keys()].join(', ')}`));
      } else if (!out.includes(i)) out.push(i);
    }
    return out;
  });
  // cycles: depth-first search, reporting the chain with each play's position
  const state = new Array<number>(deps.length).fill(0);
  const stack: number[] = [];
  const visit = (i: number): boolean => {
    if (state[i] === 2) return false;
    if (state[i] === 1) {
      const cycle = [...stack.slice(stack.indexOf(i)), i].map((j) => pb.plays[j].name);
      problems.push(problem(pb.plays[i].after[0]?.pos ?? pb.plays[i].pos, `after: makes a cycle: ${cycle.join(' → ')}`, 'remove one of these after: entries'));
      return true;
    }
    state[i] = 1;
    stack.push(i);
    for (const d of deps[i]) if (visit(d)) return true;
    stack.pop();
    state[i] = 2;
    return false;
  };
  for (let i = 0; i < deps.length; i++) if (visit(i)) break;
  return deps;
}

/** ansible-core's strategies: linear runs in lockstep, free and host_pinned let each host go at its own pace. */
const STRATEGIES = new Set(['linear', 'free', 'host_pinned']);

const compiles = (re: string): boolean => {
  try {
    new RegExp(re);
    return true;
  } catch {
    return false;
  }
};

/** A play keyword's value, its template rendered with the play's vars and -e (undefined, with the problem, when it cannot be). */
function playKeyword(play: Play, key: string, value: string, opts: PlanOptions, problems: Problem[]): string | undefined {
  if (!hasTemplate(value)) return value;
  try {
    // (hosts from a variable that is a list: its patterns, as ansible-core takes a play's list of hosts)
    if (key === 'hosts') {
      const v = renderValue(value, { ...play.vars, ...opts.extraVars });
      return Array.isArray(v) ? v.map(String).join(',') : String(v);
    }
    return renderText(value, { ...play.vars, ...opts.extraVars });
  } catch (e) {
    problems.push(problem(posOf(play, key) ?? play.pos, `${key}: ${(e as Error).message}`));
    return undefined;
  }
}

/** Expands plays × hosts × tasks into one graph; unknown names and cycles are errors before any run. */
export function buildPlan(pb: Playbook, inv: Inventory, opts: PlanOptions): Plan {
  const problems: Problem[] = [];
  const deps = playOrder(pb, problems);
  const limit = opts.limit ? selectHosts(inv, opts.limit) : undefined;
  if (limit) for (const u of limit.unknown) problems.push(problem({ file: '--limit', line: 1, col: 1 }, `--limit: no host or group '${u.term}'`, u.hint));
  const plan: Plan = { plays: [], stepCount: 0, nodes: new Map(), edges: [], warnings: [] };
  for (const play of pb.plays) {
    if (opts.only && (play.index < opts.only.from || play.index >= opts.only.to)) {
      plan.plays.push({ play, hosts: [], batches: [], flat: [], lockstep: false, startId: `play${play.index}:start`, endId: `play${play.index}:end`, after: [], elsewhere: true });
      continue;
    }
    const pattern = playKeyword(play, 'hosts', play.hosts, opts, problems);
    if (pattern === undefined) continue;
    addImplicitLocalhost(inv, pattern);
    const sel = selectHosts(inv, pattern);
    // as ansible-core: a pattern term that matches nothing is a warning, and a play with no hosts is skipped;
    // a regex that does not compile is bad input
    for (const u of sel.unknown.filter((x) => x.term.startsWith('~') && !compiles(x.term.slice(1)))) problems.push(problem(play.pos, `play '${play.name}': hosts pattern '${u.term}' is not a valid regular expression`));
    for (const u of sel.unknown.filter((x) => !x.term.startsWith('~') || compiles(x.term.slice(1)))) plan.warnings.push(problem(play.pos, `play '${play.name}': could not match host pattern '${u.term}'${sel.hosts.length ? '' : ': the play is skipped'}`, u.hint));
    const strategy = play.strategy === undefined ? opts.strategy : playKeyword(play, 'strategy', play.strategy, opts, problems);
    if (strategy && !STRATEGIES.has(strategy)) problems.push(problem(posOf(play, 'strategy') ?? play.pos, `strategy '${strategy}' is not one agri-play has`, `one of: ${[...STRATEGIES].join(', ')}`));
    const allowed = limit ? new Set(limit.hosts) : undefined;
    const order = play.order === undefined ? undefined : playKeyword(play, 'order', play.order, opts, problems);
    if (order !== undefined && !ORDERS.has(order)) problems.push(problem(posOf(play, 'order') ?? play.pos, `order '${order}' is not one ansible-core has`, `one of: ${[...ORDERS].join(', ')}`));
    const matched = allowed ? sel.hosts.filter((h) => allowed.has(h)) : sel.hosts;
    const hosts = orderHosts(matched, order);
    const flat = opts.startAt === undefined ? flattenPlay(play, opts) : fromStart(play, flattenPlay(play, opts), opts.startAt);
    const pp: PlannedPlay = {
      play,
      pattern,
      hosts,
      ...(hosts !== matched ? { patternOrder: matched } : {}),
      batches: batchesOf(hosts, play.serial),
      flat,
      lockstep: !play.lanes && (strategy ?? 'linear') === 'linear' && !flat.some((f) => f.task.expand),
      ...(!play.lanes && (strategy === 'free' || strategy === 'host_pinned') ? { free: true } : {}),
      segmentEnd: play.index === (opts.only?.to ?? pb.plays.length) - 1,
      startId: `play${play.index}:start`,
      endId: `play${play.index}:end`,
      after: deps[play.index] ?? [],
      ...(play.lanes ? { lanes: lanesOf(inv, hosts, play.lanes), wholeAfter: play.after.map((a) => pb.plays.findIndex((x) => x.name === a.name)).filter((i) => i >= 0) } : {}),
    };
    if (play.lanes && play.serial) problems.push(problem(posOf(play, 'lanes') ?? play.pos, `play '${play.name}': lanes and serial can't be combined`, 'batches would cut across the lanes; drop one of them'));
    plan.plays.push(pp);
  }
  if (problems.length) throw new InputError(problems);
  const params = checkRoleParams(plan, inv, opts.extraVars);
  if (params.length) throw new InputError(params);
  for (const pp of plan.plays) if (!pp.elsewhere) addPlay(plan, pp, (host) => hostTasks(pp, host, inv, opts.extraVars, opts, problems, pb.dir));
  if (problems.length) throw new InputError(problems);
  return plan;
}

/** The hosts of each lane: by the value of the lane variable (hosts without it share the lane ''). */
function lanesOf(inv: Inventory, hosts: string[], name: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const h of hosts) {
    const host = inv.hosts.get(h);
    const v = host ? inventoryVars(inv, host)[name] : undefined;
    const k = v === undefined || v === null ? '' : String(v);
    out.set(k, [...(out.get(k) ?? []), h]);
  }
  return out;
}

/** The node lane `k` of a play ends at: its own lane's end, or the whole play's when it has no such lane. */
const laneEnd = (pp: PlannedPlay, k: string) => (pp.lanes?.has(k) ? `${pp.endId}:${k}` : pp.endId);

function addPlay(plan: Plan, pp: PlannedPlay, tasksOf: (host: string) => PlannedPlay['flat']): void {
  const { edges, nodes } = plan;
  // a play planned in another segment has run before this one starts (or runs after it)
  pp.after = pp.after.filter((d) => !plan.plays[d]?.elsewhere);
  if (pp.lanes) return addLanes(plan, pp, pp.lanes, tasksOf);
  nodes.set(pp.startId, []);
  nodes.set(pp.endId, []);
  for (const d of pp.after) edges.push([plan.plays[d].endId, pp.startId]);
  let prev = pp.startId;
  pp.batches.forEach((batch, b) => {
    const end = b === pp.batches.length - 1 ? pp.endId : `play${pp.play.index}:batch${b}`;
    nodes.set(end, []);
    addHostPaths(plan, pp, batch, tasksOf, prev, end);
    if (batch.length === 0) edges.push([prev, end]);
    prev = end;
  });
}

/**
 * A play in lanes: lane k starts when lane k of each play it waits for has ended (or that whole
 * play, when it has no lane k, or when `after:` names it: what the lane needs from every lane,
 * like the other sites' addresses), so one site's slow machines don't hold the other back. The
 * play's end still waits for every lane: a play without lanes after it is a barrier, as before.
 */
function addLanes(plan: Plan, pp: PlannedPlay, lanes: Map<string, string[]>, tasksOf: (host: string) => PlannedPlay['flat']): void {
  const { edges, nodes } = plan;
  nodes.set(pp.endId, []);
  for (const [k, hosts] of lanes) {
    const start = `${pp.startId}:${k}`;
    const end = `${pp.endId}:${k}`;
    nodes.set(start, []);
    nodes.set(end, []);
    for (const d of pp.after) edges.push([pp.wholeAfter?.includes(d) ? plan.plays[d].endId : laneEnd(plan.plays[d], k), start]);
    addHostPaths(plan, pp, hosts, tasksOf, start, end);
    edges.push([end, pp.endId]);
  }
  if (lanes.size === 0) for (const d of pp.after) edges.push([plan.plays[d].endId, pp.endId]);
}

/** Each plan's hosts, one ref each for all their steps. */
const hostRefs = new WeakMap<Plan, Map<string, HostRef>>();

function refOf(plan: Plan, host: string): HostRef {
  let refs = hostRefs.get(plan);
  if (!refs) hostRefs.set(plan, (refs = new Map()));
  let r = refs.get(host);
  if (!r) refs.set(host, (r = {}));
  return r;
}

/**
 * Each host's steps in a play: a path (one graph node) per host between two barrier nodes. The
 * steps are made task by task across the hosts, the order a lockstep play runs them in: the
 * 10,000 hosts' steps of one task lie together in memory, not each 30 steps apart.
 */
function addHostPaths(plan: Plan, pp: PlannedPlay, hosts: string[], tasksOf: (host: string) => PlannedPlay['flat'], from: string, to: string): void {
  const flats = hosts.map(tasksOf);
  const refs = hosts.map((h) => refOf(plan, h));
  // (each chain's array made whole at once, side by side: grown push by push, their stores lay scattered)
  const chains: Step[][] = flats.map((f) => new Array<Step>(f.length));
  const longest = flats.reduce((m, f) => Math.max(m, f.length), 0);
  for (let seq = 0; seq < longest; seq++) {
    for (let k = 0; k < hosts.length; k++) {
      const flat = flats[k][seq];
      if (flat) chains[k][seq] = { id: `${pp.play.index}/${hosts[k]}/${seq}`, play: pp, host: hosts[k], ref: refs[k], flat, seq };
    }
  }
  for (let k = 0; k < hosts.length; k++) {
    plan.stepCount += chains[k].length;
    const id = `${pp.play.index}/${hosts[k]}`;
    plan.nodes.set(id, chains[k]);
    plan.edges.push([from, id], [id, to]);
  }
}
