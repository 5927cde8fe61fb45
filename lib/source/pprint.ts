// Python's pprint.pformat (width 80, indent 1, sort_dicts): Jinja's `pprint` filter. A value whose
// repr fits in what is left of the line is its repr (a dict's keys sorted); a longer dict, list or
// tuple puts each item on a line of its own, indented under the first, and a longer text is cut
// at spaces into adjacent literals. Ported from CPython 3.11's pprint.PrettyPrinter.
import { compare, isDict, isTuple, PyError, pyType, repr } from './python.js';
import { dictItems } from './pydict.js';

const WIDTH = 80;

/** Python's len() of a text: its code points. */
const len = (s: string): number => {
  let n = s.length;
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) >= 0xd800 && s.charCodeAt(i) < 0xdc00) n--;
  return n;
};

/** _safe_key's `<`: Python's, or where the two do not compare, their types' names. */
function lt(a: unknown, b: unknown): boolean {
  try {
    return compare('<', a, b);
  } catch (e) {
    if (!(e instanceof PyError)) throw e;
    return pyType(a) < pyType(b);
  }
}

/** sorted(d.items(), key=_safe_tuple): by the keys (no two are equal). */
const sortedItems = (d: Record<string, unknown>): [unknown, unknown][] => dictItems(d).sort(([a], [b]) => (lt(a, b) ? -1 : lt(b, a) ? 1 : 0));

/** _safe_repr: repr, a dict's items sorted. */
function safeRepr(v: unknown): string {
  if (isDict(v)) return `{${sortedItems(v).map(([k, x]) => `${safeRepr(k)}: ${safeRepr(x)}`).join(', ')}}`;
  if (Array.isArray(v)) {
    const inner = v.map(safeRepr).join(', ');
    return !isTuple(v) ? `[${inner}]` : v.length === 1 ? `(${inner},)` : `(${inner})`;
  }
  return repr(v);
}

export function pformat(v: unknown): string {
  const out: string[] = [];
  format(v, out, 0, 0, 0);
  return out.join('');
}

function format(v: unknown, out: string[], indent: number, allowance: number, level: number): void {
  const rep = safeRepr(v);
  if (len(rep) <= WIDTH - indent - allowance) out.push(rep);
  else if (isDict(v)) {
    out.push('{');
    const items = sortedItems(v);
    if (items.length) dictItemsAt(items, out, indent, allowance + 1, level + 1);
    out.push('}');
  } else if (Array.isArray(v)) {
    const end = !isTuple(v) ? ']' : v.length === 1 ? ',)' : ')';
    out.push(isTuple(v) ? '(' : '[');
    itemsAt(v, out, indent, allowance + end.length, level + 1);
    out.push(end);
  } else if (typeof v === 'string') textAt(v, out, indent, allowance, level + 1);
  else out.push(rep);
}

/** _format_dict_items: `key: value` a line, the value indented past its key. */
function dictItemsAt(items: [unknown, unknown][], out: string[], indent: number, allowance: number, level: number): void {
  indent += 1;
  items.forEach(([k, x], i) => {
    const last = i === items.length - 1;
    const rep = safeRepr(k);
    out.push(rep, ': ');
    format(x, out, indent + len(rep) + 2, last ? allowance : 1, level);
    if (!last) out.push(',\n' + ' '.repeat(indent));
  });
}

/** _format_items (not compact): an item a line. */
function itemsAt(items: unknown[], out: string[], indent: number, allowance: number, level: number): void {
  indent += 1;
  items.forEach((x, i) => {
    if (i > 0) out.push(',\n' + ' '.repeat(indent));
    format(x, out, indent, i === items.length - 1 ? allowance : 1, level);
  });
}

/** _pprint_str: the text's lines, each cut at spaces to fit; in parentheses at the top level. */
function textAt(s: string, out: string[], indent: number, allowance: number, level: number): void {
  if (!s) return void out.push(repr(s));
  const chunks: string[] = [];
  // (str.splitlines(True): each line with its end)
  const lines = s.match(/[^\n\r\v\f\x1c-\x1e\x85\u2028\u2029]*(?:\r\n|[\n\r\v\f\x1c-\x1e\x85\u2028\u2029])|[^\n\r\v\f\x1c-\x1e\x85\u2028\u2029]+$/g) ?? [];
  if (level === 1) {
    indent += 1;
    allowance += 1;
  }
  const maxWidth = WIDTH - indent;
  let maxWidth1 = maxWidth;
  let rep = '';
  lines.forEach((line, i) => {
    const lastLine = i === lines.length - 1;
    rep = repr(line);
    if (lastLine) maxWidth1 -= allowance;
    if (len(rep) <= maxWidth1) return void chunks.push(rep);
    // (re.findall(r'\S*\s*'): runs of non-space then space, the empty last one dropped)
    const parts = (line.match(/\S*\s*/gu) ?? []).slice(0, -1);
    let maxWidth2 = maxWidth;
    let current = '';
    parts.forEach((part, j) => {
      const candidate = current + part;
      if (j === parts.length - 1 && lastLine) maxWidth2 -= allowance;
      if (len(repr(candidate)) > maxWidth2) {
        if (current) chunks.push(repr(current));
        current = part;
      } else current = candidate;
    });
    if (current) chunks.push(repr(current));
  });
  if (chunks.length === 1) return void out.push(rep);
  if (level === 1) out.push('(');
  out.push(chunks.join('\n' + ' '.repeat(indent)));
  if (level === 1) out.push(')');
}
