import { Type } from '@sinclair/typebox';
import { expandRepl, pyRegex } from '../source/index.js';
import { defineModule, ModuleFailure } from './types.js';
import { FileAttrs } from './util/content.js';
import { applyEdit, checkEdit } from './util/edit.js';

const Args = Type.Object(
  {
    path: Type.String({ description: 'The file to edit.' }),
    regexp: Type.String({ description: 'Python regular expression, matched in MULTILINE mode; every match is replaced.' }),
    replace: Type.Optional(Type.String({ description: 'The replacement (\\1, \\g<name> for groups); empty removes the matches.' })),
    after: Type.Optional(Type.String({ description: 'Only the text after the first match of this regex.' })),
    before: Type.Optional(Type.String({ description: 'Only the text before the first match of this regex.' })),
    backup: Type.Optional(Type.Boolean()),
    ...FileAttrs,
  },
  { additionalProperties: false },
);
type A = typeof Args.static;

/** The text between after and before (Python's DOTALL search of each), as ansible-core's replace cuts it. */
function section(a: A, text: string): [number, number] {
  let start = 0;
  let end = text.length;
  if (a.after) {
    const m = pyRegex(`(?s)${a.after}`).exec(text);
    if (m) start = m.index + m[0].length;
  }
  if (a.before) {
    const m = pyRegex(`(?s)${a.before}`).exec(text.slice(start));
    if (m) end = start + m.index;
  }
  return [start, end];
}

function edit(a: A, text: string): { text: string; msg: string } {
  const [start, end] = section(a, text);
  const re = pyRegex(a.regexp, { multiline: true, global: true });
  let n = 0;
  const middle = text.slice(start, end).replace(re, (...args: unknown[]) => {
    n++;
    const groups = typeof args[args.length - 1] === 'object' ? (args[args.length - 1] as Record<string, string>) : undefined;
    const m = Object.assign(args.slice(0, typeof args[args.length - 1] === 'object' ? -3 : -2) as string[], { groups }) as unknown as RegExpMatchArray;
    return expandRepl(a.replace ?? '', m);
  });
  return n ? { text: text.slice(0, start) + middle + text.slice(end), msg: `${n} replacements made` } : { text, msg: '' };
}

/** Ansible's replace: every match of a regex in a file, replaced; changed only when the text changes. */
export default defineModule({
  name: 'replace',
  kind: 'state',
  description: 'Replaces every match of a (Python) regular expression in a file, optionally between after and before; changes nothing when nothing matches.',
  args: Args,
  aliases: { dest: 'path', destfile: 'path', name: 'path' },
  async check(ctx, a) {
    if (!(await ctx.files.stat(a.path))) throw new ModuleFailure(`Path ${a.path} does not exist !`, { rc: 257 });
    const d = await checkEdit(ctx, a, (t) => edit(a, t));
    return d.kind === 'ok' ? { ...d, data: { msg: '' } } : d;
  },
  async apply(ctx, a, diff) {
    await applyEdit(ctx, a, diff);
    return { msg: (diff.data?.msg as string) ?? '' };
  },
});
