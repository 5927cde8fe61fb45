import { Type } from '../source/vendor/typebox.js';
import { defineModule, type FieldChange } from './types.js';
import { getent, runOk } from './util/run.js';

const Args = Type.Object(
  {
    name: Type.String({ pattern: '^[a-z_][a-z0-9_.-]*\\$?$' }),
    state: Type.Optional(Type.Union([Type.Literal('present'), Type.Literal('absent')])),
    gid: Type.Optional(Type.Integer({ minimum: 0 })),
    system: Type.Optional(Type.Boolean({ description: 'A system group (groupadd -r) when created.' })),
  },
  { additionalProperties: false },
);

export default defineModule({
  name: 'group',
  kind: 'state',
  description: 'A local group (getent, then groupadd/groupmod/groupdel only on a difference).',
  args: Args,
  async check(ctx, a) {
    const have = await getent(ctx, 'group', a.name);
    const data = { name: a.name, state: a.state ?? 'present', gid: have ? Number(have[2]) : a.gid, system: a.system ?? false };
    if ((a.state ?? 'present') === 'absent') return have ? { kind: 'remove', target: `group ${a.name}`, data } : { kind: 'ok', why: `group ${a.name} does not exist`, data };
    if (!have) return { kind: 'create', target: `group ${a.name}`, fields: [{ path: 'gid', to: a.gid ?? '(next free)' }], data };
    const fields: FieldChange[] = a.gid !== undefined && Number(have[2]) !== a.gid ? [{ path: 'gid', from: Number(have[2]), to: a.gid }] : [];
    return fields.length ? { kind: 'modify', target: `group ${a.name}`, fields, data } : { kind: 'ok', why: `group ${a.name} exists (gid ${have[2]})`, data };
  },
  async apply(ctx, a, diff) {
    const gid = a.gid !== undefined ? ['-g', String(a.gid)] : [];
    if (diff.kind === 'remove') await runOk(ctx, ['groupdel', a.name]);
    else if (diff.kind === 'create') await runOk(ctx, ['groupadd', ...gid, ...(a.system ? ['-r'] : []), a.name]);
    else await runOk(ctx, ['groupmod', ...gid, a.name]);
    const now = await getent(ctx, 'group', a.name);
    return { name: a.name, state: a.state ?? 'present', gid: now ? Number(now[2]) : undefined };
  },
});
