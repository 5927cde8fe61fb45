import { PyError } from './python.js';

/** Python `re` syntax in a JavaScript RegExp: named groups, \A \Z, inline flags. */
export function pyRegex(pattern: string, flags: { ignorecase?: unknown; multiline?: unknown; global?: boolean; indices?: boolean } = {}): RegExp {
  let f = (flags.global ? 'g' : '') + (flags.indices ? 'd' : '');
  let p = pattern;
  const inline = /^\(\?([aiLmsux]+)\)/.exec(p);
  if (inline) {
    p = p.slice(inline[0].length);
    if (inline[1].includes('i')) f += 'i';
    if (inline[1].includes('m')) f += 'm';
    if (inline[1].includes('s')) f += 's';
  }
  if (flags.ignorecase && !f.includes('i')) f += 'i';
  // (MULTILINE and the dot as Python's, written out: JavaScript's `m` and `.` also take \r, \u2028 and \u2029 for line ends)
  const multiline = f.includes('m') || Boolean(flags.multiline);
  f = f.replace('m', '');
  const dotall = f.includes('s');
  const source = (unicode: boolean) =>
    translate(p, multiline, dotall, unicode)
      .replace(/\(\?P<(\w+)>/g, '(?<$1>')
      .replace(/\(\?P=(\w+)\)/g, '\\k<$1>')
      .replace(/\\A/g, '^')
      .replace(/\\Z/g, '$(?![\\s\\S])');
  try {
    return new RegExp(source(!inline?.[1].includes('a')), f + 'u');
  } catch {
    try {
      return new RegExp(source(false), f);
    } catch (e) {
      throw new PyError('re.error', (e as Error).message);
    }
  }
}

const WORD = '\\p{L}\\p{N}_';
/** Outside a class: Python's Unicode \w \W \d \D \b \B; inside one, \w \d \D (\W there stays ASCII, \b is a backspace). */
const UNICODE_OUT: Record<string, string> = {
  w: `[${WORD}]`,
  W: `[^${WORD}]`,
  d: '\\p{Nd}',
  D: '\\P{Nd}',
  b: `(?:(?<=[${WORD}])(?![${WORD}])|(?<![${WORD}])(?=[${WORD}]))`,
  B: `(?:(?<=[${WORD}])(?=[${WORD}])|(?<![${WORD}])(?![${WORD}]))`,
};
const UNICODE_IN: Record<string, string> = { w: WORD, d: '\\p{Nd}', D: '\\P{Nd}' };

/**
 * Python's line anchors and dot, outside character classes (an escaped character is left as it
 * is): `$` matches at the end and before a \n that ends the text (JavaScript's only at the end), or
 * under MULTILINE before any \n; `^` under MULTILINE at the start and after any \n; `.` (without
 * DOTALL) anything but \n — \r too, which JavaScript's `.` and `m` take for a line end. And, for a
 * `u` RegExp, Python's \w, \d and \b, which match in every script (`'café' | regex_replace('\W', '_')`
 * keeps the é), where JavaScript's, even under `u`, match only ASCII: written out as Unicode properties.
 */
function translate(p: string, multiline: boolean, dotall: boolean, unicode: boolean): string {
  if (!/[$^.]/.test(p) && !(unicode && /\\[wWdDbB]/.test(p))) return p;
  let out = '';
  let inClass = false;
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    if (c === '\\') {
      const e = p[i + 1] ?? '';
      out += (unicode ? (inClass ? UNICODE_IN : UNICODE_OUT)[e] : undefined) ?? c + e;
      i++;
    } else if (inClass) {
      if (c === ']') inClass = false;
      out += c;
    } else if (c === '[') {
      inClass = true;
      out += c;
      // a `]` first in the class (or after `^`) is one of its characters
      if (p[i + 1] === '^') out += p[++i];
      if (p[i + 1] === ']') out += p[++i];
    } else if (c === '$') out += multiline ? '(?![^\\n])' : '(?=\\n?$)';
    else if (c === '^') out += multiline ? '(?<![^\\n])' : c;
    else if (c === '.') out += dotall ? c : '[^\\n]';
    else out += c;
  }
  return out;
}

/** Python's replacement template (`\1`, `\g<1>`, `\g<name>`) applied to one match. */
export function expandRepl(repl: string, m: RegExpExecArray | RegExpMatchArray): string {
  return repl.replace(/\\(?:g<(\w+)>|(\d{1,2})|(.))/g, (_all, name: string | undefined, d: string | undefined, other: string | undefined) => {
    if (name !== undefined) return (/^\d+$/.test(name) ? m[Number(name)] : m.groups?.[name]) ?? '';
    if (d !== undefined) return m[Number(d)] ?? '';
    const esc: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\' };
    return esc[other!] ?? '\\' + other;
  });
}
