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

/** repr() of a str: quoted as Python picks, its control characters escaped. */
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
    else if (c < 0x20 || c === 0x7f) out += '\\x' + c.toString(16).padStart(2, '0');
    else out += ch;
  }
  return q + out + q;
}
