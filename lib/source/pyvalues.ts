// Deep walks over template values: tuples made lists (a fact as ansible-core stores it), undefined
// values found (ansible-core fails a template's result holding one), an undefined value's repr.
import { types } from 'node:util';
import { PyError, PyFloat, UndefinedUse, isDict, isTuple, pyType, repr } from './python.js';
import { misses } from './pysubscript.js';
import { copyKeys, dictKeys } from './pydict.js';

/** The value with its tuples made lists, deeply (a fact as ansible-core stores it); the same value where it holds none. */
export function untupled(v: unknown): unknown {
  if (Array.isArray(v)) {
    const items = v.map(untupled);
    return isTuple(v) || items.some((x, i) => x !== v[i]) ? items : v;
  }
  if (isDict(v)) {
    let out: Record<string, unknown> | undefined;
    for (const [k, x] of Object.entries(v)) {
      const u = untupled(x);
      if (u !== x) (out ??= copyKeys(v, Object.assign({}, v)))[k] = u;
    }
    return out ?? v;
  }
  return v;
}

/** ansible-core's repr of an undefined value (`'%r' | format(x)`): its name where it was a variable's. */
export const undefinedRepr = (): string => `AnsibleUndefined(hint=None, obj=missing, name=${misses.name === undefined ? 'None' : repr(misses.name)})`;

/** Whether a list or dict holds an undefined value, deeply (ansible-core fails such a template's result). */
export function holdsUndefined(v: unknown): boolean {
  // (hostvars and groups are views: every value there is defined, and walking one reads every host)
  if (types.isProxy(v)) return false;
  if (Array.isArray(v)) return v.some((x) => x === undefined || (typeof x === 'object' && x !== null && holdsUndefined(x)));
  if (isDict(v)) return Object.values(v).some((x) => x === undefined || (typeof x === 'object' && x !== null && holdsUndefined(x)));
  return false;
}

/** The value, where it holds no undefined value at any depth (json.dumps of an undefined one is its error); else the undefined value's error. */
export function definedDeep<T>(v: T): T {
  if (v === undefined || holdsUndefined(v)) throw new UndefinedUse();
  return v;
}

/** None, a number or a bool: a value with no items and no len(). */
export const isScalar = (v: unknown): boolean => v === null || typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean' || v instanceof PyFloat;

/** Python's iter() of a value: a list's items, a text's characters, a dict's keys; anything else its TypeError. */
export function pyIter(v: unknown): unknown[] {
  if (Array.isArray(v)) return v;
  if (typeof v === 'string') return [...v];
  if (isDict(v)) return dictKeys(v);
  if (v === undefined) throw new UndefinedUse();
  throw new PyError('TypeError', `'${pyType(v)}' object is not iterable`);
}

/** Python's `a, b = item`: an iterable of exactly that many items. */
export function unpack(item: unknown, n: number): unknown[] {
  if (!Array.isArray(item) && typeof item !== 'string' && !isDict(item)) throw new PyError('TypeError', `cannot unpack non-iterable ${pyType(item)} object`);
  const items = pyIter(item);
  if (items.length < n) throw new PyError('ValueError', `not enough values to unpack (expected ${n}, got ${items.length})`);
  if (items.length > n) throw new PyError('ValueError', `too many values to unpack (expected ${n})`);
  return items;
}
