// Jinja's subscript and attribute lookup over Python's values (`obj[key]`, `obj.key`, slices), and
// why the last one missed, for the error that follows.
import { AwareDate, microsecond } from './pydatetime.js';
import { PyDate, PyError, PyFloat, dictText, isDict, isFloat, isNum, isTuple, num, pyFloat, pyType, repr, tuple } from './python.js';

/** A slice `[start:stop:step]` of a string or list, as Python takes it. */
export class Slice {
  constructor(
    readonly start: unknown,
    readonly stop: unknown,
    readonly step: unknown,
  ) {}
  indices(len: number): number[] {
    const step = this.step === null || this.step === undefined ? 1 : num(this.step);
    if (step === 0) throw new PyError('ValueError', 'slice step cannot be zero');
    const clamp = (v: unknown, dflt: number, lo: number, hi: number) => {
      if (v === null || v === undefined) return dflt;
      let i = num(v);
      if (i < 0) i += len;
      return Math.min(Math.max(i, lo), hi);
    };
    const out: number[] = [];
    if (step > 0) for (let i = clamp(this.start, 0, 0, len); i < clamp(this.stop, len, 0, len); i += step) out.push(i);
    else for (let i = clamp(this.start, len - 1, -1, len - 1); i > clamp(this.stop, -1, -1, len - 1); i += step) out.push(i);
    return out;
  }
}

/**
 * Why the last lookup of a present value gave nothing, in Jinja's words ("list object has no element
 * 0"), and the last name that had no value, for the error that follows; `latest`: which of the two
 * missed last.
 */
export const misses: { last?: string; name?: string; latest?: 'name' | 'attr' } = {};

/** `obj[key]` / `obj.key` as Jinja does it: subscript, negative indices, slices; undefined when missing (its reason kept in `misses`). */
export function subscript(obj: unknown, key: unknown): unknown {
  const v = lookupIn(obj, key);
  if (v === undefined && obj !== undefined && obj !== null) {
    const what = `${pyType(obj)} object`;
    misses.last = typeof key === 'string' ? `'${what}' has no attribute '${key}'` : `${what} has no element ${repr(key)}`;
    misses.latest = 'attr';
  }
  return v;
}

/** A number's real, imag, numerator, denominator (an int's are ints, a float's floats; a float has no numerator here). */
function numberAttr(n: number | bigint | PyFloat | boolean, key: string): unknown {
  const int = !isFloat(n);
  const value = typeof n === 'boolean' ? Number(n) : n;
  if (key === 'real' || (int && key === 'numerator')) return value;
  if (key === 'imag') return int ? 0 : pyFloat(0);
  if (int && key === 'denominator') return 1;
  return undefined;
}

function lookupIn(obj: unknown, key: unknown): unknown {
  if (obj === undefined || obj === null) return undefined;
  if (key instanceof Slice) {
    if (typeof obj === 'string') {
      const chars = [...obj];
      return key.indices(chars.length).map((i) => chars[i]).join('');
    }
    if (Array.isArray(obj)) {
      const items = key.indices(obj.length).map((i) => obj[i]);
      return isTuple(obj) ? tuple(items) : items;
    }
    // (a slice is Python's subscript itself, not Jinja's getitem, which makes a TypeError undefined)
    throw new PyError('TypeError', `'${pyType(obj)}' object is not subscriptable`);
  }
  // (a bool is an int: `l[True]` is l[1])
  if ((typeof obj === 'string' || Array.isArray(obj)) && (typeof key === 'number' || typeof key === 'boolean' || key instanceof PyFloat)) {
    // (Jinja's getitem: what Python's subscript refuses with a TypeError is undefined)
    if (isFloat(key)) return undefined;
    const i = num(key) < 0 ? num(key) + obj.length : num(key);
    return typeof obj === 'string' ? [...obj][i] : obj[i];
  }
  if (isDict(obj)) {
    const text = dictText(obj, key);
    return text === undefined ? undefined : obj[text];
  }
  if (typeof key === 'string' && obj instanceof Date) {
    const d = obj;
    const parts: Record<string, number | string | null> = { year: d.getFullYear(), month: d.getMonth() + 1, day: d.getDate(), hour: d.getHours(), minute: d.getMinutes(), second: d.getSeconds(), microsecond: microsecond(d) };
    // (a naive datetime's tzinfo is None; an aware one's as its str() reads)
    if (!(d instanceof PyDate)) parts.tzinfo = d instanceof AwareDate ? d.zone() : null;
    return parts[key];
  }
  if (isNum(obj) && typeof key === 'string') return numberAttr(obj, key);
  // (an object of Jinja's that has attributes, a cycler: its own answer)
  if (typeof obj === 'object' && typeof key === 'string' && typeof (obj as { pyAttr?: unknown }).pyAttr === 'function') return (obj as { pyAttr(k: string): unknown }).pyAttr(key);
  // (a list's own attributes: groupby's `grouper` and `list`, never its length or an index)
  if (typeof obj === 'object' && typeof key === 'string' && (!Array.isArray(obj) || (key !== 'length' && !/^\d+$/.test(key))) && Object.hasOwn(obj, key)) return (obj as Record<string, unknown>)[key];
  return undefined;
}
