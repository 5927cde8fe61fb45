// Python keys into dicts: a key's text as the object holds it (json.dumps' text of a number, None or a
// bool), and the key itself kept beside it where it is not text (source/pydict.ts).
import { dictText, floatRepr, isDict, isTuple, PyError, PyFloat, pyType, UndefinedUse } from './python.js';
import { dictItems, setKey } from './pydict.js';
import { pyIter } from './pyvalues.js';

/** A key as the engine's dicts hold it, text: a number or None as json.dumps writes it, where such a dict ends up. */
export function dictKey(v: unknown): string {
  if (v === undefined) throw new UndefinedUse();
  if (typeof v === 'string') return v;
  if ((Array.isArray(v) && !isTuple(v)) || isDict(v)) throw new PyError('TypeError', `unhashable type: '${pyType(v)}'`);
  if (v instanceof PyFloat) return floatRepr(v.value);
  return v === null ? 'null' : typeof v === 'number' && !Number.isInteger(v) ? floatRepr(v) : String(v);
}

/** Python's `d[key] = value`: a key equal to one there (1 and 1.0, 1 and True) is that one, in its place; a new one keeps its type. */
export function putKey(d: Record<string, unknown>, key: unknown, value: unknown): void {
  const there = dictText(d, key);
  if (there === undefined) setKey(d, dictKey(key), key, value);
  else d[there] = value;
}

/** Python's dict() of [key, value] pairs: a later pair's value over an earlier one's, at the first one's place. */
export function pairsDict(pairs: Iterable<readonly [unknown, unknown]>): Record<string, unknown> {
  const d: Record<string, unknown> = {};
  for (const [k, v] of pairs) putKey(d, k, v);
  return d;
}

/** Python's dict(): of a mapping, an iterable of pairs, or nothing; then the keyword arguments. */
export function pyDict(args: unknown[], kw: Record<string, unknown>): Record<string, unknown> {
  if (args.length > 1) throw new PyError('TypeError', `dict expected at most 1 argument, got ${args.length}`);
  const d: Record<string, unknown> = {};
  const src = args[0];
  if (isDict(src)) for (const [k, v] of dictItems(src)) putKey(d, k, v);
  else if (args.length)
    pyIter(src).forEach((x, i) => {
      if (!Array.isArray(x) && typeof x !== 'string' && !isDict(x)) throw new PyError('TypeError', `cannot convert dictionary update sequence element #${i} to a sequence`);
      const pair = pyIter(x);
      if (pair.length !== 2) throw new PyError('ValueError', `dictionary update sequence element #${i} has length ${pair.length}; 2 is required`);
      putKey(d, pair[0], pair[1]);
    });
  for (const [k, v] of Object.entries(kw)) putKey(d, k, v);
  return d;
}

/** A value the yaml package made with `mapAsMap` (its mappings as Maps, their keys as YAML typed them) as the engine's: dicts that keep their keys' types. */
export function fromMaps(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(fromMaps);
  if (!(v instanceof Map)) return v;
  const d: Record<string, unknown> = {};
  for (const [k, x] of v) putKey(d, fromMaps(k), fromMaps(x));
  return d;
}
