import { Type } from '../source/vendor/typebox.js';
import { defineModule, ModuleFailure } from './types.js';
import { FileAttrs, Validate } from './util/content.js';
import { applyEdit, checkEdit, readlines } from './util/edit.js';
import { pyRegex } from '../source/index.js';

const Args = Type.Object(
  {
    path: Type.String({ description: 'The file to edit.' }),
    block: Type.Optional(Type.String({ description: 'The text between the markers.' })),
    marker: Type.Optional(Type.String({ description: "Marker line template; {mark} becomes BEGIN/END. Default '# {mark} ANSIBLE MANAGED BLOCK'." })),
    marker_begin: Type.Optional(Type.String()),
    marker_end: Type.Optional(Type.String()),
    state: Type.Optional(Type.Union([Type.Literal('present'), Type.Literal('absent')])),
    insertafter: Type.Optional(Type.String()),
    insertbefore: Type.Optional(Type.String()),
    create: Type.Optional(Type.Boolean()),
    backup: Type.Optional(Type.Boolean()),
    ...FileAttrs,
    ...Validate,
  },
  { additionalProperties: false },
);
type A = typeof Args.static;

/**
 * ansible-core's blockinfile, over the file's lines as its readlines gives them (each with its
 * newline): the last BEGIN and END marker lines (exactly, with their \n) and what is between them
 * replaced by the block, or removed; without both, the block goes after the last line matching
 * insertafter (before: insertbefore; a (?m) pattern is searched in the whole text), at BOF or at
 * EOF, the line before it given its missing newline. Changed when the text is not the same.
 */
function edit(a: A, text: string): { text: string; msg: string } {
  const lines = readlines(text);
  const marker = a.marker ?? '# {mark} ANSIBLE MANAGED BLOCK';
  const [marker0, marker1] = [a.marker_begin ?? 'BEGIN', a.marker_end ?? 'END'].map((m) => `${marker.replaceAll('{mark}', m)}\n`);
  const block = a.block ?? '';
  const blocklines = (a.state ?? 'present') === 'present' && block ? [marker0, ...(block.endsWith('\n') ? block : `${block}\n`).split(/(?<=\r\n|\r(?!\n)|\n)/), marker1] : [];
  let n0: number | undefined;
  let n1: number | undefined;
  lines.forEach((l, i) => ((n0 = l === marker0 ? i : n0), (n1 = l === marker1 ? i : n1)));
  if (n0 === undefined || n1 === undefined) {
    n0 = undefined;
    const after = a.insertafter ?? (a.insertbefore === undefined ? 'EOF' : undefined);
    const pattern = after !== undefined && after !== 'EOF' ? after : a.insertbefore !== undefined && a.insertbefore !== 'BOF' ? a.insertbefore : undefined;
    if (pattern !== undefined) {
      const re = pyRegex(pattern);
      if (/^\(\?[aiLsux]*m/.test(pattern)) {
        const m = re.exec(text);
        if (m) n0 = text.slice(0, after !== undefined ? m.index + m[0].length : m.index).split('\n').length - 1;
      } else lines.forEach((l, i) => (n0 = re.test(l) ? i : n0));
      if (n0 === undefined) n0 = lines.length;
      else if (after !== undefined) n0 += 1;
    } else n0 = a.insertbefore !== undefined ? 0 : lines.length;
  } else if (n0 < n1) lines.splice(n0, n1 - n0 + 1);
  else {
    lines.splice(n1, n0 - n1 + 1);
    n0 = n1;
  }
  if (n0 > 0 && !lines[n0 - 1].endsWith('\n')) lines[n0 - 1] += '\n';
  lines.splice(n0, 0, ...blocklines);
  const result = lines.join('');
  return { text: result, msg: result === text ? '' : blocklines.length ? 'Block inserted' : 'Block removed' };
}

export default defineModule({
  name: 'blockinfile',
  kind: 'state',
  description: 'Keeps a block of lines between marker lines in a file.',
  args: Args,
  paths: ['path'],
  aliases: { dest: 'path', destfile: 'path', name: 'path', content: 'block' },
  // ansible-core's words: File created (it was missing), Block removed, Block inserted (new or changed)
  async check(ctx, a) {
    const exists = (await ctx.files.stat(a.path)) !== null;
    // (ansible-core 2.14's order: a missing file without create fails, whatever the state)
    if (!exists && !a.create) throw new ModuleFailure(`Path ${a.path} does not exist !`, { rc: 257 });
    if ((a.state ?? 'present') === 'absent' && !exists) return { kind: 'ok', why: `File ${a.path} not present`, data: { msg: `File ${a.path} not present` } };
    return checkEdit(ctx, a, (t) => {
      const r = edit(a, t);
      return exists || !r.msg ? r : { ...r, msg: 'File created' };
    });
  },
  apply: (ctx, a, diff) => applyEdit(ctx, a, diff),
});
