import { PY_ESCAPES } from './pyliteral.js';
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
 * Ansible's free-form `key=value` arguments (parsing/splitter.py parse_kv): `path=/x state=directory`.
 * With `keys` (command/shell, check_raw), only those names are options; every other word is kept,
 * with its newlines and spacing, as the raw command.
 */
export function parseKeyValues(s: string, keys?: Set<string>): { kv: Record<string, string>; rest: string } {
  const kv: Record<string, string> = {};
  const rest: string[] = [];
  for (const orig of splitArgs(s)) {
    const x = decodeEscapes(orig);
    let pos = x.indexOf('=', 1);
    while (pos > 0 && x[pos - 1] === '\\') pos = x.indexOf('=', pos + 1);
    if (!x.includes('=')) rest.push(orig);
    else if (pos < 0) rest.push(x.replace(/\\=/g, '='));
    else if (keys && !keys.has(x.slice(0, pos))) rest.push(orig);
    else kv[x.slice(0, pos).trim()] = unquote(x.slice(pos + 1).trim());
  }
  return { kv, rest: joinArgs(rest) };
}

/** Ansible's join_args: words joined by a space, except after a newline they keep. */
function joinArgs(words: string[]): string {
  let out = '';
  for (const w of words) out += out.length === 0 || out.endsWith('\n') ? w : ` ${w}`;
  return out;
}

/** The quote a word leaves open (Ansible's _get_quote_state). */
function quoteState(token: string, q: string | null): string | null {
  for (let i = 0; i < token.length; i++) {
    const c = token[i];
    if ((c === '"' || c === "'") && (i === 0 || token[i - 1] !== '\\')) q = q ? (c === q ? null : q) : c;
  }
  return q;
}

const count = (s: string, t: string): number => s.split(t).length - 1;
function depthAfter(token: string, depth: number, open: string, close: string): number {
  const [o, c] = [count(token, open), count(token, close)];
  return o === c ? depth : Math.max(0, depth + o - c);
}

/** Ansible's split_args: words split on spaces and lines, kept together inside quotes and Jinja blocks; newlines kept. */
export function splitArgs(args: string): string[] {
  const params: string[] = [];
  let q: string | null = null;
  let inside = false;
  const depth = { print: 0, block: 0, comment: 0 };
  const lines = args.split('\n');
  for (const [li, line] of lines.entries()) {
    const tokens = line.split(' ');
    let continuation = false;
    for (const [idx, token] of tokens.entries()) {
      if (token.length === 0 && idx !== 0) {
        if (params.length) params[params.length - 1] += ' ';
        continue;
      }
      if (token === '\\' && !inside) {
        continuation = true;
        continue;
      }
      const was = inside;
      q = quoteState(token, q);
      inside = q !== null;
      const inJinja = depth.print || depth.block || depth.comment;
      let appended = false;
      if (inside && !was && !inJinja) {
        params.push(token);
        appended = true;
      } else if (inJinja || inside || was) {
        if (idx === 0 && was) params[params.length - 1] += token;
        else if (tokens.length > 1) params[params.length - 1] += `${idx > 0 ? ' ' : ''}${token}`;
        else params[params.length - 1] += `\n${token}`;
        appended = true;
      }
      for (const [k, open, close] of [['print', '{{', '}}'], ['block', '{%', '%}'], ['comment', '{#', '#}']] as const) {
        const before = depth[k];
        depth[k] = depthAfter(token, before, open, close);
        if (depth[k] !== before && !appended) {
          params.push(token);
          appended = true;
        }
      }
      if (!(depth.print || depth.block || depth.comment) && !inside && !appended && token !== '') params.push(token);
    }
    if (lines.length > 1 && li !== lines.length - 1 && !continuation && params.length) params[params.length - 1] += '\n';
  }
  if (depth.print || depth.block || depth.comment || inside) throw new Error(`failed at splitting arguments, either an unbalanced jinja2 block or quotes: ${args}`);
  return params;
}

/** Ansible's unquote: one pair of matching outer quotes removed, unless the closing one is escaped. */
function unquote(v: string): string {
  if (v.length >= 2 && (v[0] === '"' || v[0] === "'") && v[v.length - 1] === v[0] && v[v.length - 2] !== '\\') return v.slice(1, -1);
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

/** Python's fnmatch.translate: a shell glob as an anchored regular expression. */
export function fnmatch(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (c === '[') {
      const end = glob.indexOf(']', i + 2);
      if (end < 0) re += '\\[';
      else {
        let set = glob.slice(i + 1, end).replace(/\\/g, '\\\\');
        if (set[0] === '!') set = '^' + set.slice(1);
        re += `[${set}]`;
        i = end;
      }
    } else re += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`^(?:${re})$`, 's');
}
