// ansible-core's combine_vars: how one layer of variables goes over another. ansible.cfg's
// hash_behaviour (ANSIBLE_HASH_BEHAVIOUR) decides it for the whole run: `replace` (the default) —
// a variable of a higher layer replaces the lower one's; `merge` — a dict over a dict is merged
// into it, key by key and recursively (merge_hash), anything else replaces.
import { processWide } from './process-wide.js';
import { withFloats } from './yaml.js';
import { eq, isDict } from './python.js';
import { updated } from './pydict.js';

type Vars = Record<string, unknown>;

/** (one per process: a TypeScript role's copy of agri-play merges as the engine's does) */
const mode = processWide('hash-behaviour', () => ({ merge: false }));

/** hash_behaviour = merge (true) or replace (false). */
export function setHashMerge(merge: boolean): void {
  mode.merge = merge;
}

/** The layers over one another (later ones higher), in a new object, as combine_vars. */
export function combineVars(...layers: (Vars | undefined)[]): Vars {
  const out: Vars = {};
  for (const l of layers) {
    if (!l) continue;
    // (a for…in copy, not Object.assign: ≈ 30% less time for a step's fifty-odd variables, measured)
    if (mode.merge) mergeInto(out, l);
    else for (const k in l) out[k] = l[k];
  }
  return out;
}

/** `src` over `into`, in place (a host's or group's set_variable; include_vars' host layer). */
export function mergeInto(into: Vars, src: object): Vars {
  if (!mode.merge) return Object.assign(into, src);
  for (const k of Object.keys(src)) {
    const v = (src as Vars)[k];
    const cur = into[k];
    into[k] = isDict(cur) && isDict(v) ? mergeHash(cur, v) : v;
  }
  return into;
}

/**
 * merge_hash(x, y, list_merge): y's keys over x's, dicts in both merged recursively, lists replaced
 * (or `append_rp`: x's items not in y's, then y's, as the gather_facts action merges its modules'
 * facts); a new dict.
 */
export function mergeHash(x: Vars, y: Vars, listMerge: 'replace' | 'append_rp' = 'replace'): Vars {
  // (a dict merged is a new one: the floats YAML marked in either, `x: 1.0`, are made floats first)
  const [a, b] = [withFloats(x), withFloats(y)];
  return updated(a, b, (cur, v) => (isDict(cur) && isDict(v) ? mergeHash(cur, v, listMerge) : listMerge === 'append_rp' && Array.isArray(cur) && Array.isArray(v) ? [...cur.filter((c) => !v.some((w) => eq(c, w))), ...v] : v));
}
