// ansible-core's math filters `log`, `pow` and `root` (mathstuff.py) over Python's math.log, log10,
// pow and sqrt: the C library's values (source/libm.ts) and math's errors — ValueError "math domain
// error", OverflowError "math range error" — where JavaScript gives NaN or Infinity.
import { cLog, cLog10, cPowSigned } from '../../source/libm.js';
import { isNum, num, pyFloat, PyError, pyType } from '../../source/python.js';
import { pyOf } from '../template-errors.js';
import { toFloat } from './number-filters.js';

const domain = () => new PyError('ValueError', 'math domain error');

/** math.log(x, base): log(x) / log(base). */
export function mathLog(x: number, base: number): number {
  if (x <= 0 || base <= 0 || Number.isNaN(x)) throw domain();
  const den = base === Math.E ? 1 : cLog(base);
  if (den === 0) throw new PyError('ZeroDivisionError', 'float division by zero');
  return cLog(x) / den;
}

/** math.log10(x). */
export function mathLog10(x: number): number {
  if (x <= 0) throw domain();
  return cLog10(x);
}

/** math.pow(x, y). */
export function mathPow(x: number, y: number): number {
  if ((x < 0 && Number.isFinite(x) && Number.isFinite(y) && !Number.isInteger(y)) || (x === 0 && y < 0 && Number.isFinite(y))) throw domain();
  const r = cPowSigned(x, y);
  if (!Number.isFinite(r) && Number.isFinite(x) && Number.isFinite(y)) throw new PyError('OverflowError', 'math range error');
  return r;
}

/** float() of a root's base, as Python converts it (the float filter's reading), or its errors. */
function floatOf(v: unknown): number {
  const f = toFloat(v, null);
  if (f !== null) return num(f);
  throw typeof v === 'string' ? new PyError('ValueError', `could not convert string to float: '${v}'`) : new PyError('TypeError', `float() argument must be a string or a real number, not '${pyType(v)}'`);
}

/** `root`: math.sqrt for base 2, else math.pow(x, 1.0 / float(base)); their ValueError and TypeError in the filter's words. */
export function inversePower(v: unknown, base: unknown = 2): unknown {
  try {
    if (!isNum(v)) throw new PyError('TypeError', `must be real number, not ${pyType(v)}`);
    const x = num(v);
    if (isNum(base) && typeof base !== 'boolean' && num(base) === 2) {
      if (x < 0) throw domain();
      return pyFloat(Math.sqrt(x));
    }
    const b = floatOf(base);
    if (b === 0) throw new PyError('ZeroDivisionError', 'float division by zero');
    return pyFloat(mathPow(x, 1 / b));
  } catch (e) {
    if (e instanceof PyError && (e.kind === 'ValueError' || e.kind === 'TypeError')) throw new PyError('AnsibleFilterTypeError', `root() can only be used on numbers: ${pyOf(e).msg}`);
    throw e;
  }
}
