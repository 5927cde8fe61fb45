// The place ansible-core's AnsibleError gives of the task it is about (errors/__init__.py
// _get_extended_error, with errors/yaml_strings.py's hints): where it is, the offending line and the
// one before it with an arrow under the task's column, and a hint for a common YAML mistake seen there.
import { readFileSync } from 'node:fs';

const DICT = `This one looks easy to fix. YAML thought it was looking for the start of a
hash/dictionary and was confused to see a second "{". Most likely this was
meant to be an ansible template evaluation instead, so we have to give the
parser a small hint that we wanted a string instead. The solution here is to
just quote the entire value.

For instance, if the original line was:

    app_path: {{ base_path }}/foo

It should be written as:

    app_path: "{{ base_path }}/foo"
`;

const UNQUOTED_VARIABLE = `We could be wrong, but this one looks like it might be an issue with
missing quotes. Always quote template expression brackets when they
start a value. For instance:

    with_items:
      - {{ foo }}

Should be written as:

    with_items:
      - "{{ foo }}"
`;

const UNQUOTED_COLON = `This one looks easy to fix. There seems to be an extra unquoted colon in the line
and this is confusing the parser. It was only expecting to find one free
colon. The solution is just add some quotes around the colon, or quote the
entire line after the first colon.

For instance, if the original line was:

    copy: src=file.txt dest=/path/filename:with_colon.txt

It can be written as:

    copy: src=file.txt dest='/path/filename:with_colon.txt'

Or:

    copy: 'src=file.txt dest=/path/filename:with_colon.txt'
`;

const PARTIALLY_QUOTED = `This one looks easy to fix. It seems that there is a value started
with a quote, and the YAML parser is expecting to see the line ended
with the same kind of quote. For instance:

    when: "ok" in result.stdout

Could be written as:

   when: '"ok" in result.stdout'

Or equivalently:

   when: "'ok' in result.stdout"
`;

const UNBALANCED_QUOTES = `We could be wrong, but this one looks like it might be an issue with
unbalanced quotes. If starting a value with a quote, make sure the
line ends with the same set of quotes. For instance this arbitrary
example:

    foo: "bad" "wolf"

Could be written as:

    foo: '"bad" "wolf"'
`;

const LEADING_TAB = `There appears to be a tab character at the start of the line.

YAML does not use tabs for formatting. Tabs should be replaced with spaces.

For example:
    - name: update tooling
      vars:
        version: 1.2.3
#    ^--- there is a tab there.

Should be written as:
    - name: update tooling
      vars:
        version: 1.2.3
# ^--- all spaces here.
`;

const SHORTHAND = "There appears to be both 'k=v' shorthand syntax and YAML in this task. Only one syntax may be used.\n";

const details = (file: string, line: number, col: number): string => `The error appears to be in '${file}': line ${line}, column ${col}, but may\nbe elsewhere in the file depending on the exact syntax problem.\n`;

/** Python's str.rstrip(): trailing whitespace, line ends included. */
const rstrip = (s: string): string => s.replace(/\s+$/, '');

/** The hints _get_extended_error adds after the lines for what the offending line looks like. */
function hints(target: string, col: number): string {
  let out = target.includes('\t') ? LEADING_TAB : '';
  if (target.includes('{{') && target.includes('}}') && (!target.includes('"{{') || !target.includes("'{{"))) return out + UNQUOTED_VARIABLE;
  if (target.replaceAll(' ', '').includes(':{{') && target.includes('}}')) return out + DICT;
  if (target.length > 1 && target.length > col && target[col] === ':' && target.split(':').length - 1 > 1) return out + UNQUOTED_COLON;
  const parts = target.split(':');
  if (parts.length > 1) {
    const middle = parts[1].trim();
    const match = (middle.startsWith("'") && !middle.endsWith("'")) || (middle.startsWith('"') && !middle.endsWith('"'));
    const count = (c: string) => target.split(c).length - 1;
    const unbalanced = (middle.length > 0 && `"'`.includes(middle[0]) && `"'`.includes(middle.at(-1)!) && count("'") > 2) || count('"') > 2;
    if (match) out += PARTIALLY_QUOTED;
    if (unbalanced) out += UNBALANCED_QUOTES;
  }
  return out;
}

/** A playbook file's lines, read once per run (a task that fails on every host asks for them each time). */
const read = new Map<string, string[]>();
function linesOf(file: string): string[] {
  let lines = read.get(file);
  if (!lines) read.set(file, (lines = readFileSync(file, 'utf8').split(/(?<=\n)/)));
  return lines;
}

/**
 * `\n\n` and AnsibleError's extended error for an object at `file`:`line`:`col`: the position, then,
 * read from the file, the line before and the offending line (the nearest one above that is not
 * blank) with `^ here` under the column, and its hints.
 */
export function errorAppears(pos: { file: string; line: number; col: number }): string {
  let out = details(pos.file, pos.line, pos.col);
  try {
    const lines = linesOf(pos.file);
    let n = Math.min(pos.line - 1, lines.length - 1);
    if (n < 0) throw new RangeError();
    while (!lines[n].trim()) {
      n -= 1;
      if (n < 0) throw new RangeError();
    }
    const target = lines[n];
    const prev = n > 0 ? lines[n - 1] : '';
    if (/\w+(\s+)?=(\s+)?[\w/-]+/.test(prev)) {
      const at = rstrip(prev).indexOf('=');
      out = details(pos.file, pos.line - 1, at + 1) + `\nThe offending line appears to be:\n\n${rstrip(prev)}\n${' '.repeat(at)}^ here\n\n` + SHORTHAND;
    } else out += `\nThe offending line appears to be:\n\n${rstrip(prev)}\n${rstrip(target)}\n${' '.repeat(pos.col - 1)}^ here\n`;
    out += hints(target, pos.col);
  } catch (e) {
    out += e instanceof RangeError ? '\n(specified line no longer in file, maybe it changed?)' : '\n(could not open file to display line)';
  }
  return `\n\n${out}`;
}
