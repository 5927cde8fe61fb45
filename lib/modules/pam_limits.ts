import { posix } from 'node:path';
import { repr } from '../source/python.js';
import { Type } from '../source/vendor/typebox.js';
import { shq } from '../connections/quote.js';
import { defineModule, ModuleFailure, type ModuleCtx } from './types.js';
import { applyContent } from './util/content.js';

const ITEMS = ['core', 'data', 'fsize', 'memlock', 'nofile', 'rss', 'stack', 'cpu', 'nproc', 'as', 'maxlogins', 'maxsyslogins', 'priority', 'locks', 'sigpending', 'msgqueue', 'nice', 'rtprio', 'chroot'] as const;
const Args = Type.Object(
  {
    domain: Type.String({ description: 'A user name, @group, wildcard or uid/gid range.' }),
    limit_type: Type.Union([Type.Literal('hard'), Type.Literal('soft'), Type.Literal('-')]),
    limit_item: Type.Union(ITEMS.map((i) => Type.Literal(i))),
    value: Type.String({ description: 'unlimited, infinity, -1 or a number of 0 or more (-20 to 19 for nice and priority).' }),
    use_max: Type.Optional(Type.Boolean({ description: 'Keep the larger of this value and the one in the file.' })),
    use_min: Type.Optional(Type.Boolean({ description: 'Keep the smaller of this value and the one in the file.' })),
    backup: Type.Optional(Type.Boolean()),
    dest: Type.Optional(Type.String({ description: 'Default /etc/security/limits.conf.' })),
    comment: Type.Optional(Type.String({ description: "The line's comment." })),
  },
  { additionalProperties: false },
);
type A = typeof Args.static;

const UNLIMITED = new Set(['unlimited', 'infinity', '-1']);

/** Python's int() of a text: None where it is not one. */
const pyInt = (s: string): number | undefined => (/^\s*[-+]?\d+\s*$/.test(s) ? Number.parseInt(s, 10) : undefined);

/** The module's _assert_is_valid_value, in its words (its `prefix` and the space after it, empty or not). */
function assertValid(item: string, value: string, prefix = ''): void {
  if (item === 'nice' || item === 'priority') {
    const n = pyInt(value);
    if (n === undefined || n < -20 || n > 19) throw new ModuleFailure(`${prefix} Value of ${repr(value)} for item ${repr(item)} is invalid. Value must be a number in the range -20 to 19 inclusive. Refer to the limits.conf(5) manual pages for more details.`);
  } else if (!(UNLIMITED.has(value) || /^\p{Nd}+$/u.test(value))) {
    throw new ModuleFailure(`${prefix} Value of ${repr(value)} for item ${repr(item)} is invalid. Value must either be 'unlimited', 'infinity' or -1, all of which indicate no limit, or a limit of 0 or larger. Refer to the limits.conf(5) manual pages for more details.`);
  }
}

/** The module's first checks, on the host: the file writable, or (it is not there) its folder. True: the file is not there. */
async function missing(ctx: ModuleCtx, file: string): Promise<boolean> {
  const dir = posix.dirname(file);
  const script = `if [ -f ${shq(file)} ]; then [ -w ${shq(file)} ] && exit 0; echo ${shq(`${file} is not writable. Use sudo`)}; exit 3; fi; [ -d ${shq(dir)} ] && [ -w ${shq(dir)} ] && exit 4; echo ${shq(`directory ${dir} is not writable (check presence, access rights, use sudo)`)}; exit 3`;
  const r = await ctx.exec({ shell: script }, { signal: ctx.signal });
  if (r.rc === 3) throw new ModuleFailure(r.stdout.trim());
  if (r.rc !== 0 && r.rc !== 4) throw new ModuleFailure(`${file}: ${r.stderr.trim() || `exit ${r.rc}`}`);
  return r.rc === 4;
}

/** The file's lines as Python's iteration of a binary file gives them: each with its '\n', the last one without if the file has none. */
const linesOf = (text: string): string[] => text.match(/[^\n]*\n|[^\n]+$/g) ?? [];

/**
 * The file as the module writes it, its message and whether it changed: every line kept but the
 * limit's (its value changed, or kept by use_max/use_min), the limit appended when it is not
 * there. As the module does, the comment of a commented limit line is carried to the lines after
 * it when no comment is given (its newline too).
 */
function limitsAfter(text: string, file: string, a: A): { after: string; msg: string; changed: boolean } {
  let comment = a.comment ?? '';
  let found = false;
  let changed = false;
  let msg = '';
  let value = a.value;
  const out: string[] = [];
  for (const line of linesOf(text)) {
    if (line.startsWith('#')) {
      out.push(line);
      continue;
    }
    let squeezed = line.replace(/\s+/g, ' ').trim();
    if (!squeezed) {
      out.push(line);
      continue;
    }
    squeezed = squeezed.split('#')[0];
    const hash = line.indexOf('#');
    const oldComment = hash < 0 ? '' : line.slice(hash + 1);
    squeezed = squeezed.trimEnd();
    if (!comment) comment = oldComment;
    const fields = squeezed.split(' ');
    if (fields.length !== 4) {
      out.push(line);
      continue;
    }
    const [domain, type, item, actual] = fields;
    assertValid(item, actual, `Invalid configuration found in '${file}'.`);
    if (domain !== a.domain || type !== a.limit_type || item !== a.limit_item) {
      out.push(line);
      continue;
    }
    found = true;
    if (a.value === actual) {
      msg = line;
      out.push(line);
      continue;
    }
    // (the module compares the line's type, never 'nice' nor 'priority', with those items' names)
    const actualUnlimited = UNLIMITED.has(actual);
    const valueUnlimited = UNLIMITED.has(a.value);
    if (a.use_max) value = actualUnlimited ? actual : valueUnlimited ? a.value : String(Math.max(pyInt(a.value)!, pyInt(actual)!));
    if (a.use_min) value = actualUnlimited && valueUnlimited ? actual : actualUnlimited ? a.value : valueUnlimited ? actual : String(Math.min(pyInt(a.value)!, pyInt(actual)!));
    if (value === actual) {
      msg = line;
      out.push(line);
      continue;
    }
    changed = true;
    if (comment) comment = `\t#${comment}`;
    msg = `${a.domain}\t${a.limit_type}\t${a.limit_item}\t${value}${comment}\n`;
    out.push(msg);
  }
  if (!found) {
    changed = true;
    if (comment) comment = `\t#${comment}`;
    msg = `${a.domain}\t${a.limit_type}\t${a.limit_item}\t${value}${comment}\n`;
    out.push(msg);
  }
  return { after: out.join(''), msg, changed };
}

/**
 * community.general.pam_limits (6.6.2's module, ported): one limit of limits.conf(5) set for a
 * domain, type and item, the file's other lines as they are; its checks and messages, `msg` (the
 * limit's line) and `diff` (before and after) in every result. (The module also rewrites the
 * file, with the same bytes, when nothing changes, and makes a backup then: here only a change
 * writes it, and backs it up.)
 */
export default defineModule({
  name: 'pam_limits',
  kind: 'state',
  description: 'A PAM limit of limits.conf (community.general.pam_limits): domain, limit_type, limit_item, value; use_max/use_min, comment, dest, backup.',
  args: Args,
  paths: ['dest'],
  async check(ctx, a) {
    const file = a.dest ?? '/etc/security/limits.conf';
    const absent = await missing(ctx, file);
    if (a.use_max && a.use_min) throw new ModuleFailure('Cannot use use_min and use_max at the same time.');
    assertValid(a.limit_item, a.value);
    const before = absent ? '' : ((await ctx.files.read(file))?.toString('utf8') ?? '');
    const { after, msg, changed } = limitsAfter(before, file, a);
    const data = { msg, diff: { before, after } };
    if (!changed) return { kind: 'ok', why: `${file} has ${a.domain} ${a.limit_type} ${a.limit_item} ${a.value}`, data };
    return { kind: absent ? 'create' : 'modify', target: file, before, after, fields: [{ path: `${a.domain} ${a.limit_type} ${a.limit_item}`, to: a.value }], data, content: Buffer.from(after) };
  },
  async apply(ctx, a, diff) {
    const { backup_file } = await applyContent(ctx, diff.target!, diff.content!, { backup: a.backup }, diff.kind === 'create' ? diff : { ...diff, fields: [{ path: 'content' }] });
    return backup_file === undefined ? {} : { backup_file };
  },
});
