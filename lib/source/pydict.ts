// Python's dict keys where a JavaScript object cannot hold them. An object's keys are text, and text
// that reads as an array index ('22', '8080') is iterated first, in numeric order. A dict given a key
// that is not text (YAML's `8080:`, Jinja's `{1: 'a'}`, items2dict of numbers) or text JavaScript
// would move keeps its keys beside the object, in Python's order and with their types: dictKeys()
// gives them back as Python has them. An object without that table is a dict of text keys in its
// own order (every dict a module returned, JSON's, most of YAML's).

/** Per dict: its keys' text → the key as Python has it, in insertion order. */
const KEYS = new WeakMap<object, Map<string, unknown>>();

type Dict = Record<string, unknown>;

/** Whether JavaScript iterates this text key out of its place: an array index (0 … 2³² − 2). */
function moved(text: string): boolean {
  const c = text.charCodeAt(0);
  if (!(c >= 48 && c <= 57) || text.length > 10) return false;
  return (text === '0' || c !== 48) && /^\d+$/.test(text) && Number(text) < 4294967295;
}

/**
 * `d[key] = value` as Python's dict does it: the key keeps its type, and its place when it is
 * there already (a new key goes last). `text` is the key as the object holds it.
 */
export function setKey(d: Dict, text: string, key: unknown, value: unknown): void {
  let t = KEYS.get(d);
  if (!t && (typeof key !== 'string' || moved(text))) {
    // (the keys before it were text: in the order JavaScript keeps them, the best known)
    t = new Map(Object.keys(d).map((k) => [k, k]));
    KEYS.set(d, t);
  }
  if (t && !(t.has(text) && Object.hasOwn(d, text))) {
    t.delete(text);
    t.set(text, key);
  }
  // (`__proto__` is a key like any other: assigned, it would set the object's prototype)
  if (text === '__proto__') Object.defineProperty(d, text, { value, enumerable: true, writable: true, configurable: true });
  else d[text] = value;
}

/** The dict's keys as text, in Python's order. */
export function textKeys(d: Dict): string[] {
  const t = KEYS.get(d);
  if (!t) return Object.keys(d);
  const out: string[] = [];
  for (const text of t.keys()) if (Object.hasOwn(d, text)) out.push(text);
  // (keys set by plain assignment since: after the known ones, as Python's order puts new keys)
  const all = Object.keys(d);
  if (out.length < all.length) for (const k of all) if (!t.has(k)) out.push(k);
  return out;
}

/** The Python key a text key of the dict stands for (the text itself unless the dict recorded another). */
export function keyOf(d: Dict, text: string): unknown {
  const t = KEYS.get(d);
  return t?.has(text) ? t.get(text) : text;
}

/** Python's `list(d)`: the keys, with their types, in order. */
export function dictKeys(d: Dict): unknown[] {
  const t = KEYS.get(d);
  return t ? textKeys(d).map((k) => (t.has(k) ? t.get(k) : k)) : Object.keys(d);
}

/** Python's `d.values()`, in order. */
export const dictValues = (d: Dict): unknown[] => (KEYS.has(d) ? textKeys(d).map((k) => d[k]) : Object.values(d));

/** Python's `d.items()`: [key, value] pairs, the keys with their types, in order. */
export function dictItems(d: Dict): [unknown, unknown][] {
  const t = KEYS.get(d);
  return t ? textKeys(d).map((k) => [t.has(k) ? t.get(k) : k, d[k]]) : Object.entries(d);
}

/** Whether the dict holds keys that are not text, or text JavaScript reorders. */
export const hasKeyTable = (d: object): boolean => KEYS.has(d);

/**
 * A new dict: `a`'s keys, then `b`'s over them (dict.update's order, each key keeping its type), a
 * key in both given `merged(a's value, b's)`.
 */
export function updated(a: Dict, b: Dict, merged: (cur: unknown, v: unknown) => unknown): Dict {
  const out = copyKeys(a, { ...a });
  for (const k of textKeys(b)) setKey(out, k, keyOf(b, k), Object.hasOwn(out, k) ? merged(out[k], b[k]) : b[k]);
  return out;
}

/** `to`, a copy of `from` (the same keys, maybe other values), takes its keys' types and order. */
export function copyKeys<T extends object>(from: object, to: T): T {
  const t = KEYS.get(from);
  if (t && to !== from) KEYS.set(to, new Map(t));
  return to;
}
