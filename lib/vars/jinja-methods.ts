import nunjucks from 'nunjucks';
import { isRecord } from '../source/index.js';

type Method = (self: never, ...args: never[]) => unknown;

const strip = (s: string, chars: string | undefined, left: boolean, right: boolean): string => {
  const set = chars ?? ' \t\n\r\f\v';
  let a = 0;
  let b = s.length;
  while (left && a < b && set.includes(s[a])) a++;
  while (right && b > a && set.includes(s[b - 1])) b--;
  return s.slice(a, b);
};

/** Python's str methods that Ansible expressions use (`x.endswith('.yaml')`, `x.split()`). */
const STR: Record<string, (s: string, ...a: never[]) => unknown> = {
  startswith: (s, p: string | string[]) => (Array.isArray(p) ? p : [p]).some((x) => s.startsWith(x)),
  endswith: (s, p: string | string[]) => (Array.isArray(p) ? p : [p]).some((x) => s.endsWith(x)),
  upper: (s) => s.toUpperCase(),
  lower: (s) => s.toLowerCase(),
  capitalize: (s) => s.charAt(0).toUpperCase() + s.slice(1).toLowerCase(),
  title: (s) => s.toLowerCase().replace(/(^|[^A-Za-z])([a-z])/g, (_m, a: string, b: string) => a + b.toUpperCase()),
  strip: (s, c?: string) => strip(s, c, true, true),
  lstrip: (s, c?: string) => strip(s, c, true, false),
  rstrip: (s, c?: string) => strip(s, c, false, true),
  // no separator: runs of whitespace, as Python; maxsplit keeps the rest whole
  split: (s, sep?: string | null, max?: number) => {
    const parts = sep === undefined || sep === null ? s.trim().split(/\s+/).filter(Boolean) : s.split(sep);
    return max === undefined || max < 0 || parts.length <= max + 1 ? parts : [...parts.slice(0, max), parts.slice(max).join(sep ?? ' ')];
  },
  replace: (s, a: string, b: string) => s.split(a).join(b),
  find: (s, x: string) => s.indexOf(x),
  count: (s, x: string) => s.split(x).length - 1,
  join: (s, items: unknown[]) => [...items].map(String).join(s),
  isdigit: (s) => /^\d+$/.test(s),
  splitlines: (s) => s.split(/\r?\n/),
};

/** Python's dict methods (`d.items()`, `d.get('k', 'default')`); a key of the same name wins. */
const DICT: Record<string, (d: Record<string, unknown>, ...a: never[]) => unknown> = {
  items: (d) => Object.entries(d),
  keys: (d) => Object.keys(d),
  values: (d) => Object.values(d),
  get: (d, k: string, dflt: unknown = null) => (k in d ? d[k] : dflt),
};

/** Python's list methods that read (`l.index(x)`, `l.count(x)`). */
const LIST: Record<string, (l: unknown[], ...a: never[]) => unknown> = {
  index: (l, x: unknown) => {
    const i = l.indexOf(x);
    if (i < 0) throw new Error(`${JSON.stringify(x)} is not in list`);
    return i;
  },
  count: (l, x: unknown) => l.filter((y) => y === x).length,
};

/**
 * Jinja calls Python methods on strings, dicts and lists; nunjucks looks members up on
 * JavaScript values. Teach its member lookup the common Python ones.
 */
export function patchPythonMethods(): void {
  const rt = (nunjucks as unknown as { runtime: Record<string, unknown> }).runtime;
  if (rt.agriMethods) return;
  rt.agriMethods = true;
  const original = rt.memberLookup as (obj: unknown, val: string) => unknown;
  const bind = (table: Record<string, Method>, self: unknown, name: string) => (...a: never[]) => table[name](self as never, ...a);
  rt.memberLookup = (obj: unknown, val: string) => {
    if (typeof obj === 'string' && Object.hasOwn(STR, val)) return bind(STR as Record<string, Method>, obj, val);
    if (Array.isArray(obj) && Object.hasOwn(LIST, val)) return bind(LIST as Record<string, Method>, obj, val);
    if (isRecord(obj) && !Array.isArray(obj) && !(val in obj) && Object.hasOwn(DICT, val)) return bind(DICT as Record<string, Method>, obj, val);
    return original(obj, val);
  };
}

/** A value as Python prints it (`['a', 1]`, `{'k': True}`, `None`): what Jinja writes into text. */
export function pyRepr(v: unknown, nested = false): string {
  if (v === null || v === undefined) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (typeof v === 'string') {
    if (!nested) return v;
    const dq = v.includes("'") && !v.includes('"');
    return dq ? `"${v.replace(/\\/g, '\\\\')}"` : `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;
  }
  if (Array.isArray(v)) return `[${v.map((x) => pyRepr(x, true)).join(', ')}]`;
  if (isRecord(v)) return `{${Object.entries(v).map(([k, x]) => `${pyRepr(k, true)}: ${pyRepr(x, true)}`).join(', ')}}`;
  return String(v);
}

/** Values written into text look as they do under Ansible (Python's str of lists, dicts, booleans). */
export function patchPythonOutput(): void {
  const rt = (nunjucks as unknown as { runtime: Record<string, unknown> }).runtime;
  if (rt.agriOutput) return;
  rt.agriOutput = true;
  const original = rt.suppressValue as (val: unknown, autoescape: boolean) => unknown;
  rt.suppressValue = (val: unknown, autoescape: boolean) => original(typeof val === 'boolean' || Array.isArray(val) || (isRecord(val) && val.constructor === Object) ? pyRepr(val) : val, autoescape);
}
