import { PY_ESCAPES } from '../../source/pyliteral.js';
/** Splits a command line into words the way a POSIX shell would for quotes and backslashes. */
export function splitWords(s: string): string[] {
  const out: string[] = [];
  let cur = '';
  let has = false;
  let q: '"' | "'" | null = null;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (q) {
      if (c === q) q = null;
      else if (c === '\\' && q === '"' && i + 1 < s.length && '"\\$`'.includes(s[i + 1])) cur += s[++i];
      else cur += c;
    } else if (c === '"' || c === "'") {
      q = c;
      has = true;
    } else if (c === '\\' && i + 1 < s.length) {
      cur += s[++i];
      has = true;
    } else if (/\s/.test(c)) {
      if (has || cur) out.push(cur);
      cur = '';
      has = false;
    } else {
      cur += c;
      has = true;
    }
  }
  if (q) throw new Error(`unbalanced ${q} quote`);
  if (has || cur) out.push(cur);
  return out;
}

/**
 * Ansible's free-form `key=value` arguments: `path=/x state=directory`. Words that are not
 * `key=value` (for command/shell) are kept, in order, as the raw command.
 */
export function parseKeyValues(s: string, keys?: Set<string>): { kv: Record<string, string>; rest: string } {
  const kv: Record<string, string> = {};
  const rest: string[] = [];
  for (const raw of tokens(s)) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=([\s\S]*)$/.exec(raw);
    if (m && (!keys || keys.has(m[1]))) kv[m[1]] = unquote(decodeEscapes(m[2]));
    else rest.push(raw);
  }
  return { kv, rest: rest.join(' ') };
}

/** Whitespace-separated tokens, keeping quotes (and {{ }} / {% %}) intact. */
function tokens(s: string): string[] {
  const out: string[] = [];
  let cur = '';
  let q: string | null = null;
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    const two = s.slice(i, i + 2);
    if (!q && (two === '{{' || two === '{%')) depth++;
    if (!q && (two === '}}' || two === '%}') && depth > 0) depth--;
    if (q) {
      if (c === q && s[i - 1] !== '\\') q = null;
    } else if ((c === '"' || c === "'") && depth === 0) q = c;
    else if (/\s/.test(c) && depth === 0) {
      if (cur) out.push(cur);
      cur = '';
      continue;
    }
    cur += c;
  }
  if (cur) out.push(cur);
  return out;
}

function unquote(v: string): string {
  if (v.length >= 2 && (v[0] === '"' || v[0] === "'") && v[v.length - 1] === v[0]) return v.slice(1, -1);
  return v;
}

/** Python's escape sequences in a key=value argument, decoded as ansible-core's parse_kv does (`\\n`, `\\b`, `\\x41`, `\\\\` …). */
function decodeEscapes(v: string): string {
  // (no octal: ansible-core 2.14's pattern has none, so `\\1` stays a group reference)
  return v.replace(/\\(U[0-9a-fA-F]{8}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|[\\'"abfnrtv])/g, (all, e: string) => {
    if (/^[Uux]/.test(e)) return String.fromCodePoint(parseInt(e.slice(1), 16));
    return PY_ESCAPES[e] ?? all;
  });
}
