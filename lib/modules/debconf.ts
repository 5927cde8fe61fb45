import { Type } from '../source/vendor/typebox.js';
import { defineModule, ModuleFailure, type ModuleCtx } from './types.js';

const VTYPES = ['boolean', 'error', 'multiselect', 'note', 'password', 'seen', 'select', 'string', 'text', 'title'] as const;

const Args = Type.Object(
  {
    name: Type.String({ description: 'The package whose questions are read or answered (e.g. tzdata).' }),
    question: Type.Optional(Type.String({ description: "A debconf question ('tzdata/Areas'); with vtype and value." })),
    vtype: Type.Optional(Type.Union(VTYPES.map((v) => Type.Literal(v)), { description: 'The type of the answer.' })),
    value: Type.Optional(Type.String({ description: 'The answer (a boolean is given to debconf as true/false).' })),
    unseen: Type.Optional(Type.Boolean({ description: "Do not mark the question seen (debconf-set-selections -u); default false." })),
  },
  { additionalProperties: false },
);

type A = { name: string; question?: string; vtype?: string; value?: string; unseen?: boolean };

/** `debconf-show PKG`: each question of the package and its answer (a `*` marks it seen), as ansible-core's get_selections reads them. */
async function selections(ctx: ModuleCtx, pkg: string): Promise<Record<string, string>> {
  const r = await ctx.exec(['debconf-show', pkg], { signal: ctx.signal });
  if (r.rc !== 0) throw new ModuleFailure(r.stderr, { rc: r.rc });
  const out: Record<string, string> = {};
  for (const line of r.stdout.split(/\r?\n|\r/)) {
    if (line === '') continue;
    const at = line.indexOf(':');
    // (ansible-core's module ends in a traceback there: it unpacks line.split(':', 1))
    if (at < 0) throw new ModuleFailure(`debconf-show printed a line without a colon: ${line}`);
    out[line.slice(0, at).replace(/^\*+|\*+$/g, '').trim()] = line.slice(at + 1).trim();
  }
  return out;
}

/** The answer as ansible-core's module compares and sends it (a boolean lowercased when the question has one already). */
function wanted(a: A, prev: Record<string, string>): { changed: boolean; value: string } {
  const q = a.question!;
  let value = a.value!;
  if (!(q in prev)) return { changed: true, value };
  let existing = prev[q];
  if (a.vtype === 'boolean') {
    value = value.toLowerCase();
    existing = existing.toLowerCase();
  }
  return { changed: value !== existing, value };
}

/**
 * ansible.builtin.debconf: a package's debconf answers read (`current`), and a question answered
 * through debconf-set-selections when its answer differs. Where debconf-show reads a password back
 * masked (debconf's own passwords database), an answer of type password is a change at every run,
 * as under ansible-core; the answer itself is concealed in all output.
 */
export default defineModule({
  name: 'debconf',
  kind: 'state',
  description: "ansible.builtin.debconf: a .deb package's debconf answers, read with debconf-show and set with debconf-set-selections (pre-seeding before an install); `current` holds the package's answers.",
  args: Args,
  aliases: { pkg: 'name', selection: 'question', setting: 'question', answer: 'value' },
  async check(ctx, a) {
    const given = [a.question, a.vtype, a.value].filter((v) => v !== undefined).length;
    if (given > 0 && given < 3) throw new ModuleFailure('parameters are required together: question, vtype, value');
    // (an answer of type password is a secret: never shown, whatever the result holds, changed or not)
    if (a.vtype === 'password' && a.value) ctx.conceal(a.value);
    const prev = await selections(ctx, a.name);
    if (a.question === undefined) return { kind: 'ok', why: `${a.name}'s answers read`, data: { msg: '', current: prev } };
    const w = wanted(a, prev);
    if (!w.changed) return { kind: 'ok', why: `${a.question} is ${JSON.stringify(prev[a.question])}`, data: { msg: '', current: prev } };
    const current = { [a.question]: w.value };
    const previous = a.question in prev ? { [a.question]: prev[a.question] } : { ...prev, [a.question]: '' };
    const shown = a.vtype === 'password' ? '********' : w.value;
    return {
      kind: 'modify',
      target: `debconf ${a.name}`,
      fields: [{ path: a.question, from: a.vtype === 'password' ? undefined : previous[a.question], to: shown }],
      data: { msg: '', current, previous, diff: ctx.diffMode ? { before: previous, after: { ...previous, ...current } } : {} },
      keep: w.value,
    };
  },
  async apply(ctx, a, diff) {
    let value = diff.keep as string;
    if (a.vtype === 'boolean') value = value === 'True' ? 'true' : value === 'False' ? 'false' : value;
    const r = await ctx.exec(['debconf-set-selections', ...(a.unseen ? ['-u'] : [])], { signal: ctx.signal, stdin: `${[a.name, a.question, a.vtype, value].join(' ')}\n` });
    if (r.rc !== 0) throw new ModuleFailure(r.stderr, { rc: r.rc });
    return { msg: r.stdout };
  },
});
