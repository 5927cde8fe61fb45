import { Type } from '@sinclair/typebox';
import { defineModule, ModuleFailure } from './types.js';
import { FileAttrs } from './util/content.js';
import { applyEdit, checkEdit } from './util/edit.js';

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
/** An option's line, commented out or not: `[#;] option = value` (group 2 the value). */
const optionLine = (option: string, active = false) => new RegExp(`^${active ? '' : '[#;]?'}[ \\t]*${esc(option)}[ \\t]*(=|$)[ \\t]*(.*)`);
const blankOrComment = /^[ \t]*([#;].*)?$/;

/**
 * community.general.ini_file's edit: the section runs from its header to the next `[`; values
 * already there keep their lines (a commented-out `#option = v` comes back to life), other lines
 * of the option go when exclusive, the missing values go after the section's last line that is
 * not blank or a comment, and a missing section is appended with its option at the end.
 */
function edit(a: A, original: string): { text: string; msg: string } {
  const state = a.state ?? 'present';
  const exclusive = a.exclusive ?? true;
  const values = [...new Set(a.value !== undefined ? [a.value] : (a.values ?? []))];
  const fmt = (v: string) => (a.no_extra_spaces ? `${a.option}=${v}\n` : `${a.option} = ${v}\n`);
  const lines = original === '' ? ['\n'] : original.split(/(?<=\n)/);
  let changed = false;
  let msg = 'OK';
  if (!lines[lines.length - 1].endsWith('\n')) ((lines[lines.length - 1] += '\n'), (changed = true));
  // the section: its header (or the top of the file, for no section) up to the next header
  const header = a.section ? lines.findIndex((l) => l.startsWith(`[${a.section}]`)) : -1;
  const found = !a.section || header >= 0;
  const start = a.section ? Math.max(header, 0) : 0;
  const from = a.section ? start + 1 : 0;
  let end = lines.findIndex((l, i) => i >= from && l.startsWith('['));
  if (end < 0) end = lines.length;
  const before = lines.slice(0, found ? start : lines.length);
  let section = found ? lines.slice(start, end) : [];
  const after = found ? lines.slice(end) : [];
  const touched = section.map(() => false);
  const set = (i: number, line: string) => {
    if (section[i] !== line) ((changed = true), (msg = 'option changed'));
    section[i] = line;
    touched[i] = true;
  };
  const first = a.section ? 1 : 0;
  const left = [...values];
  let bare = false;
  if (found && state === 'present' && a.option) {
    for (let i = first; i < section.length; i++) {
      const m = optionLine(a.option).exec(section[i]);
      if (!m) continue;
      if (left.length && left.includes(m[2].replace(/\n$/, ''))) {
        const v = m[2].replace(/\n$/, '');
        set(i, !v && a.allow_no_value ? `${a.option}\n` : fmt(v));
        left.splice(left.indexOf(v), 1);
      } else if (!left.length && !values.length && a.allow_no_value) {
        set(i, `${a.option}\n`);
        bare = true;
        break;
      }
    }
    if (exclusive && !a.allow_no_value) {
      for (let i = first; i < section.length && left.length; i++) if (!touched[i] && optionLine(a.option).test(section[i])) set(i, fmt(left.shift()!));
      for (let i = section.length - 1; i >= first; i--) {
        if (!touched[i] && optionLine(a.option).test(section[i])) {
          section.splice(i, 1);
          touched.splice(i, 1);
          ((changed = true), (msg = 'option changed'));
        }
      }
    }
    let at = section.length;
    while (at > first && blankOrComment.test(section[at - 1].replace(/\n$/, ''))) at--;
    const adding = left.length ? left.map(fmt) : !values.length && a.allow_no_value && !bare ? [`${a.option}\n`] : [];
    if (adding.length) {
      section.splice(Math.max(at, first), 0, ...adding);
      ((changed = true), (msg = 'option added'));
    }
  }
  if (found && state === 'absent') {
    if (a.option) {
      const keep = section.filter((l, i) => {
        if (i < first) return true;
        const m = optionLine(a.option!, true).exec(l);
        return !(m && (exclusive || values.includes(m[2].replace(/\n$/, ''))));
      });
      if (keep.length !== section.length) ((section = keep), (changed = true), (msg = 'option changed'));
    } else if (a.section && section.length) ((section = []), (changed = true), (msg = 'section removed'));
  }
  let out = [...before, ...section, ...after];
  if (!found && state === 'present') {
    out = [...lines, `[${a.section}]\n`, ...(a.option && values.length ? values.map(fmt) : a.option && a.allow_no_value ? [`${a.option}\n`] : [])];
    msg = a.option && (values.length || a.allow_no_value) ? 'section and option added' : 'only section added';
    changed = true;
  }
  const text = out.join('');
  return changed ? { text: text === '\n' && original === '' ? '' : text, msg } : { text: original, msg: '' };
}

/** community.general.ini_file: one option of one section of an INI file, as that module edits it. */
export default defineModule({
  name: 'ini_file',
  kind: 'state',
  description: 'Sets (or removes) an option in a section of an INI file, as community.general.ini_file does; the file is created unless create: false.',
  args: Args,
  aliases: { dest: 'path' },
  async check(ctx, a) {
    if ((a.state ?? 'present') === 'present' && !a.allow_no_value && a.value === undefined && !a.values?.length) throw new ModuleFailure("Parameter 'value(s)' must be defined if state=present and allow_no_value=False.");
    if (a.value !== undefined && a.values !== undefined) throw new ModuleFailure('parameters are mutually exclusive: value|values');
    if (a.create === false && !(await ctx.files.stat(a.path))) throw new ModuleFailure(`Destination ${a.path} does not exist!`, { rc: 257 });
    return checkEdit(ctx, { ...a, create: a.create ?? true }, (t) => edit(a, t));
  },
  async apply(ctx, a, diff) {
    const b = await applyEdit(ctx, { ...a, create: a.create ?? true }, diff);
    return { msg: (diff.data?.msg as string) ?? '', path: a.path, ...b };
  },
});
