// Python's str methods that more than one layer needs.

const BREAK = /\r\n|[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]/;
const BREAK_END = new RegExp(`(?:${BREAK.source})$`);

/** str.splitlines: \n, \r\n, \r and the other line boundaries end a line; no empty last line for a final break; `keepends` keeps them. */
export function splitlines(s: string, keepends = false): string[] {
  if (!s) return [];
  if (!keepends) {
    const lines = s.split(BREAK);
    return BREAK_END.test(s) ? lines.slice(0, -1) : lines;
  }
  const parts = s.split(new RegExp(`(${BREAK.source})`));
  const lines: string[] = [];
  for (let i = 0; i < parts.length; i += 2) if (i < parts.length - 1 || parts[i] !== '') lines.push(parts[i] + (parts[i + 1] ?? ''));
  return lines;
}

/** What str.isprintable() finds not printable past ASCII (Unicode's Other and Separator categories but the space). */
const NON_PRINTABLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]/u;
const hex = (c: number, n: number): string => c.toString(16).padStart(n, '0');

/** repr() of a str: quoted as Python picks, its control and other non-printable characters escaped (`\xa0`, `\u200b`, `\uffff`). */
export function strRepr(s: string): string {
  const q = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '\\') out += '\\\\';
    else if (ch === q) out += '\\' + q;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (c < 0x20 || c === 0x7f) out += '\\x' + hex(c, 2);
    else if (c > 0x7f && NON_PRINTABLE.test(ch)) out += c < 0x100 ? '\\x' + hex(c, 2) : c < 0x10000 ? '\\u' + hex(c, 4) : '\\U' + hex(c, 8);
    else out += ch;
  }
  return q + out + q;
}
