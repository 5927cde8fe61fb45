import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { shq } from '../connections/quote.js';
import { PY_ESCAPES } from '../source/pyliteral.js';
import { pyRegex } from '../source/pyregex.js';
import { Type } from '../source/vendor/typebox.js';
import { readLocal } from './util/local.js';
import { defineModule, ControllerFailure, ModuleFailure, type ModuleCtx } from './types.js';
import { applyContent, checkContent, FileAttrs, idNames, Validate, writtenResult } from './util/content.js';

const Args = Type.Object(
  {
    src: Type.String({ description: 'A folder of fragments: on the host (remote_src, the default), or on the controller (looked up in files/).' }),
    dest: Type.String({ description: 'The file the fragments make, in the order of their names.' }),
    delimiter: Type.Optional(Type.String({ description: 'Written between fragments (escapes such as \\n read as Python reads them).' })),
    regexp: Type.Optional(Type.String({ description: 'Only fragments whose name a Python regex finds a match in.' })),
    ignore_hidden: Type.Optional(Type.Boolean({ description: 'Pass over fragments whose name starts with a dot.' })),
    remote_src: Type.Optional(Type.Boolean({ description: 'The fragments are on the host (default true); false: a controller folder.' })),
    decrypt: Type.Optional(Type.Boolean({ description: "Decrypt vault-encrypted controller fragments (default true)." })),
    backup: Type.Optional(Type.Boolean()),
    follow: Type.Optional(Type.Boolean()),
    ...FileAttrs,
    ...Validate,
  },
  { additionalProperties: false },
);
type A = typeof Args.static;

/** The fragments as [name, content], on the host (one command) or the controller. */
async function fragmentsOf(ctx: ModuleCtx, a: A): Promise<[string, Buffer][]> {
  if (a.remote_src === false) {
    const dir = ctx.local.find(a.src, 'files');
    if (!dir) throw new ControllerFailure(ctx.local.missing(a.src, 'files'));
    if (!statSync(dir).isDirectory()) throw new ModuleFailure(`Source (${dir}) is not a directory`);
    const names = readdirSync(dir).filter((n) => statSync(join(dir, n), { throwIfNoEntry: false })?.isFile());
    return Promise.all(names.map(async (n) => [n, await readLocal(ctx, join(dir, n), a.decrypt !== false)] as [string, Buffer]));
  }
  // every regular file of the folder (hidden ones too), its name and content in base64, one per line
  const script = `s=${shq(a.src)}; [ -e "$s" ] || { echo missing; exit 3; }; [ -d "$s" ] || { echo notdir; exit 3; }; cd "$s" && for f in * .[!.]* ..?*; do [ -f "$f" ] && printf '%s %s\\n' "$(printf %s "$f" | base64 -w0)" "$(base64 -w0 < "$f")"; done; true`;
  const r = await ctx.exec({ shell: script });
  if (r.rc === 3) throw new ModuleFailure(r.stdout.trim() === 'missing' ? `Source (${a.src}) does not exist` : `Source (${a.src}) is not a directory`, { src: a.src, dest: a.dest });
  if (r.rc !== 0) throw new ModuleFailure(`cannot read the fragments in ${a.src}: ${r.stderr.trim()}`);
  return r.stdout
    .split('\n')
    .filter(Boolean)
    .map((l) => l.split(' '))
    .map(([n, c]) => [Buffer.from(n, 'base64').toString('utf8'), Buffer.from(c ?? '', 'base64')] as [string, Buffer]);
}

/** assemble_from_fragments: in name order, a newline after a fragment without one, the delimiter (and a newline) between. */
async function assembled(ctx: ModuleCtx, a: A): Promise<Buffer> {
  let re: RegExp | undefined;
  try {
    re = a.regexp === undefined ? undefined : pyRegex(a.regexp);
  } catch (e) {
    throw new ModuleFailure(`Invalid Regexp (${(e as Error).message}) in "${a.regexp}"`);
  }
  const delimiter = a.delimiter ? escapeDecode(a.delimiter) : undefined;
  const parts: Buffer[] = [];
  let first = true;
  let newline = false;
  for (const [name, content] of (await fragmentsOf(ctx, a)).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))) {
    if ((re && !re.test(name)) || (a.ignore_hidden && name.startsWith('.'))) continue;
    if (newline) parts.push(Buffer.from('\n'));
    if (!first && delimiter) parts.push(delimiter, ...(delimiter[delimiter.length - 1] !== 10 ? [Buffer.from('\n')] : []));
    parts.push(content);
    first = false;
    newline = content[content.length - 1] !== 10;
  }
  return Buffer.concat(parts);
}

/** Python's codecs.escape_decode: the delimiter's bytes with \\n, \\t, \\\\, \\xHH, \\ooo … decoded (an unknown escape stays as it is). */
function escapeDecode(s: string): Buffer {
  const decoded = Buffer.from(s, 'utf8')
    .toString('latin1')
    .replace(/\\(\n|[0-7]{1,3}|x[0-9a-fA-F]{2}|[\\'"abfnrtv])/g, (_all, e: string) => {
      if (e === '\n') return '';
      if (e[0] === 'x') return String.fromCharCode(parseInt(e.slice(1), 16));
      if (/^[0-7]/.test(e)) return String.fromCharCode(parseInt(e, 8) & 255);
      return PY_ESCAPES[e];
    });
  return Buffer.from(decoded, 'latin1');
}

export default defineModule({
  name: 'assemble',
  kind: 'state',
  description: 'ansible.builtin.assemble: a file made of a folder of fragments (on the host, or the controller with remote_src: false), in the order of their names, with a delimiter between; owner, group, mode, backup, validate.',
  args: Args,
  paths: ['dest'],
  // (its action reads remote_src with boolean(), decrypt with `if decrypt`: None is false for both)
  noneIsFalse: ['remote_src', 'decrypt'],
  async check(ctx, a) {
    // ansible-core's assemble does not support check mode: skipped there, as the module is
    if (ctx.checkMode) return { kind: 'run', target: a.dest, data: { msg: 'check mode is not supported for this task.' } };
    const d = await checkContent(ctx, a.dest, await assembled(ctx, a), a);
    if (d.kind === 'ok') return { ...d, data: { ...d.data, src: a.src, msg: 'OK', ...(await idNames(ctx, await ctx.files.stat(a.dest))) } };
    return { ...d, data: { ...d.data, src: a.src } };
  },
  async apply(ctx, a, diff) {
    const data = diff.content ?? (await assembled(ctx, a));
    const b = await applyContent(ctx, a.dest, data, a, diff);
    return { ...(await writtenResult(ctx, a.dest, data, diff.data?.checksum)), src: a.src, msg: 'OK', ...b };
  },
});
