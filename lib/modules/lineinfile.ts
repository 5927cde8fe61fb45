import { Type } from '@sinclair/typebox';
import { defineModule, ModuleFailure } from './types.js';
import { FileAttrs, Validate } from './util/content.js';
import { applyEdit, checkEdit, insertIndex, joinLines, splitLines } from './util/edit.js';

const Args = Type.Object(
  {
    path: Type.String({ description: 'The file to edit.' }),
    line: Type.Optional(Type.String({ description: 'The line that should be there.' })),
    regexp: Type.Optional(Type.String({ description: 'The last line matching this is replaced (or removed).' })),
    search_string: Type.Optional(Type.String({ description: 'Like regexp, but a literal string.' })),
    state: Type.Optional(Type.Union([Type.Literal('present'), Type.Literal('absent')])),
    insertafter: Type.Optional(Type.String({ description: "Regex or 'EOF' (default)." })),
    insertbefore: Type.Optional(Type.String({ description: "Regex or 'BOF'." })),
    create: Type.Optional(Type.Boolean({ description: 'Create the file if it is missing.' })),
    backup: Type.Optional(Type.Boolean()),
    ...FileAttrs,
    ...Validate,
  },
  { additionalProperties: false },
);
type A = typeof Args.static;

function edit(a: A, text: string): { text: string; msg: string } {
  const { lines } = splitLines(text);
  const matches = (l: string): boolean => (a.regexp !== undefined ? new RegExp(a.regexp).test(l) : a.search_string !== undefined ? l.includes(a.search_string) : l === a.line);
  if ((a.state ?? 'present') === 'absent') {
    const kept = lines.filter((l) => !matches(l));
    const n = lines.length - kept.length;
    return n ? { text: joinLines(kept), msg: `${n} line(s) removed` } : { text, msg: '' };
  }
  if (a.line === undefined) throw new ModuleFailure('line is required with state=present');
  let found = -1;
  lines.forEach((l, i) => {
    if (matches(l)) found = i;
  });
  if (found >= 0) {
    if (lines[found] === a.line) return { text, msg: '' };
    lines[found] = a.line;
    return { text: joinLines(lines), msg: 'line replaced' };
  }
  if (a.regexp !== undefined && lines.includes(a.line)) return { text, msg: '' };
  lines.splice(insertIndex(lines, a.insertafter, a.insertbefore), 0, a.line);
  return { text: joinLines(lines), msg: 'line added' };
}

export default defineModule({
  name: 'lineinfile',
  kind: 'state',
  description: 'Makes sure one line is in a file (replacing the last line matching regexp), or is not.',
  args: Args,
  aliases: { dest: 'path', destfile: 'path', name: 'path' },
  check: (ctx, a) => checkEdit(ctx, a, (t) => edit(a, t)),
  apply: (ctx, a, diff) => applyEdit(ctx, a, diff),
});
