import { strFormat } from './format.js';
import { copyKeys, dictItems, dictKeys, dictValues } from '../../source/pydict.js';
import { putKey } from '../../source/pykeys.js';
import { PyDate, PyError, PyFloat, pyCmp, dictText, eq, isDict, isFloat, num, pyFloat, pyType, repr, truthy, tuple } from '../../source/python.js';
import { splitlines } from '../../source/pystr.js';
import { AwareDate, isoformat, microsecond, PyTimedelta, strftime, withMicros } from '../../source/pydatetime.js';

type Kw = { __keywords?: boolean } & Record<string, unknown>;
/** nunjucks passes keyword arguments as a trailing object marked `__keywords`. */
export function splitKw(args: unknown[]): [unknown[], Record<string, unknown>] {
  const last = args[args.length - 1] as Kw | undefined;
  if (last && typeof last === 'object' && last.__keywords) {
    const { __keywords: _, ...kw } = last;
    return [args.slice(0, -1), kw];
  }
  return [args, {}];
}

/** A method's arguments by position or by keyword (Python's names, in order), given to `f`. */
function withKw<T>(a: unknown[], names: string[], f: (...v: unknown[]) => T): T {
  const [args, kw] = splitKw(a);
  return f(...names.map((n, i) => (n in kw ? kw[n] : args[i])));
}

const WS = ' \t\n\r\f\v';
function strip(s: string, chars: unknown, left: boolean, right: boolean): string {
  const set = chars === undefined || chars === null ? WS : String(chars);
  let a = 0;
  let b = s.length;
  while (left && a < b && set.includes(s[a])) a++;
  while (right && b > a && set.includes(s[b - 1])) b--;
  return s.slice(a, b);
}

/** str.split and str.rsplit. */
export function split(s: string, sep: unknown, max: unknown, fromRight: boolean): string[] {
  const limit = max === undefined || max === null ? -1 : num(max);
  if (sep === undefined || sep === null) {
    const parts = s.split(/[ \t\n\r\f\v]+/).filter(Boolean);
    if (limit < 0 || parts.length <= limit + 1) return parts;
    return fromRight ? [s.trimEnd().split(/\s+/).slice(0, parts.length - limit).join(' '), ...parts.slice(parts.length - limit)] : [...parts.slice(0, limit), s.trimStart().split(/\s+/).slice(limit).join(' ')];
  }
  const sp = String(sep);
  if (sp === '') throw new PyError('ValueError', 'empty separator');
  const parts = s.split(sp);
  if (limit < 0 || parts.length <= limit + 1) return parts;
  return fromRight ? [parts.slice(0, parts.length - limit).join(sp), ...parts.slice(parts.length - limit)] : [...parts.slice(0, limit), parts.slice(limit).join(sp)];
}

/** str.replace: at most `count` (all when negative) from the left; an empty `old` is found before each character and at the end. */
export function pyReplace(s: string, old: string, nw: string, count: number): string {
  if (old === '') {
    const chars = [...s];
    const slots = count < 0 ? chars.length + 1 : Math.min(count, chars.length + 1);
    return chars.map((c, i) => (i < slots ? nw : '') + c).join('') + (slots > chars.length ? nw : '');
  }
  const parts = s.split(old);
  const n = count < 0 ? parts.length - 1 : Math.min(count, parts.length - 1);
  return parts.slice(0, n + 1).join(nw) + (n < parts.length - 1 ? old + parts.slice(n + 1).join(old) : '');
}

const justify = (s: string, w: unknown, fill: unknown, how: 'l' | 'r' | 'c') => {
  const n = Math.max(0, num(w) - s.length);
  const f = fill === undefined ? ' ' : String(fill);
  if ([...f].length !== 1) throw new PyError('TypeError', 'The fill character must be exactly one character long');
  if (how === 'l') return s + f.repeat(n);
  if (how === 'r') return f.repeat(n) + s;
  const left = Math.floor(n / 2) + (n % 2 && num(w) % 2 ? 1 : 0);
  return f.repeat(left) + s + f.repeat(n - left);
};

/** The digraphs' titlecase forms (ǅ, ǈ, ǋ, ǲ), which JavaScript has no mapping for; any other character's uppercase. */
const TITLE: Record<string, string> = { Ǆ: 'ǅ', ǅ: 'ǅ', ǆ: 'ǅ', Ǉ: 'ǈ', ǈ: 'ǈ', ǉ: 'ǈ', Ǌ: 'ǋ', ǋ: 'ǋ', ǌ: 'ǋ', Ǳ: 'ǲ', ǲ: 'ǲ', ǳ: 'ǲ' };
const titleCase = (c: string): string => TITLE[c] ?? c.toUpperCase();

/** A str method's text argument: any other type is its TypeError (`'abc'.count(1)`: must be str, not int). */
const text = (x: unknown, what = 'must be str'): string => {
  if (typeof x !== 'string') throw new PyError('TypeError', `${what}, not ${pyType(x)}`);
  return x;
};
const prefixes = (p: unknown, method: string): string[] => {
  if (pyType(p) === 'tuple' && (p as unknown[]).every((x) => typeof x === 'string')) return p as string[];
  if (pyType(p) === 'tuple') throw new PyError('TypeError', `tuple for ${method} must only contain str, not ${pyType((p as unknown[]).find((x) => typeof x !== 'string'))}`);
  return [text(p, `${method} first arg must be str or a tuple of str`)];
};

/**
 * Unicode's full case folding (str.casefold) by the full case mappings JavaScript has: upper then
 * lower (ﬀ → ff, ſ → s, ϐ → β), final sigma as sigma, ß as ss, Cherokee's lowercase as its uppercase,
 * dotless ı left as it is (casefold keeps it; its uppercase would make it i). Checked against
 * Python 3.11 over every code point: the rest differ only where Node's Unicode is newer.
 */
const fold = (s: string): string =>
  s.toUpperCase().toLowerCase().replace(/ς/g, 'σ').replace(/ß/g, 'ss').replace(/[\uAB70-\uABBF\u13F8-\u13FD]/g, (c) => c.toUpperCase());

/** Python's str methods. */
const STR: Record<string, (s: string, ...a: unknown[]) => unknown> = {
  upper: (s) => s.toUpperCase(),
  lower: (s) => s.toLowerCase(),
  casefold: (s) => s.replace(/[^ı]+/g, fold),
  // (tabs to the next multiple of the size, counted from each line's start)
  expandtabs: (s, ...a) => {
    const size = withKw(a, ['tabsize'], (t) => t);
    const n = size === undefined ? 8 : num(size);
    let col = 0;
    let out = '';
    for (const c of s) {
      if (c === '\t') {
        const pad = n > 0 ? n - (col % n) : 0;
        out += ' '.repeat(pad);
        col += pad;
      } else {
        out += c;
        col = c === '\n' || c === '\r' ? 0 : col + 1;
      }
    }
    return out;
  },
  capitalize: (s) => {
    const first = [...s][0] ?? '';
    return titleCase(first) + s.slice(first.length).toLowerCase();
  },
  // (a character after a cased one is lowered, any other upper-cased: `"they're".title()` is "They'Re", `'éa'` 'Éa')
  title: (s) => [...s].map((c, i, cs) => (i > 0 && /[\p{Lu}\p{Ll}\p{Lt}]/u.test(cs[i - 1]) ? c.toLowerCase() : titleCase(c))).join(''),
  swapcase: (s) => [...s].map((c) => (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase())).join(''),
  strip: (s, c) => strip(s, c, true, true),
  lstrip: (s, c) => strip(s, c, true, false),
  rstrip: (s, c) => strip(s, c, false, true),
  // (their keyword arguments too: `s.split(',', maxsplit=1)`)
  split: (s, ...a) => withKw(a, ['sep', 'maxsplit'], (sep, max) => split(s, sep, max, false)),
  rsplit: (s, ...a) => withKw(a, ['sep', 'maxsplit'], (sep, max) => split(s, sep, max, true)),
  splitlines: (s, ...a) => withKw(a, ['keepends'], (keep) => splitlines(s, keep !== undefined && truthy(keep))),
  startswith: (s, p) => prefixes(p, 'startswith').some((x) => s.startsWith(x)),
  endswith: (s, p) => prefixes(p, 'endswith').some((x) => s.endsWith(x)),
  replace: (s, a, b, count) => pyReplace(s, text(a, 'replace() argument 1 must be str'), text(b, 'replace() argument 2 must be str'), count === undefined || count === null ? -1 : num(count)),
  find: (s, x) => s.indexOf(text(x)),
  rfind: (s, x) => s.lastIndexOf(text(x)),
  index: (s, x) => {
    const i = s.indexOf(text(x));
    if (i < 0) throw new PyError('ValueError', 'substring not found');
    return i;
  },
  // (an empty one is counted between every two characters and at both ends)
  count: (s, x) => (text(x) === '' ? [...s].length + 1 : s.split(x as string).length - 1),
  join: (s, items) => {
    const list = Array.isArray(items) ? items : typeof items === 'string' ? [...items] : isDict(items) ? dictKeys(items) : [];
    const bad = list.findIndex((x) => typeof x !== 'string');
    if (bad >= 0) throw new PyError('TypeError', `sequence item ${bad}: expected str instance, ${pyType(list[bad])} found`);
    return list.join(s);
  },
  isdigit: (s) => /^\d+$/.test(s),
  isnumeric: (s) => /^\d+$/.test(s),
  isalpha: (s) => /^\p{L}+$/u.test(s),
  isalnum: (s) => /^[\p{L}\d]+$/u.test(s),
  istitle: (s) => /\p{L}/u.test(s) && s.split(/(?<=\P{L})|(?=\P{L})/u).every((w) => !/\p{L}/u.test(w) || /^[\p{Lu}\p{Lt}]\p{Ll}*$/u.test(w)),
  removeprefix: (s, p) => (s.startsWith(text(p, 'removeprefix() argument must be str')) ? s.slice((p as string).length) : s),
  removesuffix: (s, p) => (text(p, 'removesuffix() argument must be str') && s.endsWith(p as string) ? s.slice(0, -(p as string).length) : s),
  format_map: (s, m) => strFormat(s, [], m as Record<string, unknown>),
  isupper: (s) => /\p{Lu}/u.test(s) && s === s.toUpperCase(),
  islower: (s) => /\p{Ll}/u.test(s) && s === s.toLowerCase(),
  isspace: (s) => /^\s+$/.test(s),
  center: (s, w, f) => justify(s, w, f, 'c'),
  ljust: (s, w, f) => justify(s, w, f, 'l'),
  rjust: (s, w, f) => justify(s, w, f, 'r'),
  zfill: (s, w) => {
    const sign = /^[+-]/.test(s) ? s[0] : '';
    return sign + s.slice(sign.length).padStart(num(w) - sign.length, '0');
  },
  partition: (s, sep) => {
    const i = s.indexOf(text(sep));
    return tuple(i < 0 ? [s, '', ''] : [s.slice(0, i), String(sep), s.slice(i + String(sep).length)]);
  },
  rpartition: (s, sep) => {
    const i = s.lastIndexOf(text(sep));
    return tuple(i < 0 ? ['', '', s] : [s.slice(0, i), String(sep), s.slice(i + String(sep).length)]);
  },
  // bytes don't exist here; text stays text (b64encode and friends take either)
  encode: (s) => s,
  decode: (s) => s,
  format: (s, ...a) => {
    const [args, kw] = splitKw(a);
    return strFormat(s, args, kw);
  },
};

/** Python's dict methods; a key of the same name wins (`d.items` where d has an `items` key). */
const DICT: Record<string, (d: Record<string, unknown>, ...a: unknown[]) => unknown> = {
  items: (d) => dictItems(d).map((e) => tuple(e)),
  keys: (d) => dictKeys(d),
  values: (d) => dictValues(d),
  get: (d, k, dflt = null) => {
    const text = dictText(d, k);
    return text === undefined ? dflt : d[text];
  },
  copy: (d) => copyKeys(d, { ...d }),
  update: (d, ...a) => {
    const [args, kw] = splitKw(a);
    for (const o of [...args, kw]) if (isDict(o)) for (const [k, v] of dictItems(o)) putKey(d, k, v);
    return null;
  },
  setdefault: (d, k, v = null) => {
    const text = dictText(d, k);
    if (text !== undefined) return d[text];
    putKey(d, k, v);
    return v;
  },
  pop: (d, k, ...dflt) => {
    const text = dictText(d, k);
    if (text !== undefined) {
      const v = d[text];
      delete d[text];
      return v;
    }
    if (dflt.length) return dflt[0];
    throw new PyError('KeyError', repr(k));
  },
};

/** Python's list methods. */
const LIST: Record<string, (l: unknown[], ...a: unknown[]) => unknown> = {
  index: (l, x) => {
    const i = l.findIndex((y) => eq(y, x));
    if (i < 0) throw new PyError('ValueError', `${repr(x)} is not in list`);
    return i;
  },
  count: (l, x) => l.filter((y) => eq(y, x)).length,
  append: (l, x) => {
    l.push(x);
    return null;
  },
  extend: (l, x) => {
    l.push(...(x as unknown[]));
    return null;
  },
  // (in place, stable, None; `key` takes a callable, which a template cannot write)
  sort: (l, ...a) => {
    const rev = truthy(splitKw(a)[1].reverse ?? false);
    l.sort((x, y) => pyCmp(x, y) * (rev ? -1 : 1));
    return null;
  },
  insert: (l, i, x) => {
    l.splice(num(i), 0, x);
    return null;
  },
  pop: (l, i) => {
    if (!l.length) throw new PyError('IndexError', 'pop from empty list');
    return i === undefined ? l.pop() : l.splice(num(i) < 0 ? num(i) + l.length : num(i), 1)[0];
  },
  remove: (l, x) => {
    const i = l.findIndex((y) => eq(y, x));
    if (i < 0) throw new PyError('ValueError', 'list.remove(x): x not in list');
    l.splice(i, 1);
    return null;
  },
  copy: (l) => [...l],
};

/** datetime's methods (a naive datetime: the controller's local time). */
const DATETIME: Record<string, (d: Date, ...a: unknown[]) => unknown> = {
  strftime: (d, fmt) => strftime(String(fmt), d),
  isoformat: (d, sep) => (d instanceof PyDate ? d.iso() : isoformat(d, sep === undefined ? 'T' : String(sep))),
  timestamp: (d) => pyFloat(d.getTime() / 1000),
  weekday: (d) => (d.getDay() + 6) % 7,
  isoweekday: (d) => d.getDay() || 7,
  date: (d) => new PyDate(Date.UTC(d.getFullYear(), d.getMonth(), d.getDate())),
  replace: (d, ...a) => replaceFields(d, ...splitKw(a)),
};

const FIELDS = ['year', 'month', 'day', 'hour', 'minute', 'second', 'microsecond'];
const RANGES: Record<string, [number, number]> = { month: [1, 12], hour: [0, 23], minute: [0, 59], second: [0, 59], microsecond: [0, 999999] };

/** datetime.replace(year=…, …): the same kind of datetime (a date, naive, or at its offset) with those fields, checked as Python checks them. */
function replaceFields(d: Date, pos: unknown[], kw: Record<string, unknown>): Date {
  const date = d instanceof PyDate;
  const cur = date ? [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), 0, 0, 0, 0] : [d.getFullYear(), d.getMonth() + 1, d.getDate(), d.getHours(), d.getMinutes(), d.getSeconds(), microsecond(d)];
  const v = FIELDS.map((n, i) => num(kw[n] ?? pos[i] ?? cur[i]));
  FIELDS.forEach((n, i) => {
    const r = RANGES[n];
    if (r && (v[i] < r[0] || v[i] > r[1])) throw new PyError('ValueError', `${n} must be in ${r[0]}..${r[1]}`);
  });
  if (v[2] < 1 || v[2] > new Date(Date.UTC(v[0], v[1], 0)).getUTCDate()) throw new PyError('ValueError', 'day is out of range for month');
  const ms = Math.floor(v[6] / 1000);
  if (date) return new PyDate(Date.UTC(v[0], v[1] - 1, v[2]));
  if (d instanceof AwareDate) return withMicros(new AwareDate(Date.UTC(v[0], v[1] - 1, v[2], v[3], v[4], v[5], ms) - d.offsetMin * 60_000, d.offsetMin), v[6] % 1000);
  return withMicros(new Date(v[0], v[1] - 1, v[2], v[3], v[4], v[5], ms), v[6] % 1000);
}

/** timedelta's. */
const TIMEDELTA: Record<string, (t: PyTimedelta) => unknown> = {
  total_seconds: (t) => pyFloat(t.total / 1_000_000),
};

/** A Python method of a value (`'a'.upper`, `d.items`, `l.append`), or undefined. */
/** Python's int and float methods (a bool is an int). */
const INT: Record<string, (n: unknown) => unknown> = {
  conjugate: (n) => (typeof n === 'boolean' ? Number(n) : n),
  bit_length: (n) => (typeof n === 'bigint' ? (n < 0n ? -n : n).toString(2).length : num(n) === 0 ? 0 : Math.abs(num(n)).toString(2).length),
};
const FLOAT: Record<string, (n: unknown) => unknown> = {
  conjugate: (n) => n,
  is_integer: (n) => Number.isInteger(num(n)),
};

export function pyMethod(obj: unknown, name: string): ((...a: unknown[]) => unknown) | undefined {
  const number = typeof obj === 'boolean' || typeof obj === 'bigint' || typeof obj === 'number' || obj instanceof PyFloat ? (isFloat(obj) ? FLOAT : INT) : undefined;
  const table = number ?? (typeof obj === 'string' ? STR : Array.isArray(obj) ? LIST : isDict(obj) && !Object.hasOwn(obj, name) ? DICT : obj instanceof Date ? DATETIME : obj instanceof PyTimedelta ? TIMEDELTA : undefined);
  const m = table && Object.hasOwn(table, name) ? (table as Record<string, (self: unknown, ...a: unknown[]) => unknown>)[name] : undefined;
  return m && ((...a: unknown[]) => m(obj, ...a));
}

