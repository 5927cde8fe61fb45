import { isDict } from '../source/python.js';
import { untupled } from '../source/pyvalues.js';
import { inAnsibleOrder } from './result-order.js';

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
 * registers holds them (`r.msg` of a zip's pairs); its keys in ansible-core's order (result-order.ts).
 */
export function registered(result: Vars, module: string): Vars {
  let out = stripped(result) as Vars;
  if (Object.hasOwn(out, 'invocation')) {
    const { invocation: _, ...rest } = out;
    out = rest;
  }
  const items = out.results;
  // (a loop's result keeps its own order; its items are its module's results, each put in ansible-core's key order)
  if (Array.isArray(items)) return untupled({ ...out, results: items.map((i) => (isDict(i) ? inAnsibleOrder(module, stripped(i) as Vars) : i)) }) as Vars;
  return untupled(inAnsibleOrder(module, out)) as Vars;
}
