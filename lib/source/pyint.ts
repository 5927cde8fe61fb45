// Python's ints past JavaScript's safe integers. An int inside ±(2**53 - 1) is a number, as every int
// was; one outside is a bigint, so `12345678901234567890`, `2 ** 64` and an md5 sum read with
// `int(base=16)` keep every digit, and only the values that need it pay for it. The readers (YAML,
// json.loads, Jinja's literals, int()) make bigints; python.ts' operators call exactInt below.

const MAX = BigInt(Number.MAX_SAFE_INTEGER);

/** The int as its smallest form: a number inside the safe range, else the bigint. */
export const intOf = (b: bigint): number | bigint => (b >= -MAX && b <= MAX ? Number(b) : b);

/** A whole double's digits as Python prints the int it stands for (`String(2 ** 64)` rounds them: 18446744073709552000). */
export const intDigits = (n: number): string => (Number.isSafeInteger(n) ? String(n) : BigInt(n).toString());

/** An int's text (a sign, then digits of `radix`, 2 to 36, already checked) as intOf gives it: every digit kept. */
export function intText(digits: string, radix = 10): number | bigint {
  const body = digits.replace(/^[-+]/, '').toLowerCase();
  const quick = parseInt(body, radix);
  let b = 0n;
  if (Number.isSafeInteger(quick)) b = BigInt(quick);
  else for (const d of body) b = b * BigInt(radix) + BigInt(parseInt(d, 36));
  return intOf(digits.startsWith('-') ? -b : b);
}

/** Whether a value is one of Python's ints (bool included): a bigint, or a whole number that is not a boxed float. */
export const isInt = (v: unknown): boolean => typeof v === 'bigint' || typeof v === 'boolean' || (typeof v === 'number' && Number.isInteger(v));

/** An int (a bool, a whole number or a bigint) as a bigint. */
export const big = (v: unknown): bigint => (typeof v === 'bigint' ? v : BigInt(Number(v)));

/** Python's floor division and modulo of ints (BigInt's `/` and `%` truncate toward zero). */
function floorDivMod(a: bigint, b: bigint): [bigint, bigint] {
  let q = a / b;
  let r = a % b;
  if (r !== 0n && r < 0n !== b < 0n) {
    q -= 1n;
    r += b;
  }
  return [q, r];
}

/** `a op b` of two numbers as doubles, to tell whether a double holds it. */
function inDoubles(op: '+' | '-' | '*' | '//' | '%' | '**', a: number, b: number): number {
  return op === '+' ? a + b : op === '-' ? a - b : op === '*' ? a * b : op === '**' ? a ** b : 0;
}

/**
 * `a op b` of two ints when a double cannot hold it: a bigint operand, or a result past the safe
 * range. Undefined for the doubles' answer to stand (a float operand, a safe result; `//` and `%`
 * of safe ints are safe).
 */
export function exactInt(op: '+' | '-' | '*' | '//' | '%' | '**', a: unknown, b: unknown): number | bigint | undefined {
  if (!isInt(a) || !isInt(b)) return undefined;
  if (typeof a !== 'bigint' && typeof b !== 'bigint' && Number.isSafeInteger(inDoubles(op, Number(a), Number(b)))) return undefined;
  const x = big(a);
  const y = big(b);
  switch (op) {
    case '+':
      return intOf(x + y);
    case '-':
      return intOf(x - y);
    case '*':
      return intOf(x * y);
    case '//':
      return intOf(floorDivMod(x, y)[0]);
    case '%':
      return intOf(floorDivMod(x, y)[1]);
    case '**':
      // (a negative power is a float: python.ts' own path)
      return y < 0n ? undefined : intOf(x ** y);
  }
}

/**
 * `a / b` of two ints one of which is a bigint, correctly rounded as Python's int division is (the
 * doubles of both would round twice); undefined otherwise.
 */
export function exactDiv(a: unknown, b: unknown): number | undefined {
  if (!isInt(a) || !isInt(b) || (typeof a !== 'bigint' && typeof b !== 'bigint')) return undefined;
  let x = big(a);
  let y = big(b);
  const neg = x < 0n !== y < 0n;
  if (x < 0n) x = -x;
  if (y < 0n) y = -y;
  // (a quotient of 55 bits or more, its remainder kept as a sticky low bit: Number() then rounds it once, to even)
  const shift = y.toString(2).length - x.toString(2).length + 55;
  if (shift > 0) x <<= BigInt(shift);
  else y <<= BigInt(-shift);
  const q = x / y;
  const r = Number(x % y === 0n ? q : q | 1n) * 2 ** -Math.trunc(shift / 2) * 2 ** -(shift - Math.trunc(shift / 2));
  return neg ? -r : r;
}

/** Python's == of two numbers one of which is a bigint: exact, as Python compares an int with a float. */
export function bigEq(a: number | bigint, b: number | bigint): boolean {
  if (typeof a === 'bigint' && typeof b === 'bigint') return a === b;
  const [x, f] = (typeof a === 'bigint' ? [a, b] : [b, a]) as [bigint, number];
  return Number.isInteger(f) && x === BigInt(f);
}

/** Python's ordering of two numbers one of which is a bigint (JavaScript's `<` is exact across bigint and number). */
export const bigOrder = (a: number | bigint, b: number | bigint): number => (a < b ? -1 : a > b ? 1 : 0);

// JSON.stringify cannot write a bigint (a TypeError). Every JSON text that may hold a template's value
// writes it through jsonText, which gives its digits; anywhere else (a report's data) the nearest
// double stands, rather than a crash.
let exactMode = false;
let marked = false;
const MARK = '\u{f8ff}int:';
Object.defineProperty(BigInt.prototype, 'toJSON', {
  configurable: true,
  writable: true,
  value(this: bigint): unknown {
    if (!exactMode) return Number(this);
    marked = true;
    return `${MARK}${this.toString()}\u{f8ff}`;
  },
});

/** JSON.stringify, with a bigint's digits as a JSON number. */
export function jsonText(v: unknown, replacer?: (this: unknown, k: string, v: unknown) => unknown, space?: number | string): string {
  exactMode = true;
  marked = false;
  let text: string;
  try {
    text = JSON.stringify(v, replacer, space);
  } finally {
    exactMode = false;
  }
  return marked ? text.replace(/"\u{f8ff}int:(-?\d+)\u{f8ff}"/gu, '$1') : text;
}
