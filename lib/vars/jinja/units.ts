import { splitKw } from './methods.js';
import { PyError, PyFloat, num, pyType, str, truthy } from '../../source/python.js';
import { pyOf } from '../template-errors.js';
import { bytesToHuman, humanToBytes as bytesOf } from '../../source/formatters.js';
import { fixedDigits } from '../../source/pynumbers.js';
import { withMicros } from '../../source/pydatetime.js';

/** Ansible's size, version and date filters and tests. */
export function humanReadable(v: unknown, ...a: unknown[]): string {
  const [args, kw] = splitKw(a);
  const isbits = truthy(kw.isbits ?? args[0] ?? false);
  const unit = (kw.unit ?? args[1]) as string | undefined;
  // (ansible-core's words for what Python's comparison of a string with a number raises)
  if (typeof v === 'string' || v === null || (typeof v === 'object' && !(v instanceof PyFloat))) throw new PyError('AnsibleFilterTypeError', `human_readable() failed on bad input: '>=' not supported between instances of '${pyType(v)}' and 'int'`);
  return bytesToHuman(num(v), isbits, unit);
}

/** ansible-core's human_to_bytes filter (module_utils formatters): its failure the filter's error. */
export function humanToBytes(v: unknown, ...a: unknown[]): number {
  const [args, kw] = splitKw(a);
  const dflt = kw.default_unit ?? args[0];
  const n = bytesOf(str(v), dflt === undefined || dflt === null ? undefined : str(dflt), truthy(kw.isbits ?? args[1] ?? false));
  if (n === undefined) throw new PyError('AnsibleFilterError', `human_to_bytes() can't interpret following string: ${str(v)}`);
  return n;
}

function versionKey(v: string): (number | string)[] {
  return v.split(/[.\-+]/).map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}

/** A dotted version's parts compared in turn, numbers as numbers (semver's core and pre-release). */
function dottedCmp(a: string, b: string): number {
  const x = versionKey(a);
  const y = versionKey(b);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const p = x[i] ?? 0;
    const q = y[i] ?? 0;
    if (p === q) continue;
    if (typeof p === 'number' && typeof q === 'number') return p - q;
    return String(p) < String(q) ? -1 : 1;
  }
  return 0;
}

/** LooseVersion's parts: component_re's split — runs of digits (ints), of a-z, and what lies between them — without the dots. */
function looseParts(v: string): (number | string)[] {
  const parts: (number | string)[] = [];
  let last = 0;
  // (ASCII digits: Python's \d here would take other scripts' digits too)
  for (const m of v.matchAll(/\d+|[a-z]+|\./g)) {
    if (m.index > last) parts.push(v.slice(last, m.index));
    if (m[0] !== '.') parts.push(/^\d/.test(m[0]) ? Number(m[0]) : m[0]);
    last = m.index + m[0].length;
  }
  if (last < v.length) parts.push(v.slice(last));
  return parts;
}

/** Python's comparison of two lists of ints and texts: the first pair that differs decides; an int and a text cannot be ordered. */
function listCmp(x: (number | string)[], y: (number | string)[]): number {
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const [p, q] = [x[i], y[i]];
    if (p === q) continue;
    if (typeof p !== typeof q) throw new PyError('TypeError', `'<' not supported between instances of '${pyType(p)}' and '${pyType(q)}'`);
    return p < q ? -1 : 1;
  }
  return Math.sign(x.length - y.length);
}

/** LooseVersion(a) compared with LooseVersion(b) (ansible's compat.version), its TypeError where an int meets a text. */
export function versionCmp(a: unknown, b: unknown): number {
  return listCmp(looseParts(str(a)), looseParts(str(b)));
}

/** StrictVersion's parse: ((major, minor, patch), prerelease), or its ValueError. */
function strictParse(v: string): [number[], [string, number] | null] {
  const m = /^(\d+)\.(\d+)(?:\.(\d+))?(?:([ab])(\d+))?\n?$/.exec(v);
  if (!m) throw new PyError('ValueError', `invalid version number '${v}'`);
  return [[Number(m[1]), Number(m[2]), Number(m[3] ?? 0)], m[4] ? [m[4], Number(m[5])] : null];
}

/** StrictVersion's _cmp: the numbers, then a pre-release sorts before its release. */
function strictCmp(a: string, b: string): number {
  const [[x, xp], [y, yp]] = [strictParse(a), strictParse(b)];
  const c = listCmp(x, y);
  if (c || (!xp && !yp)) return c;
  if (!xp || !yp) return xp ? -1 : 1;
  return listCmp(xp, yp);
}

function semverCmp(a: string, b: string): number {
  const [ma, pa] = a.split('-', 2);
  const [mb, pb] = b.split('-', 2);
  const c = dottedCmp(ma, mb);
  if (c) return c;
  if (pa === undefined || pb === undefined) return pa === pb ? 0 : pa === undefined ? 1 : -1;
  return dottedCmp(pa, pb);
}

const VERSION_OPS: Record<string, (c: number) => boolean> = { '<': (c) => c < 0, lt: (c) => c < 0, '<=': (c) => c <= 0, le: (c) => c <= 0, '>': (c) => c > 0, gt: (c) => c > 0, '>=': (c) => c >= 0, ge: (c) => c >= 0, '==': (c) => c === 0, '=': (c) => c === 0, eq: (c) => c === 0, '!=': (c) => c !== 0, '<>': (c) => c !== 0, ne: (c) => c !== 0 };
/** ansible-core's version test (version_compare): its argument checks and errors, then the comparison of its version type. */
export function version(value: unknown, ...a: unknown[]): boolean {
  const [args, kw] = splitKw(a);
  const other = args[0] ?? kw.version;
  const op = String(args[1] ?? kw.operator ?? 'eq');
  const strict = args[2] ?? kw.strict;
  const fail = (msg: string): never => {
    throw new PyError('AnsibleFilterError', msg);
  };
  if (strict !== undefined && strict !== null && kw.version_type !== undefined && kw.version_type !== null) fail("Cannot specify both 'strict' and 'version_type'");
  if (!truthy(value ?? '')) fail('Input version value cannot be empty');
  if (!truthy(other ?? '')) fail('Version parameter to compare against cannot be empty');
  const kind = truthy(strict ?? false) ? 'strict' : String(kw.version_type ?? 'loose');
  if (!VERSION_TYPES.includes(kind)) fail(`Invalid version type (${kind}). Must be one of ${VERSION_TYPES.map((t) => `'${t}'`).join(', ')}`);
  if (!VERSION_OPS[op]) fail(`Invalid operator type (${op}). Must be one of ${Object.keys(VERSION_OPS).map((o) => `'${o}'`).join(', ')}`);
  const [x, y] = [str(value), str(other)];
  // (SemanticVersion's and packaging's ValueError words)
  if (kind === 'semver' || kind === 'semantic') [x, y].forEach((v) => SEMVER.test(v) || fail(`Version comparison failed: invalid semantic version '${v}'`));
  if (kind === 'pep440') [x, y].forEach((v) => PEP440.test(v) || fail(`Version comparison failed: Invalid version: '${v}'`));
  try {
    return VERSION_OPS[op](kind === 'semver' || kind === 'semantic' ? semverCmp(x, y) : kind === 'pep440' ? pep440Cmp(x, y) : kind === 'strict' ? strictCmp(x, y) : versionCmp(x, y));
  } catch (e) {
    // (version_compare's words for what the version type raised)
    if (e instanceof PyError) fail(`Version comparison failed: ${pyOf(e).msg}`);
    throw e;
  }
}

const VERSION_TYPES = ['loose', 'strict', 'semver', 'semantic', 'pep440'];
const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?$/;
const PEP440 = /^v?(\d+(?:\.\d+)*)(?:[-_.]?(a|alpha|b|beta|c|rc|pre|preview)[-_.]?(\d*))?(?:[-_.]?(?:post|rev|r)[-_.]?(\d*))?(?:[-_.]?dev[-_.]?(\d*))?$/i;

/** PEP 440's order (packaging's Version): the release, then a pre-release before it, a post-release after, a dev release before either. */
function pep440Cmp(a: string, b: string): number {
  const key = (v: string): number[] => {
    const m = PEP440.exec(v.trim())!;
    const release = m[1].split('.').map(Number);
    while (release.length > 1 && release[release.length - 1] === 0) release.pop();
    const rank: Record<string, number> = { a: 0, alpha: 0, b: 1, beta: 1, c: 2, rc: 2, pre: 2, preview: 2 };
    const pre = m[2] ? [0, rank[m[2].toLowerCase()], Number(m[3] || 0)] : m[5] !== undefined && m[4] === undefined ? [-1, 0, 0] : [1, 0, 0];
    const post = m[4] !== undefined ? Number(m[4] || 0) : -1;
    const dev = m[5] !== undefined ? Number(m[5] || 0) : Infinity;
    return [...release, ...Array(Math.max(0, 8 - release.length)).fill(0), ...pre, post, dev];
  };
  const [x, y] = [key(a), key(b)];
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i] < y[i] ? -1 : 1;
  return 0;
}

export function toDatetime(v: unknown, fmt: unknown = '%Y-%m-%d %H:%M:%S'): Date {
  const f = str(fmt);
  const s = str(v);
  const fields: Record<string, string> = { Y: '(\\d{4})', m: '(\\d{1,2})', d: '(\\d{1,2})', H: '(\\d{1,2})', M: '(\\d{1,2})', S: '(\\d{1,2})', f: '(\\d{1,6})', y: '(\\d{2})' };
  const order: string[] = [];
  const re = new RegExp('^' + f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/%([a-zA-Z])/g, (_m, c: string) => (order.push(c), fields[c] ?? '(.+?)')) + '$');
  const m = re.exec(s);
  if (!m) throw new PyError('ValueError', `time data '${s}' does not match format '${f}'`);
  const p: Record<string, number> = { Y: 1900, m: 1, d: 1, H: 0, M: 0, S: 0, f: 0 };
  order.forEach((c, i) => (p[c === 'y' ? 'Y' : c] = c === 'y' ? 2000 + Number(m[i + 1]) : c === 'f' ? Number(m[i + 1].padEnd(6, '0')) : Number(m[i + 1])));
  return withMicros(new Date(p.Y, p.m - 1, p.d, p.H, p.M, p.S, Math.floor(p.f / 1000)), p.f % 1000);
}

/** Jinja's filesizeformat: `%.1f` of the largest unit the size reaches (decimal, or binary with `binary`). */
export function filesizeformat(v: unknown, binary: unknown = false): string {
  const bytes = num(v);
  const base = truthy(binary) ? 1024 : 1000;
  const prefixes = truthy(binary) ? ['KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB', 'ZiB', 'YiB'] : ['kB', 'MB', 'GB', 'TB', 'PB', 'EB', 'ZB', 'YB'];
  if (bytes === 1) return '1 Byte';
  if (bytes < base) return `${Math.trunc(bytes)} Bytes`;
  let unit = base;
  for (let i = 0; i < prefixes.length; i++) {
    unit = Math.pow(base, i + 2);
    if (bytes < unit) return `${fixedDigits((base * bytes) / unit, 1)} ${prefixes[i]}`;
  }
  return `${fixedDigits((base * bytes) / unit, 1)} ${prefixes[prefixes.length - 1]}`;
}
