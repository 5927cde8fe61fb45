import { statSync } from 'node:fs';
import { spread } from '../source/index.js';
import { hostname, userInfo } from 'node:os';
import { basename, dirname, posix, resolve } from 'node:path';
import { Type } from '../source/vendor/typebox.js';
import { JINJA_TAG_KEYS, jinjaTags } from '../source/jinja-native.js';
import { readLocal } from './util/local.js';
import { strftime } from '../source/pydatetime.js';
import { defineModule, ControllerFailure, ModuleFailure, type JinjaOptions, type ModuleCtx } from './types.js';
import { applyContent, checkContent, FileAttrs, idNames, Validate, writtenResult } from './util/content.js';
import { copyDiff, writes } from './util/file-diff.js';

const Args = Type.Object(
  {
    src: Type.String({ description: 'A Jinja template on the controller (looked up in templates/).' }),
    dest: Type.String({ description: 'Where the rendered file goes on the host.' }),
    force: Type.Optional(Type.Boolean()),
    backup: Type.Optional(Type.Boolean()),
    trim_blocks: Type.Optional(Type.Boolean({ description: 'Drop the newline after a block tag (default true).' })),
    lstrip_blocks: Type.Optional(Type.Boolean({ description: 'Strip spaces before a block tag on its line (default false).' })),
    newline_sequence: Type.Optional(Type.Union(['\n', '\r', '\r\n', '\\n', '\\r', '\\r\\n'].map((s) => Type.Literal(s)), { description: "'\\n' (default), '\\r' or '\\r\\n'." })),
    follow: Type.Optional(Type.Boolean({ description: 'A link at dest: write what it points to (default: replace the link).' })),
    block_start_string: Type.Optional(Type.String()),
    block_end_string: Type.Optional(Type.String()),
    variable_start_string: Type.Optional(Type.String()),
    variable_end_string: Type.Optional(Type.String()),
    comment_start_string: Type.Optional(Type.String()),
    comment_end_string: Type.Optional(Type.String()),
    output_encoding: Type.Optional(Type.String({ description: 'The encoding of the file written (default utf-8).' })),
    ...FileAttrs,
    ...Validate,
  },
  { additionalProperties: false },
);
type A = typeof Args.static;

/**
 * The template action's words for a template that could not be rendered, `"%s: %s" % (type(e).__name__, e)`:
 * an undefined value's AnsibleUndefinedVariable (Jinja's words twice, its message and its cause's), a
 * syntax error's AnsibleError, a Python error as it is (`ZeroDivisionError: division by zero`).
 */
function renderFailure(e: Error & { bare?: unknown; reason?: string }, source: string): string {
  if (e.name === 'UndefinedVariable' && typeof e.bare === 'string') return `AnsibleUndefinedVariable: ${e.bare}. ${e.bare}`;
  if (e.name === 'TemplateSyntax') return `AnsibleError: template error while templating string: ${e.message}. String: ${source}. ${e.message}`;
  const why = e.name === 'TemplateError' && e.bare !== true && typeof e.reason === 'string' ? e.reason : e.message;
  return /^[A-Z]\w*(?:Error|Exception|Warning): /.test(why) ? why : `AnsibleError: ${why}`;
}

async function render(ctx: ModuleCtx, a: A, src: string, dest: string): Promise<Buffer> {
  const found = ctx.local.find(src, 'templates');
  if (!found) throw new ControllerFailure(ctx.local.missing(src, 'templates'));
  const st = statSync(found);
  // the variables ansible-core's template action adds, over the task's (a variable named ansible_managed too)
  const uid = uidName(st.uid);
  const mtime = new Date(st.mtimeMs);
  const extra = {
    ansible_managed: managed(ctx.ansibleManaged ?? 'Ansible managed', { host: hostname(), uid, file: src }, mtime),
    template_host: hostname(),
    template_path: src,
    template_fullpath: resolve(found),
    template_destpath: dest,
    template_uid: uid,
    template_mtime: mtime,
    template_run_date: new Date(),
  };
  let source = (await readLocal(ctx, found)).toString('utf8');
  let jinja = jinjaOf(a);
  // a template's own first line `#jinja2: trim_blocks: False, variable_start_string: '[%'` overrides them
  if (source.startsWith('#jinja2:')) {
    const eol = source.indexOf('\n');
    const over = headerOptions(source.slice('#jinja2:'.length, eol < 0 ? undefined : eol));
    source = eol < 0 ? '' : source.slice(eol + 1);
    jinja = { trimBlocks: over.trimBlocks ?? jinja?.trimBlocks ?? true, lstripBlocks: over.lstripBlocks ?? jinja?.lstripBlocks ?? false, tags: { ...jinja?.tags, ...over.tags } };
    if (over.lineStatementPrefix) source = lineStatements(source, over.lineStatementPrefix, jinja.trimBlocks!);
  }
  // (Jinja's lexer reads every newline of the template's text as one: a source written with \r\n or \r gives \n)
  if (source.includes('\r')) source = source.replace(/\r\n?/g, '\n');
  // Jinja drops the source's last newline; the render gives back as many final newlines as it had (preserve_trailing_newlines)
  let text: string;
  try {
    text = ctx.render(source, extra, jinja);
  } catch (e) {
    throw new ModuleFailure(renderFailure(e as Error, source));
  }
  // written with backslashes ('\r\n' in single quotes) as ansible-core's action plugin takes them too
  const seq = (a.newline_sequence ?? '\n').replace(/\\r/g, '\r').replace(/\\n/g, '\n');
  const out = seq !== '\n' ? text.replace(/\n/g, seq) : text;
  return encode(out, a.output_encoding);
}

/** The `#jinja2:` header's pairs (Python literals), as ansible-core's do_template reads them. */
function headerOptions(line: string): JinjaOptions & { lineStatementPrefix?: string } {
  const out: JinjaOptions & { tags: Record<string, string>; lineStatementPrefix?: string } = { tags: {} };
  for (const pair of line.split(',')) {
    if (!pair.includes(':')) throw new ModuleFailure(`failed to parse jinja2 override '${pair.trim()}'. Did you use something different from colon as key-value separator?`);
    const [key, raw] = [pair.slice(0, pair.indexOf(':')).trim(), pair.slice(pair.indexOf(':') + 1).trim()];
    const val = /^(['"])(.*)\1$/.exec(raw)?.[2] ?? raw;
    if (key === 'trim_blocks' || key === 'lstrip_blocks') out[key === 'trim_blocks' ? 'trimBlocks' : 'lstripBlocks'] = val === 'True' || val === 'true';
    else if (JINJA_TAG_KEYS[key]) out.tags[JINJA_TAG_KEYS[key]] = val;
    else if (key === 'line_statement_prefix') out.lineStatementPrefix = val;
    else throw new ModuleFailure(`the jinja2 override '${key}' is not supported by agri-play`);
  }
  return out;
}

/**
 * Jinja's line statements: a line whose first non-blank text is the prefix is a `{% … %}` tag; the
 * whitespace after it, blank lines too, is part of the statement (Jinja's `\s*(\n|$)`). Its last
 * newline is kept only for trim_blocks to take.
 */
function lineStatements(src: string, prefix: string, trimBlocks: boolean): string {
  const p = prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return src.replace(new RegExp(`^[ \\t\\v]*${p}(.*?)\\s*(\\n|$)`, 'gm'), (_m, body: string, nl: string) => `{% ${body.trim()} %}${trimBlocks ? nl : ''}`);
}

/** mode: preserve is the template file's own mode. */
function withMode(ctx: ModuleCtx, a: A): A {
  if (a.mode !== 'preserve') return a;
  const found = ctx.local.find(a.src, 'templates');
  return found ? { ...a, mode: (statSync(found).mode & 0o7777).toString(8).padStart(4, '0') } : a;
}

/** Where the file goes: with follow, what a link at dest points to. */
async function destOf(ctx: ModuleCtx, a: A): Promise<string> {
  const st = await ctx.files.stat(a.dest);
  // into a folder (dest/ or an existing directory), named as the template, as copy does
  if (a.dest.endsWith('/') || st?.type === 'directory') return posix.join(a.dest, basename(a.src));
  return a.follow && st?.type === 'link' && st.linkTarget ? resolve(dirname(a.dest), st.linkTarget) : a.dest;
}

/** The template module's Jinja settings, when any differs from the defaults. */
function jinjaOf(a: A): JinjaOptions | undefined {
  const set = jinjaTags(a);
  if (a.trim_blocks === undefined && a.lstrip_blocks === undefined && !Object.keys(set).length) return undefined;
  return { trimBlocks: a.trim_blocks ?? true, lstripBlocks: a.lstrip_blocks ?? false, ...(Object.keys(set).length ? { tags: set } : {}) };
}

/** Python's codec names (lower case, `-` and spaces as `_`, as its codecs lookup normalizes them) and their aliases. */
const ENCODINGS: Record<string, BufferEncoding> = {
  ...Object.fromEntries(['utf_8', 'utf8', 'u8', 'utf', 'cp65001'].map((n) => [n, 'utf8' as const])),
  ...Object.fromEntries(['utf_16', 'utf16', 'u16', 'utf_16_le', 'utf_16le'].map((n) => [n, 'utf16le' as const])),
  ...Object.fromEntries(['latin_1', 'latin1', 'latin', 'l1', 'iso8859_1', 'iso_8859_1', 'iso8859', '8859', 'cp819', 'iso_ir_100'].map((n) => [n, 'latin1' as const])),
  ...Object.fromEntries(['ascii', 'us_ascii', '646'].map((n) => [n, 'ascii' as const])),
};
const codecName = (encoding: string): string => encoding.toLowerCase().replace(/[- ]/g, '_');
const CP1252 = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ';
function encode(text: string, encoding = 'utf-8'): Buffer {
  if (!encoding) encoding = 'utf-8';
  const codec = codecName(encoding);
  if (['windows_1252', 'cp1252'].includes(codec)) {
    return Buffer.from([...text].map((c) => {
      const i = CP1252.indexOf(c);
      if (i >= 0) return 0x80 + i;
      const n = c.codePointAt(0)!;
      if (n > 0xff || (n >= 0x80 && n < 0xa0)) throw new ModuleFailure(`'charmap' codec can't encode character '${c}': character maps to <undefined>`);
      return n;
    }));
  }
  const e = ENCODINGS[codec];
  if (!e) throw new ModuleFailure(`output_encoding '${encoding}' is not supported by agri-play (utf-8, utf-16, iso-8859-1, cp1252, ascii)`);
  // Python's utf-16 codec writes a byte-order mark first
  return ['utf_16', 'utf16', 'u16'].includes(codec) ? Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, e)]) : Buffer.from(text, e);
}

/**
 * ansible.cfg's ansible_managed as generate_ansible_template_vars makes it: Python's str.format with
 * {host}, {uid} and {file} (`{{`/`}}` for braces), then time.strftime at the template's modification time.
 */
function managed(text: string, fields: Record<string, string>, mtime: Date): string {
  const formatted = text.replace(/\{\{|\}\}|\{([^{}]*)\}/g, (m, field: string | undefined) => {
    if (field === undefined) return m[0];
    const name = field.split(/[!:]/)[0];
    if (!(name in fields)) throw new ModuleFailure(`ansible_managed (ansible.cfg) names {${name}}: KeyError: '${name}' (it may name {host}, {uid} and {file})`);
    return fields[name];
  });
  return strftime(formatted, mtime, 'local');
}

function uidName(uid: number): string {
  try {
    return userInfo().uid === uid ? userInfo().username : String(uid);
  } catch {
    return String(uid);
  }
}

export default defineModule({
  name: 'template',
  kind: 'state',
  description: 'Renders a Jinja template with the host variables and puts it on the host, atomically.',
  args: Args,
  paths: ['dest'],
  missingWords: 'src and dest are required',
  // (copy's module reads None as `not force`)
  noneIsFalse: ['force'],
  async check(ctx, a) {
    const dest = await destOf(ctx, a);
    // a missing folder fails the write, not the check (ansible-core's check mode reports changed)
    const want = await render(ctx, a, a.src, dest);
    const d = await checkContent(ctx, dest, want, withMode(ctx, a), { force: a.force, mkdirs: true });
    // (the action copies its rendered temp file, a random name: here the template's)
    const shown = copyDiff(ctx, dest, d, a.src, want);
    const diff = { diff: shown instanceof Promise ? await shown : shown };
    // unchanged, the result is the file module's (ansible-core's action runs it): with the owner's and group's names
    // (spread(), not a literal's spreads: V8's slow path for every unchanged file, source/data.ts)
    if (writes(d)) return ctx.checkMode ? { ...d, data: diff } : (spread(d, { data: spread(diff, d.data) }) as typeof d);
    // (only attributes to change: the file module's result, in check mode the file as it is)
    if (d.kind !== 'ok' && !ctx.checkMode) return spread(d, { data: spread(diff, d.data) }) as typeof d;
    return spread(d, { data: spread(diff, d.data, { path: dest }, await idNames(ctx, await ctx.files.stat(dest))) }) as typeof d;
  },
  async apply(ctx, a0, diff) {
    const a = withMode(ctx, a0);
    const dest = await destOf(ctx, a);
    // rendered once, by the check (a lookup in the template runs once, as under ansible-core)
    const data = diff.content ?? (await render(ctx, a, a.src, dest));
    const b = await applyContent(ctx, dest, data, { ...a, copyWords: true }, diff);
    const r = await writtenResult(ctx, dest, data, diff.data?.checksum);
    if (writes(diff)) return { ...r, src: a.src, ...b };
    // (the file module's result: its path, no md5sum or src)
    delete r.md5sum;
    return { ...r, path: dest, ...b };
  },
});
