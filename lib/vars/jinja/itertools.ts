// Python's itertools.permutations and combinations, as ansible-core's filters of those names give them (lists here; the filters make them tuples).
import { PyError } from '../../source/python.js';

/** itertools.permutations: the r-long orderings of a pool's items, by their positions. */
export function permutations<T>(pool: T[], r: number): T[][] {
  if (r < 0) throw new PyError('ValueError', 'r must be non-negative');
  if (r > pool.length) return [];
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
  const out: T[][] = [];
  const walk = (from: number, at: T[]): void => {
    if (at.length === r) return void out.push([...at]);
    for (let i = from; i < pool.length; i++) walk(i + 1, [...at, pool[i]]);
  };
  walk(0, []);
  return out;
}
