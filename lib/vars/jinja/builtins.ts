import { percentFormat } from './format.js';
import { pyMethod, pyReplace, splitKw } from './methods.js';
import { batch } from './itertools.js';
import { round, toFloat, toInt } from './number-filters.js';
import { wordwrap } from './textwrap.js';
import { filesizeformat } from './units.js';
import { pyJson } from '../../source/pyjson.js';
import { definedDeep, pyIter, unpack } from '../../source/pyvalues.js';
import { PyError, UndefinedUse, compare, contains, pyCmp, eq, isDict, isFloat, isNum, num, ops, pyFloat, pyType, repr, str, truthy, tuple } from '../../source/python.js';
import { misses, subscript } from '../../source/pysubscript.js';
import { dictItems } from '../../source/pydict.js';
import { pformat } from '../../source/pprint.js';

type Fn = (...args: any[]) => unknown;
/** How filters and tests reach each other (`map('upper')`, `select('odd')`). */
export type Registry = { filter(name: string): Fn; test(name: string): Fn };

/** Jinja's attribute paths (`attribute='a.b'`, `attribute=0`). */
const attrOf = (o: unknown, path: unknown): unknown => String(path).split('.').reduce((v, k) => subscript(v, /^\d+$/.test(k) && (Array.isArray(v) || typeof v === 'string') ? Number(k) : k), o);
const sortKey = (v: unknown, caseSensitive: boolean): unknown => (typeof v === 'string' && !caseSensitive ? v.toLowerCase() : v);

/** Jinja2's do_unique: the first item of each key (case-insensitive unless caseSensitive, by `attr`); a key Python cannot hash (a list, a dict) is its TypeError. */
export function doUnique(seq: unknown, caseSensitive: boolean, attr: unknown): unknown[] {
  const out: unknown[] = [];
  const seen: unknown[] = [];
  for (const x of pyIter(seq)) {
    const k = sortKey(attr === undefined || attr === null ? x : attrOf(x, attr), caseSensitive);
    if (Array.isArray(k) || isDict(k)) throw new PyError('TypeError', `unhashable type: '${pyType(k)}'`);
    if (!seen.some((y) => eq(y, k))) {
      seen.push(k);
      out.push(x);
    }
  }
  return out;
}

/** An attribute a value does not have: Jinja's Undefined with its hint. */
function noAttr(o: unknown, name: string): undefined {
  misses.last = `'${pyType(o)} object' has no attribute '${name}'`;
  misses.latest = 'attr';
  return undefined;
}

/** An empty sequence's first, last, min or max: Jinja's Undefined with its hint. */
function noItem(which: string): undefined {
  misses.last = `No ${which} item, sequence was empty.`;
  misses.latest = 'attr';
  return undefined;
}

/** Jinja's do_truncate, on the value itself: a list or dict short enough is given back; a longer one fails as its slicing does. */
function truncate(s: unknown, length: unknown = 255, killwords: unknown = false, end: unknown = '...', leeway: unknown = 5): unknown {
  const l = num(length);
  const e = String(end);
  if (l < e.length) throw new PyError('AssertionError', `expected length >= ${e.length}, got ${l}`);
  if (num(leeway) < 0) throw new PyError('AssertionError', `expected leeway >= 0, got ${num(leeway)}`);
  if (typeof s !== 'string') {
    const n = Array.isArray(s) ? s.length : isDict(s) ? Object.keys(s).length : 0;
    if (n <= l + num(leeway)) return s;
    if (isDict(s)) throw new PyError('TypeError', "unhashable type: 'slice'");
    if (truthy(killwords)) throw new PyError('TypeError', `can only concatenate ${pyType(s)} (not "str") to ${pyType(s)}`);
    throw new PyError('AttributeError', `'${pyType(s)}' object has no attribute 'rsplit'`);
  }
  const chars = [...s];
  if (chars.length <= l + num(leeway)) return s;
  const cut = chars.slice(0, Math.max(0, l - [...e].length)).join('');
  if (truthy(killwords)) return cut + e;
  const i = cut.lastIndexOf(' ');
  return (i >= 0 ? cut.slice(0, i) : cut) + e;
}

const undefinedUse = (): never => {
  throw new UndefinedUse();
};

const escapeHtml = (s: unknown) => str(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&#34;').replace(/'/g, '&#39;');

/** Jinja2's built-in filters, as Jinja2 3.1 computes them. */
export function jinjaFilters(reg: Registry): Record<string, Fn> {
  const testBy = (name: unknown, args: unknown[]) => (v: unknown) => (name === undefined ? truthy(v) : truthy(reg.test(String(name))(v, ...args)));
  const select = (keep: boolean, byAttr: boolean) =>
    function (seq: unknown, ...a: unknown[]) {
      // (Jinja's `if value:`: None, 0 or an empty value selects nothing, whatever the test)
      if (!truthy(seq)) return [];
      const [args] = splitKw(a);
      if (byAttr && !args.length) throw new PyError('FilterArgumentError', 'Missing parameter for attribute name');
      const [attr, name, ...rest] = byAttr ? args : [undefined, ...args];
      const t = testBy(name, rest);
      return pyIter(seq).filter((x) => t(byAttr ? attrOf(x, attr) : x) === keep);
    };
  const minmax = (sign: number) =>
    function (seq: unknown, ...a: unknown[]) {
      const [args, kw] = splitKw(a);
      const cs = truthy(kw.case_sensitive ?? args[0] ?? false);
      const attr = kw.attribute ?? args[1];
      const items = pyIter(seq);
      if (!items.length) return noItem('aggregated');
      const key = (x: unknown) => sortKey(attr === undefined ? x : attrOf(x, attr), cs);
      return items.reduce((best, x) => (pyCmp(key(x), key(best)) * sign > 0 ? x : best));
    };
  return {
    abs: (v) => (isFloat(v) ? pyFloat(Math.abs(num(v))) : typeof v === 'bigint' ? (v < 0n ? -v : v) : Math.abs(num(v))),
    // (getattr only: a dict's keys are no attributes)
    attr: (o, name) => pyMethod(o, String(name)) ?? (isDict(o) ? noAttr(o, String(name)) : subscript(o, String(name))),
    batch: (seq, size, fill) => batch(pyIter(seq), num(size), fill),
    capitalize: (s) => pyMethod(str(s), 'capitalize')!(),
    center: (s, w = 80) => {
      const t = str(s);
      const n = Math.max(0, num(w) - t.length);
      const left = Math.floor(n / 2) + (n % 2 && num(w) % 2 ? 1 : 0);
      return ' '.repeat(left) + t + ' '.repeat(n - left);
    },
    count: (v) => pyIter(v).length,
    length: (v) => pyIter(v).length,
    // (a default that is itself undefined is passed on undefined, for the next default to take: `a[x] |
    // default(b[x]) | default(c)`, as Jinja2's filter returns its default_value, whatever it is)
    default: (v, ...a) => {
      const [args, kw] = splitKw(a);
      const dflt = 'default_value' in kw ? kw.default_value : args.length ? args[0] : '';
      return v === undefined || (truthy(kw.boolean ?? args[1] ?? false) && !truthy(v)) ? dflt : v;
    },
    dictsort: (d, ...a) => {
      const [args, kw] = splitKw(a);
      const cs = truthy(kw.case_sensitive ?? args[0] ?? false);
      const by = kw.by ?? args[1] ?? 'key';
      const rev = truthy(kw.reverse ?? args[2] ?? false);
      if (!isDict(d)) throw new PyError('AttributeError', `'${pyType(d)}' object has no attribute 'items'`);
      const items = dictItems(d).map((e) => tuple(e));
      const i = by === 'value' ? 1 : 0;
      items.sort((x, y) => pyCmp(sortKey(x[i], cs), sortKey(y[i], cs)) * (rev ? -1 : 1));
      return items;
    },
    escape: escapeHtml,
    e: escapeHtml,
    forceescape: escapeHtml,
    filesizeformat,
    first: (seq) => {
      const items = pyIter(seq);
      return items.length ? items[0] : noItem('first');
    },
    last: (seq) => {
      const items = pyIter(seq);
      return items.length ? items[items.length - 1] : noItem('last');
    },
    float: (v, d) => toFloat(v, d),
    int: (v, ...a) => {
      const [args, kw] = splitKw(a);
      return toInt(v, kw.default ?? args[0] ?? 0, kw.base ?? args[1] ?? 10);
    },
    format: (fmt, ...a) => {
      const [args, kw] = splitKw(a);
      return percentFormat(str(fmt), Object.keys(kw).length ? kw : tuple(args));
    },
    // (Jinja 3.1's: sorted and grouped by the key, lower-cased unless case_sensitive; each group keyed by its first item's own key)
    groupby: (seq, ...a) => {
      const [args, kw] = splitKw(a);
      const attr = kw.attribute ?? args[0];
      const dflt = kw.default ?? args[1];
      const caseSensitive = truthy(kw.case_sensitive ?? args[2] ?? false);
      const keyOf = (x: unknown) => attrOf(x, attr) ?? dflt;
      const sortKeyOf = (x: unknown) => sortKey(keyOf(x), caseSensitive);
      const groups: [unknown, unknown[]][] = [];
      let last: unknown;
      for (const x of [...pyIter(seq)].sort((p, q) => pyCmp(sortKeyOf(p), sortKeyOf(q)))) {
        const k = sortKeyOf(x);
        if (groups.length && eq(last, k)) groups[groups.length - 1][1].push(x);
        else groups.push([keyOf(x), [x]]);
        last = k;
      }
      // (Jinja's _GroupTuple: `group.grouper`, `group.list` beside its items)
      return groups.map((g) => Object.defineProperties(tuple(g), { grouper: { value: g[0] }, list: { value: g[1] } }));
    },
    indent: (s, ...a) => {
      const [args, kw] = splitKw(a);
      const width = kw.width ?? args[0] ?? 4;
      const pad = typeof width === 'string' ? width : ' '.repeat(Math.max(0, num(width)));
      const first = truthy(kw.first ?? args[1] ?? false);
      const blank = truthy(kw.blank ?? args[2] ?? false);
      const lines = str(s).split('\n');
      return lines.map((l, i) => ((i === 0 && !first) || (!blank && l.trim() === '' && i > 0) ? l : pad + l)).join('\n');
    },
    items: (d) => (d === undefined ? [] : dictItems(d as Record<string, unknown>).map((e) => tuple(e))),
    join: (seq, ...a) => {
      const [args, kw] = splitKw(a);
      const sep = str(kw.d ?? args[0] ?? '');
      const attr = kw.attribute ?? args[1];
      // (an item without the attribute is undefined, and str() of it fails)
      return pyIter(seq)
        .map((x) => str(attr === undefined ? x : (attrOf(x, attr) ?? undefinedUse())))
        .join(sep);
    },
    list: (v) => [...pyIter(v)],
    lower: (s) => str(s).toLowerCase(),
    upper: (s) => str(s).toUpperCase(),
    map: (seq, ...a) => {
      if (!truthy(seq)) return [];
      const [args, kw] = splitKw(a);
      // (an attribute that is None stays None: only an undefined one takes the default, as make_attrgetter)
      // (attribute= only without a filter's name, as Jinja's prepare_map: `map('map', attribute='k')` gives it to the filter)
      if (!args.length && kw.attribute !== undefined) return pyIter(seq).map((x) => {
        const v = attrOf(x, kw.attribute);
        return v === undefined ? kw.default : v;
      });
      if (!args.length) throw new PyError('FilterArgumentError', 'map requires a filter argument');
      const [name, ...rest] = args;
      const f = reg.filter(String(name));
      const given = Object.keys(kw).length ? [...rest, { ...kw, __keywords: true }] : rest;
      return pyIter(seq).map((x) => f(x, ...given));
    },
    max: minmax(1),
    min: minmax(-1),
    // (pprint.pformat: dict keys sorted, a long value wrapped at 80 columns)
    pprint: (v) => pformat(v),
    reject: select(false, false),
    rejectattr: select(false, true),
    select: select(true, false),
    selectattr: select(true, true),
    replace: (s, old, nw, count) => pyReplace(str(s), str(old), str(nw), count === undefined || count === null ? -1 : num(count)),
    reverse: (v) => (typeof v === 'string' ? [...v].reverse().join('') : [...pyIter(v)].reverse()),
    round,
    // (Markup(value): the value's text)
    safe: (v) => str(v),
    slice: (seq, slices, fill) => {
      const items = pyIter(seq);
      const n = num(slices);
      if (n === 0) throw new PyError('ZeroDivisionError', 'integer division or modulo by zero');
      const per = Math.floor(items.length / n);
      const extra = items.length % n;
      const out: unknown[][] = [];
      let offset = 0;
      for (let i = 0; i < n; i++) {
        const start = offset + i * per;
        if (i < extra) offset++;
        const part = items.slice(start, offset + (i + 1) * per);
        if (fill !== undefined && i >= extra) part.push(fill);
        out.push(part);
      }
      return out;
    },
    sort: (seq, ...a) => {
      const [args, kw] = splitKw(a);
      const rev = truthy(kw.reverse ?? args[0] ?? false);
      const cs = truthy(kw.case_sensitive ?? args[1] ?? false);
      const attr = kw.attribute ?? args[2];
      // (`attribute='a,b'`: several keys, as Jinja's make_multi_attrgetter)
      const attrs = typeof attr === 'string' ? attr.split(',') : [attr];
      const key = attrs.length > 1 ? (x: unknown) => tuple(attrs.map((a) => sortKey(attrOf(x, a), cs))) : (x: unknown) => sortKey(attr === undefined ? x : attrOf(x, attr), cs);
      return [...pyIter(seq)].sort((x, y) => pyCmp(key(x), key(y)) * (rev ? -1 : 1));
    },
    string: (v) => str(v),
    striptags: (s) => str(s).replace(/<!--[\s\S]*?-->|<[^>]*>/g, '').replace(/\s+/g, ' ').trim(),
    sum: (seq, ...a) => {
      const [args, kw] = splitKw(a);
      const attr = kw.attribute ?? args[0];
      const start = kw.start ?? args[1] ?? 0;
      return pyIter(seq).reduce((acc: unknown, x) => {
        // (Python's +: numbers, and lists or tuples with start=[])
        return ops.add(acc, attr === undefined ? x : attrOf(x, attr));
      }, start);
    },
    // (Jinja's: a word begins after `-`, whitespace, `(`, `{`, `[` or `<`)
    title: (s) => str(s).replace(/[^-\s({[<]+/g, (w) => w.charAt(0).toUpperCase() + w.slice(1).toLowerCase()),
    // (htmlsafe_json_dumps: json.dumps with sort_keys, every dict's keys sorted as Python sorts them)
    tojson: (v) =>
      pyJson(definedDeep(v), { sortKeys: true })
        .replace(/</g, '\\u003c')
        .replace(/>/g, '\\u003e')
        .replace(/&/g, '\\u0026')
        .replace(/'/g, '\\u0027'),
    trim: (s, chars) => {
      const set = chars === undefined || chars === null ? ' \t\n\r\f\v' : str(chars);
      let t = str(s);
      while (t && set.includes(t[0])) t = t.slice(1);
      while (t && set.includes(t[t.length - 1])) t = t.slice(0, -1);
      return t;
    },
    truncate,
    unique: (seq, ...a) => {
      const [args, kw] = splitKw(a);
      return doUnique(seq, truthy(kw.case_sensitive ?? args[0] ?? false), kw.attribute ?? args[1]);
    },
    // Jinja's do_urlencode: text quoted as urllib's quote(safe='/'); a dict's (or pairs') keys and values for a query string
    urlencode: (v) => {
      if (typeof v === 'string' || !(Array.isArray(v) || isDict(v))) return pyQuote(str(v), '/');
      // (`for k, v in items`: each item of a list unpacked into two)
      const pairs = (isDict(v) ? dictItems(v) : v.map((x) => unpack(x, 2))) as unknown[][];
      return pairs.map(([k, x]) => `${pyQuote(str(k), '').replaceAll('%20', '+')}=${pyQuote(str(x), '').replaceAll('%20', '+')}`).join('&');
    },
    // (Python's \w: letters and digits of every script)
    wordcount: (s) => (str(s).match(/[\p{L}\p{N}_]+/gu) ?? []).length,
    wordwrap: (s, ...a) => {
      const [[width = 79, breakLong = true, wrapstring = null, hyphens = true], kw] = splitKw(a);
      return wordwrap(str(s), num(kw.width ?? width), truthy(kw.break_long_words ?? breakLong), str(kw.wrapstring ?? wrapstring ?? '\n'), truthy(kw.break_on_hyphens ?? hyphens));
    },
    // (Jinja 3.1.2 as Debian ships it, with CVE-2024-34064's check of the keys)
    xmlattr: (d, autospace = true) => {
      const items: string[] = [];
      for (const [k, v] of dictItems(d as Record<string, unknown>)) {
        if (v === null || v === undefined) continue;
        if (typeof k !== 'string') throw new PyError('TypeError', `expected string or bytes-like object, got '${pyType(k)}'`);
        if (/[ \t\n\r\f\v/>=]/.test(k)) throw new PyError('ValueError', `Invalid character in attribute name: ${repr(k)}`);
        items.push(`${escapeHtml(k)}="${escapeHtml(v)}"`);
      }
      const rv = items.join(' ');
      return truthy(autospace) && rv ? ` ${rv}` : rv;
    },
  };
}

/** Python's urllib.parse.quote: every byte but letters, digits, `_.-~` and `safe` as %XX. */
export function pyQuote(s: string, safe: string): string {
  return encodeURIComponent(s).replace(/[!'()*]|%2F/g, (c) => (c === '%2F' ? (safe.includes('/') ? '/' : c) : `%${c.charCodeAt(0).toString(16).toUpperCase()}`));
}

/** Python's urllib.parse.unquote_plus: `+` is a space, %XX sequences decoded (one that is not UTF-8 or not %XX stays as it is). */
export function pyUnquotePlus(s: string): string {
  return s.replaceAll('+', ' ').replace(/(?:%[0-9a-fA-F]{2})+/g, (run) => {
    try {
      return decodeURIComponent(run);
    } catch {
      return run;
    }
  });
}

const notFound = (kind: string, name: string): never => {
  throw new Error(`${kind} not found: ${name}`);
};

const key = (v: unknown): string => {
  if (typeof v !== 'string') throw new PyError('TypeError', `key must be a string, got ${pyType(v)} instead`);
  return v;
};

/** Jinja2's built-in tests. */
export function jinjaTests(reg: Registry, names: () => { filters: Set<string>; tests: Set<string> }): Record<string, Fn> {
  const cmp = (op: string) => (a: unknown, b: unknown) => compare(op, a, b);
  return {
    boolean: (v) => typeof v === 'boolean',
    // (Jinja's Undefined has a __call__ and, as Ansible's, every attribute: __html__ too)
    callable: (v) => typeof v === 'function' || v === undefined,
    defined: (v) => v !== undefined,
    undefined: (v) => v === undefined,
    divisibleby: (v, n) => eq(ops.mod(v, n, percentFormat), 0),
    eq: cmp('=='),
    equalto: cmp('=='),
    '==': cmp('=='),
    ne: cmp('!='),
    '!=': cmp('!='),
    lt: cmp('<'),
    lessthan: cmp('<'),
    '<': cmp('<'),
    le: cmp('<='),
    '<=': cmp('<='),
    gt: cmp('>'),
    greaterthan: cmp('>'),
    '>': cmp('>'),
    ge: cmp('>='),
    '>=': cmp('>='),
    escaped: (v) => v === undefined,
    // (Jinja's `value % 2 == 1`: Python's % of any value, text's formatting too)
    even: (v) => eq(ops.mod(v, 2, percentFormat), 0),
    odd: (v) => eq(ops.mod(v, 2, percentFormat), 1),
    false: (v) => v === false,
    true: (v) => v === true,
    // (ansible-core's plugin loader fails for a name it has not: `'abc' is filter` is its error, not False)
    filter: (v) => names().filters.has(key(v)) || notFound('filter', key(v)),
    test: (v) => names().tests.has(key(v)) || notFound('test', key(v)),
    float: (v) => isFloat(v),
    integer: (v) => (typeof v === 'number' && Number.isInteger(v)) || typeof v === 'bigint',
    number: (v) => isNum(v),
    string: (v) => typeof v === 'string',
    mapping: (v) => isDict(v),
    sequence: (v) => typeof v === 'string' || Array.isArray(v) || isDict(v),
    iterable: (v) => typeof v === 'string' || Array.isArray(v) || isDict(v),
    in: (v, seq) => contains(seq, v),
    // (Jinja's str(value).islower() / .isupper(): a cased character, and none of the other case)
    lower: (v) => pyMethod(str(v), 'islower')!() as boolean,
    upper: (v) => pyMethod(str(v), 'isupper')!() as boolean,
    none: (v) => v === null,
    sameas: (a, b) => a === b,
  };
}
