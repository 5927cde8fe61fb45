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
