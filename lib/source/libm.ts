// The C library's log, log10 and pow, as Python's math module and float `**` call them. glibc's log
// and pow are correctly rounded but in rare near-ties (≤ 0.52 ulp); V8's Math.log, Math.log10 and
// Math.pow are fdlibm's (< 1 ulp) and differ from them in the last digit for some inputs (42 ** (1/5),
// log(42); test/libm.test.ts counts them). Here the exact value is computed in 200-bit fixed point (BigInt) and rounded once to the
// nearest double. log10 is glibc's own formula (e_log10.c, fdlibm's) over that log.

import { doubleParts } from './pynumbers.js';

const P = 200n;
const ONE = 1n << P;

/** 2·atanh(s) for a fixed-point s (|s| < 1/5): ln((1 + s) / (1 - s)). */
function twiceAtanh(s: bigint): bigint {
  const s2 = (s * s) >> P;
  let term = s;
  let sum = s;
  for (let i = 3n; ; i += 2n) {
    // (division truncates toward zero; a shift of a negative term would stop at -1)
    term = (term * s2) / ONE;
    if (term === 0n) break;
    sum += term / i;
  }
  return 2n * sum;
}

/** ln 2, fixed point: 2·atanh(1/3). */
const LN2 = twiceAtanh(ONE / 3n);

/** ln x in fixed point, x positive and finite. */
function lnFixed(x: number): bigint {
  const { m, e } = doubleParts(x);
  const bits = m.toString(2).length;
  // x = f · 2^k, f in [1, 2), then in [√½, √2]
  let k = BigInt(e + bits - 1);
  let f = m << (P - BigInt(bits - 1));
  if (f * f > 2n * ONE * ONE) {
    f >>= 1n;
    k += 1n;
  }
  return k * LN2 + twiceAtanh(((f - ONE) << P) / (f + ONE));
}

/** A fixed-point value v / 2^scale rounded to the nearest double (ties to even); normal results only. */
function toDouble(v: bigint, scale: bigint): number {
  const neg = v < 0n;
  let a = neg ? -v : v;
  if (a === 0n) return 0;
  const shift = BigInt(a.toString(2).length - 53);
  let exp = -scale;
  if (shift > 0n) {
    const q = a >> shift;
    const rem = a - (q << shift);
    const half = 1n << (shift - 1n);
    a = rem > half || (rem === half && (q & 1n) === 1n) ? q + 1n : q;
    exp += shift;
  }
  const r = Number(a) * 2 ** Number(exp);
  return neg ? -r : r;
}

/** C's log(x): correctly rounded. */
export function cLog(x: number): number {
  if (!(x > 0) || x === Infinity || x === 1) return Math.log(x);
  return toDouble(lnFixed(x), P);
}

/** glibc's log10: fdlibm's reduction, then its log (e_log10.c). */
export function cLog10(x: number): number {
  if (!(x > 0) || x === Infinity) return Math.log10(x);
  const { m, e } = doubleParts(x);
  // x = y' · 2^k with y' in [1, 2) (or [0.5, 1) when k < 0, as its i flag does)
  const k = e + m.toString(2).length - 1;
  const i = k < 0 ? 1 : 0;
  const y = k + i;
  const reduced = x / 2 ** y;
  const z = y * 3.69423907715893078616e-13 + 4.34294481903251816668e-1 * cLog(reduced);
  return z + y * 3.01029995663611771306e-1;
}

/** C's pow(x, y) for x > 0, finite, where the result is a normal double: correctly rounded; else Math.pow. */
export function cPow(x: number, y: number): number {
  if (!(x > 0) || !Number.isFinite(x) || !Number.isFinite(y) || x === 1 || y === 0 || y === 1) return Math.pow(x, y);
  const approx = Math.pow(x, y);
  // (overflow, underflow and subnormal results, and exponents so large that 200 bits may not do, as V8 gives them)
  if (!(approx > 2 ** -1020 && approx < 2 ** 1023) || Math.abs(y) > 2 ** 100) return approx;
  const { m, e } = doubleParts(Math.abs(y));
  const prod = lnFixed(x) * (y < 0 ? -m : m);
  const z = e >= 0 ? prod << BigInt(e) : prod >> BigInt(-e);
  // exp(z) = 2^n · exp(r), |r| ≤ ln2 / 2; exp(r) = exp(r / 1024)^1024
  const n = (z + LN2 / 2n) / LN2 - (z + LN2 / 2n < 0n && (z + LN2 / 2n) % LN2 !== 0n ? 1n : 0n);
  const r = (z - n * LN2) >> 10n;
  let term = ONE;
  let sum = ONE;
  for (let i = 1n; term !== 0n; i++) {
    term = (term * r) / (i << P);
    sum += term;
  }
  for (let i = 0; i < 10; i++) sum = (sum * sum) >> P;
  return toDouble(sum, P - n);
}

/** C's pow of any sign: a negative base with a whole exponent takes the sign of its parity. */
export function cPowSigned(x: number, y: number): number {
  if (x < 0 && Number.isInteger(y)) {
    const r = cPow(-x, y);
    return Math.abs(y) % 2 === 1 ? -r : r;
  }
  return cPow(x, y);
}
