// community.general's data filters, as its plugins/filter/*.py compute them: counter, crc32, dict_kv,
// groupby_as_dict, lists_mergeby, from_csv, unicode_normalize, random_mac and the time units
// (to_seconds, to_minutes, … to_time_unit).
import { randomBytes } from 'node:crypto';
import { crc32 as zlibCrc32 } from 'node:zlib';
import { PyError, compare, dictText, eq, hashable, isDict, pyFloat, pyType, repr, str, truthy } from '../../source/python.js';
import { combine } from './combine.js';
import { rows } from './csvfile.js';
import { splitKw } from './methods.js';
import { PyRandom } from './pyrandom.js';
import { putKey } from '../../source/pykeys.js';

const filterError = (m: string) => new PyError('AnsibleFilterError', m);
const pyTypeOf = (v: unknown) => `<class '${pyType(v)}'>`;

/** dict(Counter(sequence)): each item's count, in the order items first appear. */
function counter(seq: unknown): Record<string, unknown> {
  if (typeof seq !== 'string' && !Array.isArray(seq)) throw filterError(`Argument for community.general.counter must be a sequence (string or list). ${str(seq)} is ${pyTypeOf(seq)}`);
  const out: Record<string, unknown> = {};
  for (const x of typeof seq === 'string' ? [...seq] : seq) {
    if (!hashable(x)) throw filterError(`community.general.counter needs a sequence with hashable elements (int, float or str) - unhashable type: '${pyType(x)}'`);
    const text = dictText(out, x);
    putKey(out, x, text === undefined ? 1 : (out[text] as number) + 1);
  }
  return out;
}

function groupbyAsDict(seq: unknown, attribute: unknown): Record<string, unknown> {
  if (!Array.isArray(seq)) throw filterError('Input is not a sequence');
  const out: Record<string, unknown> = {};
  seq.forEach((e, i) => {
    if (!isDict(e)) throw filterError(`Sequence element #${i} is not a mapping`);
    const a = str(attribute);
    if (!Object.hasOwn(e, a)) throw filterError(`Attribute not contained in element #${i} of sequence`);
    const k = e[a];
    if (dictText(out, k) !== undefined) throw filterError(`Multiple sequence entries have attribute value ${repr(e[a])}`);
    putKey(out, k, e);
  });
  return out;
}

/** lists_mergeby(list1, list2, …, index, recursive=, list_merge=): items of the same index merged (later lists win), sorted by it. */
function listsMergeby(...all: unknown[]): unknown {
  const [terms, kw] = splitKw(all);
  const { recursive = false, list_merge = 'replace', ...rest } = kw;
  if (Object.keys(rest).length) throw filterError("'recursive' and 'list_merge' are the only valid keyword arguments.");
  if (terms.length < 2) throw filterError('At least one list and index are needed.');
  const lists: unknown[][] = [];
  for (const sub of terms.slice(0, -1)) {
    if (!Array.isArray(sub) && typeof sub !== 'string') throw filterError(`All arguments before the argument index for community.general.lists_mergeby must be lists. ${str(sub)} is ${pyTypeOf(sub)}`);
    if (sub.length > 0) {
      if (Array.isArray(sub) && sub.every((l) => Array.isArray(l) || typeof l === 'string')) lists.push(...(sub as unknown[][]));
      else lists.push(sub as unknown[]);
    }
  }
  if (!lists.length) return [];
  if (lists.length === 1) return lists[0];
  const index = terms[terms.length - 1];
  if (typeof index !== 'string') throw filterError(`First argument after the lists for community.general.lists_mergeby must be string. ${str(index)} is ${pyTypeOf(index)}`);
  const merge = (x: unknown[], y: unknown[]): unknown[] => {
    const groups: [unknown, Record<string, unknown>][] = [];
    for (const elem of [...x, ...y]) {
      if (!isDict(elem)) throw filterError(`Elements of list arguments for lists_mergeby must be dictionaries. ${str(elem)} is ${pyTypeOf(elem)}`);
      if (!Object.hasOwn(elem, index)) continue;
      let g = groups.find(([k]) => eq(k, elem[index]));
      if (!g) groups.push((g = [elem[index], {}]));
      g[1] = combine(g[1], elem, { recursive: truthy(recursive), list_merge, __keywords: true }) as Record<string, unknown>;
    }
    return groups.map(([, d]) => d).sort((a, b) => (compare('<', a[index], b[index]) ? -1 : compare('>', a[index], b[index]) ? 1 : 0));
  };
  let result = lists[lists.length - 1];
  for (let i = lists.length - 2; i >= 0; i--) result = merge(lists[i], result);
  return result;
}

/** Python's csv.DictReader over the text: the first row names the fields unless `fieldnames` does. */
function fromCsv(data: unknown, ...a: unknown[]): Record<string, unknown>[] {
  const [args, kw] = splitKw(a);
  const dialect = str(kw.dialect ?? args[0] ?? 'excel');
  const fieldnames = kw.fieldnames ?? args[1];
  const delimiter = kw.delimiter ?? args[2] ?? (dialect === 'excel-tab' ? '\t' : ',');
  if (!['excel', 'excel-tab', 'unix'].includes(dialect)) throw filterError(`Dialect '${dialect}' is not supported by your version of python.`);
  if ((kw.skipinitialspace ?? args[3]) != null || (kw.strict ?? args[4]) != null) throw filterError('from_csv: skipinitialspace and strict are not supported by agri-play');
  const all = rows(str(data).replace(/^\ufeff/, ''), str(delimiter)).filter((r) => r.length);
  const names = fieldnames == null ? (all.shift() ?? []) : (fieldnames as unknown[]).map(str);
  return all.map((r) => Object.fromEntries(names.map((n, i) => [n, r[i] ?? null])));
}

function unicodeNormalize(data: unknown, form: unknown = 'NFC'): string {
  if (typeof data !== 'string') throw new PyError('AnsibleFilterTypeError', `${pyTypeOf(data)} is not a valid input type`);
  if (!['NFC', 'NFD', 'NFKC', 'NFKD'].includes(str(form))) throw filterError(`${str(form)} is not a valid form`);
  return data.normalize(str(form));
}

/** random_mac(prefix, seed=): the prefix completed to six bytes; with a seed, Python's Random(seed)'s. */
function randomMac(value: unknown, ...a: unknown[]): string {
  const [args, kw] = splitKw(a);
  if (typeof value !== 'string') throw filterError(`Invalid value type (${pyTypeOf(value)}) for random_mac (${str(value)})`);
  const v = value.toLowerCase();
  const items = v.split(':');
  if (items.length > 5) throw filterError(`Invalid value (${v}) for random_mac: 5 colon(:) separated items max`);
  const err = items.map((m) => (!m ? 'empty item' : /^[a-f0-9]{2}/.test(m) ? '' : `${m} not hexa byte`)).filter(Boolean).join(',');
  if (err) throw filterError(`Invalid value (${v}) for random_mac: ${err}`);
  const seed = kw.seed ?? args[0];
  const lo = 68719476736n;
  const hi = 1099511627775n;
  const n = seed == null ? lo + (BigInt(`0x${randomBytes(8).toString('hex')}`) % (hi - lo + 1n)) : new PyRandom(seed).randrange(lo, hi + 1n, 1n);
  const rnd = n.toString(16).slice(0, 2 * (6 - items.length));
  return v + rnd.replace(/(..)/g, ':$1');
}

const UNIT_FACTORS: Record<string, number[]> = { ms: [], s: [1000], m: [1000, 60], h: [1000, 60, 60], d: [1000, 60, 60, 24], w: [1000, 60, 60, 24, 7], mo: [1000, 60, 60, 24, 30], y: [1000, 60, 60, 24, 365] };
const SHORT: Record<string, string> = { millisecond: 'ms', msec: 'ms', msecond: 'ms', sec: 's', second: 's', hour: 'h', min: 'm', minute: 'm', day: 'd', week: 'w', month: 'mo', year: 'y' };
const product = (f: number[]) => f.reduce((a, b) => a * b, 1);
const short = (u: string) => SHORT[u.replace(/s+$/, '')] ?? u;

/** to_time_unit(human_time, unit): `1h 30m` in that unit (year= and month= change their length in days). */
function toTimeUnit(human: unknown, unit: unknown = 'ms', kw: Record<string, unknown> = {}): unknown {
  if (human === '0') return 0;
  const u = short(str(unit));
  const factors = { ...UNIT_FACTORS };
  if (!factors[u]) throw filterError(`to_time_unit() can not convert to the following unit: ${u}. Available units (singular or plural): ${Object.keys(SHORT).join(', ')}. Available short units: ${Object.keys(UNIT_FACTORS).join(', ')}`);
  const { year, month, ...rest } = kw;
  if (year !== undefined) factors.y = [...factors.y.slice(0, -1), Number(year)];
  if (month !== undefined) factors.mo = [...factors.mo.slice(0, -1), Number(month)];
  if (Object.keys(rest).length) throw filterError(`to_time_unit() got unknown keyword arguments: ${Object.keys(rest).join(', ')}`);
  let ms = 0;
  for (const part of str(human).split(/\s+/).filter(Boolean)) {
    const m = /^(-?\d+)(\w+)/.exec(part);
    const pu = m && short(m[2]);
    if (!m || !pu || !factors[pu]) throw filterError(`to_time_unit() can not interpret following string: ${str(human)}`);
    ms += Number(m[1]) * product(factors[pu]);
  }
  // (Python's true division: a float, round(…, 12))
  return pyFloat(Math.round((ms / product(factors[u])) * 1e12) / 1e12);
}

const unitFilter = (unit: string) => (v: unknown, ...a: unknown[]) => toTimeUnit(v, unit, splitKw(a)[1]);

/** zlib's CRC-32 of the text's UTF-8 bytes, in hex. */
function crc32(value: unknown): string {
  if (typeof value !== 'string') throw filterError(`Invalid value type (${pyTypeOf(value)}) for crc32 (${repr(value)})`);
  return zlibCrc32(Buffer.from(value, 'utf8')).toString(16);
}

export const generalFilters: Record<string, (...a: unknown[]) => unknown> = {
  counter,
  crc32,
  dict_kv: (value, key) => ({ [str(key)]: value }),
  groupby_as_dict: groupbyAsDict,
  lists_mergeby: listsMergeby,
  from_csv: fromCsv,
  unicode_normalize: unicodeNormalize,
  random_mac: randomMac,
  to_time_unit: (v, ...a) => {
    const [args, kw] = splitKw(a);
    return toTimeUnit(v, args[0] ?? 'ms', kw);
  },
  to_milliseconds: unitFilter('ms'),
  to_seconds: unitFilter('s'),
  to_minutes: unitFilter('m'),
  to_hours: unitFilter('h'),
  to_days: unitFilter('d'),
  to_weeks: unitFilter('w'),
  to_months: unitFilter('mo'),
  to_years: unitFilter('y'),
};
