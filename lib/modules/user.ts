import { Type } from '@sinclair/typebox';
import { defineModule, type FieldChange, type ModuleCtx } from './types.js';
import { shq } from '../connections/quote.js';
import { commandFailure, runOk } from './util/run.js';

const Args = Type.Object(
  {
    name: Type.String({ pattern: '^[a-z_][a-z0-9_.-]*\\$?$' }),
    state: Type.Optional(Type.Union([Type.Literal('present'), Type.Literal('absent')])),
    uid: Type.Optional(Type.Integer({ minimum: 0 })),
    group: Type.Optional(Type.String({ description: 'Primary group.' })),
    groups: Type.Optional(Type.Union([Type.Array(Type.String()), Type.String()], { description: 'Supplementary groups (list or comma-separated).' })),
    append: Type.Optional(Type.Boolean({ description: 'Add to groups, keeping others (default false: exactly these).' })),
    shell: Type.Optional(Type.String()),
    home: Type.Optional(Type.String()),
    comment: Type.Optional(Type.String()),
    create_home: Type.Optional(Type.Boolean({ description: 'Create the home folder (default true).' })),
    system: Type.Optional(Type.Boolean()),
    password: Type.Optional(Type.String({ description: 'Password hash (crypt format); never shown.' })),
    remove: Type.Optional(Type.Boolean({ description: 'With state=absent: remove the home folder too (userdel -r).' })),
  },
  { additionalProperties: false },
);
type A = typeof Args.static;

const list = (g: A['groups']) => (g === undefined ? undefined : (Array.isArray(g) ? g : g.split(',')).map((s) => s.trim()).filter(Boolean));

/** What the host has, in one round trip: passwd fields, primary group name, supplementary groups, the hash (root only). */
async function current(ctx: ModuleCtx, name: string) {
  const u = shq(name);
  const script = `pw=$(getent passwd ${u}) || exit 2\necho "$pw"\ngetent group "$(echo "$pw" | cut -d: -f4)" | cut -d: -f1\nid -Gn ${u}\ngetent shadow ${u} 2>/dev/null | cut -d: -f2\ntrue`;
  const r = await ctx.exec({ shell: script }, { signal: ctx.signal });
  if (r.rc === 2) return undefined;
  if (r.rc !== 0) throw commandFailure(['getent', 'passwd', name], r);
  const [line, group, groups, hash] = r.stdout.split('\n');
  const pw = line.split(':');
  const primary = group || pw[3];
  return { uid: Number(pw[2]), group: primary, groups: (groups ?? '').trim().split(/\s+/).filter((g) => g && g !== primary), comment: pw[4], home: pw[5], shell: pw[6], hash: hash || undefined };
}

function differences(a: A, have: NonNullable<Awaited<ReturnType<typeof current>>>): FieldChange[] {
  const out: FieldChange[] = [];
  const want = { uid: a.uid, group: a.group, comment: a.comment, home: a.home, shell: a.shell };
  for (const [k, v] of Object.entries(want)) if (v !== undefined && have[k as keyof typeof want] !== v) out.push({ path: k, from: have[k as keyof typeof want], to: v });
  const groups = list(a.groups);
  if (groups) {
    const missing = groups.filter((g) => !have.groups.includes(g));
    const extra = a.append ? [] : have.groups.filter((g) => !groups.includes(g));
    if (missing.length || extra.length) out.push({ path: 'groups', from: have.groups, to: a.append ? [...have.groups, ...missing] : groups });
  }
  if (a.password !== undefined && have.hash !== undefined && have.hash !== a.password) out.push({ path: 'password', from: '(hidden)', to: '(hidden)' });
  return out;
}

/** useradd/usermod options for what is asked (shared by both). */
function options(a: A): string[] {
  const o: string[] = [];
  const add = (flag: string, v: string | number | undefined) => v !== undefined && o.push(flag, String(v));
  add('-u', a.uid);
  add('-g', a.group);
  add('-s', a.shell);
  add('-d', a.home);
  add('-c', a.comment);
  add('-p', a.password);
  const groups = list(a.groups);
  if (groups) o.push('-G', groups.join(','));
  return o;
}

export default defineModule({
  name: 'user',
  kind: 'state',
  description: 'A local user account (getent/id, then useradd/usermod/userdel only on a difference); the password hash is never shown.',
  args: Args,
  async check(ctx, a) {
    if (a.password) ctx.secrets?.protect(a.password);
    const have = await current(ctx, a.name);
    const { hash: _h, ...shown } = have ?? {};
    const data = { name: a.name, state: a.state ?? 'present', ...shown };
    if ((a.state ?? 'present') === 'absent') return have ? { kind: 'remove', target: `user ${a.name}`, data } : { kind: 'ok', why: `user ${a.name} does not exist`, data };
    if (!have) return { kind: 'create', target: `user ${a.name}`, fields: [{ path: 'user', to: a.name }], data };
    const fields = differences(a, have);
    return fields.length ? { kind: 'modify', target: `user ${a.name}`, fields, data } : { kind: 'ok', why: `user ${a.name} is as asked`, data };
  },
  async apply(ctx, a, diff) {
    if (diff.kind === 'remove') await runOk(ctx, ['userdel', ...(a.remove ? ['-r'] : []), a.name]);
    else if (diff.kind === 'create') await runOk(ctx, ['useradd', ...options(a), ...(a.create_home === false ? ['-M'] : ['-m']), ...(a.system ? ['-r'] : []), a.name]);
    else await runOk(ctx, ['usermod', ...options(a), ...(a.append && a.groups !== undefined ? ['-a'] : []), a.name]);
    const { hash: _h, ...now } = (await current(ctx, a.name)) ?? {};
    return { name: a.name, state: a.state ?? 'present', ...now };
  },
});
