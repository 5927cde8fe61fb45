import { createRequire } from 'node:module';

/** Edit distance, loaded when a name is first looked up (only a mistake asks: start-up does not pay for it). */
let lev: typeof import('fastest-levenshtein') | undefined;
const distance = (a: string, b: string): number => (lev ??= createRequire(import.meta.url)('fastest-levenshtein') as typeof import('fastest-levenshtein')).distance(a, b);

/** The closest known name to `word`, if it is close enough to be a likely typo. */
export function closest(word: string, known: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  const w = word.toLowerCase();
  for (const k of known) {
    const d = distance(w, k.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = k;
    }
  }
  if (best === undefined) return undefined;
  const limit = word.length <= 3 ? 1 : word.length <= 6 ? 2 : 3;
  return bestD <= limit ? best : undefined;
}

export function didYouMean(word: string, known: Iterable<string>): string | undefined {
  const c = closest(word, known);
  return c ? `did you mean '${c}'?` : undefined;
}
