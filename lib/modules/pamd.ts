import { posix } from 'node:path';
import { Type } from '../source/vendor/typebox.js';
import { defineModule, ModuleFailure } from './types.js';
import { applyContent } from './util/content.js';
import { PamService, VALID_TYPES } from './util/pam-service.js';

const TYPE = Type.Union(VALID_TYPES.map((t) => Type.Literal(t)));
const STATES = ['absent', 'after', 'args_absent', 'args_present', 'before', 'updated'] as const;
const Args = Type.Object(
  {
    name: Type.String({ description: 'The PAM service file (under path).' }),
    type: TYPE,
    control: Type.String({ description: 'The control of the rules to change (a bracketed one as written: [success=ok default=ignore]).' }),
    module_path: Type.String({ description: 'The module of the rules to change (pam_unix.so).' }),
    state: Type.Optional(Type.Union(STATES.map((s) => Type.Literal(s)), { description: 'updated (default), before, after, args_present, args_absent, absent.' })),
    path: Type.Optional(Type.String({ description: 'Default /etc/pam.d.' })),
    backup: Type.Optional(Type.Boolean()),
    new_type: Type.Optional(TYPE),
    new_control: Type.Optional(Type.String()),
    new_module_path: Type.Optional(Type.String()),
    // (a list of str: a text is split at commas, as AnsibleModule's type='list' takes one)
    module_arguments: Type.Optional(Type.Union([Type.String(), Type.Array(Type.String())])),
  },
  { additionalProperties: false },
);
type A = typeof Args.static;

/** The module's required_if, in AnsibleModule's words. */
function required(a: A, state: string): void {
  const need: Record<string, (keyof A)[]> = { args_present: ['module_arguments'], args_absent: ['module_arguments'], before: ['new_control', 'new_type', 'new_module_path'], after: ['new_control', 'new_type', 'new_module_path'] };
  const missing = (need[state] ?? []).filter((k) => a[k] === undefined || a[k] === null);
  if (missing.length) throw new ModuleFailure(`state is ${state} but all of the following are missing: ${missing.join(', ')}`);
}

/** Python's datetime.now().isoformat(): local time, microseconds unless there are none. */
function isoNow(seconds: number): string {
  const d = new Date(seconds * 1000);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  const micro = Math.round((seconds % 1) * 1e6) % 1e6;
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}${micro ? `.${p(micro, 6)}` : ''}`;
}

/**
 * community.general.pamd: the rules of a PAM service file of one type, control and module path
 * updated (type, control, path, arguments), a rule put before or after them, their arguments
 * added or removed, or the rules removed — community.general 6's module ported (util/pam-service.ts):
 * its matching, its validation of every line, and the file written back as it writes it (rules
 * re-spaced, an "# Updated by Ansible" mark on the second line); `change_count`, `backupdest`.
 */
export default defineModule({
  name: 'pamd',
  kind: 'state',
  description: 'Rules of a PAM service file (community.general.pamd): updated, before, after, args_present, args_absent, absent.',
  args: Args,
  paths: ['path'],
  async check(ctx, a) {
    const state = a.state ?? 'updated';
    required(a, state);
    const args = typeof a.module_arguments === 'string' ? a.module_arguments.split(',') : (a.module_arguments ?? null);
    const file = posix.join(a.path ?? '/etc/pam.d', a.name);
    const text = await ctx.files.read(file);
    if (text === null) throw new ModuleFailure(`Unable to open/read PAM module file ${file} with error [Errno 2] No such file or directory: '${file}'.`);
    const content = text.toString('utf8');
    let service: PamService;
    try {
      service = new PamService(content);
    } catch (e) {
      throw new ModuleFailure((e as Error).message);
    }
    const n = { type: a.new_type, control: a.new_control, path: a.new_module_path, args };
    const at = [a.type, a.control, a.module_path] as const;
    if (state === 'args_present' && (args ?? []).some((x) => x.trim().startsWith('['))) throw new ModuleFailure("Unable to process bracketed '[' complex arguments with 'args_present'. Please use 'updated'.");
    const changes =
      state === 'updated' ? service.update(...at, n)
      : state === 'before' || state === 'after' ? service.insert(state, ...at, { type: a.new_type!, control: a.new_control!, path: a.new_module_path!, args })
      : state === 'args_absent' ? service.removeArgs(...at, args ?? [])
      : state === 'args_present' ? service.addArgs(...at, args ?? [])
      : service.remove(...at);
    const invalid = service.invalid();
    if (invalid) throw new ModuleFailure(invalid);
    const data = { change_count: changes, backupdest: '' };
    if (!changes) return { kind: 'ok', why: `${file} has its ${a.type} ${a.control} ${a.module_path} rules as asked`, data };
    const after = service.toString(isoNow(ctx.now()));
    return { kind: 'modify', target: file, before: content, after, fields: [{ path: 'rules', to: `${changes} changed` }], data };
  },
  async apply(ctx, a, diff) {
    const d = diff as typeof diff & { after: string };
    const file = diff.target!;
    const { backup_file } = await applyContent(ctx, file, Buffer.from(d.after), { backup: a.backup }, { ...diff, kind: 'modify', fields: [{ path: 'content' }] });
    return { change_count: (diff.data as { change_count: number }).change_count, backupdest: backup_file ?? '' };
  },
});
