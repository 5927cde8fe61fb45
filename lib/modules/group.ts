import { Type } from '../source/vendor/typebox.js';
import { defineModule, ModuleFailure, type ModuleCtx, type ResultData } from './types.js';
import { getent } from './util/run.js';

const Args = Type.Object(
  {
    name: Type.String({ description: 'The group.' }),
    state: Type.Optional(Type.Union([Type.Literal('present'), Type.Literal('absent')])),
    gid: Type.Optional(Type.Integer({ minimum: 0 })),
    system: Type.Optional(Type.Boolean({ description: 'A system group (groupadd -r) when created.' })),
    local: Type.Optional(Type.Boolean({ description: "The local /etc/group only, through libuser's lgroupadd/lgroupmod/lgroupdel (where NSS has other sources)." })),
    non_unique: Type.Optional(Type.Boolean({ description: 'The gid may be another group\'s too (-o); needs gid.' })),
  },
  { additionalProperties: false },
);
type A = typeof Args.static;

/**
 * The group's entry (name:x:gid:…) when it exists: its name in NSS (getent), and with `local`
 * first a line of /etc/group, as the module looks there.
 */
async function entry(ctx: ModuleCtx, a: A): Promise<string[] | undefined> {
  if (a.local) {
    const file = await ctx.files.read('/etc/group');
    if (!file) throw new ModuleFailure("'local: true' specified but unable to find local group file /etc/group to parse.");
    if (!file.toString('utf8').split('\n').some((l) => l.startsWith(`${a.name}:`))) return undefined;
  }
  return getent(ctx, 'group', a.name);
}

/** `local`: a gid another group has already is refused (lgroupadd would not), as ansible-core's _local_check_gid_exists. */
async function localGidFree(ctx: ModuleCtx, a: A): Promise<void> {
  if (!a.local || !a.gid) return;
  const r = await ctx.exec(['getent', 'group'], { signal: ctx.signal });
  for (const line of r.stdout.split('\n')) {
    const [name, , gid] = line.split(':');
    if (gid !== undefined && Number(gid) === a.gid && name !== a.name) throw new ModuleFailure(`GID '${a.gid}' already exists with group '${name}'`);
  }
}

/** The result ansible-core's module ends with: name, state, what the command printed, and (the group there) system and its gid. */
function result(a: A, info: string[] | undefined, out = '', err = ''): ResultData {
  const r: ResultData = { name: a.name, state: a.state ?? 'present', ...(out ? { stdout: out } : {}), ...(err ? { stderr: err } : {}) };
  return info ? { ...r, system: a.system ?? false, gid: Number(info[2]) } : r;
}

/**
 * ansible.builtin.group on Linux: groupadd/groupmod/groupdel (lgroupadd/… with `local`) only where the
 * group differs; in check mode a group to create or remove gives `changed` alone, as the module exits then.
 */
export default defineModule({
  name: 'group',
  kind: 'state',
  description: 'ansible.builtin.group: a group present (its gid, -r for a system group, -o for a non-unique gid) or absent, through groupadd/groupmod/groupdel or, with local, libuser\'s lgroupadd/lgroupmod/lgroupdel.',
  args: Args,
  async check(ctx, a) {
    if (a.non_unique && a.gid === undefined) throw new ModuleFailure('non_unique is True but all of the following are missing: gid');
    const info = await entry(ctx, a);
    const target = `group ${a.name}`;
    if ((a.state ?? 'present') === 'absent') return info ? { kind: 'remove', target, data: {} } : { kind: 'ok', why: `group ${a.name} does not exist`, data: result(a, info) };
    if (!info) return { kind: 'create', target, fields: [{ path: 'gid', to: a.gid ?? '(next free)' }], data: {} };
    const have = Number(info[2]);
    if (a.gid === undefined || have === a.gid) return { kind: 'ok', why: `group ${a.name} exists (gid ${have})`, data: result(a, info) };
    await localGidFree(ctx, a);
    return { kind: 'modify', target, fields: [{ path: 'gid', from: have, to: a.gid }], data: result(a, info) };
  },
  async apply(ctx, a, diff) {
    const l = a.local ? 'l' : '';
    const gid = a.gid !== undefined ? ['-g', String(a.gid), ...(a.non_unique ? ['-o'] : [])] : [];
    let cmd: string[];
    if (diff.kind === 'remove') cmd = [`${l}groupdel`, a.name];
    else if (diff.kind === 'create') {
      await localGidFree(ctx, a);
      cmd = [`${l}groupadd`, ...gid, ...(a.system ? ['-r'] : []), a.name];
    } else cmd = [`${l}groupmod`, ...gid, a.name];
    const r = await ctx.exec(cmd, { signal: ctx.signal });
    if (r.rc !== 0) throw new ModuleFailure(r.stderr, { name: a.name });
    return result(a, await entry(ctx, a), r.stdout, r.stderr);
  },
});
