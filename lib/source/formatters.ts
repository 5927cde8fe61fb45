// ansible-core's module_utils/common/text/formatters.py: bytes_to_human (what the human_readable
// filter prints and what the hardware facts give as a device's `size`) and human_to_bytes (the
// filter of that name, and an argument spec's `bytes`/`bits` types).

import { pyFixed } from './pynumbers.js';

const SIZE: Record<string, number> = { B: 0, K: 1, M: 2, G: 3, T: 4, P: 5, E: 6, Z: 7, Y: 8 };
const LETTERS = Object.keys(SIZE).reverse();

/** `10.00 GB`, `0.00 Bytes`, `8.00 Mb` (isbits): the largest unit the size reaches, or the one asked for. */
export function bytesToHuman(n: number, isbits = false, unit?: string): string {
  const chosen = unit ? unit[0].toUpperCase() : (LETTERS.find((l) => n >= Math.pow(1024, SIZE[l])) ?? 'B');
  const value = n / Math.pow(1024, SIZE[chosen]);
  const suffix = isbits ? (chosen === 'B' ? 'bits' : chosen + 'b') : chosen === 'B' ? 'Bytes' : chosen + 'B';
  return `${pyFixed(value, 2)} ${suffix}`;
}

/** The size letters, each with its power of 1024. */
export const SIZE_POWERS: Readonly<Record<string, number>> = SIZE;

/** Python's round() of a float to an int: halves to the even neighbour. */
export function roundHalfEven(x: number): number {
  const f = Math.floor(x);
  const d = x - f;
  return d > 0.5 || (d === 0.5 && f % 2 !== 0) ? f + 1 : f;
}

/**
 * human_to_bytes: the number and unit at the start of the text ('10.00 KB', '0.9'), a unit's
 * second letter B (b with isbits) or its name, rounded as Python's round() does (half to even);
 * undefined for a text it cannot read (its ValueError).
 */
export function humanToBytes(text: string, defaultUnit?: string, isbits = false): number | undefined {
  const m = /^\s*(\d*\.?\d*)\s*([A-Za-z]+)?/.exec(text);
  if (!m || !/\d/.test(m[1])) return undefined;
  const n = Number(m[1]);
  const unit = m[2] ?? defaultUnit;
  if (unit === undefined) return roundHalfEven(n);
  const key = unit[0].toUpperCase();
  if (!(key in SIZE)) return undefined;
  const [cls, name] = isbits ? ['b', 'bit'] : ['B', 'byte'];
  if (unit.length > 1 && !unit.toLowerCase().includes(name) && unit[1] !== cls) return undefined;
  return roundHalfEven(n * Math.pow(1024, SIZE[key]));
}
