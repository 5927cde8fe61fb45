import { Type } from '../source/vendor/typebox.js';
import { defineModule, ModuleFailure } from './types.js';
import { FileAttrs, Validate } from './util/content.js';
import { applyEdit, checkEdit, insertIndex, joinLines, splitLines } from './util/edit.js';

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

function edit(a: A, text: string): { text: string; msg: string } {
  const marker = a.marker ?? '# {mark} ANSIBLE MANAGED BLOCK';
  const begin = marker.replace('{mark}', a.marker_begin ?? 'BEGIN');
  const end = marker.replace('{mark}', a.marker_end ?? 'END');
  const { lines } = splitLines(text);
  const b = lines.indexOf(begin);
  const e = b >= 0 ? lines.indexOf(end, b) : -1;
  const present = (a.state ?? 'present') === 'present' && (a.block ?? '') !== '';
  const wanted = present ? [begin, ...splitLines(a.block!.endsWith('\n') ? a.block! : a.block + '\n').lines, end] : [];
  if (b >= 0 && e >= 0) {
    const current = lines.slice(b, e + 1);
    if (current.join('\n') === wanted.join('\n')) return { text, msg: '' };
    lines.splice(b, e - b + 1, ...wanted);
    return { text: joinLines(lines), msg: present ? 'Block inserted' : 'Block removed' };
  }
  if (!present) return { text, msg: '' };
  lines.splice(insertIndex(lines, a.insertafter, a.insertbefore, true), 0, ...wanted);
  return { text: joinLines(lines), msg: 'Block inserted' };
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
