import { posix } from 'node:path';
import { Type } from '../source/vendor/typebox.js';
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
    force: Type.Optional(Type.Boolean({ description: 'With state=absent: remove even if logged in (userdel -f).' })),
    update_password: Type.Optional(Type.Union([Type.Literal('always'), Type.Literal('on_create')], { description: 'on_create: set the password of a new user only.' })),
    generate_ssh_key: Type.Optional(Type.Boolean({ description: 'Make a key pair at ssh_key_file when there is none.' })),
    ssh_key_type: Type.Optional(Type.String()),
    ssh_key_bits: Type.Optional(Type.Integer()),
    ssh_key_file: Type.Optional(Type.String({ description: 'Relative to the home folder (default .ssh/id_TYPE).' })),
    ssh_key_comment: Type.Optional(Type.String()),
    ssh_key_passphrase: Type.Optional(Type.String()),
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
  if (a.password !== undefined && a.update_password !== 'on_create' && have.hash !== undefined && have.hash !== a.password) out.push({ path: 'password', from: '(hidden)', to: '(hidden)' });
  return out;
}

/** useradd/usermod options for what is asked (shared by both). */
function options(a: A, creating: boolean): string[] {
  const o: string[] = [];
  const add = (flag: string, v: string | number | undefined) => v !== undefined && o.push(flag, String(v));
  add('-u', a.uid);
  add('-g', a.group);
  add('-s', a.shell);
  add('-d', a.home);
  add('-c', a.comment);
  if (creating || a.update_password !== 'on_create') add('-p', a.password);
  const groups = list(a.groups);
  if (groups) o.push('-G', groups.join(','));
  return o;
}

const keyFile = (a: A, home: string) => posix.join(home, a.ssh_key_file ?? `.ssh/id_${a.ssh_key_type ?? 'rsa'}`);

/** generate_ssh_key: ssh-keygen as the user module runs it, only when the key file is missing; its public half in the result. */
async function sshKey(ctx: ModuleCtx, a: A, home: string): Promise<Record<string, unknown>> {
  const file = keyFile(a, home);
  const comment = a.ssh_key_comment ?? `ansible-generated on ${String(ctx.vars.ansible_hostname ?? ctx.host)}`;
  const gen = ['ssh-keygen', '-t', a.ssh_key_type ?? 'rsa', ...(a.ssh_key_bits ? ['-b', String(a.ssh_key_bits)] : []), '-C', comment, '-N', a.ssh_key_passphrase ?? '', '-f', file].map(shq).join(' ');
  const dir = shq(posix.dirname(file));
  const script = `[ -e ${shq(file)} ] || { mkdir -p ${dir} && chmod 0700 ${dir} && chown ${shq(a.name)}: ${dir} && ${gen} -q </dev/null && chown ${shq(a.name)}: ${shq(file)} ${shq(file + '.pub')}; } || exit 1
ssh-keygen -l -f ${shq(file + '.pub')}; cat ${shq(file + '.pub')}`;
  const [fingerprint, pub] = (await runOk(ctx, { shell: script })).split('\n');
  return { ssh_key_file: file, ssh_fingerprint: fingerprint, ssh_public_key: pub };
}

export default defineModule({
  name: 'user',
  kind: 'state',
  description: 'A local user account (getent/id, then useradd/usermod/userdel only on a difference); the password hash is never shown.',
  args: Args,
  aliases: { createhome: 'create_home' },
  async check(ctx, a) {
    if (a.password) ctx.secrets?.protect(a.password);
    if (a.ssh_key_passphrase) ctx.conceal(a.ssh_key_passphrase);
    const have = await current(ctx, a.name);
    const { hash: _h, ...shown } = have ?? {};
    const data = { name: a.name, state: a.state ?? 'present', ...shown };
    if ((a.state ?? 'present') === 'absent') return have ? { kind: 'remove', target: `user ${a.name}`, data } : { kind: 'ok', why: `user ${a.name} does not exist`, data };
    if (!have) return { kind: 'create', target: `user ${a.name}`, fields: [{ path: 'user', to: a.name }], data };
    const fields = differences(a, have);
    if (a.generate_ssh_key && !(await ctx.files.stat(keyFile(a, have.home)))) fields.push({ path: 'ssh_key', to: keyFile(a, have.home) });
    return fields.length ? { kind: 'modify', target: `user ${a.name}`, fields, data } : { kind: 'ok', why: `user ${a.name} is as asked`, data };
  },
  async apply(ctx, a, diff) {
    if (diff.kind === 'remove') await runOk(ctx, ['userdel', ...(a.force ? ['-f'] : []), ...(a.remove ? ['-r'] : []), a.name]);
    else if (diff.kind === 'create') await runOk(ctx, ['useradd', ...options(a, true), ...(a.create_home === false ? ['-M'] : ['-m']), ...(a.system ? ['-r'] : []), a.name]);
    else if (diff.fields?.some((f) => f.path !== 'ssh_key')) await runOk(ctx, ['usermod', ...options(a, false), ...(a.append && a.groups !== undefined ? ['-a'] : []), a.name]);
    const { hash: _h, ...now } = (await current(ctx, a.name)) ?? {};
    const home = 'home' in now ? now.home : undefined;
    const key = a.generate_ssh_key && diff.kind !== 'remove' && home ? await sshKey(ctx, a, home) : {};
    return { name: a.name, state: a.state ?? 'present', ...now, ...key };
  },
});
