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
  if (flags.multiline && !f.includes('m')) f += 'm';
  if (!f.includes('m')) p = pyDollar(p);
  p = p
    .replace(/\(\?P<(\w+)>/g, '(?<$1>')
    .replace(/\(\?P=(\w+)\)/g, '\\k<$1>')
    .replace(/\\A/g, '^')
    .replace(/\\Z/g, '$(?![\\s\\S])');
  try {
    return new RegExp(p, f + 'u');
  } catch {
    try {
      return new RegExp(p, f);
    } catch (e) {
      throw new PyError('re.error', (e as Error).message);
    }
  }
}

/**
 * Python's `$` (without MULTILINE) matches at the end and before a newline that ends the text;
 * JavaScript's only at the end. Each `$` outside a character class (and not escaped) becomes that.
 */
function pyDollar(p: string): string {
  if (!p.includes('$')) return p;
  let out = '';
  let inClass = false;
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    if (c === '\\') {
      out += c + (p[i + 1] ?? '');
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
    } else out += c === '$' ? '(?=\\n?$)' : c;
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
