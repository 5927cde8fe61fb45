import { Type } from '../source/vendor/typebox.js';
import { expandRepl, pyRegex, spread } from '../source/index.js';
import { defineModule, ModuleFailure } from './types.js';
import { FileAttrs, Validate } from './util/content.js';
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
    ...Validate,
  },
  { additionalProperties: false },
);
type A = typeof Args.static;

/**
 * The part of the text to work on, as ansible-core's replace finds it: one DOTALL search of
 * `AFTER(?P<subsection>.*?)BEFORE` (both given: the shortest span), `AFTER(?P<subsection>.*)` or
 * `(?P<subsection>.*)BEFORE` (to the last BEFORE); no match is no change, with the pattern named.
 */
function section(a: A, text: string): { span: [number, number] } | { missed: string } {
  const pattern = a.after && a.before ? `${a.after}(?P<subsection>.*?)${a.before}` : a.after ? `${a.after}(?P<subsection>.*)` : a.before ? `(?P<subsection>.*)${a.before}` : '';
  if (!pattern) return { span: [0, text.length] };
  const m = pyRegex(`(?s)${pattern}`, { indices: true }).exec(text);
  const span = m?.indices?.groups?.subsection;
  if (!span) return { missed: `Pattern for before/after params did not match the given file: ${pattern}` };
  return { span };
}

function edit(a: A, text: string): { text: string; msg: string } {
  const where = section(a, text);
  if ('missed' in where) return { text, msg: where.missed };
  const [start, end] = where.span;
  const re = pyRegex(a.regexp, { multiline: true, global: true });
  let n = 0;
  const part = text.slice(start, end);
  const middle = part.replace(re, (...args: unknown[]) => {
    n++;
    const named = typeof args[args.length - 1] === 'object';
    const groups = named ? (args[args.length - 1] as Record<string, string>) : undefined;
    const m = Object.assign(args.slice(0, named ? -3 : -2) as string[], { groups }) as unknown as RegExpMatchArray;
    return expandRepl(a.replace ?? '', m);
  });
  return n && middle !== part ? { text: text.slice(0, start) + middle + text.slice(end), msg: `${n} replacements made` } : { text, msg: '' };
}

/** Ansible's replace: every match of a regex in a file, replaced; changed only when the text changes. */
export default defineModule({
  name: 'replace',
  kind: 'state',
  description: 'Replaces every match of a (Python) regular expression in a file, optionally between after and before; changes nothing when nothing matches.',
  args: Args,
  paths: ['path'],
  aliases: { dest: 'path', destfile: 'path', name: 'path' },
  async check(ctx, a) {
    const st = await ctx.files.stat(a.path);
    if (!st) throw new ModuleFailure(`Path ${a.path} does not exist !`, { rc: 257 });
    if (st.type === 'directory') throw new ModuleFailure(`Path ${a.path} is a directory !`, { rc: 256 });
    let msg = '';
    const d = await checkEdit(ctx, a, (t) => {
      const r = edit(a, t);
      msg = r.msg;
      return r;
    }, 'replace');
    // no change: msg is empty, or says that the before/after pattern did not match
    // (the module's result starts as dict(rc=0))
    return d.kind === 'ok' ? (spread(d, { data: { rc: 0, msg } }) as typeof d) : d;
  },
  async apply(ctx, a, diff) {
    const b = await applyEdit(ctx, a, diff);
    return { rc: 0, msg: (diff.data?.msg as string) ?? '', ...b };
  },
});
