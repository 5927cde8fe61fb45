import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { closest } from './suggest.js';
import { LineCounter, parseDocument, isAlias, isMap, isPair, isScalar, isSeq } from './vendor/yaml.js';
import type { Document, Node } from './vendor/yaml.js';
import { problem, type Pos, type Problem } from './problem.js';
import { isDict, PyDate, PyFloat } from './python.js';
import { copyKeys, keyOf, setKey, textKeys } from './pydict.js';
import { pyJsonLoads } from './pyjson-loads.js';
import { processWide } from './process-wide.js';
import { decryptVault, isVaulted, revealVaulted, VaultError } from './vault.js';
import { pyyamlTags, setParsing, unclipAtEnd } from './yaml-tags.js';

export { pyyamlTags, unclipAtEnd, unsafeText, vaultFailure } from './yaml-tags.js';

/**
 * Where each parsed object, its keys and its items came from: offsets in the file, made into a
 * line and column only when asked for (most are never asked for: a 10,000-host inventory has
 * 40,000 of them). A list's `offs` are its items'; a mapping's are each key's and its value's
 * (`names[i]` at offs[2i], its value at offs[2i + 1]), looked up by name when asked for: two
 * arrays per object, not two Maps (a 10,000-host inventory made 20,000 Maps of one entry).
 */
interface Where {
  pos: (offset: number) => Pos;
  self: number;
  offs: number[];
  names?: string[];
  /** A large mapping's name → its last place in `names`, made at the first lookup. */
  index?: Map<string, number>;
}
const where = new WeakMap<object, Where>();

/** The place in a mapping's `names` of a key (its last, as a later duplicate overrides). */
function nameAt(w: Where, names: string[], key: string): number | undefined {
  if (names.length <= 8) {
    const i = names.lastIndexOf(key);
    return i < 0 ? undefined : i;
  }
  if (!w.index) {
    w.index = new Map();
    names.forEach((n, i) => w.index!.set(n, i));
  }
  return w.index.get(key);
}

/** The offset of a key (`of` key) or of its value in a parsed object, if it has one. */
function offsetOf(w: Where, key: string | number, of: 'key' | 'value'): number | undefined {
  if (!w.names) return typeof key === 'number' ? w.offs[key] : undefined;
  const i = nameAt(w, w.names, String(key));
  if (i === undefined) return undefined;
  // (a number asks for a mapping's key: `posOf(map, 5)`)
  return of === 'key' || typeof key === 'number' ? w.offs[2 * i] : w.offs[2 * i + 1];
}

/**
 * The keys (or items) of a parsed object whose value was written as a float with a whole value
 * (`1.0`, `-2.00`): JavaScript reads them as 1 and -2, while PyYAML gives Python floats that a
 * template prints as `1.0`. Kept aside so that variables can get them back as floats (withFloats).
 */
const floats = new WeakMap<object, Set<string | number>>();
// (every PyYAML float but .inf/.nan has a dot: pyyamlTags)
const wholeFloat = (n: unknown): boolean => isScalar(n) && typeof n.value === 'number' && Number.isInteger(n.value) && typeof n.source === 'string' && n.source.includes('.');
function markFloat(obj: object, key: string | number): void {
  let s = floats.get(obj);
  if (!s) floats.set(obj, (s = new Set()));
  s.add(key);
}

/** Whether a parsed mapping's key was written as text (YAML reads `1234:` as a number, which ansible-core refuses as a host name). */
export const keyWasText = (obj: object, key: string): boolean => typeof keyOf(obj as Record<string, unknown>, key) === 'string';

const withFloatsDone = new WeakMap<object, unknown>();
/**
 * A parsed value with its whole-valued floats as Python floats (PyFloat: `1.0` prints `1.0`), for
 * variables, which templates print. Objects without any are returned as they are; a converted one is
 * a copy that keeps the original's positions (the same copy each time it is asked for).
 */
export function withFloats<T>(v: T): T {
  if (v === null || typeof v !== 'object' || v instanceof Uint8Array) return v;
  const done = withFloatsDone.get(v);
  if (done !== undefined) return done as T;
  const marked = floats.get(v);
  let out: unknown = v;
  if (Array.isArray(v)) {
    const items = v.map((x, i) => (marked?.has(i) && typeof x === 'number' ? new PyFloat(x) : withFloats(x)));
    if (items.some((x, i) => x !== v[i])) out = items;
  } else if (Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null) {
    const src = v as Record<string, unknown>;
    let copy: Record<string, unknown> | undefined;
    for (const k of Object.keys(src)) {
      const x = src[k];
      const y = marked?.has(k) && typeof x === 'number' ? new PyFloat(x) : withFloats(x);
      if (y !== x) (copy ??= { ...src })[k] = y;
    }
    if (copy) out = copyKeys(src, copy);
  }
  if (out !== v) copyPos(v as object, out as object);
  withFloatsDone.set(v, out);
  return out as T;
}

/** Largest YAML file we read; anything bigger is almost surely a mistake (a log, an image). */
export const MAX_YAML_BYTES = 8 * 1024 * 1024;

/** Position of a value (or of one of its keys / items) recorded when it was parsed. */
export function posOf(value: unknown, key?: string | number, of: 'key' | 'value' = 'key'): Pos | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const w = where.get(value);
  if (!w) return undefined;
  if (key === undefined) return w.pos(w.self);
  return w.pos(offsetOf(w, key, of) ?? w.self);
}

/** Copies recorded positions from one object to another (after a shallow transform). */
export function copyPos(from: object, to: object): void {
  const w = where.get(from);
  if (w) where.set(to, w);
}

/** Position of the value at a JSON pointer-ish path inside a parsed tree (deepest known). */
export function posAtPath(root: unknown, path: (string | number)[]): Pos | undefined {
  let node: unknown = root;
  let best = posOf(root);
  for (let i = 0; i < path.length; i++) {
    const seg = path[i];
    const last = i === path.length - 1;
    const p = posOf(node, seg, last ? 'key' : 'value');
    if (p) best = p;
    if (node === null || typeof node !== 'object') break;
    node = (node as Record<string | number, unknown>)[seg];
  }
  return best;
}

export interface Parsed {
  value: unknown;
  problems: Problem[];
}

function looksBinary(buf: Buffer): boolean {
  const n = Math.min(buf.length, 8192);
  for (let i = 0; i < n; i++) if (buf[i] === 0) return true;
  return !isUtf8(buf.subarray(0, n));
}

function isUtf8(buf: Buffer): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(buf);
    return true;
  } catch (e) {
    // a multi-byte character cut at the sample edge is fine
    return buf.length >= 8192 && (e as Error).name === 'TypeError' && isUtf8(buf.subarray(0, buf.length - 4));
  }
}

/** `did you mean 'site.yaml'?` for a YAML file name that is a typo of one beside it. */
function nearestFile(file: string): string | undefined {
  try {
    const near = closest(basename(file), readdirSync(dirname(file)).filter((f) => /\.ya?ml$/.test(f)));
    return near ? `did you mean '${join(dirname(file), near)}'?` : undefined;
  } catch {
    return undefined;
  }
}

/** Reads and parses a YAML file; never throws for bad content, only returns problems. */
export function readYaml(file: string): Parsed {
  const at = { file, line: 1, col: 1 };
  let size: number;
  try {
    const st = statSync(file);
    if (st.isDirectory()) return { value: undefined, problems: [problem(at, `${file} is a folder, not a YAML file`, 'name a file')] };
    // a device, FIFO or socket has no size to check and may never end
    if (!st.isFile()) return { value: undefined, problems: [problem(at, `${file} is not a regular file`, 'name a YAML file')] };
    size = st.size;
  } catch {
    return { value: undefined, problems: [problem(at, `cannot read ${file}: no such file`, nearestFile(file))] };
  }
  if (size > MAX_YAML_BYTES) {
    const mb = (size / 1024 / 1024).toFixed(1);
    return { value: undefined, problems: [problem(at, `file is ${mb} MiB, larger than the ${MAX_YAML_BYTES / 1024 / 1024} MiB a YAML file may be`, 'is this the right file?')] };
  }
  const buf = readFileSync(file);
  if (looksBinary(buf)) return { value: undefined, problems: [problem(at, 'not a YAML text file (binary content)')] };
  return parseYaml(buf.toString('utf8'), file);
}

/** Parses YAML text, recording the position of every mapping, key and item. */
export function parseYaml(text: string, file: string): Parsed {
  // a file ansible-vault encrypted whole (vars files, group_vars, task files): its text
  if (isVaulted(text)) {
    try {
      const parsed = parseYaml(decryptVault(text, file), file);
      // every value in it is secret: none is printed
      revealVaulted(parsed.value);
      return parsed;
    } catch (e) {
      if (e instanceof VaultError) return { value: undefined, problems: [problem({ file, line: 1, col: 1 }, e.message)] };
      throw e;
    }
  }
  setParsing(file);
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: false, prettyErrors: false, strict: true, version: '1.1', customTags: pyyamlTags });
  const problems: Problem[] = [];
  // the first syntax error only: the parser's later ones follow from it
  for (const e of doc.errors.slice(0, 1)) {
    const lp = e.linePos?.[0] ?? lineCounter.linePos(e.pos?.[0] ?? 0);
    problems.push(problem({ file, line: lp.line, col: lp.col }, yamlMessage(e.message, e.code), jsonError(text)));
  }
  if (problems.length > 0) return { value: undefined, problems };
  unclipAtEnd(doc, text);
  const pos = (offset: number | undefined): Pos => {
    const lp = lineCounter.linePos(offset ?? 0);
    return { file, line: lp.line, col: lp.col };
  };
  const value = toPlain(doc, doc.contents as Node | null, pos, problems, new Set(), { left: MAX_ALIAS_NODES, sizes: new Map() });
  return problems.length ? { value: undefined, problems } : { value: jsonFirst(text, value), problems };
}

/**
 * ansible-core's loader reads text as JSON first, then as YAML: JSON text's `1e5` is a float and
 * NaN a number, where YAML 1.1 reads text. YAML's reading is kept (its containers carry the
 * positions), with JSON's values where they differ.
 */
function jsonFirst(text: string, value: unknown): unknown {
  if (!/^\s*[[{]/.test(text)) return value;
  try {
    return adoptJson(value, pyJsonLoads(text));
  } catch {
    return value;
  }
}

function adoptJson(y: unknown, j: unknown): unknown {
  if (Array.isArray(y) && Array.isArray(j) && y.length === j.length) {
    for (let i = 0; i < y.length; i++) y[i] = adoptJson(y[i], j[i]);
    return y;
  }
  if (isDict(y) && isDict(j) && Object.keys(y).length === Object.keys(j).length && Object.keys(j).every((k) => Object.hasOwn(y, k))) {
    for (const k of Object.keys(j)) y[k] = adoptJson(y[k], j[k]);
    return y;
  }
  const same = y === j || (y instanceof PyFloat && j instanceof PyFloat && Object.is(y.value, j.value)) || (typeof y === 'number' && Number.isNaN(y) && typeof j === 'number' && Number.isNaN(j));
  return same ? y : j;
}

/** Text that looks like JSON: its JSON error too, as ansible-core's loader tries JSON first and names both ("JSON: …"). */
function jsonError(text: string): string | undefined {
  if (!/^\s*[[{]/.test(text)) return undefined;
  try {
    JSON.parse(text);
    return undefined;
  } catch (e) {
    return `not JSON either (JSON: ${(e as Error).message})`;
  }
}

function yamlMessage(msg: string, code: string): string {
  const first = msg.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
  if (code === 'TAB_AS_INDENT') return 'tab used for indentation (YAML indents with spaces)';
  return 'YAML syntax error: ' + first;
}

/** How many nodes aliases may expand to in one file (a 342-byte "billion laughs" expands to 10⁹). */
/**
 * A mapping's key written twice, as ansible-core's DUPLICATE_YAML_DICT_KEY (ansible.cfg
 * duplicate_dict_key): `warn` (its default: the last value is used, and the place is warned of),
 * `error` (the file is refused), `ignore`. The warnings wait here for the CLI to print them.
 */
const reading = processWide('yaml-reading', () => ({ duplicateKeys: 'warn' as 'warn' | 'error' | 'ignore', warnings: [] as Problem[] }));
export function setDuplicateKeys(mode: 'warn' | 'error' | 'ignore'): void {
  reading.duplicateKeys = mode;
}
/** A warning about a file read (printed with the duplicate-key ones). */
export function readWarning(p: Problem): void {
  reading.warnings.push(p);
}
/** The duplicate-key warnings of the YAML read since the last call (each once), and other readWarning ones. */
export function takeYamlWarnings(): Problem[] {
  return reading.warnings.splice(0);
}

export const MAX_ALIAS_NODES = 100_000;
type Budget = { left: number; sizes: Map<Node, number> };

/** The number of nodes a node stands for with its aliases expanded (memoized; recursion counts as 1). */
function expandedSize(doc: Document, node: Node | null, b: Budget, seen: Set<Node>): number {
  if (!node) return 1;
  const known = b.sizes.get(node);
  if (known !== undefined) return known;
  if (seen.has(node)) return 1;
  seen.add(node);
  let n = 1;
  if (isAlias(node)) n = expandedSize(doc, node.resolve(doc) as Node | null, b, seen);
  else if (isSeq(node)) for (const item of node.items) n += expandedSize(doc, item as Node, b, seen);
  else if (isMap(node)) for (const pair of node.items) if (isPair(pair)) n += expandedSize(doc, pair.key as Node, b, seen) + expandedSize(doc, pair.value as Node, b, seen);
  seen.delete(node);
  b.sizes.set(node, Math.min(n, Number.MAX_SAFE_INTEGER));
  return n;
}

/**
 * A mapping with merge keys (`<<: *base`) as PyYAML's flatten_mapping makes it: the merged
 * mappings' keys first, in their order (a later one's value over an earlier one's), then the
 * mapping's own keys over them.
 */
function mergedFirst(own: Record<string, unknown>, merges: unknown[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const put = (from: Record<string, unknown>, k: string, v: unknown) => {
    setKey(out, k, keyOf(from, k), v);
    if (floats.get(from)?.has(k)) markFloat(out, k);
    else floats.get(out)?.delete(k);
  };
  for (const m of merges) if (isDict(m)) for (const k of textKeys(m)) put(m, k, m[k]);
  for (const k of textKeys(own)) put(own, k, own[k]);
  return out;
}

function toPlain(doc: Document, node: Node | null, pos: (o: number | undefined) => Pos, problems: Problem[], seen: Set<Node>, budget: Budget): unknown {
  if (node === null || node === undefined) return null;
  if (isAlias(node)) {
    const target = node.resolve(doc) as Node | undefined;
    if (!target || seen.has(target)) {
      problems.push(problem(pos(node.range?.[0]), `alias *${node.source} is undefined or recursive`));
      return null;
    }
    budget.left -= expandedSize(doc, target, budget, new Set());
    if (budget.left < 0) {
      if (budget.left > -Infinity) problems.push(problem(pos(node.range?.[0]), `aliases expand to more than ${MAX_ALIAS_NODES} values (an alias bomb?)`, 'write the data out, or use fewer nested aliases'));
      budget.left = -Infinity;
      return null;
    }
    seen.add(target);
    const v = toPlain(doc, target, pos, problems, seen, budget);
    seen.delete(target);
    return v;
  }
  // a day alone is Python's datetime.date, not a datetime at midnight
  if (isScalar(node)) return node.value instanceof Date && /^\d{4}-\d\d?-\d\d?$/.test(node.source ?? '') ? new PyDate(node.value.getTime()) : node.value;
  if (isSeq(node)) {
    const out: unknown[] = [];
    const w: Where = { pos, self: node.range?.[0] ?? 0, offs: [] };
    node.items.forEach((item, i) => {
      w.offs.push((item as Node)?.range?.[0] ?? 0);
      if (wholeFloat(item)) markFloat(out, i);
      out.push(toPlain(doc, item as Node, pos, problems, seen, budget));
    });
    where.set(out, w);
    return out;
  }
  if (isMap(node)) {
    const out: Record<string, unknown> = {};
    const names: string[] = [];
    const w: Where = { pos, self: node.range?.[0] ?? 0, offs: [], names };
    const merges: unknown[] = [];
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      const keyNode = pair.key as Node | null;
      // (a plain `<<` is YAML 1.1's merge key: the yaml package gives it as a symbol)
      const merge = keyNode !== null && isScalar(keyNode) && typeof keyNode.value === 'symbol';
      // (a list or mapping as a key: PyYAML's `found unhashable key`)
      if (keyNode && (isSeq(keyNode) || isMap(keyNode))) problems.push(problem(pos(keyNode.range?.[0]), 'found unhashable key: a list or mapping cannot be a key', 'quote the key'));
      const key = keyNode && isScalar(keyNode) ? String(keyNode.value) : String(toPlain(doc, keyNode, pos, problems, seen, budget));
      const value = toPlain(doc, pair.value as Node | null, pos, problems, seen, budget);
      if (merge) {
        // (of a list, the last mapping first: an earlier one's keys then go over a later one's)
        merges.push(...(Array.isArray(value) ? [...value].reverse() : [value]));
        continue;
      }
      // checked here rather than by the parser, whose check is quadratic in the keys of a mapping
      if (Object.hasOwn(out, key) && reading.duplicateKeys !== 'ignore') {
        const p = problem(pos(keyNode?.range?.[0]), `found a duplicate dict key (${key}) (first at line ${pos(w.offs[2 * names.indexOf(key)]).line})${reading.duplicateKeys === 'warn' ? ': the last value is used, as ansible-core uses it' : ''}`, 'keys in one mapping must be unique');
        (reading.duplicateKeys === 'error' ? problems : reading.warnings).push(p);
      }
      if (wholeFloat(pair.value)) markFloat(out, key);
      names.push(key);
      w.offs.push(keyNode?.range?.[0] ?? 0, (pair.value as Node | null)?.range?.[0] ?? keyNode?.range?.[0] ?? 0);
      // (a key written as a number, a bool, None or a date is that, as PyYAML's: JavaScript's object holds its text)
      const scalarKey = keyNode === null || (isScalar(keyNode) && typeof keyNode.value !== 'string');
      setKey(out, key, scalarKey ? toPlain(doc, keyNode, pos, problems, seen, budget) : key, value);
    }
    const made = merges.length ? mergedFirst(out, merges) : out;
    where.set(made, w);
    return made;
  }
  return null;
}
