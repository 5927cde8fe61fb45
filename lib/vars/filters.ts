import { createHash } from 'node:crypto';
import { lstatSync, realpathSync, statSync, type Stats } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { createRequire } from 'node:module';
import { strftime } from '../source/pydatetime.js';
import { split as pySplit, splitKw } from './jinja/methods.js';
import { PyError, UndefinedUse, contains as pyIn, eq, hashable, isDict, isNum, num, ops, plain, pyFloat, pyType, str, truthy, tuple } from '../source/python.js';
import { pyIter } from '../source/pyvalues.js';
import { fspath } from './jinja/filter-args.js';
import { misses, subscript } from '../source/pysubscript.js';
import { expandRepl, pyRegex } from '../source/pyregex.js';
import { parseIp } from './jinja/net.js';
import { networkFilters } from './jinja/ipaddr.js';
import { macFilters } from './jinja/macaddr.js';
import { toPaths } from './jinja/utils-data.js';
import { generalFilters } from './jinja/general-filters.js';
import { isUri, isUrl, isUrn, urlsplit } from './jinja/urlsplit.js';
import { randomFilter, shuffleFilter } from './jinja/pyrandom.js';
import { pyUnquotePlus } from './jinja/builtins.js';
import { humanReadable, humanToBytes, toDatetime, version, versionCmp } from './jinja/units.js';
import { BOOLEANS_FALSE, BOOLEANS_TRUE } from '../source/index.js';
import { decryptWith, encryptVault, isVaultTagged, VaultError } from '../source/vault.js';
import { b64decode, b64encode, fileglob, items2dict, regexEscape, rekeyOnMember, subelements, toUuid, unique } from './jinja/data-filters.js';
import { combine } from './jinja/combine.js';
import { comment } from './jinja/comment.js';
import { bounded, combinations, permutations } from './jinja/itertools.js';
import { split as ntSplit, splitdrive } from './jinja/ntpath.js';
import { passwordHash } from './jinja/password-hash.js';
import { serialFilters } from './serial-filters.js';
import { inversePower, mathLog, mathLog10, mathPow } from './jinja/math-filters.js';
import { dictItems, dictKeys } from '../source/pydict.js';
import { pyDict } from '../source/pykeys.js';

/** jmespath (json_query only) is loaded when first used: a quarter of the filters' load time otherwise. */
let jmes: typeof import('jmespath') | undefined;
const jmespath = (): typeof import('jmespath') => (jmes ??= createRequire(import.meta.url)('jmespath') as typeof import('jmespath'));

type Fn = (...args: any[]) => unknown;

/** posixpath.splitext: the extension from the last dot of the last part, unless the part is only dots before it (`.bashrc`). */
function splitext(p: string): unknown[] {
  const dot = p.lastIndexOf('.');
  const slash = p.lastIndexOf('/');
  if (dot > slash && !/^\.*$/.test(p.slice(slash + 1, dot))) return tuple([p.slice(0, dot), p.slice(dot)]);
  return tuple([p, '']);
}

const list = (v: unknown): unknown[] => {
  if (v === undefined) throw new UndefinedUse();
  return Array.isArray(v) ? v : typeof v === 'string' ? [...v] : isDict(v) ? dictKeys(v) : [v];
};

/** set() of a value's items: a list or dict among them is unhashable. */
const setOf = (v: unknown): unknown[] => {
  const items = pyIter(v);
  const bad = items.find((x) => !hashable(x));
  if (bad !== undefined) throw new PyError('TypeError', `unhashable type: '${pyType(bad)}'`);
  return items;
};


function regexSearch(s: unknown, pattern: unknown, ...a: unknown[]): unknown {
  const [args, kw] = splitKw(a);
  // (ansible-core's parsing of each group argument, and its failures, before the search)
  const groups = args.map((g) => {
    if (typeof g !== 'string') throw new PyError('AttributeError', `'${pyType(g)}' object has no attribute 'startswith'`);
    const name = g.startsWith('\\g') ? /^\\g<(\S+)>/.exec(g)?.[1] : g.startsWith('\\') ? /^\\(\d+)/.exec(g)?.[1] : undefined;
    if (!g.startsWith('\\')) throw new PyError('AnsibleFilterError', 'Unknown argument');
    if (name === undefined) throw new PyError('AttributeError', "'NoneType' object has no attribute 'group'");
    return g.startsWith('\\g') ? name : Number(name);
  });
  const m = pyRegex(str(pattern), kw).exec(str(s));
  if (!m) return null;
  if (!groups.length) return m[0];
  return groups.map((g) => {
    const v = typeof g === 'number' ? (g < m.length ? m[g] : noGroup()) : m.groups && g in m.groups ? m.groups[g] : noGroup();
    return v ?? null;
  });
}

function noGroup(): never {
  throw new PyError('IndexError', 'no such group');
}

/** A number for Python's math functions (a bool is an int); anything else their TypeError, in ansible-core's words for the filter. */
function real(filter: string, v: unknown): number {
  if (typeof v === 'boolean') return Number(v);
  if (!isNum(v)) throw new PyError('AnsibleFilterTypeError', `${filter}() can only be used on numbers: must be real number, not ${pyType(v)}`);
  return num(v);
}

/** Ansible's filters (ansible.builtin, ansible.utils, community.general). */
export const filters: Record<string, Fn> = {
  ...serialFilters,
  b64encode,
  b64decode,
  hash: (s, algo = 'sha1') => {
    let h;
    try {
      h = createHash(str(algo));
    } catch {
      // (hashlib.new's ValueError, as get_hash raises it)
      throw new PyError('AnsibleFilterError', `unsupported hash type ${str(algo)}`);
    }
    return h.update(str(s)).digest('hex');
  },
  checksum: (s) => createHash('sha1').update(str(s)).digest('hex'),
  sha1: (s) => createHash('sha1').update(str(s)).digest('hex'),
  md5: (s) => createHash('md5').update(str(s)).digest('hex'),
  password_hash: passwordHash,
  // (ansible-core's to_bool: None stays None; only yes/on/1/true and the number 1 are true)
  bool: (v) => (v === null || typeof v === 'boolean' ? v : ['yes', 'on', '1', 'true'].includes(typeof v === 'string' ? v.toLowerCase() : '') || (isNum(v) && num(v) === 1)),
  // (posixpath's: `a/b/` has the basename '', `b.txt` the dirname '', where node's path gives 'b' and '.')
  basename: (p: string) => p.slice(p.lastIndexOf('/') + 1),
  dirname: (p: string) => {
    const head = p.slice(0, p.lastIndexOf('/') + 1);
    return /^\/*$/.test(head) ? head : head.replace(/\/+$/, '');
  },
  splitext,
  path_join: (parts) => {
    if (typeof parts === 'string') return parts;
    if (!Array.isArray(parts)) throw new PyError('AnsibleFilterTypeError', `|path_join expects string or sequence, got <class '${pyType(parts)}'> instead.`);
    // (os.path.join(*parts): its TypeErrors for no part and for a part that is not text)
    if (!parts.length) throw new PyError('TypeError', "join() missing 1 required positional argument: 'a'");
    fspath(parts[0]);
    const bad = parts.findIndex((p) => typeof p !== 'string');
    if (bad > 0) throw new PyError('TypeError', `join() argument must be str, bytes, or os.PathLike object, not '${pyType(parts[bad])}'`);
    // (nothing normalized, an absolute part starts again)
    return parts.reduce((acc: string, p) => (isAbsolute(str(p)) || acc === '' ? str(p) : acc.endsWith('/') ? acc + str(p) : `${acc}/${str(p)}`), '');
  },
  expanduser: (p) => str(p).replace(/^~(?=$|\/)/, homedir()),
  expandvars: (p) => str(p).replace(/\$(\w+)|\$\{(\w+)\}/g, (m, a: string, b: string) => process.env[a ?? b] ?? m),
  realpath: (p) => {
    try {
      return realpathSync(str(p));
    } catch {
      return resolve(str(p));
    }
  },
  // (os.path.relpath: both made absolute from the working folder; `start` the working folder itself by default)
  relpath: (p: string, start?: unknown) => relative(resolve(start === undefined || start === null ? '.' : str(start)), resolve(p)) || '.',
  win_basename: (p) => ntSplit(str(p))[1],
  win_dirname: (p) => ntSplit(str(p))[0],
  win_splitdrive: (p) => tuple(splitdrive(str(p))),
  comment,
  // shlex.quote
  quote: (s) => (s !== null && /^[\w@%+=:,./-]+$/.test(str(s)) ? str(s) : `'${(s === null ? '' : str(s)).replace(/'/g, `'"'"'`)}'`),
  combine,
  dict2items: (d, ...a) => {
    const [, kw] = splitKw(a);
    if (!isDict(d)) throw new PyError('AnsibleFilterTypeError', `dict2items requires a dictionary, got <class '${pyType(d)}'> instead.`);
    return dictItems(d).map(([k, v]) => ({ [String(kw.key_name ?? 'key')]: k, [String(kw.value_name ?? 'value')]: v }));
  },
  items2dict,
  // (dict(sequence))
  'community.general.dict': (pairs) => pyDict([pairs], {}),
  unique,
  // (ansible-core's: set(a) | set(b) where both are hashable, else unique(a + b) — Python's `+`, so text and a list do not mix)
  union: (a, b) => (hashable(a) && hashable(b) ? [...list(a), ...list(b)] : list(ops.add(a, b))).filter((x, i, all) => all.findIndex((y) => eq(x, y)) === i),
  intersect: (a, b) => list(a).filter((x, i, all) => list(b).some((y) => eq(x, y)) && all.findIndex((y) => eq(x, y)) === i),
  difference: (a, b) => list(a).filter((x, i, all) => !list(b).some((y) => eq(x, y)) && all.findIndex((y) => eq(x, y)) === i),
  symmetric_difference: (a, b) => {
    // (where not both are hashable, ansible-core's takes the union first: text and a list fail there)
    if (!hashable(a) || !hashable(b)) filters.union(a, b);
    return [...list(a).filter((x) => !list(b).some((y) => eq(x, y))), ...list(b).filter((x) => !list(a).some((y) => eq(x, y)))].filter((x, i, all) => all.findIndex((y) => eq(x, y)) === i);
  },
  flatten: (a, ...rest) => {
    const [args, kw] = splitKw(rest);
    const levels = kw.levels ?? args[0];
    const skipNulls = truthy(kw.skip_nulls ?? args[1] ?? true);
    const flat = (l: unknown[], depth: number): unknown[] => l.flatMap((x) => (Array.isArray(x) && (levels === undefined || levels === null || depth < num(levels)) ? flat(x, depth + 1) : skipNulls && (x === null || x === 'None') ? [] : [x]));
    return flat(list(a), 0);
  },
  product: (a, ...rest) => {
    const [lists, kw] = splitKw(rest);
    const all = [list(a), ...lists.map(list)];
    const repeat = num(kw.repeat ?? 1);
    // (the tuples' length, then their count, bounded before any is made)
    bounded('product()', [repeat * all.length]);
    const pools = Array.from({ length: repeat }, () => all).flat();
    bounded('product()', pools.map((p) => p.length));
    return pools.reduce<unknown[][]>((acc, pool) => acc.flatMap((x) => pool.map((y) => [...x, y])), [[]]).map((t) => tuple(t));
  },
  // (itertools': tuples in its order; r by position or name; combinations needs it, as Python's)
  permutations: (a, ...rest) => {
    const [args, kw] = splitKw(rest);
    const pool = list(a);
    const r = kw.r ?? args[0];
    return permutations(pool, r === undefined || r === null ? pool.length : num(r)).map((t) => tuple(t));
  },
  combinations: (a, ...rest) => {
    const [args, kw] = splitKw(rest);
    const r = kw.r ?? args[0];
    if (r === undefined) throw new PyError('TypeError', "combinations() missing required argument 'r' (pos 2)");
    return combinations(list(a), num(r)).map((t) => tuple(t));
  },
  zip: (a, ...rest) => {
    const all = [list(a), ...rest.map(list)];
    return Array.from({ length: Math.min(...all.map((l) => l.length)) }, (_, i) => tuple(all.map((l) => l[i])));
  },
  zip_longest: (a, ...rest) => {
    const [lists, kw] = splitKw(rest);
    const all = [list(a), ...lists.map(list)];
    return Array.from({ length: Math.max(...all.map((l) => l.length)) }, (_, i) => tuple(all.map((l) => (i < l.length ? l[i] : (kw.fillvalue ?? null)))));
  },
  subelements,
  regex_replace: (s, pattern = '', ...a) => {
    const [args, kw] = splitKw(a);
    const repl = str(args[0] ?? kw.replacement ?? '');
    const count = num(kw.count ?? 0);
    let n = 0;
    return str(s).replace(pyRegex(str(pattern), { ignorecase: kw.ignorecase ?? args[1], multiline: kw.multiline ?? args[2], global: true }), (...m) => {
      if (count && n++ >= count) return m[0] as string;
      const groups = typeof m[m.length - 1] === 'object' ? (m[m.length - 1] as Record<string, string>) : undefined;
      const match = Object.assign(m.slice(0, m.length - (groups ? 3 : 2)), { groups }) as unknown as RegExpMatchArray;
      return expandRepl(repl, match);
    });
  },
  regex_search: regexSearch,
  regex_findall: (s, pattern, ...a) => {
    const [, kw] = splitKw(a);
    return [...str(s).matchAll(pyRegex(str(pattern), { ...kw, global: true }))].map((m) => (m.length > 2 ? tuple(m.slice(1).map((x) => x ?? '')) : m.length === 2 ? (m[1] ?? '') : m[0]));
  },
  regex_escape: regexEscape,
  json_query: (v, expr) => jmespath().search(plain(v) as Parameters<typeof import('jmespath').search>[0], str(expr)),
  ternary: (v, a, b, none?: unknown) => (v === null && none !== undefined ? none : truthy(v) ? a : b),
  type_debug: (v) => pyType(v),
  human_readable: humanReadable,
  human_to_bytes: humanToBytes,
  // (community.general's: sorted(value, key=LooseVersion, reverse=reverse), stable either way)
  version_sort: (a, reverse?: unknown) => [...list(a)].sort((x, y) => (truthy(reverse ?? false) ? versionCmp(y, x) : versionCmp(x, y))),
  // ansible-core's vault filters (salt as given, else random; the vault id names the envelope)
  vault: (data, secret, ...a) => {
    const [args, kw] = splitKw(a);
    if (typeof secret !== 'string') throw new PyError('AnsibleFilterTypeError', `Secret passed is required to be a string, instead we got: <class '${pyType(secret)}'>`);
    if (typeof data !== 'string') throw new PyError('AnsibleFilterTypeError', `Can only vault strings, instead we got: <class '${pyType(data)}'>`);
    const salt = kw.salt ?? args[0];
    if (salt === '' || salt === false || salt === 0) throw new PyError('AnsibleFilterError', 'Unable to encrypt: Empty or invalid salt passed to encrypt()');
    return encryptVault(data, secret, str(kw.vaultid ?? args[1] ?? 'filter_default'), salt === undefined || salt === null ? undefined : str(salt));
  },
  unvault: (v, secret) => {
    if (typeof secret !== 'string') throw new PyError('AnsibleFilterTypeError', `Secret passed is required to be as string, instead we got: <class '${pyType(secret)}'>`);
    if (typeof v !== 'string') throw new PyError('AnsibleFilterTypeError', `Vault should be in the form of a string, instead we got: <class '${pyType(v)}'>`);
    try {
      return decryptWith(v, secret);
    } catch (e) {
      throw e instanceof VaultError ? new PyError('AnsibleFilterError', e.message) : e;
    }
  },
  random: randomFilter,
  shuffle: shuffleFilter,
  log: (v, base?: unknown) => pyFloat(isNum(base) && num(base) === 10 ? mathLog10(real('log', v)) : mathLog(real('log', v), base === undefined ? Math.E : real('log', base))),
  pow: (v, e) => pyFloat(mathPow(real('pow', v), real('pow', e))),
  root: inversePower,
  ...networkFilters,
  ...macFilters,
  to_paths: toPaths,
  ...generalFilters,
  urlsplit,
  // ansible-core's urls filter: unquote_plus
  urldecode: (v) => pyUnquotePlus(str(v)),
  to_datetime: toDatetime,
  strftime: (fmt, secs?: unknown, utc: unknown = false) => {
    const given = secs !== undefined && secs !== null;
    // (Python's float() of the epoch value: a number, or text that is one)
    const n = !given ? 0 : typeof secs === 'string' && /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/.test(secs) ? Number(secs) : isNum(secs) || typeof secs === 'boolean' ? Number(secs) : NaN;
    if (Number.isNaN(n)) throw new PyError('AnsibleFilterError', `Invalid value for epoch value (${str(secs)})`);
    // (time.strftime of time.gmtime or time.localtime)
    return strftime(str(fmt), given ? new Date(n * 1000) : new Date(), truthy(utc) ? 'utc' : 'local');
  },
  // (ansible-core's: value.split(seperator, maxsplit))
  split: (s: string, sep?: unknown, max?: unknown) => pySplit(s, sep, max, false),
  mandatory: (v, msg?: unknown) => {
    // (the undefined variable's name as the filter words it: `'hey' ` then ` not defined.`)
    if (v === undefined) throw new PyError('AnsibleFilterError', msg === undefined || msg === null ? `Mandatory variable ${misses.name === undefined ? '' : `'${misses.name}' `} not defined.` : str(msg));
    return v;
  },
  // (environment.getitem of each key in turn: an index, a dict's key of its own type, an attribute)
  extract: (key, container, morekeys?: unknown) => {
    let v = subscript(container, key);
    for (const k of morekeys === undefined ? [] : Array.isArray(morekeys) ? morekeys : [morekeys]) v = subscript(v, k);
    return v;
  },
  rekey_on_member: rekeyOnMember,
  to_uuid: toUuid,
  fileglob,
};

/** One stat of a controller path (undefined when there is nothing there, or it is no path). */
const pathStat = (p: unknown, how: (p: string, o: { throwIfNoEntry: false }) => Stats | undefined) => (typeof p === 'string' ? how(p, { throwIfNoEntry: false }) : undefined);

/** A task result, as the result tests take it: anything else is their error (ansible-core's `The 'failed' test expects a dictionary`). */
const resultFor = (test: string) => (r: unknown): Record<string, unknown> => {
  if (!isDict(r)) throw new PyError('AnsibleFilterError', `The '${test}' test expects a dictionary`);
  return r;
};
const resultOf = (r: unknown): Record<string, unknown> => (isDict(r) ? r : {});
const anyItem = (r: Record<string, unknown>, key: string): boolean => Array.isArray(r.results) && r.results.some((x) => resultOf(x)[key] === true);
/** failed/changed: the result's flag, or any loop item's. */
const isFailed = (r: unknown): boolean => resultFor('failed')(r).failed === true || anyItem(resultOf(r), 'failed');
const isChanged = (r: unknown): boolean => resultFor('changed')(r).changed === true || anyItem(resultOf(r), 'changed');
/** skipped/unreachable: the result's key, as Python reads its truth. */
const flagTest = (key: string) => (r: unknown): boolean => truthy(resultFor(key)(r)[key] ?? false);
/** started/finished: an async task's 0 or 1; a task that was not async counts as both, as ansible-core's (which warns). */
const asyncTest = (key: string) => (r: unknown): boolean => {
  const res = resultFor(key)(r);
  return key in res ? res[key] === 1 || res[key] === true : true;
};
const reTest = (anchored: 'match' | 'search' | 'full') => (s: unknown, re: unknown, ...a: unknown[]) => {
  const [args, kw] = splitKw(a);
  const r = pyRegex(anchored === 'search' ? str(re) : `^(?:${str(re)})${anchored === 'full' ? '$' : ''}`, { ignorecase: kw.ignorecase ?? args[0], multiline: kw.multiline ?? args[1] });
  return r.test(str(s));
};

/**
 * ansible-core's result tests: each checks its value is a mapping first, so an undefined one is its
 * `The 'changed' test expects a dictionary` (template.ts lets it through to them).
 */
export const resultTests: Record<string, Fn> = {
  changed: isChanged,
  failed: isFailed,
  succeeded: (r) => !isFailed(r),
  success: (r) => !isFailed(r),
  // ansible-core's other names of these (its test plugin maps them all)
  successful: (r) => !isFailed(r),
  failure: isFailed,
  change: isChanged,
  skip: flagTest('skipped'),
  skipped: flagTest('skipped'),
  unreachable: flagTest('unreachable'),
  reachable: (r) => !flagTest('unreachable')(r),
  finished: asyncTest('finished'),
  started: asyncTest('started'),
};

/** Ansible's tests. */
export const tests: Record<string, Fn> = {
  ...resultTests,
  vault_encrypted: isVaultTagged,
  match: reTest('match'),
  search: reTest('search'),
  regex: (s, re, ...a) => {
    const [, kw] = splitKw(a);
    return reTest(kw.match_type === 'match' ? 'match' : kw.match_type === 'fullmatch' ? 'full' : 'search')(s, re, ...a);
  },
  version,
  version_compare: version,
  // (set(a) <= set(b): a set of each first, so an unhashable item or a value with no items is a TypeError)
  subset: (a, b) => setOf(a).every((x) => setOf(b).some((y) => eq(x, y))),
  superset: (a, b) => setOf(b).every((x) => setOf(a).some((y) => eq(x, y))),
  // ansible.builtin.contains: Python's `value in seq` (a substring of text, a key of a dict, an item of a list)
  contains: (a, v) => pyIn(a, v),
  any: (a) => pyIter(a).some(truthy),
  all: (a) => pyIter(a).every(truthy),
  // (convert_bool: a boolean word is its boolean, as module_utils' boolean(); anything else its Python truth)
  truthy: (v, ...a) => {
    const word = typeof v === 'string' ? v.trim().toLowerCase() : v === 1 ? '1' : v === 0 ? '0' : undefined;
    if (truthy(splitKw(a)[1].convert_bool ?? false) && word !== undefined && (BOOLEANS_TRUE.has(word) || BOOLEANS_FALSE.has(word))) return BOOLEANS_TRUE.has(word);
    return truthy(v);
  },
  falsy: (v, ...a) => !(tests.truthy as Fn)(v, ...a),
  nan: (v) => typeof v === 'number' && Number.isNaN(v),
  ipaddr: (v) => parseIp(v) !== undefined,
  ipv4: (v) => parseIp(v)?.addr.kind() === 'ipv4',
  ipv6: (v) => parseIp(v)?.addr.kind() === 'ipv6',
  uri: isUri,
  url: isUrl,
  urn: isUrn,
  // Ansible's path tests, on the controller
  exists: (p) => pathStat(p, statSync) !== undefined,
  file: (p) => pathStat(p, statSync)?.isFile() === true,
  directory: (p) => pathStat(p, statSync)?.isDirectory() === true,
  // a link that points nowhere is still a link
  link: (p) => pathStat(p, lstatSync)?.isSymbolicLink() === true,
  link_exists: (p) => pathStat(p, lstatSync) !== undefined,
  // (os.path.isabs: text only)
  abs: (p) => isAbsolute(fspath(p)),
  // os.path.samefile: the same device and inode (an error where either is missing, as Python's)
  same_file: (a, b) => {
    const [x, y] = [a, b].map((p) => statSync(str(p)));
    return x.dev === y.dev && x.ino === y.ino;
  },
  // os.path.ismount: another device than its parent's, or its parent itself (/)
  mount: (p) => {
    const here = pathStat(p, lstatSync);
    const up = here && !here.isSymbolicLink() ? lstatSync(join(str(p), '..'), { throwIfNoEntry: false }) : undefined;
    return up !== undefined && (here!.dev !== up.dev || here!.ino === up.ino);
  },
  isnan: (v) => typeof v === 'number' && Number.isNaN(v),
};
// ansible-core's old names of its path and set tests (`is is_dir`, `is issubset`), kept by its plugins
Object.assign(tests, { is_dir: tests.directory, is_file: tests.file, is_link: tests.link, is_abs: tests.abs, is_same_file: tests.same_file, is_mount: tests.mount, issubset: tests.subset, issuperset: tests.superset });

