// ansible-core's module_utils/common/text/formatters.py bytes_to_human: what the human_readable
// filter prints and what the hardware facts give as a device's `size`.

const SIZE: Record<string, number> = { B: 0, K: 1, M: 2, G: 3, T: 4, P: 5, E: 6, Z: 7, Y: 8 };
const LETTERS = Object.keys(SIZE).reverse();

/** `10.00 GB`, `0.00 Bytes`, `8.00 Mb` (isbits): the largest unit the size reaches, or the one asked for. */
export function bytesToHuman(n: number, isbits = false, unit?: string): string {
  const chosen = unit ? unit[0].toUpperCase() : (LETTERS.find((l) => n >= Math.pow(1024, SIZE[l])) ?? 'B');
  const value = n / Math.pow(1024, SIZE[chosen]);
  const suffix = isbits ? (chosen === 'B' ? 'bits' : chosen + 'b') : chosen === 'B' ? 'Bytes' : chosen + 'B';
  return `${value.toFixed(2)} ${suffix}`;
}

/** The size letters, each with its power of 1024. */
export const SIZE_POWERS: Readonly<Record<string, number>> = SIZE;
