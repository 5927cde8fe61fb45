import { createHash } from 'node:crypto';
import { lstatSync, statSync, type Stats } from 'node:fs';
import { basename, dirname, isAbsolute } from 'node:path';
import { stringify as toYaml, parse as fromYaml } from 'yaml';
import { shq } from '../connections/quote.js';
import { deepMerge, isRecord, yes } from '../source/index.js';

type Fn = (...args: any[]) => unknown;

function combine(...args: unknown[]): unknown {
  const opts = isRecord(args[args.length - 1]) && ('recursive' in (args[args.length - 1] as object) || 'list_merge' in (args[args.length - 1] as object)) && args.length > 2 ? (args.pop() as Record<string, unknown>) : {};
  const deep = (a: unknown, b: unknown): unknown => (opts.recursive ? deepMerge(a, b) : b);
  const list = args.flatMap((a) => (Array.isArray(a) ? a : [a]));
  return list.reduce((acc: Record<string, unknown>, d) => {
    for (const [k, v] of Object.entries((d ?? {}) as object)) acc[k] = k in acc ? deep(acc[k], v) : v;
    return acc;
  }, {});
}


function pyRepl(repl: string): string {
  return repl.replace(/\\(\d+)/g, '$$$1').replace(/\\g<(\w+)>/g, '$$<$1>');
}

/** Ansible's common filters (a Jinja engine supplies join, length, lower, upper, first, last, ...). */
export const filters: Record<string, Fn> = {
  to_json: (v, opts?: { indent?: number }) => JSON.stringify(v, null, opts?.indent),
  to_nice_json: (v, opts?: { indent?: number }) => JSON.stringify(v, null, opts?.indent ?? 4),
  from_json: (s: string) => JSON.parse(s),
  to_yaml: (v) => toYaml(v, { lineWidth: 0 }),
  to_nice_yaml: (v) => toYaml(v, { indent: 2, lineWidth: 0 }),
  from_yaml: (s: string) => fromYaml(s),
  b64encode: (s: unknown) => Buffer.from(String(s)).toString('base64'),
  b64decode: (s: unknown) => Buffer.from(String(s), 'base64').toString('utf8'),
  regex_replace: (s: unknown, pattern: string, repl = '', ignorecase = false) => String(s ?? '').replace(new RegExp(pattern, 'g' + (ignorecase ? 'i' : '')), pyRepl(repl)),
  regex_search: (s: unknown, pattern: string) => {
    const m = new RegExp(pattern).exec(String(s ?? ''));
    return m ? m[0] : null;
  },
  regex_findall: (s: unknown, pattern: string) => [...String(s ?? '').matchAll(new RegExp(pattern, 'g'))].map((m) => (m.length > 1 ? m[1] : m[0])),
  combine,
  bool: yes,
  string: (v) => (typeof v === 'string' ? v : JSON.stringify(v)),
  unique: (a: unknown[]) => [...new Set(a)],
  // Ansible's extract: `groups.cp | map('extract', hostvars, 'ansible_host')`
  extract: (key: unknown, container: unknown, morekeys?: unknown) => {
    let v = (container as Record<string, unknown>)?.[String(key)];
    for (const k of morekeys === undefined ? [] : Array.isArray(morekeys) ? morekeys : [morekeys]) v = (v as Record<string, unknown>)?.[String(k)];
    return v;
  },
  flatten: (a: unknown[], levels?: number) => a.flat(levels ?? Infinity),
  union: (a: unknown[], b: unknown[]) => [...new Set([...a, ...b])],
  intersect: (a: unknown[], b: unknown[]) => a.filter((x) => b.includes(x)),
  difference: (a: unknown[], b: unknown[]) => a.filter((x) => !b.includes(x)),
  dict2items: (d: Record<string, unknown>, opts?: { key_name?: string; value_name?: string }) => Object.entries(d ?? {}).map(([k, v]) => ({ [opts?.key_name ?? 'key']: k, [opts?.value_name ?? 'value']: v })),
  items2dict: (a: Record<string, unknown>[], opts?: { key_name?: string; value_name?: string }) => Object.fromEntries(a.map((i) => [i[opts?.key_name ?? 'key'], i[opts?.value_name ?? 'value']])),
  basename: (p: string) => basename(p),
  dirname: (p: string) => dirname(p),
  quote: (s: unknown) => shq(String(s)),
  ternary: (v: unknown, a: unknown, b: unknown) => (v ? a : b),
  hash: (s: unknown, algo = 'sha1') => createHash(algo).update(String(s)).digest('hex'),
  mandatory: (v: unknown, msg?: string) => {
    if (v === undefined) throw new Error(msg ?? 'Mandatory variable not defined.');
    return v;
  },
  type_debug: (v: unknown) => (v === null ? 'NoneType' : Array.isArray(v) ? 'list' : typeof v === 'object' ? 'dict' : typeof v === 'number' ? (Number.isInteger(v) ? 'int' : 'float') : typeof v === 'boolean' ? 'bool' : 'str'),
  split: (s: unknown, sep?: string) => (sep === undefined ? String(s).trim().split(/\s+/) : String(s).split(sep)),
  keys: (d: object) => Object.keys(d ?? {}),
  values: (d: object) => Object.values(d ?? {}),
  zip: (a: unknown[], ...rest: unknown[][]) => a.map((x, i) => [x, ...rest.map((r) => r[i])]),
  min: (a: number[]) => Math.min(...a),
  max: (a: number[]) => Math.max(...a),
  ipaddr: (v: unknown) => v,
  splitlines: (s: unknown) => String(s).split(/\r?\n/),
};

/** One stat of a controller path (undefined when there is nothing there, or it is no path). */
const pathStat = (p: unknown, how: (p: string, o: { throwIfNoEntry: false }) => Stats | undefined) => (typeof p === 'string' ? how(p, { throwIfNoEntry: false }) : undefined);

const resultOf = (r: unknown): Record<string, unknown> => (isRecord(r) ? r : {});
const anyItem = (r: Record<string, unknown>, key: string): boolean => Array.isArray(r.results) && r.results.some((x) => resultOf(x)[key] === true);

/** Jinja tests Ansible adds: `result is changed`, `x is match('re')`. */
export const tests: Record<string, Fn> = {
  changed: (r) => resultOf(r).changed === true || anyItem(resultOf(r), 'changed'),
  failed: (r) => resultOf(r).failed === true || anyItem(resultOf(r), 'failed'),
  succeeded: (r) => !(resultOf(r).failed === true || anyItem(resultOf(r), 'failed')),
  success: (r) => !(resultOf(r).failed === true || anyItem(resultOf(r), 'failed')),
  skipped: (r) => resultOf(r).skipped === true,
  match: (s, re: string) => new RegExp('^(?:' + re + ')').test(String(s ?? '')),
  search: (s, re: string) => new RegExp(re).test(String(s ?? '')),
  regex: (s, re: string) => new RegExp(re).test(String(s ?? '')),
  none: (v) => v === null,
  boolean: (v) => typeof v === 'boolean',
  integer: (v) => Number.isInteger(v),
  float: (v) => typeof v === 'number' && !Number.isInteger(v),
  sequence: (v) => Array.isArray(v) || typeof v === 'string',
  contains: (a: unknown, v: unknown) => (Array.isArray(a) ? a.includes(v) : typeof a === 'string' && a.includes(String(v))),
  in: (v: unknown, a: unknown) => (Array.isArray(a) ? a.includes(v) : typeof a === 'string' ? a.includes(String(v)) : isRecord(a) && String(v) in a),
  subset: (a: unknown[], b: unknown[]) => a.every((x) => b.includes(x)),
  superset: (a: unknown[], b: unknown[]) => b.every((x) => a.includes(x)),
  // Ansible's path tests, on the controller
  exists: (p) => pathStat(p, statSync) !== undefined,
  file: (p) => pathStat(p, statSync)?.isFile() === true,
  directory: (p) => pathStat(p, statSync)?.isDirectory() === true,
  // a link that points nowhere is still a link
  link: (p) => pathStat(p, lstatSync)?.isSymbolicLink() === true,
  abs: (p) => typeof p === 'string' && isAbsolute(p),
};
