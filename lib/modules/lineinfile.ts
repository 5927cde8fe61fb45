import { Type } from '../source/vendor/typebox.js';
import { defineModule, ModuleFailure } from './types.js';
import { FileAttrs, Validate } from './util/content.js';
import { expandRepl, pyRegex, spread } from '../source/index.js';
import { applyEdit, checkEdit, readlines } from './util/edit.js';

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
    backrefs: Type.Optional(Type.Boolean({ description: "Expand regexp's groups (\\1, \\g<name>) in line; no match changes nothing." })),
    firstmatch: Type.Optional(Type.Boolean({ description: 'Use the first matching line (regexp, insertafter, insertbefore) instead of the last.' })),
    backup: Type.Optional(Type.Boolean()),
    ...FileAttrs,
    ...Validate,
  },
  { additionalProperties: false },
);
type A = typeof Args.static;

/**
 * ansible-core's lineinfile, over the file's lines as its readlines gives them (each with its
 * newline, the last perhaps without; a regexp searches a line without its \n, a line's own text is
 * compared without its \r and \n): the line matching regexp / search_string / the line itself
 * (the last one, or the first with firstmatch) becomes `line` with a \n (with backrefs, the match's
 * groups expanded in it; no match is then no change), so a \r\n line or a last line without its
 * newline is rewritten; else the line is added after (before) the last (first with firstmatch) line
 * matching insertafter (insertbefore), at BOF, or at the end (a last line without its newline gets one).
 */
function edit(a: A, text: string): { text: string; msg: string; found?: number } {
  const lines = readlines(text);
  const bare = (l: string): string => (l.endsWith('\n') ? l.slice(0, -1) : l);
  const own = (l: string): string => l.replace(/[\r\n]+$/, '');
  const re = a.regexp !== undefined ? pyRegex(a.regexp) : undefined;
  const hit = (l: string): RegExpExecArray | string[] | null => (re ? re.exec(bare(l)) : a.search_string !== undefined ? (l.includes(a.search_string) ? [l] : null) : own(l) === a.line ? [l] : null);
  if ((a.state ?? 'present') === 'absent') {
    const kept = lines.filter((l) => !hit(l));
    const n = lines.length - kept.length;
    return n ? { text: kept.join(''), msg: `${n} line(s) removed`, found: n } : { text, msg: '', found: 0 };
  }
  if (a.line === undefined) throw new ModuleFailure('line is required with state=present');
  if (a.backrefs && re === undefined) throw new ModuleFailure('regexp is required with backrefs=true');
  const after = a.insertafter !== undefined && a.insertafter !== 'EOF' && a.insertafter !== 'BOF' ? pyRegex(a.insertafter) : undefined;
  const before = a.insertbefore !== undefined && a.insertbefore !== 'BOF' ? pyRegex(a.insertbefore) : undefined;
  let found = -1;
  let match: RegExpExecArray | string[] | null = null;
  let at = -1;
  // 1. the line regexp / search_string matches (the last, or the first with firstmatch)
  if (re || a.search_string !== undefined) {
    for (let i = 0; i < lines.length; i++) {
      const m = hit(lines[i]);
      if (!m) continue;
      found = i;
      match = m;
      if (a.firstmatch) break;
    }
  }
  // 2. none: the line itself, and where it would go
  if (!match) {
    for (let i = 0; i < lines.length; i++) {
      if (own(lines[i]) === a.line) found = i;
      else if (after?.test(bare(lines[i])) || before?.test(bare(lines[i]))) {
        at = after ? i + 1 : i;
        if (a.firstmatch) break;
      }
    }
  }
  const withEnd = (l: string): string => (l.endsWith('\n') ? l : `${l}\n`);
  if (found >= 0) {
    const line = withEnd(a.backrefs && match ? expandRepl(a.line, match as RegExpExecArray) : a.line);
    if (lines[found] === line) return { text, msg: '' };
    lines[found] = line;
    return { text: lines.join(''), msg: 'line replaced' };
  }
  // backrefs without a match: nothing can be made safely
  if (a.backrefs) return { text, msg: '' };
  const added = withEnd(a.line);
  if (a.insertbefore === 'BOF' || a.insertafter === 'BOF') lines.unshift(added);
  else if (a.insertafter === 'EOF' || at < 0) {
    // (a last line without its newline gets one first)
    if (lines.length && !/[\r\n]$/.test(lines[lines.length - 1])) lines.push('\n');
    lines.push(added);
  } else if (after) {
    // not again where it already is
    if (at === lines.length ? own(lines[at - 1]) === a.line : own(lines[at]) === a.line) return { text, msg: '' };
    lines.splice(at, 0, added);
  } else lines.splice(at, 0, added);
  return { text: lines.join(''), msg: 'line added' };
}

export default defineModule({
  name: 'lineinfile',
  kind: 'state',
  description: 'Makes sure one line is in a file (replacing the last line matching regexp), or is not.',
  args: Args,
  paths: ['path'],
  aliases: { dest: 'path', destfile: 'path', name: 'path' },
  async check(ctx, a) {
    const st = await ctx.files.stat(a.path);
    if (st?.type === 'directory') throw new ModuleFailure(`Path ${a.path} is a directory !`, { rc: 256 });
    // (the module's absent(): no file, nothing to remove)
    if (!st && a.state === 'absent') return { kind: 'ok', why: `${a.path} is not there`, data: { msg: 'file not present' } };
    // (state=absent: the module's `found`, how many lines it removes, where the file is there)
    let found: number | undefined;
    const d = await checkEdit(ctx, a, (t) => {
      const r = edit(a, t);
      found = st ? r.found : undefined;
      return r;
    });
    // ansible-core's warning, in the result's warnings
    const empty = a.regexp === '' ? 'regular expression' : a.search_string === '' ? 'search string' : undefined;
    const warnings = empty ? [`The ${empty} is an empty string, which will match every line in the file. This may have unintended consequences, such as replacing the last line in the file rather than appending.${a.regexp === '' ? " If this is desired, use '^' to match every line in the file and avoid this warning." : ''}`] : undefined;
    // (backup '' unless apply makes one: a check run's result has it too)
    return spread(d, { data: spread(d.data, found === undefined ? undefined : { found }, { backup: '' }, warnings ? { warnings } : undefined) }) as typeof d;
  },
  // lineinfile names the backup `backup` (its path, or ''), where the other editing modules say backup_file
  async apply(ctx, a, diff) {
    const b = await applyEdit(ctx, a, diff);
    return { backup: b.backup_file ?? '' };
  },
});
