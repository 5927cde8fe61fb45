// Jinja's int, float and round filters over Python's numbers: int() of text in any base (Python's
// literal prefixes for base 0), of a float (its NaN and infinity errors), and round()'s halves to even.
import { roundFloat } from '../../source/pynumbers.js';
import { intOf, intText } from '../../source/pyint.js';
import { PyError, isFloat, isNum, num, pyFloat } from '../../source/python.js';

export function toInt(v: unknown, dflt: unknown = 0, base: unknown = 10): unknown {
  if (typeof v === 'string') {
    const s = v.trim().replace(/_/g, '');
    // (base 0: the literal's prefix says, as Python's int(s, 0))
    const b = num(base) === 0 ? ({ x: 16, o: 8, b: 2 }[(/^0([xob])/i.exec(s)?.[1] ?? '').toLowerCase()] ?? 10) : num(base);
    const body = b === 16 ? s.replace(/^0x/i, '') : b === 8 ? s.replace(/^0o/i, '') : b === 2 ? s.replace(/^0b/i, '') : s;
    const digits = '0123456789abcdefghijklmnopqrstuvwxyz'.slice(0, b);
    if (b >= 2 && b <= 36 && new RegExp(`^[-+]?[${digits}]+$`, 'i').test(body)) return intText(body, b);
    // ("42.23"|int: Jinja's int(float(value)), whatever the base; Python's float reads no `0x`, which Number would)
    const f = toFloat(v, null);
    return f === null ? dflt : truncated(num(f), dflt);
  }
  if (typeof v === 'bigint') return v;
  if (isNum(v)) return truncated(num(v), dflt);
  return dflt;
}

/** Python's int() of a float: a NaN is its ValueError (the filter's default), an infinity its OverflowError, which Jinja's filter lets through. */
function truncated(x: number, dflt: unknown): unknown {
  if (Number.isNaN(x)) return dflt;
  if (!Number.isFinite(x)) throw new PyError('OverflowError', 'cannot convert float infinity to integer');
  // (a float past 2**53 is a whole number: its int is exact)
  return Number.isSafeInteger(Math.trunc(x)) ? Math.trunc(x) : intOf(BigInt(Math.trunc(x)));
}

export function toFloat(v: unknown, dflt: unknown = pyFloat(0)): unknown {
  if (isNum(v)) return pyFloat(num(v));
  if (typeof v === 'string') {
    const s = v.trim().toLowerCase();
    const f = s === 'inf' || s === '+inf' ? Infinity : s === '-inf' ? -Infinity : s === 'nan' ? NaN : s !== '' && /^[-+]?(\d[\d_]*\.?\d*|\.\d+)(e[-+]?\d+)?$/.test(s) ? Number(s.replace(/_/g, '')) : undefined;
    if (f !== undefined) return pyFloat(f);
  }
  return dflt;
}

/** Python's round(): halves to even (on the exact value: 2.675 is 2.67499…); Jinja's `ceil`/`floor` methods. */
export function round(v: unknown, precision: unknown = 0, method: unknown = 'common'): unknown {
  if (typeof v === 'bigint' && method === 'common' && num(precision) >= 0) return v;
  const x = num(v);
  const n = num(precision);
  const p = Math.pow(10, n);
  let r: number;
  // (Python's math.ceil/floor give an int: its zero has no sign, where JavaScript's Math.ceil(-0.5) is -0)
  if (method === 'ceil') r = Math.ceil(x * p) / p + 0;
  else if (method === 'floor') r = Math.floor(x * p) / p + 0;
  // (Python's round keeps the sign of a negative that rounds to zero: -0.0)
  else r = roundFloat(x, n);
  // (a bool is an int: round(True, 1) is 1)
  return isFloat(v) || method !== 'common' || (typeof v !== 'number' && typeof v !== 'boolean') ? pyFloat(r) : Number.isInteger(x) ? (n >= 0 ? x : r + 0) : pyFloat(r);
}
