import { Type } from '../source/vendor/typebox.js';
import { defineModule } from './types.js';
import { applyContent } from './util/content.js';

const Args = Type.Object(
  {
    name: Type.String({ description: 'The kernel module to blacklist (or take off the blacklist).' }),
    state: Type.Optional(Type.Union([Type.Literal('present'), Type.Literal('absent')], { description: 'Whether it is in the blacklist; default present.' })),
    blacklist_file: Type.Optional(Type.String({ description: 'Default /etc/modprobe.d/blacklist-ansible.conf.' })),
  },
  { additionalProperties: false },
);

/** The module's default blacklist_file. */
const fileOf = (a: { blacklist_file?: string }): string => a.blacklist_file ?? '/etc/modprobe.d/blacklist-ansible.conf';

/** Python's re.escape of a module name, for the module's `^blacklist\s+NAME$`. */
const escape = (s: string): string => s.replace(/[^A-Za-z0-9_]/g, (c) => `\\${c}`);

/** What apply writes: the file's lines, and whether it was there. */
export interface Plan {
  lines: string[];
  existed: boolean;
}

/**
 * community.general.kernel_blacklist (6.6.2's, ported): `blacklist NAME` in a modprobe file, added at
 * its end or every such line removed. The file is read as the module reads it (each line stripped of
 * trailing space, which a rewrite keeps stripped; a comment never counts) and rewritten whole when the
 * module changes it. Its result: name, state, filename, the file's lines and is_blacklisted; under --diff
 * the lines before and after, as its ModuleHelper's diff. A missing file counts as a change, as the
 * module makes it; agri-play makes it in apply only (the module makes it in check mode too).
 */
export default defineModule({
  name: 'kernel_blacklist',
  kind: 'state',
  description: "A kernel module in a modprobe blacklist file (community.general's kernel_blacklist).",
  args: Args,
  paths: ['blacklist_file'],
  async check(ctx, a) {
    const state = a.state ?? 'present';
    const filename = fileOf(a);
    const pattern = new RegExp(`^blacklist\\s+${escape(a.name)}$`);
    const blocked = (l: string): boolean => pattern.test(l.trim());
    const st = await ctx.files.stat(filename);
    const text = st ? ((await ctx.files.read(filename)) ?? Buffer.alloc(0)).toString('utf8') : '';
    // (readlines, each rstrip()ed)
    const before = text ? text.split(/(?<=\n)/).map((l) => l.trimEnd()) : [];
    const was = before.some((l) => !l.trim().startsWith('#') && blocked(l));
    let lines = before;
    if (state === 'absent' && was) lines = before.filter((l) => !blocked(l));
    if (state === 'present' && !was) lines = [...before, `blacklist ${a.name}`];
    const changed = !st || lines !== before;
    // (what the module's state_present/state_absent leave it: the state asked for, changed or not)
    const data: Record<string, unknown> = { name: a.name, state, filename, is_blacklisted: state === 'present', lines };
    if (ctx.diffMode && changed) data.diff = { before: { lines: before }, after: { lines } };
    if (!changed) return { kind: 'ok', why: `${a.name} is ${was ? '' : 'not '}blacklisted in ${filename}`, data };
    const plan: Plan = { lines, existed: st !== null };
    const fields = [...(st ? [] : [{ path: 'state', from: 'absent', to: 'file' }]), ...(lines === before ? [] : [{ path: `blacklist ${a.name}`, from: was ? 'present' : 'absent', to: state }])];
    return { kind: st ? 'modify' : 'create', target: filename, fields, data, keep: plan };
  },
  async apply(ctx, a, diff) {
    const plan = diff.keep as Plan;
    const filename = fileOf(a);
    const text = plan.lines.map((l) => `${l}\n`).join('');
    await applyContent(ctx, filename, Buffer.from(text), {}, { kind: plan.existed ? 'modify' : 'create', target: filename, fields: [{ path: 'content' }] });
  },
});
