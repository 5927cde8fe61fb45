import { splitKw } from './methods.js';
import { PyError, num, pyType, str, truthy } from '../../source/python.js';

/** Ansible's size, version and date filters and tests. */
const SIZE: Record<string, number> = { B: 0, K: 1, M: 2, G: 3, T: 4, P: 5, E: 6, Z: 7, Y: 8 };
export function humanReadable(v: unknown, ...a: unknown[]): string {
  const [args, kw] = splitKw(a);
  const isbits = truthy(kw.isbits ?? args[0] ?? false);
  const unit = (kw.unit ?? args[1]) as string | undefined;
  // (ansible-core's words for what Python's comparison of a string with a number raises)
  if (typeof v === 'string' || v === null || typeof v === 'object') throw new PyError('AnsibleFilterTypeError', `human_readable() failed on bad input: '>=' not supported between instances of '${pyType(v)}' and 'int'`);
  const n = num(v);
  const letters = Object.keys(SIZE).reverse();
  const chosen = unit ? unit[0].toUpperCase() : (letters.find((l) => n >= Math.pow(1024, SIZE[l])) ?? 'B');
  const value = n / Math.pow(1024, SIZE[chosen]);
  const suffix = isbits ? (chosen === 'B' ? 'bits' : chosen + 'b') : chosen === 'B' ? 'Bytes' : chosen + 'B';
  return `${value.toFixed(2)} ${suffix}`;
}

/**
 * ansible-core's human_to_bytes (module_utils formatters): the number and unit at the start of the
 * text ('10.00 KB', '0.9'), a unit's second letter B (b with isbits) or its name, rounded as
 * Python's round() does (half to even); any failure the filter's error.
 */
export function humanToBytes(v: unknown, ...a: unknown[]): number {
  const [args, kw] = splitKw(a);
  const dflt = kw.default_unit ?? args[0];
  const isbits = kw.isbits ?? args[1] ?? false;
  const fail = (): never => {
    throw new PyError('AnsibleFilterError', `human_to_bytes() can't interpret following string: ${str(v)}`);
  };
  const m = /^\s*(\d*\.?\d*)\s*([A-Za-z]+)?/.exec(str(v));
  if (!m || !/\d/.test(m[1])) return fail();
  const n = Number(m[1]);
  const unit = m[2] ?? (dflt === undefined || dflt === null ? undefined : str(dflt));
  if (unit === undefined) return roundHalfEven(n);
  const key = unit[0].toUpperCase();
  if (!(key in SIZE)) return fail();
  const [cls, name] = truthy(isbits) ? ['b', 'bit'] : ['B', 'byte'];
  if (unit.length > 1 && !unit.toLowerCase().includes(name) && unit[1] !== cls) return fail();
  return roundHalfEven(n * Math.pow(1024, SIZE[key]));
}

/** Python's round() of a float to an int: halves to the even neighbour. */
function roundHalfEven(x: number): number {
  const f = Math.floor(x);
  const d = x - f;
  return d > 0.5 || (d === 0.5 && f % 2 !== 0) ? f + 1 : f;
}

/** A seeded random number (Python's random.Random(seed) is not reproduced: same seed, same pick within agri-play). */
function versionKey(v: string): (number | string)[] {
  return v.split(/[.\-+]/).map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}
export function versionCmp(a: unknown, b: unknown): number {
  const x = versionKey(str(a));
  const y = versionKey(str(b));
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const p = x[i] ?? 0;
    const q = y[i] ?? 0;
    if (p === q) continue;
    if (typeof p === 'number' && typeof q === 'number') return p - q;
    return String(p) < String(q) ? -1 : 1;
  }
  return 0;
}

function semverCmp(a: string, b: string): number {
  const [ma, pa] = a.split('-', 2);
  const [mb, pb] = b.split('-', 2);
  const c = versionCmp(ma, mb);
  if (c) return c;
  if (pa === undefined || pb === undefined) return pa === pb ? 0 : pa === undefined ? 1 : -1;
  return versionCmp(pa, pb);
}

const VERSION_OPS: Record<string, (c: number) => boolean> = { '<': (c) => c < 0, lt: (c) => c < 0, '<=': (c) => c <= 0, le: (c) => c <= 0, '>': (c) => c > 0, gt: (c) => c > 0, '>=': (c) => c >= 0, ge: (c) => c >= 0, '==': (c) => c === 0, '=': (c) => c === 0, eq: (c) => c === 0, '!=': (c) => c !== 0, '<>': (c) => c !== 0, ne: (c) => c !== 0 };
export function version(value: unknown, ...a: unknown[]): boolean {
  const [args, kw] = splitKw(a);
  const other = args[0] ?? kw.version;
  const op = String(args[1] ?? kw.operator ?? 'eq');
  const kind = String(kw.version_type ?? (truthy(args[2] ?? kw.strict ?? false) ? 'strict' : 'loose'));
  if (!VERSION_OPS[op]) throw new PyError('AnsibleFilterError', `Invalid operator type (${op})`);
  if (kind === 'strict' && !/^\d+\.\d+(\.\d+)?([ab]\d+)?$/.test(str(value))) throw new PyError('ValueError', `invalid version number '${str(value)}'`);
  return VERSION_OPS[op](kind === 'semver' ? semverCmp(str(value), str(other)) : versionCmp(value, other));
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
  order.forEach((c, i) => (p[c === 'y' ? 'Y' : c] = c === 'y' ? 2000 + Number(m[i + 1]) : c === 'f' ? Number(m[i + 1].padEnd(6, '0')) / 1000 : Number(m[i + 1])));
  return new Date(p.Y, p.m - 1, p.d, p.H, p.M, p.S, p.f);
}
