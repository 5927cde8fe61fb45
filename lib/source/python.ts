/**
 * Python's value semantics for templates: Jinja evaluates expressions with Python's operators and
 * prints values with Python's str(); ansible-core's results depend on both. JavaScript values stand
 * for Python's (number → int or float, string → str, array → list, plain object → dict, null →
 * None); a float whose value is whole (`4 / 2` = 2.0) is boxed as PyFloat so it still prints `2.0`.
 */
import { cPowSigned } from './libm.js';
import { divmod, floatRepr } from './pynumbers.js';
import { bigEq, bigOrder, exactDiv, exactInt, intDigits } from './pyint.js';
import { strRepr } from './pystr.js';
import { copyKeys, dictItems, hasKeyTable, keyOf } from './pydict.js';
import { dateAdd, dateRepr, dateSub, isoformat, PyTimedelta } from './pydatetime.js';

export { floatRepr };

/** An error Python would raise (TypeError, ZeroDivisionError, …); the template fails with it. */
export class PyError extends Error {
  constructor(
    readonly kind: string,
    message: string,
  ) {
    super(`${kind}: ${message}`);
    this.name = 'PyError';
  }
}

/** A use of an undefined value other than testing or defaulting it. */
export class UndefinedUse extends Error {
  constructor(what = 'a value') {
    super(`${what} is undefined`);
    this.name = 'UndefinedUse';
  }
}

/**
 * A variable whose template could not be rendered (it names an undefined variable, or itself).
 * Ansible templates a variable when it is used, so using it fails with that cause; here it reads
 * as undefined (and `is defined` is false), never as its raw `{{ … }}` text.
 */
export class Unresolved {
  constructor(
    readonly text: string,
    readonly cause: string,
    /** Not an undefined value but an error: it is raised where the variable is used, even under `default` (AnsibleJ2Vars' AnsibleError). */
    readonly fatal?: Error,
  ) {}
  toString(): string {
    throw new UndefinedUse(`a variable (${this.cause})`);
  }
}

/** A variable as a template reads it: one not rendered is undefined there, or raises its error (even under `default`). */
export function unresolved(v: unknown): unknown {
  if (v instanceof Unresolved && v.fatal) throw v.fatal;
  return v instanceof Unresolved ? undefined : v;
}

/** A Python float whose value is a whole number (JavaScript can't tell 2.0 from 2). */
export class PyFloat {
  constructor(readonly value: number) {}
  valueOf(): number {
    return this.value;
  }
  toString(): string {
    return floatRepr(this.value);
  }
  toJSON(): number {
    return this.value;
  }
}

/** A Python date without a time (YAML's `2001-12-14`, a datetime.date): prints `2001-12-14`. */
export class PyDate extends Date {
  /** The day as ISO writes it (date.isoformat(): YAML gives the day at UTC midnight). */
  iso(): string {
    return this.toISOString().slice(0, 10);
  }
  override toJSON(): string {
    return this.iso();
  }
}

/** A Python tuple: a list that prints with parentheses. */
export const TUPLE = Symbol('tuple');
export function tuple<T>(items: T[]): T[] {
  Object.defineProperty(items, TUPLE, { value: true });
  return items;
}
export const isTuple = (v: unknown): boolean => Array.isArray(v) && (v as unknown as Record<symbol, unknown>)[TUPLE] === true;
export const pyFloat = (n: number): number | PyFloat => (Number.isInteger(n) && !Object.is(n, -0) ? new PyFloat(n) : Object.is(n, -0) ? new PyFloat(-0) : n);
export const isFloat = (v: unknown): boolean => v instanceof PyFloat || (typeof v === 'number' && !Number.isInteger(v));
export const isNum = (v: unknown): v is number | bigint | PyFloat | boolean => typeof v === 'number' || typeof v === 'bigint' || v instanceof PyFloat || typeof v === 'boolean';
export const isDict = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v) && (Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null);
/** The number a numeric value stands for. */
export const num = (v: unknown): number => (v instanceof PyFloat ? v.value : typeof v === 'boolean' ? Number(v) : typeof v === 'bigint' ? intFloat(v) : (v as number));
/** float() of an int past 2**53 (Python's OverflowError past the doubles' range). */
const intFloat = (b: bigint): number => (Number.isFinite(Number(b)) ? Number(b) : raise(new PyError('OverflowError', 'int too large to convert to float')));
/** Unboxes PyFloats deeply (for values handed to modules and JSON). */
export function plain(v: unknown): unknown {
  if (v instanceof PyFloat) return v.value;
  if (Array.isArray(v)) return v.some((x) => x instanceof PyFloat || (typeof x === 'object' && x !== null)) ? v.map(plain) : v;
  if (isDict(v)) {
    let out: Record<string, unknown> | undefined;
    // (for…in over an object literal's own keys: no entries array for every step's arguments)
    for (const k in v) {
      const x = v[k];
      const p = plain(x);
      if (p !== x) (out ??= copyKeys(v, { ...v }))[k] = p;
    }
    return out ?? v;
  }
  return v;
}

export function pyType(v: unknown): string {
  if (v === null || v === undefined) return 'NoneType';
  if (typeof v === 'boolean') return 'bool';
  if (v instanceof PyFloat) return 'float';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float';
  if (typeof v === 'bigint') return 'int';
  if (typeof v === 'string') return 'str';
  if (Array.isArray(v)) return isTuple(v) ? 'tuple' : 'list';
  if (isDict(v)) return 'dict';
  if (v instanceof PyDate) return 'date';
  if (v instanceof Date) return 'datetime';
  if (v instanceof PyTimedelta) return 'timedelta';
  return typeof v === 'function' ? 'function' : 'object';
}

/** Python's repr(). */
export function repr(v: unknown): string {
  if (v === null || v === undefined) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (typeof v === 'string') return strRepr(v);
  if (typeof v === 'number') return Number.isInteger(v) && !Object.is(v, -0) ? intDigits(v) : floatRepr(v);
  if (v instanceof PyFloat) return floatRepr(v.value);
  if (typeof v === 'bigint') return String(v);
  if (Array.isArray(v)) {
    const inner = v.map(repr).join(', ');
    return isTuple(v) ? `(${inner}${v.length === 1 ? ',' : ''})` : `[${inner}]`;
  }
  if (isDict(v)) return `{${dictItems(v).map(([k, x]) => `${repr(k)}: ${repr(x)}`).join(', ')}}`;
  if (v instanceof PyDate) return `datetime.date(${v.getUTCFullYear()}, ${v.getUTCMonth() + 1}, ${v.getUTCDate()})`;
  if (v instanceof Date) return dateRepr(v);
  if (v instanceof PyTimedelta) return v.repr();
  return String(v);
}

/** Python's str(): strings as they are, everything else as repr. */
export const str = (v: unknown): string => (typeof v === 'string' ? v : v instanceof PyDate ? v.iso() : v instanceof Date ? dateStr(v) : v instanceof PyTimedelta ? v.str() : repr(v));

/** str() of a datetime: isoformat with a space. */
const dateStr = (d: Date): string => isoformat(d, ' ');

/** Python's truth value. */
export function truthy(v: unknown): boolean {
  if (v === undefined) throw new UndefinedUse();
  if (v === null) return false;
  if (typeof v === 'string' || Array.isArray(v)) return v.length > 0;
  if (v instanceof PyFloat) return v.value !== 0;
  if (isDict(v)) return Object.keys(v).length > 0;
  return Boolean(v);
}

/** Python's ==: numbers by value (1 == 1.0 == True), lists and dicts by content. */
export function eq(a: unknown, b: unknown): boolean {
  if (a === undefined || b === undefined) throw new UndefinedUse();
  if (a === b) return true;
  if (isNum(a) && isNum(b)) return typeof a === 'bigint' || typeof b === 'bigint' ? bigEq(unbox(a), unbox(b)) : num(a) === num(b);
  if (Array.isArray(a) && Array.isArray(b)) return isTuple(a) === isTuple(b) && a.length === b.length && a.every((x, i) => eq(x, b[i]));
  if (isDict(a) && isDict(b)) {
    const ka = Object.keys(a);
    const typed = hasKeyTable(a) || hasKeyTable(b);
    return ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && (!typed || eq(keyOf(a, k), keyOf(b, k))) && eq(a[k], b[k]));
  }
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  return false;
}

const raise = (e: Error): never => {
  throw e;
};
const unsupported = (op: string, a: unknown, b: unknown) => new PyError('TypeError', `unsupported operand type(s) for ${op}: '${pyType(a)}' and '${pyType(b)}'`);
const defined = (...vs: unknown[]) => {
  for (const v of vs) if (v === undefined) throw new UndefinedUse();
};
// (an int has no -0: `0 // -1` is 0)
const intOrFloat = (r: number, ...ops: unknown[]) => (ops.some(isFloat) ? pyFloat(r) : r + 0);
// (a float's power overflows to an OverflowError, as Python's)
const checkFinite = (r: number): number => {
  if (!Number.isFinite(r)) throw new PyError('OverflowError', 'numerical result out of range');
  return r;
};
/** `a op b` of two numbers: exact for ints (a bigint past the doubles' safe range), r for floats (a sum or product overflows to inf, as Python's). */
const arith = (op: '+' | '-' | '*' | '//' | '%', a: unknown, b: unknown, r: () => number): unknown => exactInt(op, a, b) ?? intOrFloat(r(), a, b);
// (a bigint is never 0: intOf makes it a number)
const isZero = (v: unknown): boolean => typeof v !== 'bigint' && num(v) === 0;
/** A number's own value for an exact comparison (a bool as 0/1, a boxed float's double). */
const unbox = (v: number | bigint | PyFloat | boolean): number | bigint => (typeof v === 'bigint' ? v : num(v));

function repeat<T>(seq: T, times: unknown): T {
  if (typeof times === 'bigint') throw new PyError('OverflowError', "cannot fit 'int' into an index-sized integer");
  if (isFloat(times) || (typeof times !== 'number' && typeof times !== 'boolean')) throw new PyError('TypeError', `can't multiply sequence by non-int of type '${pyType(times)}'`);
  const n = Math.max(0, num(times));
  if (typeof seq === 'string') return seq.repeat(n) as T;
  // (a list of more than 10^8 items: Python's MemoryError, where the heap would run out)
  if ((seq as unknown[]).length * n > 1e8) throw new PyError('MemoryError', '');
  const items = Array.from({ length: n }, () => seq as unknown[]).flat();
  // (a tuple repeated is a tuple)
  return (isTuple(seq) ? tuple(items) : items) as T;
}

export const ops = {
  add(a: unknown, b: unknown): unknown {
    defined(a, b);
    if (isNum(a) && isNum(b)) return arith('+', a, b, () => num(a) + num(b));
    if (typeof a === 'string' && typeof b === 'string') return a + b;
    if (Array.isArray(a) && Array.isArray(b) && isTuple(a) === isTuple(b)) return isTuple(a) ? tuple([...a, ...b]) : [...a, ...b];
    // (a str, list or tuple on the left: its own concatenation refuses the other, in Python's words)
    if (typeof a === 'string' || Array.isArray(a)) throw new PyError('TypeError', `can only concatenate ${pyType(a)} (not "${pyType(b)}") to ${pyType(a)}`);
    return dateAdd(a, b) ?? raise(unsupported('+', a, b));
  },
  sub(a: unknown, b: unknown): unknown {
    defined(a, b);
    if (isNum(a) && isNum(b)) return arith('-', a, b, () => num(a) - num(b));
    return dateSub(a, b) ?? raise(unsupported('-', a, b));
  },
  mul(a: unknown, b: unknown): unknown {
    defined(a, b);
    if (isNum(a) && isNum(b)) return arith('*', a, b, () => num(a) * num(b));
    if (typeof a === 'string' || Array.isArray(a)) return repeat(a, b);
    if (typeof b === 'string' || Array.isArray(b)) return repeat(b, a);
    throw unsupported('*', a, b);
  },
  div(a: unknown, b: unknown): unknown {
    defined(a, b);
    if (!isNum(a) || !isNum(b)) throw unsupported('/', a, b);
    if (isZero(b)) throw new PyError('ZeroDivisionError', isFloat(a) || isFloat(b) ? 'float division by zero' : 'division by zero');
    return pyFloat(exactDiv(a, b) ?? num(a) / num(b));
  },
  floordiv(a: unknown, b: unknown): unknown {
    defined(a, b);
    if (!isNum(a) || !isNum(b)) throw unsupported('//', a, b);
    const float = isFloat(a) || isFloat(b);
    if (isZero(b)) throw new PyError('ZeroDivisionError', float ? 'float floor division by zero' : 'integer division or modulo by zero');
    return arith('//', a, b, () => divmod(num(a), num(b))[0]);
  },
  mod(a: unknown, b: unknown, format: (f: string, args: unknown) => string): unknown {
    defined(a, b);
    if (typeof a === 'string') return format(a, b);
    if (!isNum(a) || !isNum(b)) throw unsupported('%', a, b);
    if (isZero(b)) throw new PyError('ZeroDivisionError', isFloat(a) || isFloat(b) ? 'float modulo' : 'integer modulo by zero');
    return arith('%', a, b, () => divmod(num(a), num(b))[1]);
  },
  pow(a: unknown, b: unknown): unknown {
    defined(a, b);
    if (!isNum(a) || !isNum(b)) throw unsupported('** or pow()', a, b);
    const exact = exactInt('**', a, b);
    if (exact !== undefined) return exact;
    if (num(a) === 0 && num(b) < 0) throw new PyError('ZeroDivisionError', '0.0 cannot be raised to a negative power');
    const r = cPowSigned(num(a), num(b));
    return isFloat(a) || isFloat(b) || num(b) < 0 ? pyFloat(checkFinite(r)) : checkFinite(r);
  },
  neg(a: unknown): unknown {
    defined(a);
    if (!isNum(a)) throw new PyError('TypeError', `bad operand type for unary -: '${pyType(a)}'`);
    // (an int has no -0: `-False` is 0)
    return isFloat(a) ? pyFloat(-num(a)) : typeof a === 'bigint' ? -a : 0 - num(a);
  },
  pos(a: unknown): unknown {
    defined(a);
    if (!isNum(a)) throw new PyError('TypeError', `bad operand type for unary +: '${pyType(a)}'`);
    return typeof a === 'boolean' ? Number(a) : a;
  },
  /** `~`: Jinja's string concatenation. */
  concat(a: unknown, b: unknown): string {
    defined(a, b);
    return str(a) + str(b);
  },
};

/** Python's order of two texts: by code point (JavaScript's `<` goes by UTF-16 unit, so a character past U+FFFF would sort before U+E000–U+FFFF). */
export function textOrder(a: string, b: string): number {
  if (!/[\uD800-\uDFFF]/.test(a + b)) return a < b ? -1 : a > b ? 1 : 0;
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i].codePointAt(0)! - y[i].codePointAt(0)!;
  return x.length - y.length;
}

function order(a: unknown, b: unknown, op: string): number {
  defined(a, b);
  if (isNum(a) && isNum(b)) return typeof a === 'bigint' || typeof b === 'bigint' ? bigOrder(unbox(a), unbox(b)) : num(a) - num(b);
  if (typeof a === 'string' && typeof b === 'string') return textOrder(a, b);
  // (a tuple and a list are not ordered: Python's TypeError)
  if (Array.isArray(a) && Array.isArray(b) && isTuple(a) === isTuple(b)) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) if (!eq(a[i], b[i])) return order(a[i], b[i], op);
    return a.length - b.length;
  }
  if (a instanceof Date && b instanceof Date) return a.getTime() - b.getTime();
  throw new PyError('TypeError', `'${op}' not supported between instances of '${pyType(a)}' and '${pyType(b)}'`);
}

/** Python's ordering of two values as a sort comparator (-1, 0, 1), its TypeError where they do not order. */
export const pyCmp = (a: unknown, b: unknown): number => (compare('<', a, b) ? -1 : compare('>', a, b) ? 1 : 0);

/** One comparison of a (possibly chained) Python comparison. */
export function compare(op: string, a: unknown, b: unknown): boolean {
  switch (op) {
    case '==':
      return eq(a, b);
    case '!=':
      return !eq(a, b);
    case '<':
      return order(a, b, op) < 0;
    case '<=':
      return order(a, b, op) <= 0;
    case '>':
      return order(a, b, op) > 0;
    case '>=':
      return order(a, b, op) >= 0;
    default:
      throw new PyError('SyntaxError', `unknown comparison ${op}`);
  }
}

/**
 * The text a dict holds `key` under, or undefined where it has no such key: by the key's text, and
 * where the dict keeps its keys' types (source/pydict.ts), by its type too (`{22: 'ssh'}['22']` is
 * missing, as in Python). A dict of text keys answers a number by its text, as JavaScript's objects
 * always have.
 */
export function dictText(d: Record<string, unknown>, key: unknown): string | undefined {
  if (!hasKeyTable(d)) {
    if (typeof key !== 'string' && typeof key !== 'number' && typeof key !== 'bigint') return undefined;
    const text = String(key);
    return Object.hasOwn(d, text) ? text : undefined;
  }
  if (key === undefined) throw new UndefinedUse();
  // (a number is any of its equals' text: 1, 1.0 and True are one key, as their hashes are one)
  return keyTexts(key).find((text) => Object.hasOwn(d, text) && eq(keyOf(d, text), key));
}

/** The texts a key equal to `key` is held under (source/pykeys.ts' dictKey: a float's repr, None as null, a bool as true/false). */
function keyTexts(key: unknown): string[] {
  if (typeof key === 'string') return [key];
  if (key === null) return ['null'];
  if (!isNum(key)) return [String(key)];
  const n = num(key);
  if (!Number.isInteger(n)) return [floatRepr(n)];
  const texts = [intDigits(n), floatRepr(n)];
  if (n === 0 || n === 1) texts.push(n ? 'true' : 'false');
  return texts;
}

/** Python's Hashable: anything but a list or a dict (a tuple is). */
export const hashable = (v: unknown): boolean => isTuple(v) || (!Array.isArray(v) && !isDict(v));

/** Python's `in`. */
export function contains(container: unknown, item: unknown): boolean {
  defined(container);
  if (typeof container === 'string') {
    if (typeof item !== 'string') throw new PyError('TypeError', `'in <string>' requires string as left operand, not ${item === undefined ? 'AnsibleUndefined' : pyType(item)}`);
    return container.includes(item);
  }
  // (an undefined item is compared, so it fails, only with an item there: `undefined in []` is False, as Python's list.__contains__; a dict hashes it)
  if (Array.isArray(container)) return container.some((x) => eq(x, item));
  defined(item);
  if (isDict(container) && !hashable(item)) throw new PyError('TypeError', `unhashable type: '${pyType(item)}'`);
  if (isDict(container)) return dictText(container, item) !== undefined;
  throw new PyError('TypeError', `argument of type '${pyType(container)}' is not iterable`);
}
