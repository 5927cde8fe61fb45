import picomatch from 'picomatch';
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
  if (term === 'all' || term === '*') return [...inv.hosts.keys()];
  // subscripts as Ansible documents them: web[0], web[-1], web[0:2] (end excluded), web[1:], web[:3]
  const sub = /^(.+)\[(-?\d*)(?::(-?\d*))?\]$/.exec(term);
  if (sub && !inv.hosts.has(term) && (sub[2] !== '' || sub[3] !== undefined)) {
    const base = matchTerm(inv, sub[1]);
    if (!base) return undefined;
    if (sub[3] === undefined) {
      const h = base.at(Number(sub[2]));
      return h ? [h] : [];
    }
    return base.slice(sub[2] === '' ? 0 : Number(sub[2]), sub[3] === '' ? undefined : Number(sub[3]));
  }
  const group = inv.groups.get(term);
  if (group) return groupHosts(inv, term);
  if (inv.hosts.has(term)) return [term];
  let test: ((s: string) => boolean) | undefined;
  if (term.startsWith('~')) {
    let re: RegExp;
    try {
      re = new RegExp(term.slice(1));
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
