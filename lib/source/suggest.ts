import { distance } from 'fastest-levenshtein';

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
