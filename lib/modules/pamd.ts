import { posix } from 'node:path';
import { Type } from '../source/vendor/typebox.js';
import { defineModule, ModuleFailure } from './types.js';
import { applyContent } from './util/content.js';

const TYPES = ['account', '-account', 'auth', '-auth', 'password', '-password', 'session', '-session'];
const Args = Type.Object(
  {
    name: Type.String({ description: 'The PAM service file (under path).' }),
    type: Type.Union(TYPES.map((t) => Type.Literal(t))),
    control: Type.String(),
    module_path: Type.String(),
    state: Type.Optional(Type.Union(['absent', 'after', 'args_absent', 'args_present', 'before', 'updated'].map((s) => Type.Literal(s)))),
    path: Type.Optional(Type.String({ description: 'Default /etc/pam.d.' })),
    backup: Type.Optional(Type.Boolean()),
    new_type: Type.Optional(Type.String()),
    new_control: Type.Optional(Type.String()),
    new_module_path: Type.Optional(Type.String()),
    module_arguments: Type.Optional(Type.Union([Type.String(), Type.Array(Type.String())])),
  },
  { additionalProperties: false },
);

const RULE = /^(-?(?:auth|account|session|password))\s+(\[.*\]|\S*)\s+(\S*)\s*(.*)$/;
/** A bracketed control as community.general's pamd compares it: `[a=b c=d]`, spaces around '=' gone. */
const control = (c: string) => (c.startsWith('[') ? `[${c.replace(/ = /g, '=').replace(/[[\]]/g, '').split(' ').join(' ')}]` : c);
const args = (s: string) => (s.match(/(\[.*\]|\S+)/g) ?? []);

/** A line as the module writes the file back: comments, includes and blank lines as they were, rules re-spaced. */
function render(line: string): string {
  const t = line.trim();
  if (t === '' || t.startsWith('#') || t.startsWith('@include')) return line;
  const m = RULE.exec(line.trim())!;
  const a = args(m[4]);
  return `${m[1].padEnd(11)}${control(m[2])} ${m[3]}${a.length ? ` ${a.join(' ')}` : ''}`;
}

/**
 * community.general.pamd, state absent: every rule of that type, control and module path leaves
 * the service file, which is then written back as the module writes it (rules re-spaced, an
 * "# Updated by Ansible" mark on its second line). The other states are not here yet.
 */
export default defineModule({
  name: 'pamd',
  kind: 'state',
  description: 'Rules of a PAM service file (community.general.pamd): state absent removes the rules of a type, control and module path.',
  args: Args,
  async check(ctx, a) {
    const state = a.state ?? 'updated';
    if (state !== 'absent') throw new ModuleFailure(`pamd state '${state}' is not supported by agri-play (absent only)`);
    const file = posix.join(a.path ?? '/etc/pam.d', a.name);
    const text = await ctx.files.read(file);
    if (text === null) throw new ModuleFailure(`Unable to open/read PAM module file ${file} with error [Errno 2] No such file or directory: '${file}'.`);
    const lines = text.toString('utf8').split('\n');
    if (lines.at(-1) === '') lines.pop();
    for (const l of lines) {
      const t = l.trim();
      if (t && !t.startsWith('#') && !t.startsWith('@include') && !RULE.test(t)) throw new ModuleFailure(`Rule is not valid ${l}`);
    }
    const gone = (l: string) => {
      const m = RULE.exec(l.trim());
      return !!m && m[1] === a.type && control(m[2]) === control(a.control) && m[3] === a.module_path;
    };
    const kept = lines.filter((l) => !gone(l)).map(render);
    const changes = lines.length - kept.length;
    const data = { change_count: changes, backupdest: '' };
    if (!changes) return { kind: 'ok', why: `no ${a.type} ${a.control} ${a.module_path} rule in ${file}`, data };
    const mark = `# Updated by Ansible - ${new Date(ctx.now() * 1000).toISOString().replace('Z', '')}`;
    if (kept.length <= 1) kept.splice(0, 0, '', mark);
    else if (kept[1].startsWith('# Updated by Ansible')) kept[1] = mark;
    else kept.splice(1, 0, mark);
    return { kind: 'modify', target: file, before: text.toString('utf8'), after: kept.join('\n') + '\n', fields: [{ path: 'rules', from: lines.length, to: kept.length }], data: { ...data, file } };
  },
  async apply(ctx, a, diff) {
    const d = diff as typeof diff & { after: string };
    const file = (diff.data as { file: string }).file;
    const { backup_file } = await applyContent(ctx, file, Buffer.from(d.after), { backup: a.backup }, { ...diff, kind: 'modify', fields: [{ path: 'content' }] });
    return { change_count: (diff.data as { change_count: number }).change_count, backupdest: backup_file ?? '' };
  },
});
