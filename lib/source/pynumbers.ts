// Python's float arithmetic where JavaScript's differs: divmod (`//`, `%`), and float-to-decimal
// conversions (`'%.2f' % x`, `'{:e}'.format(x)`, `round(x, n)`): CPython
// rounds a double's exact binary value with ties to even (dtoa's mode 3). JavaScript's toFixed
// and toExponential round ties away from zero (`(0.125).toFixed(2)` is 0.13, Python's 0.12), so the
// digits here come from the double's exact decimal expansion, in BigInt.

const view = new DataView(new ArrayBuffer(8));

/** A finite, non-negative double as m · 2^e, m a whole number (53 bits, fewer for a subnormal). */
export function doubleParts(a: number): { m: bigint; e: number } {
  view.setFloat64(0, a);
  const hi = view.getUint32(0);
  const bits = (BigInt(hi & 0xfffff) << 32n) | BigInt(view.getUint32(4));
  const biased = (hi >>> 20) & 0x7ff;
  return { m: biased === 0 ? bits : bits | (1n << 52n), e: (biased === 0 ? 1 : biased) - 1075 };
}

/** A finite, non-negative double's exact value as digits / 10^scale. */
function exact(a: number): { digits: bigint; scale: number } {
  const { m: mantissa, e } = doubleParts(a);
  return e >= 0 ? { digits: mantissa << BigInt(e), scale: 0 } : { digits: mantissa * 5n ** BigInt(-e), scale: -e };
}

/** digits / 10^scale rounded, ties to even, to a whole number of 10^-n (n may be negative). */
function roundTo(digits: bigint, scale: number, n: number): bigint {
  if (n >= scale) return digits * 10n ** BigInt(n - scale);
  const d = 10n ** BigInt(scale - n);
  const q = digits / d;
  const twice = (digits % d) * 2n;
  return twice > d || (twice === d && q % 2n === 1n) ? q + 1n : q;
}

/** k / 10^n written with n digits after the point (none when n is 0). */
function withPoint(k: bigint, n: number): string {
  if (n <= 0) return (k * 10n ** BigInt(-n)).toString();
  const s = k.toString().padStart(n + 1, '0');
  return `${s.slice(0, -n)}.${s.slice(-n)}`;
}

/** `'%.Nf' % a` for a finite a ≥ 0. */
export function fixedDigits(a: number, n: number): string {
  const { digits, scale } = exact(a);
  return withPoint(roundTo(digits, scale, n), n);
}

/**
 * a ≥ 0 (finite) to p + 1 significant digits: the digits as `d.ddd` and the decimal exponent, after
 * rounding (9.9999996 to 6 digits is 1.00000 and exponent 1), as `%e` and `%g` need them.
 */
export function significant(a: number, p: number): { mantissa: string; exp: number } {
  if (a === 0) return { mantissa: withPoint(0n, p), exp: 0 };
  const { digits, scale } = exact(a);
  let exp = digits.toString().length - 1 - scale;
  let k = roundTo(digits, scale, p - exp);
  if (k.toString().length > p + 1) {
    exp += 1;
    k /= 10n;
  }
  return { mantissa: withPoint(k, p), exp };
}

/** Python's round(x, n) of a finite float: the nearest double to x rounded at 10^-n, ties to even. */
export function roundFloat(x: number, n: number): number {
  if (!Number.isFinite(x) || x === 0) return x;
  const { digits, scale } = exact(Math.abs(x));
  const r = Number(`${roundTo(digits, scale, n)}e${-n}`);
  return x < 0 ? -r : r;
}

/** `'%.Nf' % x` for any float: the sign kept (-0.0 too), inf and nan as Python writes them. */
export function pyFixed(x: number, n: number): string {
  if (Number.isNaN(x)) return 'nan';
  const neg = x < 0 || Object.is(x, -0);
  const body = Number.isFinite(x) ? fixedDigits(Math.abs(x), n) : 'inf';
  return neg ? `-${body}` : body;
}

/** CPython's float divmod (fmod, then the floor's corrections): `1 // 0.1` is 9.0, `-1e-20 % 1.0` is 1.0. */
export function divmod(x: number, y: number): [number, number] {
  let mod = x % y;
  let div = (x - mod) / y;
  if (mod) {
    if (y < 0 !== mod < 0) {
      mod += y;
      div -= 1;
    }
  } else mod = y < 0 ? -0 : 0;
  // (a zero quotient keeps x / y's sign: -0.0 // 1 is -0.0)
  if (!div) {
    const q = x / y;
    return [q < 0 || Object.is(q, -0) ? -0 : 0, mod];
  }
  let floor = Math.floor(div);
  if (div - floor > 0.5) floor += 1;
  return [floor, mod];
}

/** repr() of a float: the shortest text that reads back as it (as JavaScript's), in Python's forms (`1.0`, `1e+16`, `inf`). */
export function floatRepr(n: number): string {
  if (Number.isNaN(n)) return 'nan';
  if (!Number.isFinite(n)) return n > 0 ? 'inf' : '-inf';
  if (Object.is(n, -0)) return '-0.0';
  const a = Math.abs(n);
  if (a !== 0 && (a >= 1e16 || a < 1e-4)) {
    const [m, e] = n.toExponential().split('e');
    const exp = Number(e);
    return `${m}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  const s = String(n);
  return Number.isInteger(n) ? `${s}.0` : s;
}
