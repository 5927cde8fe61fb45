import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import picomatch from '../source/vendor/picomatch.js';
import { closest, splitOutside } from '../source/index.js';
import type { Inventory } from './types.js';

export interface Selection {
  hosts: string[];
  /** Pattern terms that matched nothing, with the nearest known name when there is one. */
  unknown: { term: string; hint?: string }[];
}

/** Splits a host pattern into terms: `a,b` or `a:b`; `&x` intersects, `!x` excludes. */
export function splitPattern(pattern: string): string[] {
  const p = pattern.trim();
  if (p.includes(',')) return p.split(',').map((s) => s.trim()).filter(Boolean);
  // a regex term (~...) may contain ':'; keep it whole when it is the only term
  if (p.startsWith('~')) return [p];
  // ':' inside a subscript (web[0:2]) is not a separator
  return splitOutside(p, ':', '[', ']');
}

function matchTerm(inv: Inventory, term: string): string[] | undefined {
  if (term === 'all' || term === '*') return [...inv.hosts.keys()].filter((h) => !inv.implicit?.has(h));
  // ~regex first: a character class ([23]) is not a subscript
  if (term.startsWith('~')) return matchGlobOrRegex(inv, term);
  // subscripts as ansible-core reads them: web[0], web[-1], web[0:2] (the end included: 3 hosts), web[1:] (to the last)
  const sub = /^(.+)\[(?:(-?\d+)|(\d+)([:-])(\d*))\]$/.exec(term);
  if (sub && !inv.hosts.has(term)) {
    // a group's subscript counts in the group's own order (its hosts, then its children's), as ansible-core's
    const base = inv.groups.has(sub[1]) ? groupHostsInOrder(inv, sub[1]) : matchTerm(inv, sub[1]);
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
function matchGlobOrRegex(inv: Inventory, term: string): string[] | undefined {
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

/** A group's hosts as ansible-core lists them: its own in the order written, then each child's. */
function groupHostsInOrder(inv: Inventory, name: string): string[] {
  const out = new Set<string>();
  const walk = (g: string, seen: Set<string>): void => {
    const grp = inv.groups.get(g);
    if (!grp || seen.has(g)) return;
    seen.add(g);
    for (const h of grp.hosts) out.add(h);
    for (const c of grp.children) walk(c, seen);
  };
  walk(name, new Set());
  return [...out];
}

/** ansible-core's group_names: the host's groups but `all`, sorted (`ungrouped` for a host in no other group). */
export function groupNamesOf(inv: Inventory, host: string): string[] {
  return (inv.hosts.get(host)?.groups ?? []).filter((g) => g !== 'all').sort();
}

/** Every host in a group, its children included, in inventory order. */
export function groupHosts(inv: Inventory, name: string): string[] {
  const set = new Set<string>();
  const walk = (g: string, seen: Set<string>): void => {
    if (seen.has(g)) return;
    seen.add(g);
    const grp = inv.groups.get(g);
    if (!grp) return;
    for (const h of grp.hosts) set.add(h);
    for (const c of grp.children) walk(c, seen);
  };
  walk(name, new Set());
  return [...inv.hosts.keys()].filter((h) => set.has(h));
}

/** Resolves a host pattern (Ansible's rules: unions first, then `&` intersections, then `!` exclusions). */
export function selectHosts(inv: Inventory, pattern: string): Selection {
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
  if (plain.length === 0) chosen = new Set(inv.hosts.keys());
  for (const t of terms.filter((t) => t.startsWith('&'))) {
    const keep = new Set(resolveTerm(t.slice(1)));
    chosen = new Set([...chosen].filter((h) => keep.has(h)));
  }
  for (const t of terms.filter((t) => t.startsWith('!'))) for (const h of resolveTerm(t.slice(1))) chosen.delete(h);
  return { hosts: [...inv.hosts.keys()].filter((h) => chosen.has(h)), unknown };
}

/** The implicit localhost's variables: the local connection and, as ansible-core names it, the controller's Python. */
const implicitLocalhostVars = (): Record<string, unknown> => ({ ansible_connection: 'local', ansible_python_interpreter: localPython() });

/** The controller's Python (ansible-core's own sys.executable). */
function localPython(): string {
  if (existsSync('/usr/bin/python3')) return '/usr/bin/python3';
  const dir = (process.env.PATH ?? '').split(delimiter).find((d) => d && existsSync(join(d, 'python3')));
  return dir ? join(dir, 'python3') : '/usr/bin/python3';
}

/**
 * ansible-core's implicit localhost: a play that names `localhost` (or 127.0.0.1) runs there with
 * the local connection even when the inventory does not list it; it is in no group and not in `all`.
 */
export function addImplicitLocalhost(inv: Inventory, pattern: string): void {
  for (const term of splitPattern(pattern).map((t) => t.replace(/^[!&]/, ''))) {
    if ((term === 'localhost' || term === '127.0.0.1') && !inv.hosts.has(term)) {
      inv.hosts.set(term, { name: term, vars: implicitLocalhostVars(), groups: [] });
      (inv.implicit ??= new Set()).add(term);
    }
  }
}
