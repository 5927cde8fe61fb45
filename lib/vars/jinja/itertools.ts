// Python's itertools.permutations and combinations, as ansible-core's filters of those names give them (lists here; the filters make them tuples).
import { PyError } from '../../source/python.js';

/**
 * The most items a filter here makes: Python's itertools are lazy, but the filters make lists, and
 * 14 letters have 87 billion orderings (ansible-core's worker dies of it; a template here would
 * grow until the heap ran out). Bounded as range() is, with its words.
 */
const MAX_ITEMS = 1_000_000;

/** Refuses a result of more than MAX_ITEMS items before making it (`count` grows factor by factor, stopping past the bound). */
export function bounded(what: string, factors: Iterable<number>, divisors: Iterable<number> = []): void {
  let count = 1;
  const div = [...divisors];
  for (const f of factors) {
    count = (count * f) / (div.shift() ?? 1);
    if (count > MAX_ITEMS) throw new PyError('OverflowError', `${what} is more than ${MAX_ITEMS} items`);
  }
}

/** Jinja's batch: lists of `size` items, the last filled up with `fill`; a size below 1 as Jinja's loop makes it (an empty list first for 0, no cut below). */
export function batch(items: unknown[], size: number, fill: unknown): unknown[][] {
  const out: unknown[][] = [];
  let tmp: unknown[] = [];
  for (const x of items) {
    if (tmp.length === size) {
      out.push(tmp);
      tmp = [];
    }
    tmp.push(x);
  }
  if (tmp.length) {
    if (fill !== undefined && fill !== null) while (tmp.length < size) tmp.push(fill);
    out.push(tmp);
  }
  return out;
}

/** itertools.permutations: the r-long orderings of a pool's items, by their positions. */
export function permutations<T>(pool: T[], r: number): T[][] {
  if (r < 0) throw new PyError('ValueError', 'r must be non-negative');
  if (r > pool.length) return [];
  // (n! / (n - r)!)
  bounded(`permutations of ${pool.length} items, ${r} at a time,`, Array.from({ length: r }, (_, i) => pool.length - i));
  const out: T[][] = [];
  const walk = (used: boolean[], at: T[]): void => {
    if (at.length === r) return void out.push([...at]);
    pool.forEach((x, i) => {
      if (used[i]) return;
      used[i] = true;
      walk(used, [...at, x]);
      used[i] = false;
    });
  };
  walk([], []);
  return out;
}

/** itertools.combinations: the r-long subsequences of a pool, in its order. */
export function combinations<T>(pool: T[], r: number): T[][] {
  if (r < 0) throw new PyError('ValueError', 'r must be non-negative');
  // (n! / (k! (n - k)!) with k the smaller of r and n - r, as the product of (n - i) / (i + 1): whole at every step, rising)
  const k = Math.min(r, pool.length - r);
  if (k > 0) bounded(`combinations of ${pool.length} items, ${r} at a time,`, Array.from({ length: k }, (_, i) => pool.length - i), Array.from({ length: k }, (_, i) => i + 1));
  const out: T[][] = [];
  const walk = (from: number, at: T[]): void => {
    if (at.length === r) return void out.push([...at]);
    for (let i = from; i < pool.length; i++) walk(i + 1, [...at, pool[i]]);
  };
  walk(0, []);
  return out;
}
