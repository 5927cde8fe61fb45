// Python's TypeError for a filter given a value of the wrong kind, or fewer arguments than it takes,
// where the JavaScript filter would read it leniently: `3 | basename` was '3', `none | flatten` was
// [], `x | regex_search` was ''. ansible-core's template fails there (do_template's "Unexpected
// templating type error"), so a template that fails under ansible-core fails here too, instead of
// writing a value no playbook meant.
import { PyError, isDict, isNum, pyType, truthy } from '../../source/python.js';
import { isScalar } from '../../source/pyvalues.js';

type Check = (v: unknown, rest: unknown[]) => void;

const typeError = (msg: string): PyError => new PyError('TypeError', msg);

/** `f() missing 1 required positional argument: 'x'` when fewer of `names` are given, by position or by name. */
function needs(fn: string, names: string[]): Check {
  return (_v, rest) => {
    const last = rest[rest.length - 1];
    const kw = isDict(last) && last.__keywords ? last : undefined;
    const given = kw ? rest.length - 1 : rest.length;
    const missing = names.slice(given).filter((n) => !kw || !Object.hasOwn(kw, n));
    if (missing.length) throw typeError(`${fn}() missing ${missing.length} required positional argument${missing.length > 1 ? 's' : ''}: ${missing.map((m) => `'${m}'`).join(' and ')}`);
  };
}

/** iter() of a value: a number, a bool or None is none (a string, list or dict is). */
const iterable: Check = (v) => {
  if (isScalar(v)) throw typeError(`'${pyType(v)}' object is not iterable`);
};

/** os.fspath() of a value: text only; anything else its TypeError. */
export function fspath(v: unknown): string {
  if (typeof v !== 'string') throw typeError(`expected str, bytes or os.PathLike object, not ${pyType(v)}`);
  return v;
}
const path: Check = (v) => void fspath(v);

/** len() of a value: a number, a bool or None has none. */
const sized: Check = (v) => {
  if (isScalar(v)) throw typeError(`object of type '${pyType(v)}' has no len()`);
};

/** Two checks, in order. */
const both =
  (a: Check, b: Check): Check =>
  (v, rest) => {
    a(v, rest);
    b(v, rest);
  };

/** A str method the filter calls on its value: another type has no such attribute. */
const method =
  (name: string): Check =>
  (v) => {
    if (typeof v !== 'string') throw new PyError('AttributeError', `'${pyType(v)}' object has no attribute '${name}'`);
  };

/** ansible.utils' ipaddr, ipv4, ipv6 and ipwrap take text, a list or an int; anything else is their AnsibleFilterError. */
const ipInput =
  (filter: string): Check =>
  (v) => {
    if (typeof v === 'string' || Array.isArray(v) || typeof v === 'boolean' || typeof v === 'bigint' || (typeof v === 'number' && Number.isInteger(v))) return;
    throw new PyError('AnsibleFilterError', `Unrecognized type <<class '${pyType(v)}'>> for ${filter} filter <value>`);
  };

const CHECKS: Record<string, Check> = {
  ...Object.fromEntries(['ipaddr', 'ipv4', 'ipv6', 'ipwrap'].map((n) => [n, ipInput(n)])),
  comment: method('replace'),
  urldecode: method('replace'),
  wordwrap: method('splitlines'),
  // (Jinja's `s += "\n"` first: a list takes it, then has no splitlines)
  indent: (v) => {
    if (Array.isArray(v)) method('splitlines')(v, []);
    else if (typeof v !== 'string') throw typeError(`unsupported operand type(s) for +=: '${pyType(v)}' and 'str'`);
  },
  xmlattr: (v) => {
    if (!isDict(v)) throw new PyError('AttributeError', `'${pyType(v)}' object has no attribute 'items'`);
  },
  // (urllib's urlsplit: a list or dict is no key of its cache, a number that is not 0 has no decode)
  urlsplit: (v) => {
    if (Array.isArray(v) || isDict(v)) throw typeError(`unhashable type: '${pyType(v)}'`);
    if (typeof v !== 'string' && truthy(v)) method('decode')(v, []);
  },
  abs: (v) => {
    if (!isNum(v)) throw typeError(`bad operand type for abs(): '${pyType(v)}'`);
  },
  round: (v) => {
    if (!isNum(v)) throw typeError(`type ${pyType(v)} doesn't define __round__ method`);
  },
  items: (v) => {
    if (v !== undefined && !isDict(v)) throw typeError('Can only get item pairs from a mapping.');
  },
  split: (v) => {
    if (typeof v !== 'string') throw typeError(`descriptor 'split' for 'str' objects doesn't apply to a '${pyType(v)}' object`);
  },
  strftime: (v) => {
    if (typeof v !== 'string') throw typeError(`strftime() argument 1 must be str, not ${v === null ? 'None' : pyType(v)}`);
  },
  // (float() of the value: text that is no number is float()'s ValueError)
  filesizeformat: (v) => {
    if (typeof v === 'string' ? !/^\s*[-+]?(\d[\d_]*\.?\d*|\.\d+)(e[-+]?\d+)?\s*$|^\s*[-+]?(inf|infinity|nan)\s*$/i.test(v) : false) throw new PyError('ValueError', `could not convert string to float: '${v}'`);
    if (typeof v !== 'string' && !isNum(v)) throw typeError(`float() argument must be a string or a real number, not '${pyType(v)}'`);
  },
  truncate: sized,
  length: sized,
  count: sized,
  last: (v) => {
    if (typeof v !== 'string' && !Array.isArray(v) && !isDict(v) && v !== undefined) throw typeError(`'${pyType(v)}' object is not reversible`);
  },
  to_datetime: (v) => {
    if (typeof v !== 'string') throw typeError(`strptime() argument 1 must be str, not ${v === null ? 'None' : pyType(v)}`);
  },
  // (os.path.relpath: no path at all is its ValueError, before the path's type)
  relpath: (v, rest) => {
    if (v === null || v === '' || v === false || v === 0) throw new PyError('ValueError', 'no path specified');
    path(v, rest);
  },
  attr: needs('do_attr', ['name']),
  groupby: needs('sync_do_groupby', ['attribute']),
  extract: needs('extract', ['container']),
  pow: needs('power', ['y']),
  rekey_on_member: needs('rekey_on_member', ['key']),
  subelements: needs('subelements', ['subelements']),
  ternary: needs('ternary', ['true_val', 'false_val']),
  // (itertools.combinations() names its missing r before it looks at the pool)
  combinations: (v, rest) => {
    if (!rest.length) throw typeError("combinations() missing required argument 'r' (pos 2)");
    iterable(v, rest);
  },
  batch: needs('do_batch', ['linecount']),
  slice: needs('sync_do_slice', ['slices']),
  replace: needs('do_replace', ['old', 'new']),
  regex_findall: needs('regex_findall', ['regex']),
  regex_search: needs('regex_search', ['regex']),
  ...Object.fromEntries(['basename', 'dirname', 'splitext', 'expanduser', 'expandvars', 'realpath', 'win_basename', 'win_dirname', 'win_splitdrive'].map((n) => [n, path])),
  ...Object.fromEntries(['flatten', 'permutations', 'product', 'zip', 'zip_longest'].map((n) => [n, iterable])),
  ...Object.fromEntries(['union', 'intersect', 'difference', 'symmetric_difference'].map((n) => [n, both(needs(n, ['b']), iterable)])),
};

/** Throws the filter's TypeError (or ValueError) where ansible-core's would raise one for these arguments. */
export function checkFilterArgs(name: string, v: unknown, rest: unknown[]): void {
  const check = Object.hasOwn(CHECKS, name) ? CHECKS[name] : undefined;
  check?.(v, rest);
}
