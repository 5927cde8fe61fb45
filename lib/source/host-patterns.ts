// Ansible's host patterns over an inventory's groups and hosts (no inventory file needed: the
// inventory_hostnames lookup evaluates them over the `groups` variable, the planner over the inventory).
import picomatch from './vendor/picomatch.js';
import { closest } from './suggest.js';
import { splitOutside } from './data.js';

/** What a pattern is evaluated over: the hosts in inventory order, each group's own hosts and children. */
export interface PatternInventory {
  hosts: Map<string, unknown>;
  groups: Map<string, { hosts: string[]; children: string[] }>;
  /** ansible-core's implicit localhost: there when a play names it, not in `all`. */
  implicit?: Set<string>;
}

export interface Selection {
  hosts: string[];
  /** Pattern terms that matched nothing, with the nearest known name when there is one. */
  unknown: { term: string; hint?: string }[];
}

/** Splits a host pattern into terms: `a,b` or `a:b`; `&x` intersects, `!x` excludes. */
export function splitPattern(pattern: string): string[] {
  const p = pattern.trim();
  if (p.includes(',')) return p.split(',').map((s) => s.trim()).filter(Boolean);
  // (a regex term is split at a ':' outside brackets too, as ansible-core's split_host_pattern)
  // ':' inside a subscript (web[0:2]) is not a separator
  return splitOutside(p, ':', '[', ']');
}

function matchTerm(inv: PatternInventory, term: string): string[] | undefined {
  if (term === 'all' || term === '*') return inv.groups.has('all') ? groupHosts(inv, 'all') : [...inv.hosts.keys()].filter((h) => !inv.implicit?.has(h));
  // ~regex first: a character class ([23]) is not a subscript
  if (term.startsWith('~')) return matchGlobOrRegex(inv, term);
  // subscripts as ansible-core reads them: web[0], web[-1], web[0:2] (the end included: 3 hosts), web[1:] (to the last)
  const sub = /^(.+)\[(?:(-?\d+)|(\d+)([:-])(\d*))\]$/.exec(term);
  if (sub && !inv.hosts.has(term)) {
    // a group's subscript counts in the group's own order (its hosts, then its children's), as ansible-core's
    const base = inv.groups.has(sub[1]) ? groupHosts(inv, sub[1]) : matchTerm(inv, sub[1]);
    if (!base) return undefined;
    if (sub[2] !== undefined) {
      const h = base.at(Number(sub[2]));
      return h ? [h] : [];
    }
    const start = Number(sub[3]);
    let end = sub[5] === '' ? -1 : Number(sub[5]);
    if (end === -1) end = base.length - 1;
    // as ansible-core: an end of 0 gives the one host at start
    return end ? base.slice(start, end + 1) : base[start] !== undefined ? [base[start]] : [];
  }
  const group = inv.groups.get(term);
  if (group) return groupHosts(inv, term);
  if (inv.hosts.has(term)) return [term];
  return matchGlobOrRegex(inv, term);
}

/** `~regex` (matched from the start of the name, as Python's re.match) and shell globs, over groups and hosts. */
function matchGlobOrRegex(inv: PatternInventory, term: string): string[] | undefined {
  let test: ((s: string) => boolean) | undefined;
  if (term.startsWith('~')) {
    let re: RegExp;
    try {
      re = new RegExp(`^(?:${term.slice(1)})`);
    } catch {
      return undefined;
    }
    test = (s) => re.test(s);
  } else if (/[*?[]/.test(term)) {
    test = picomatch(term, { dot: true });
  }
  if (!test) return undefined;
  const out = new Set<string>();
  for (const g of inv.groups.keys()) if (test(g)) for (const h of groupHosts(inv, g)) out.add(h);
  for (const h of inv.hosts.keys()) if (test(h)) out.add(h);
  return [...out];
}

/**
 * Every host in a group, its children's included, in ansible-core's order (Group.get_hosts): the
 * group's own hosts, then its children's, level by level (its _walk_relationship keeps the order in
 * which each level's groups were met), each host once; `all` leaves out implicit ones (localhost).
 */
export function groupHosts(inv: PatternInventory, name: string): string[] {
  const root = inv.groups.get(name);
  if (!root) return [];
  // (each group once, in the order its level met it)
  const ordered = new Set([name, ...root.children]);
  let level = [...ordered];
  while (level.length) {
    const next: string[] = [];
    for (const g of level) for (const c of inv.groups.get(g)?.children ?? []) if (!ordered.has(c)) (ordered.add(c), next.push(c));
    level = next;
  }
  const hosts = new Set<string>();
  const out: string[] = [];
  for (const g of ordered)
    for (const h of inv.groups.get(g)?.hosts ?? []) {
      if (hosts.has(h)) continue;
      hosts.add(h);
      if (name !== 'all' || !inv.implicit?.has(h)) out.push(h);
    }
  // (a host no group holds is all's all the same)
  if (name === 'all') for (const h of inv.hosts.keys()) if (!hosts.has(h) && !inv.implicit?.has(h)) out.push(h);
  return out;
}

/** Resolves a host pattern (Ansible's rules: unions first, then `&` intersections, then `!` exclusions). */
export function selectHosts(inv: PatternInventory, pattern: string): Selection {
  const terms = splitPattern(pattern);
  const unknown: Selection['unknown'] = [];
  const resolveTerm = (t: string): string[] => {
    const m = matchTerm(inv, t);
    if (m === undefined) {
      const hint = closest(t, [...inv.groups.keys(), ...inv.hosts.keys()]);
      unknown.push({ term: t, hint: hint ? `did you mean '${hint}'?` : undefined });
      return [];
    }
    return m;
  };
  const plain = terms.filter((t) => !t.startsWith('&') && !t.startsWith('!'));
  let chosen = new Set<string>();
  for (const t of plain) for (const h of resolveTerm(t)) chosen.add(h);
  // (only `&` and `!` terms: they apply to all, as ansible-core's order_patterns)
  if (plain.length === 0) chosen = new Set(resolveTerm('all'));
  for (const t of terms.filter((t) => t.startsWith('&'))) {
    const keep = new Set(resolveTerm(t.slice(1)));
    chosen = new Set([...chosen].filter((h) => keep.has(h)));
  }
  for (const t of terms.filter((t) => t.startsWith('!'))) for (const h of resolveTerm(t.slice(1))) chosen.delete(h);
  // (in the order the terms gave them, as ansible-core's _evaluate_patterns: `db:web` is db's hosts first)
  return { hosts: [...chosen], unknown };
}

