import { Type, type TSchema } from '../source/vendor/typebox.js';
import { BOOLEANS_FALSE, BOOLEANS_TRUE } from '../source/data.js';
import { str } from '../source/python.js';
import { defineModule, ModuleFailure, type ModuleCtx } from './types.js';
import { applyContent } from './util/content.js';
import { runTool } from './util/host-tools.js';

// (each may be given as null, None to the module: `nulls`)
const orNull = <T extends TSchema>(t: T) => Type.Optional(Type.Union([t, Type.Null()]));
const Args = Type.Object(
  {
    name: Type.String({ description: 'The kernel parameter (net.ipv4.ip_forward).' }),
    value: Type.Optional(Type.Unknown({ description: 'Its value (a boolean is 1 or 0).' })),
    state: orNull(Type.Union([Type.Literal('present'), Type.Literal('absent')])),
    sysctl_file: orNull(Type.String({ description: 'Default /etc/sysctl.conf.' })),
    reload: orNull(Type.Boolean({ description: 'sysctl -p the file after a change (default true).' })),
    sysctl_set: orNull(Type.Boolean({ description: 'Also check the running value and set it with sysctl -w (default false).' })),
    ignoreerrors: orNull(Type.Boolean({ description: 'sysctl -e: unknown keys are no error (default false).' })),
  },
  { additionalProperties: false },
);
type A = typeof Args.static;

/** reload: true unless given (None is false, as the module's `if self.args['reload']` reads it). */
const reloads = (a: A): boolean => (a.reload === undefined ? true : Boolean(a.reload));
/** sysctl_file: /etc/sysctl.conf unless given. */
const fileOf = (a: A): string => (a.sysctl_file === undefined || a.sysctl_file === null ? '/etc/sysctl.conf' : a.sysctl_file);

/** What the check decided, for the apply (never in the result: the module returns only `changed`). */
export interface Plan {
  setProc: boolean;
  writeFile: boolean;
  reload: boolean;
  text: string;
  existed: boolean;
}

/** _parse_value: a boolean (or Ansible's boolean words) is 1 or 0, a text stripped (the argument is type str). */
function parseValue(v: unknown): string {
  if (v === undefined || v === null) return '';
  const s = typeof v === 'boolean' ? (v ? '1' : '0') : str(v);
  if (BOOLEANS_TRUE.has(s.toLowerCase())) return '1';
  if (BOOLEANS_FALSE.has(s.toLowerCase())) return '0';
  return s.trim();
}

/** _values_is_equal: the same whitespace-separated words. */
const sameWords = (a: string | undefined, b: string): boolean => a !== undefined && a.split(/\s+/).filter(Boolean).join(' ') === b.split(/\s+/).filter(Boolean).join(' ');

/** A sysctl command under LANG=C, as the module runs it. */
const sysctl = (ctx: ModuleCtx, args: string[]) => runTool(ctx, 'sysctl', args, { env: { LANG: 'C', LC_ALL: 'C', LC_MESSAGES: 'C' } });

/** The module's _stderr_failed: sysctl can exit 0 and still say it could not set a key. */
const stderrFailed = (err: string): boolean => /^sysctl: setting key "[^"]+": (Invalid argument|Read-only file system)$/m.test(err);

/**
 * The file's lines as read_sysctl_file and fix_lines make them: every line stripped, each key's
 * first line kept (with the new value for this key, or dropped when it is to be absent) and its
 * later ones dropped, the key appended when it was not there; and the key's value in the file (the last one given).
 */
function fixLines(text: string | undefined, name: string, value: string, present: boolean): { lines: string[]; fileValue: string | undefined } {
  // (readlines: an empty file has no line)
  const raw = text ? text.split(/(?<=\n)/).map((l) => l.trim()) : [];
  let fileValue: string | undefined;
  const checked = new Set<string>();
  const lines: string[] = [];
  for (const line of raw) {
    if (!line || line.startsWith('#') || line.startsWith(';') || !line.includes('=')) {
      lines.push(line);
      continue;
    }
    const k = line.slice(0, line.indexOf('=')).trim();
    const v = line.slice(line.indexOf('=') + 1).trim();
    if (k === name) fileValue = v;
    if (checked.has(k)) continue;
    checked.add(k);
    if (k !== name) lines.push(`${k}=${v}`);
    else if (present) lines.push(`${k}=${value}`);
  }
  if (!checked.has(name) && present) lines.push(`${name}=${value}`);
  return { lines, fileValue };
}

/**
 * ansible.posix.sysctl (1.5.4's, ported): a kernel parameter in a sysctl file — the whole file
 * rewritten as the module writes it when it changes — and, with sysctl_set, in the running
 * kernel; `sysctl -p FILE` after any change unless reload: no. Its result is `changed` only.
 */
export default defineModule({
  name: 'sysctl',
  kind: 'state',
  description: 'A kernel parameter in a sysctl file (and, with sysctl_set, in the running kernel): ansible.posix.sysctl, the file reloaded after a change.',
  args: Args,
  aliases: { key: 'name', val: 'value' },
  paths: ['sysctl_file'],
  nulls: true,
  async check(ctx, a) {
    // (a parameter given as None is None: its default applies only when it is not given)
    const present = (a.state === undefined ? 'present' : a.state) === 'present';
    // (required_if when it is not given; the module's own words when it is given empty)
    if (present && a.value === undefined) throw new ModuleFailure('state is present but all of the following are missing: value');
    if (present && a.value === null) throw new ModuleFailure('value cannot be None');
    const name = a.name.trim();
    if (a.name === '') throw new ModuleFailure('name cannot be blank');
    if (present && a.value === '') throw new ModuleFailure('value cannot be blank');
    const value = parseValue(a.value);
    const file = fileOf(a);
    const cur = await sysctl(ctx, ['-e', '-n', name]);
    const proc = cur.rc === 0 ? cur.stdout : undefined;
    const st = await ctx.files.stat(file);
    // (os.path.isfile: a link is followed, to the file it names; a folder or a dangling link is no file)
    const text = st && st.type !== 'directory' ? ((await ctx.files.read(file).catch(() => null))?.toString('utf8') ?? undefined) : undefined;
    const { lines, fileValue } = fixLines(text, name, value, present);
    let changed = false;
    let writeFile = false;
    let setProc = false;
    if (fileValue === undefined && present) changed = writeFile = true;
    else if (fileValue === undefined) changed = false;
    else if (fileValue && !present) changed = writeFile = true;
    else if (fileValue !== value) changed = writeFile = true;
    else if (reloads(a) && !sameWords(proc, value)) changed = true;
    if (a.sysctl_set && present) {
      if (proc === undefined) changed = true;
      else if (!sameWords(proc, value)) changed = setProc = true;
    }
    if (!changed) return { kind: 'ok', why: `${name} is ${present ? value : 'absent'} in ${file}${a.sysctl_set ? ' and the running kernel' : ''}`, data: {} };
    const plan: Plan = { setProc, writeFile, reload: reloads(a), text: lines.map((l) => `${l.trim()}\n`).join(''), existed: text !== undefined };
    const fields = [...(writeFile ? [{ path: `${file} ${name}`, from: fileValue ?? null, to: present ? value : null }] : []), ...(setProc ? [{ path: `running ${name}`, from: proc?.trim() ?? null, to: value }] : [])];
    return { kind: 'modify', target: name, fields: fields.length ? fields : [{ path: `running ${name}`, to: 'reloaded' }], data: {}, keep: plan };
  },
  async apply(ctx, a, diff) {
    const plan = diff.keep as Plan;
    const name = a.name.trim();
    const file = fileOf(a);
    const e = a.ignoreerrors ? ['-e'] : [];
    if (plan.setProc) {
      const r = await sysctl(ctx, [...e, '-w', `${name}=${parseValue(a.value)}`]);
      if (r.rc !== 0 || stderrFailed(r.stderr)) throw new ModuleFailure(`setting ${name} failed: ${r.stdout}${r.stderr}`);
    }
    if (plan.writeFile) await applyContent(ctx, file, Buffer.from(plan.text), {}, { kind: plan.existed ? 'modify' : 'create', target: file, fields: [{ path: 'content' }] });
    if (plan.reload) {
      const r = await sysctl(ctx, [...e, '-p', file]);
      if (r.rc !== 0 || stderrFailed(r.stderr)) throw new ModuleFailure(`Failed to reload sysctl: ${r.stdout}${r.stderr}`);
    }
  },
});
