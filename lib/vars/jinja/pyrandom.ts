// Python's random.Random(seed) (CPython 3.11: MT19937 seeded by init_by_array, getrandbits,
// _randbelow_with_getrandbits, choice, shuffle), which ansible-core's `random` and `shuffle` filters
// use when given a seed. `{{ 59 | random(seed=inventory_hostname) }}` — a host's cron minute — is
// then the minute ansible-core picks. No npm package reproduces CPython's seeding (a str seed is the
// int of its bytes and their SHA-512), so this follows CPython's _randommodule.c and random.py.
import { createHash, randomBytes } from 'node:crypto';
import { PyError, isDict, isFloat, num, truthy } from '../../source/python.js';
import { splitKw } from './methods.js';
import { big, intOf } from '../../source/pyint.js';
import { dictKeys } from '../../source/pydict.js';

const N = 624;

export class PyRandom {
  private readonly mt = new Uint32Array(N);
  private mti = N + 1;

  constructor(seed: unknown) {
    this.initByArray(keyOf(seedInt(seed)));
  }

  private initGenrand(s: number): void {
    const mt = this.mt;
    mt[0] = s >>> 0;
    for (let i = 1; i < N; i++) {
      const prev = mt[i - 1] ^ (mt[i - 1] >>> 30);
      mt[i] = (Math.imul(1812433253, prev) + i) >>> 0;
    }
    this.mti = N;
  }

  private initByArray(key: number[]): void {
    const mt = this.mt;
    this.initGenrand(19650218);
    let [i, j] = [1, 0];
    for (let k = Math.max(N, key.length); k; k--) {
      const prev = mt[i - 1] ^ (mt[i - 1] >>> 30);
      mt[i] = ((mt[i] ^ Math.imul(prev, 1664525)) + key[j] + j) >>> 0;
      i++;
      j++;
      if (i >= N) [mt[0], i] = [mt[N - 1], 1];
      if (j >= key.length) j = 0;
    }
    for (let k = N - 1; k; k--) {
      const prev = mt[i - 1] ^ (mt[i - 1] >>> 30);
      mt[i] = ((mt[i] ^ Math.imul(prev, 1566083941)) - i) >>> 0;
      i++;
      if (i >= N) [mt[0], i] = [mt[N - 1], 1];
    }
    mt[0] = 0x80000000;
  }

  private next32(): number {
    const mt = this.mt;
    if (this.mti >= N) {
      for (let kk = 0; kk < N; kk++) {
        const y = (mt[kk] & 0x80000000) | (mt[(kk + 1) % N] & 0x7fffffff);
        mt[kk] = mt[(kk + 397) % N] ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0);
      }
      this.mti = 0;
    }
    let y = mt[this.mti++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** getrandbits(k): 32 bits at a time, the first the lowest. */
  getrandbits(k: number): bigint {
    if (k <= 32) return BigInt(k === 0 ? 0 : this.next32() >>> (32 - k));
    let out = 0n;
    for (let shift = 0n; k > 0; k -= 32, shift += 32n) {
      const r = k < 32 ? this.next32() >>> (32 - k) : this.next32();
      out |= BigInt(r) << shift;
    }
    return out;
  }

  /** _randbelow_with_getrandbits: an int in [0, n). */
  randbelow(n: bigint): bigint {
    const k = n.toString(2).length;
    let r = this.getrandbits(k);
    while (r >= n) r = this.getrandbits(k);
    return r;
  }

  randrange(start: bigint, stop: bigint, step: bigint): bigint {
    const width = stop - start;
    if (step === 1n) {
      if (width > 0n) return start + this.randbelow(width);
      throw new PyError('ValueError', `empty range for randrange() (${start}, ${stop}, ${width})`);
    }
    if (step === 0n) throw new PyError('ValueError', 'zero step for randrange()');
    const n = step > 0n ? floorDiv(width + step - 1n, step) : floorDiv(width + step + 1n, step);
    if (n <= 0n) throw new PyError('ValueError', 'empty range for randrange()');
    return start + step * this.randbelow(n);
  }

  choice<T>(seq: T[]): T {
    if (!seq.length) throw new PyError('IndexError', 'Cannot choose from an empty sequence');
    return seq[Number(this.randbelow(BigInt(seq.length)))];
  }

  shuffle<T>(x: T[]): void {
    for (let i = x.length - 1; i > 0; i--) {
      const j = Number(this.randbelow(BigInt(i + 1)));
      [x[i], x[j]] = [x[j], x[i]];
    }
  }
}

const floorDiv = (a: bigint, b: bigint): bigint => {
  const q = a / b;
  return (a % b !== 0n && a < 0n !== b < 0n) ? q - 1n : q;
};

/** Random.seed(a, version=2): an int as it is, text as the int of its UTF-8 bytes followed by their SHA-512, a float by its hash. */
function seedInt(a: unknown): bigint {
  if (typeof a === 'boolean') return a ? 1n : 0n;
  if (typeof a === 'bigint') return a;
  if (isFloat(a)) return floatHash(num(a));
  if (typeof a === 'number') return BigInt(a);
  if (typeof a === 'string' || a instanceof Uint8Array) {
    const bytes = typeof a === 'string' ? Buffer.from(a, 'utf8') : Buffer.from(a);
    const all = Buffer.concat([bytes, createHash('sha512').update(bytes).digest()]);
    return BigInt(`0x${all.toString('hex')}`);
  }
  throw new PyError('TypeError', `The only supported seed types are: None,\nint, float, str, bytes, and bytearray.`);
}

/** init_by_array's key: abs(n) in 32-bit words, the lowest first ([0] for 0). */
function keyOf(n: bigint): number[] {
  let v = n < 0n ? -n : n;
  const key: number[] = [];
  do {
    key.push(Number(v & 0xffffffffn));
    v >>= 32n;
  } while (v > 0n);
  return key;
}

/** Python's hash() of a float (Objects/object.c _Py_HashDouble: modulo 2**61 - 1). */
function floatHash(x: number): bigint {
  if (Number.isNaN(x)) return 0n;
  if (!Number.isFinite(x)) return x > 0 ? 314159n : -314159n;
  const BITS = 61n;
  const P = (1n << BITS) - 1n;
  // frexp: x = m * 2**e, 0.5 <= |m| < 1
  let e = x === 0 ? 0 : Math.floor(Math.log2(Math.abs(x))) + 1;
  let m = Math.abs(x) / 2 ** e;
  if (m >= 1) [m, e] = [m / 2, e + 1];
  if (m && m < 0.5) [m, e] = [m * 2, e - 1];
  const sign = x < 0 ? -1n : 1n;
  let h = 0n;
  while (m) {
    h = ((h << 28n) & P) | (h >> (BITS - 28n));
    m *= 268435456;
    e -= 28;
    const y = Math.floor(m);
    m -= y;
    h += BigInt(y);
    if (h >= P) h -= P;
  }
  const ee = BigInt(e >= 0 ? e % 61 : 61 - 1 - ((-1 - e) % 61));
  h = ((h << ee) & P) | (h >> (BITS - ee));
  h *= sign;
  return h === -1n ? -2n : h;
}

/** A seeded generator, or (no seed) one seeded from the system's randomness, as SystemRandom. */
const generator = (seed: unknown): PyRandom => new PyRandom(seed === undefined || seed === null ? randomBytes(32) : seed);

/** ansible-core's `random` filter (rand): an int in range(start, end, step), or an item of a sequence. */
export function randomFilter(v: unknown, ...a: unknown[]): unknown {
  const [args, kw] = splitKw(a);
  const [start, step, seed] = [kw.start ?? args[0], kw.step ?? args[1], kw.seed ?? args[2]];
  const r = generator(seed);
  if (typeof v === 'boolean' || typeof v === 'bigint' || (typeof v === 'number' && !isFloat(v))) {
    const bigOr = (x: unknown, dflt: bigint): bigint => (truthy(x ?? null) ? big(x) : dflt);
    return intOf(r.randrange(bigOr(start, 0n), big(v), bigOr(step, 1n)));
  }
  if (!(Array.isArray(v) || typeof v === 'string' || isDict(v))) throw new PyError('AnsibleFilterError', 'random can only be used on sequences and integers');
  if (truthy(start ?? null) || truthy(step ?? null)) throw new PyError('AnsibleFilterError', 'start and step can only be used with integer values');
  // (choice indexes the sequence: a dict by a number, Python's KeyError)
  if (isDict(v)) throw new PyError('KeyError', String(r.randbelow(BigInt(Object.keys(v).length))));
  return r.choice(typeof v === 'string' ? [...v] : v);
}

/** ansible-core's `shuffle` filter (randomize_list): a new list, seeded when `seed` is true; what cannot be shuffled comes back as a list, unshuffled. */
export function shuffleFilter(v: unknown, ...a: unknown[]): unknown {
  if (!(Array.isArray(v) || typeof v === 'string' || isDict(v))) return v;
  const out = typeof v === 'string' ? [...v] : isDict(v) ? dictKeys(v) : [...v];
  const [args, kw] = splitKw(a);
  const seed = kw.seed ?? args[0];
  try {
    generator(truthy(seed ?? null) ? seed : undefined).shuffle(out);
  } catch {
    // (randomize_list passes over a seed Random refuses)
  }
  return out;
}
