import { Type } from '../source/vendor/typebox.js';
import { defineModule, ModuleFailure, type ModuleCtx } from './types.js';
import { runTool } from './util/host-tools.js';
import { splitlines } from './util/pyfmt.js';

const ETYPES = ['group', 'mask', 'other', 'user'] as const;
const Args = Type.Object(
  {
    path: Type.String({ description: 'The file or folder.' }),
    entry: Type.Optional(Type.String({ description: "A whole entry: '[d[efault]:]etype:entity[:perms]' (u:alice:rwX)." })),
    entity: Type.Optional(Type.String({ description: 'The user or group (empty: the owner, the owning group).' })),
    etype: Type.Optional(Type.Union(ETYPES.map((t) => Type.Literal(t)))),
    permissions: Type.Optional(Type.String({ description: 'r, w, x, X in any combination.' })),
    state: Type.Optional(Type.Union([Type.Literal('absent'), Type.Literal('present'), Type.Literal('query')], { description: 'query (default) only reads the ACL.' })),
    follow: Type.Optional(Type.Boolean({ description: 'Follow a link (default true; false: setfacl --physical).' })),
    default: Type.Optional(Type.Boolean({ description: "The folder's default ACL." })),
    recursive: Type.Optional(Type.Boolean()),
    recalculate_mask: Type.Optional(Type.Union([Type.Literal('default'), Type.Literal('mask'), Type.Literal('no_mask')])),
    use_nfsv4_acls: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
type A = typeof Args.static;

/** split_entry: [default, etype, entity, permissions] of an entry ('d:u:alice:rw'). */
function splitEntry(entry: string): [boolean | undefined, string | undefined, string, string | undefined] {
  const a = entry.split(':');
  let d: boolean | undefined;
  if (entry.toLowerCase().startsWith('d')) {
    d = true;
    a.shift();
  }
  const t = (a[0] ?? '').toLowerCase();
  const etype = t.startsWith('u') ? 'user' : t.startsWith('g') ? 'group' : t.startsWith('m') ? 'mask' : t.startsWith('o') ? 'other' : undefined;
  return [d, etype, a[1] ?? '', a[2]];
}

/** build_command: setfacl -m/-x ENTRY or getfacl, with the module's flags in its order. */
function command(a: A, mode: 'set' | 'rm' | 'get', isDefault: boolean, entry = ''): string[] {
  const cmd = mode === 'get' ? ['getfacl', '--omit-header', '--absolute-names'] : ['setfacl', mode === 'set' ? '-m' : '-x', entry];
  if (a.recursive) cmd.push('--recursive');
  if (mode !== 'get' && a.recalculate_mask === 'mask') cmd.push('--mask');
  if (mode !== 'get' && a.recalculate_mask === 'no_mask') cmd.push('--no-mask');
  if (a.follow === false) cmd.push('--physical');
  if (isDefault) cmd.splice(1, 0, '-d');
  cmd.push(a.path);
  return cmd;
}

/** run_acl: the command's output lines (comments out, each stripped, a last empty one dropped); a failure is the task's, unless not checked. */
async function runAcl(ctx: ModuleCtx, cmd: string[], checked = true): Promise<string[]> {
  const r = await runTool(ctx, cmd[0], cmd.slice(1));
  if (checked && r.rc !== 0) throw new ModuleFailure(r.stderr.trimEnd(), { cmd: cmd.join(' '), rc: r.rc, stdout: r.stdout, stderr: r.stderr });
  const lines = splitlines(r.stdout).filter((l) => !l.startsWith('#')).map((l) => l.trim());
  return lines.length && !lines.at(-1)!.trim() ? lines.slice(0, -1) : lines;
}

/** acl_changed: setfacl --test says what it would make; a line not ending in `*,*` is a change. */
async function wouldChange(ctx: ModuleCtx, cmd: string[]): Promise<boolean> {
  const lines = await runAcl(ctx, [cmd[0], '--test', ...cmd.slice(1)]);
  return lines.some((l) => !l.endsWith('*,*'));
}

/** The module's checks of its arguments, in its words; the entry to set or remove, and whether it is the default ACL. */
function resolved(a: A): { etype?: string; entity: string; permissions?: string; isDefault: boolean } {
  const state = a.state ?? 'query';
  if (state === 'query' && a.recursive) throw new ModuleFailure("'recursive' MUST NOT be set when 'state=query'.");
  if (state === 'query' && (a.recalculate_mask === 'mask' || a.recalculate_mask === 'no_mask')) throw new ModuleFailure("'recalculate_mask' MUST NOT be set to 'mask' or 'no_mask' when 'state=query'.");
  if (!a.entry) {
    if (state === 'absent' && a.permissions) throw new ModuleFailure("'permissions' MUST NOT be set when 'state=absent'.");
    if (state === 'absent' && !a.entity) throw new ModuleFailure("'entity' MUST be set when 'state=absent'.");
    if (state !== 'query' && !a.etype) throw new ModuleFailure(`'etype' MUST be set when 'state=${state}'.`);
    return { etype: a.etype, entity: a.entity ?? '', permissions: a.permissions, isDefault: a.default ?? false };
  }
  if (a.etype || a.entity || a.permissions) throw new ModuleFailure("'entry' MUST NOT be set when 'entity', 'etype' or 'permissions' are set.");
  const colons = a.entry.split(':').length - 1;
  if (state === 'present' && colons !== 2 && colons !== 3) throw new ModuleFailure("'entry' MUST have 3 or 4 sections divided by ':' when 'state=present'.");
  if (state === 'absent' && colons !== 1 && colons !== 2) throw new ModuleFailure("'entry' MUST have 2 or 3 sections divided by ':' when 'state=absent'.");
  if (state === 'query') throw new ModuleFailure("'entry' MUST NOT be set when 'state=query'.");
  const [d, etype, entity, permissions] = splitEntry(a.entry);
  return { etype, entity, permissions, isDefault: d ?? a.default ?? false };
}

/**
 * ansible.posix.acl (1.5.4's, ported): an ACL entry of a file or folder set (setfacl -m) or removed
 * (setfacl -x) when setfacl --test says it would change it, or the ACL read (query); `acl` (getfacl's
 * lines) and `msg` in the result, as the module returns them.
 */
export default defineModule({
  name: 'acl',
  kind: 'action',
  description: "ansible.posix.acl: a file's or folder's ACL entries (setfacl/getfacl): one set or removed, default ACLs, recursive, the mask; `acl` holds getfacl's lines.",
  args: Args,
  aliases: { name: 'path', recurse: 'recursive' },
  paths: ['path'],
  async run(ctx, a) {
    const st = await ctx.exec(['test', '-e', a.path], { signal: ctx.signal });
    if (st.rc !== 0) throw new ModuleFailure('Path not found or not accessible.');
    const r = resolved(a);
    const state = a.state ?? 'query';
    let changed = false;
    let msg = 'current acl';
    if (state === 'present' || state === 'absent') {
      const entry = a.use_nfsv4_acls && state === 'present' ? [r.etype, r.entity, r.permissions, 'allow'].join(':') : [r.etype, r.entity, ...(state === 'present' && r.permissions ? [r.permissions] : [])].join(':');
      const cmd = command(a, state === 'present' ? 'set' : 'rm', r.isDefault, entry);
      changed = await wouldChange(ctx, cmd);
      if (changed && !ctx.checkMode) await runAcl(ctx, cmd, state === 'present');
      msg = `${entry} is ${state}`;
    }
    const acl = await runAcl(ctx, command(a, 'get', r.isDefault));
    return { changed, msg, data: { acl } };
  },
});
