import { Type } from '../source/vendor/typebox.js';
import { spread } from '../source/index.js';
import { defineModule, ModuleFailure } from './types.js';
import { FileAttrs } from './util/content.js';
import { applyEdit, checkEdit, contentDiff } from './util/edit.js';
import { withPathInfo } from './util/fs-node.js';

const Args = Type.Object(
  {
    path: Type.String({ description: 'The INI file.' }),
    section: Type.Optional(Type.Union([Type.String(), Type.Null()], { description: 'Without it: the options before the first section.' })),
    option: Type.Optional(Type.String()),
    value: Type.Optional(Type.String()),
    values: Type.Optional(Type.Array(Type.String(), { description: 'Several values of one option (one line each).' })),
    state: Type.Optional(Type.Union([Type.Literal('present'), Type.Literal('absent')])),
    exclusive: Type.Optional(Type.Boolean({ description: 'Other lines of the option go (present) / every line of it goes (absent). Default true.' })),
    no_extra_spaces: Type.Optional(Type.Boolean({ description: 'option=value instead of option = value.' })),
    allow_no_value: Type.Optional(Type.Boolean()),
    create: Type.Optional(Type.Boolean({ description: 'Create the file if missing (default true).' })),
    backup: Type.Optional(Type.Boolean()),
    ...FileAttrs,
  },
  { additionalProperties: false },
);
type A = typeof Args.static;

const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** match_opt / match_active_opt: an option's line (commented out too, unless active); group 6 is the value. */
const matchOpt = (option: string, line: string, active = false) => new RegExp(`^${active ? '' : '[#;]?'}( |\\t)*(${esc(option)})( |\\t)*(=|$)( |\\t)*(.*)`, 'm').exec(line);
const blankOrComment = /^[ \t]*([#;].*)?\n?$/;

/**
 * community.general.ini_file's do_ini (6.6), line for line: the file's lines between a fake first
 * section and a closing `[`, the section from its header to the next `[`, values kept where they
 * are (a commented-out `#option = v` comes back), other lines of the option gone when exclusive,
 * missing values after the section's last line that is not blank or a comment.
 */
function edit(a: A, original: string): { text: string; msg: string } {
  const state = a.state ?? 'present';
  const exclusive = a.exclusive ?? true;
  const option = a.option;
  const values = [...new Set(a.value !== undefined ? [a.value] : (a.values ?? []))];
  const fmt = (v: string) => (a.no_extra_spaces ? `${option}=${v}\n` : `${option} = ${v}\n`);
  const lines = original.replace(/^\uFEFF/, '').split(/(?<=\n)/).filter((l) => l !== '');
  let changed = false;
  if (!lines.length) lines.push('\n');
  if (!lines[lines.length - 1].endsWith('\n')) ((lines[lines.length - 1] += '\n'), (changed = true));
  const fake = 'ad01e11446efb704fcdbdb21f2c43757423d91c5';
  lines.unshift(`[${fake}]`);
  lines.push('[');
  const section = a.section || fake;
  let within = false;
  let start = 0;
  let end = 0;
  for (const [i, l] of lines.entries()) {
    if (l.startsWith(`[${section}]`)) ((within = true), (start = i));
    else if (l.startsWith('[') && within) {
      end = i;
      break;
    }
  }
  let msg = 'OK';
  const before = lines.slice(0, start);
  let sect = lines.slice(start, end);
  const after = lines.slice(end);
  const touched = sect.map(() => false);
  const update = (i: number, line: string) => {
    if (sect[i] !== line) ((changed = true), (msg = 'option changed'));
    sect[i] = line;
    touched[i] = true;
  };
  let noValuePresent = false;
  if (state === 'present' && option) {
    for (let i = 0; i < sect.length; i++) {
      const m = matchOpt(option, sect[i]);
      if (!m) continue;
      if (values.length && values.includes(m[6])) {
        const v = m[6];
        if (!v && a.allow_no_value) ((noValuePresent = true), update(i, `${option}\n`));
        else update(i, fmt(v));
        values.splice(values.indexOf(v), 1);
      } else if (!values.length && a.allow_no_value) {
        update(i, `${option}\n`);
        noValuePresent = true;
        break;
      }
    }
  }
  if (state === 'present' && exclusive && !a.allow_no_value && option) {
    for (let i = 0; i < sect.length && values.length; i++) if (!touched[i] && matchOpt(option, sect[i])) update(i, fmt(values.shift()!));
    for (let i = sect.length - 1; i > 0; i--) {
      if (!touched[i] && matchOpt(option, sect[i])) {
        sect.splice(i, 1);
        touched.splice(i, 1);
        ((changed = true), (msg = 'option changed'));
      }
    }
  }
  if (state === 'present') {
    for (let i = sect.length; i > 0; i--) {
      if (blankOrComment.test(sect[i - 1])) continue;
      if (option && values.length) (sect.splice(i, 0, ...values.map(fmt)), (msg = 'option added'), (changed = true));
      else if (option && !values.length && a.allow_no_value && !noValuePresent) (sect.splice(i, 0, `${option}\n`), (msg = 'option added'), (changed = true));
      break;
    }
  }
  if (state === 'absent') {
    if (option) {
      const keep = sect.filter((l) => {
        const m = matchOpt(option, l, true);
        return !(m && (exclusive || values.includes(m[6])));
      });
      if (keep.length !== sect.length) ((sect = keep), (changed = true), (msg = 'option changed'));
    } else if (sect.length) ((sect = []), (msg = 'section removed'), (changed = true));
  }
  const out = [...before, ...sect, ...after].slice(1, -1);
  if (!within && state === 'present') {
    out.push(`[${section}]\n`);
    msg = 'section and option added';
    if (option && values.length) out.push(...values.map(fmt));
    else if (option && a.allow_no_value) out.push(`${option}\n`);
    else msg = 'only section added';
    changed = true;
  }
  return changed ? { text: out.join(''), msg } : { text: original, msg: '' };
}

/** community.general.ini_file: one option of one section of an INI file, as that module edits it. */
export default defineModule({
  name: 'ini_file',
  kind: 'state',
  description: 'Sets (or removes) an option in a section of an INI file, as community.general.ini_file does; the file is created unless create: false.',
  args: Args,
  paths: ['path'],
  aliases: { dest: 'path' },
  async check(ctx, a) {
    if ((a.state ?? 'present') === 'present' && !a.allow_no_value && a.value === undefined && !a.values?.length) throw new ModuleFailure("Parameter 'value(s)' must be defined if state=present and allow_no_value=False.");
    if (a.value !== undefined && a.values !== undefined) throw new ModuleFailure('parameters are mutually exclusive: value|values');
    const exists = (await ctx.files.stat(a.path)) !== null;
    if (a.create === false && !exists) throw new ModuleFailure(`Destination ${a.path} does not exist!`, { rc: 257 });
    // (a missing file the edit would leave empty is not made: the module writes only what changed)
    if (!exists && !edit(a, '').msg) return { kind: 'ok', why: `${a.path} is not there, and nothing is to be removed`, data: { msg: 'OK', path: a.path, diff: contentDiff(a.path, '', '') } };
    const d = await checkEdit(ctx, { ...a, create: a.create ?? true }, (t) => edit(a, t), 'content');
    // nothing to do is ansible-core's 'OK'
    return d.kind === 'ok' ? (spread(d, { data: await withPathInfo(ctx, spread(d.data, { msg: 'OK', path: a.path })) }) as typeof d) : d;
  },
  async apply(ctx, a, diff) {
    const b = await applyEdit(ctx, { ...a, create: a.create ?? true }, diff);
    return withPathInfo(ctx, { msg: (diff.data?.msg as string) ?? '', path: a.path, ...b });
  },
});
