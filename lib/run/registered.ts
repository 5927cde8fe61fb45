import { isDict } from '../source/python.js';
import { untupled } from '../source/pyvalues.js';

type Vars = Record<string, unknown>;

const internal = (r: unknown): boolean => {
  if (!isDict(r)) return false;
  for (const k in r as Vars) if (k.startsWith('_ansible_')) return true;
  return false;
};
const stripped = (r: unknown): unknown => (internal(r) ? Object.fromEntries(Object.entries(r as Vars).filter(([k]) => !k.startsWith('_ansible_'))) : r);

/**
 * What register keeps: the result without ansible-core's internal `_ansible_*` keys (its
 * strip_internal_keys), its loop items' neither, and without a module's `invocation` (its
 * strategy deletes it; a loop item's stays); its tuples lists, as the variable ansible-core
 * registers holds them (`r.msg` of a zip's pairs).
 */
export function registered(result: Vars): Vars {
  let out = stripped(result) as Vars;
  if (Object.hasOwn(out, 'invocation')) {
    const { invocation: _, ...rest } = out;
    out = rest;
  }
  const items = out.results;
  return untupled(Array.isArray(items) && items.some(internal) ? { ...out, results: items.map(stripped) } : out) as Vars;
}
