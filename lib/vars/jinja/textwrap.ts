// Jinja's wordwrap filter: each line of the text wrapped by Python's textwrap.wrap (expand_tabs and
// replace_whitespace off, as Jinja calls it), the pieces joined by `wrapstring`. A port of
// TextWrapper's _split and _wrap_chunks: words split at whitespace and, with break_on_hyphens, after
// the hyphens of hyphenated words; a word longer than the width broken (after its last hyphen that
// fits, if any) unless break_long_words is false.
import { PyError } from '../../source/python.js';
import { splitlines } from '../../source/pystr.js';

const WS = '[\\t\\n\\x0b\\x0c\\r ]';
const NWS = '[^\\t\\n\\x0b\\x0c\\r ]';
// (Python's \w and [^\d\W] on text: letters, digits, marks and `_`; letters, marks and `_`)
const WORD_PUNCT = `[\\p{L}\\p{N}\\p{M}_!"'&.,?]`;
const LETTER = '[\\p{L}\\p{M}_]';
const WORDSEP = new RegExp(
  `(${WS}+|(?<=${WORD_PUNCT})-{2,}(?=[\\p{L}\\p{N}\\p{M}_])|${NWS}+?(?:-(?:(?<=${LETTER}{2}-)|(?<=${LETTER}-${LETTER}-))(?=${LETTER}-?${LETTER})|(?=${WS}|$)|(?<=${WORD_PUNCT})(?=-{2,}[\\p{L}\\p{N}\\p{M}_])))`,
  'u',
);
const SIMPLE = new RegExp(`(${WS}+)`);

const blank = (s: string) => s.trim() === '';
const len = (s: string) => [...s].length;

/** TextWrapper._handle_long_word: as much of the word as fits (after its last fitting hyphen), or all of it on a line of its own. */
function longWord(chunks: string[], line: string[], used: number, width: number, breakLong: boolean, hyphens: boolean): void {
  const room = width < 1 ? 1 : width - used;
  if (breakLong) {
    const chunk = [...chunks[chunks.length - 1]];
    let end = room;
    if (hyphens && chunk.length > room) {
      const hyphen = chunk.slice(0, room).lastIndexOf('-');
      if (hyphen > 0 && chunk.slice(0, hyphen).some((c) => c !== '-')) end = hyphen + 1;
    }
    line.push(chunk.slice(0, end).join(''));
    chunks[chunks.length - 1] = chunk.slice(end).join('');
  } else if (!line.length) line.push(chunks.pop()!);
}

/** textwrap.wrap(text, width, expand_tabs=False, replace_whitespace=False, …). */
export function wrap(text: string, width: number, breakLong: boolean, hyphens: boolean): string[] {
  if (width <= 0) throw new PyError('ValueError', `invalid width ${width} (must be > 0)`);
  const chunks = text.split(hyphens ? WORDSEP : SIMPLE).filter((c) => c !== '' && c !== undefined).reverse();
  const lines: string[] = [];
  while (chunks.length) {
    const line: string[] = [];
    let used = 0;
    if (lines.length && blank(chunks[chunks.length - 1])) chunks.pop();
    while (chunks.length && used + len(chunks[chunks.length - 1]) <= width) used += len((line[line.length] = chunks.pop()!));
    if (chunks.length && len(chunks[chunks.length - 1]) > width) {
      longWord(chunks, line, used, width, breakLong, hyphens);
      used = line.reduce((n, c) => n + len(c), 0);
    }
    if (line.length && blank(line[line.length - 1])) line.pop();
    if (line.length) lines.push(line.join(''));
  }
  return lines;
}

/** Jinja's do_wordwrap: each of the text's lines wrapped on its own, all joined by `wrapstring`. */
export function wordwrap(s: string, width: number, breakLong: boolean, wrapstring: string, hyphens: boolean): string {
  return splitlines(s)
    .map((line) => wrap(line, width, breakLong, hyphens).join(wrapstring))
    .join(wrapstring);
}
