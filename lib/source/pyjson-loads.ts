// Python's json.loads, where JSON.parse reads otherwise: a float that is whole (`1.0`, `1e3`) stays
// a float (PyFloat, which prints `1.0`), NaN and ±Infinity are read, and text it cannot read is its
// JSONDecodeError, in CPython's scanner's words and place (`Expecting ',' delimiter: line 1 column
// 8 (char 7)`). JSON.parse reads the text first: most has no whole float and is read by it alone.

import { PyError, PyFloat } from './python.js';
import { intText } from './pyint.js';

const WS = ' \t\n\r';
const NUMBER = /-?(?:0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?/y;
const ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

/** A place in the text as JSONDecodeError words it: line, column and index counted in code points. */
function fail(s: string, msg: string, at: number): never {
  const before = [...s.slice(0, at)];
  const nl = before.lastIndexOf('\n');
  const line = before.filter((c) => c === '\n').length + 1;
  throw new PyError('JSONDecodeError', `${msg}: line ${line} column ${before.length - nl} (char ${before.length})`);
}

class Scanner {
  constructor(readonly s: string) {}

  ws(i: number): number {
    while (i < this.s.length && WS.includes(this.s[i])) i++;
    return i;
  }

  /** scan_once: a value at i, or undefined where none starts (its StopIteration). */
  value(i: number): [unknown, number] | undefined {
    const s = this.s;
    const c = s[i];
    if (c === '"') return this.string(i + 1);
    if (c === '{') return this.object(i + 1);
    if (c === '[') return this.array(i + 1);
    for (const [word, v] of [['null', null], ['true', true], ['false', false], ['NaN', NaN], ['Infinity', Infinity], ['-Infinity', -Infinity]] as const) {
      if (s.startsWith(word, i)) return [v, i + word.length];
    }
    NUMBER.lastIndex = i;
    const m = NUMBER.exec(s);
    if (!m) return undefined;
    const n = Number(m[0]);
    if (m[1] || m[2]) return [Number.isInteger(n) ? new PyFloat(n) : n, i + m[0].length];
    return [Number.isSafeInteger(n) ? n : intText(m[0]), i + m[0].length];
  }

  string(end: number): [string, number] {
    const s = this.s;
    const begin = end - 1;
    let out = '';
    for (;;) {
      let j = end;
      while (j < s.length && s[j] !== '"' && s[j] !== '\\' && s.charCodeAt(j) >= 0x20) j++;
      if (j >= s.length) fail(s, 'Unterminated string starting at', begin);
      out += s.slice(end, j);
      if (s[j] === '"') return [out, j + 1];
      if (s[j] !== '\\') fail(s, 'Invalid control character at', j);
      const esc = s[j + 1];
      if (esc === undefined) fail(s, 'Unterminated string starting at', begin);
      if (esc !== 'u') {
        if (!(esc in ESCAPES)) fail(s, 'Invalid \\escape', j);
        out += ESCAPES[esc];
        end = j + 2;
        continue;
      }
      const hex = s.slice(j + 2, j + 6);
      if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail(s, 'Invalid \\uXXXX escape', j + 1);
      out += String.fromCharCode(parseInt(hex, 16));
      end = j + 6;
    }
  }

  object(end: number): [Record<string, unknown>, number] {
    const s = this.s;
    const out: Record<string, unknown> = {};
    end = this.ws(end);
    if (s[end] === '}') return [out, end + 1];
    if (s[end] !== '"') fail(s, 'Expecting property name enclosed in double quotes', end);
    end += 1;
    for (;;) {
      const [key, afterKey] = this.string(end);
      end = this.ws(afterKey);
      if (s[end] !== ':') fail(s, "Expecting ':' delimiter", end);
      end = this.ws(end + 1);
      const [value, after] = this.item(end);
      // (a key `__proto__` is a key, as JSON.parse makes it)
      Object.defineProperty(out, key, { value, writable: true, enumerable: true, configurable: true });
      const [done, next] = this.next(after, '}');
      if (done) return [out, next];
      end = next;
      if (s[end] !== '"') fail(s, 'Expecting property name enclosed in double quotes', end);
      end += 1;
    }
  }

  array(end: number): [unknown[], number] {
    const s = this.s;
    const out: unknown[] = [];
    end = this.ws(end);
    if (s[end] === ']') return [out, end + 1];
    for (;;) {
      const [value, after] = this.item(end);
      out.push(value);
      const [done, next] = this.next(after, ']');
      if (done) return [out, next];
      end = next;
    }
  }

  /** A container's value at `end`, or "Expecting value" there. */
  item(end: number): [unknown, number] {
    const got = this.value(end);
    if (!got) fail(this.s, 'Expecting value', end);
    return got;
  }

  /** After a container's item: its closing bracket ends it, a comma goes on (past the whitespace after it). */
  next(end: number, close: string): [boolean, number] {
    end = this.ws(end);
    if (this.s[end] === close) return [true, end + 1];
    if (this.s[end] !== ',') fail(this.s, "Expecting ',' delimiter", end);
    return [false, this.ws(end + 1)];
  }
}

/**
 * Text JSON.parse would read otherwise than Python: a whole float's literal (`1.0`, `2.00`, any exponent form), which it
 * would read as an int, or an int past 2**53 (16 digits or more), which it would round.
 */
const NEEDS_SCANNER = /[0-9]\.0+(?![0-9])|[0-9][eE][-+]?[0-9]|[0-9]{16}/;

/** json.loads(text): the value as Python has it, or its JSONDecodeError (a PyError). */
export function pyJsonLoads(text: string): unknown {
  if (!NEEDS_SCANNER.test(text)) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      // (NaN, Infinity, or an error to word as Python's)
    }
  }
  if (text.startsWith('\ufeff')) fail(text, 'Unexpected UTF-8 BOM (decode using utf-8-sig)', 0);
  const sc = new Scanner(text);
  const start = sc.ws(0);
  const got = sc.value(start);
  if (!got) fail(text, 'Expecting value', start);
  const end = sc.ws(got[1]);
  if (end !== text.length) fail(text, 'Extra data', end);
  return got[0];
}
