// ansible.builtin.user on Linux, as ansible-core's User class decides (shadow-utils' useradd,
// usermod, userdel and chage; libuser's luseradd, lusermod, luserdel, lchage and lgroupmod with
// `local`): what the host has is read in one round trip (its passwd and shadow entries and the
// group database), the commands are worked out from it as the module works them out, and run only
// on a difference. The password hash is never shown.
import { posix } from 'node:path';
import { Type } from '../source/vendor/typebox.js';
import { defineModule, ModuleFailure, type FieldChange, type ModuleCtx, type ResultData } from './types.js';
import { shq } from '../connections/quote.js';
import { readUser, type HostUser } from './util/user-read.js';
import { sshKey, sshKeyPath } from './util/user-ssh.js';

const Args = Type.Object(
  {
    name: Type.String({ description: 'The user (any name the host takes: Debian-exim too).' }),
    state: Type.Optional(Type.Union([Type.Literal('present'), Type.Literal('absent')])),
    uid: Type.Optional(Type.Integer({ minimum: 0 })),
    non_unique: Type.Optional(Type.Boolean({ description: 'With uid: allow a uid another user has (useradd -o).' })),
    seuser: Type.Optional(Type.String({ description: 'The SELinux user (useradd -Z).' })),
    group: Type.Optional(Type.String({ description: 'Primary group (name or gid).' })),
    groups: Type.Optional(Type.Union([Type.Array(Type.String()), Type.String()], { description: 'Supplementary groups (list or comma-separated); empty: none.' })),
    append: Type.Optional(Type.Boolean({ description: 'Add to groups, keeping others (default false: exactly these).' })),
    shell: Type.Optional(Type.String()),
    home: Type.Optional(Type.String()),
    skeleton: Type.Optional(Type.String({ description: 'The skeleton folder of a new home (useradd -k).' })),
    comment: Type.Optional(Type.String()),
    create_home: Type.Optional(Type.Boolean({ description: 'Create the home folder (default true).' })),
    move_home: Type.Optional(Type.Boolean({ description: 'A changed home: move the old one there (usermod -m).' })),
    system: Type.Optional(Type.Boolean()),
    password: Type.Optional(Type.String({ description: 'Password hash (crypt format); never shown.' })),
    password_lock: Type.Optional(Type.Boolean({ description: 'Lock (true) or unlock (false) the password (usermod -L/-U).' })),
    update_password: Type.Optional(Type.Union([Type.Literal('always'), Type.Literal('on_create')], { description: 'on_create: set the password of a new user only.' })),
    expires: Type.Optional(Type.Number({ description: 'Account expiry, seconds since the epoch; negative: none.' })),
    password_expire_max: Type.Optional(Type.Integer({ description: 'Maximum days between password changes (chage -M).' })),
    password_expire_min: Type.Optional(Type.Integer({ description: 'Minimum days between password changes (chage -m).' })),
    umask: Type.Optional(Type.String({ description: "The new home folder's umask (useradd -K UMASK=)." })),
    local: Type.Optional(Type.Boolean({ description: 'The local account files only, through libuser (luseradd, …).' })),
    remove: Type.Optional(Type.Boolean({ description: 'With state=absent: remove the home folder too (userdel -r).' })),
    force: Type.Optional(Type.Boolean({ description: 'With state=absent: remove even if logged in (userdel -f).' })),
    generate_ssh_key: Type.Optional(Type.Boolean({ description: 'Make a key pair at ssh_key_file when there is none.' })),
    ssh_key_type: Type.Optional(Type.String()),
    ssh_key_bits: Type.Optional(Type.Integer()),
    ssh_key_file: Type.Optional(Type.String({ description: 'Relative to the home folder (default .ssh/id_TYPE).' })),
    ssh_key_comment: Type.Optional(Type.String()),
    ssh_key_passphrase: Type.Optional(Type.String()),
    // (other systems' options, taken and not used on Linux, as ansible-core's Linux user)
    hidden: Type.Optional(Type.Boolean()),
    login_class: Type.Optional(Type.String()),
    profile: Type.Optional(Type.String()),
    authorization: Type.Optional(Type.String()),
    role: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);
export type UserArgs = typeof Args.static;

/** groups as the module joins them: a list's items, or a text's comma-separated names. */
const groupsText = (g: UserArgs['groups']): string | undefined => (g === undefined ? undefined : Array.isArray(g) ? g.join(',') : g);
const groupSet = (g: string): string[] => [...new Set(g.split(',').map((x) => x.trim()).filter(Boolean))];

/** The date useradd/usermod -e take (ansible-core's DATE_FORMAT, of the time in UTC). */
const day = (seconds: number): string => new Date(Math.floor(seconds) * 1000).toISOString().slice(0, 10);

/** A group by name or gid, as ansible-core's group_exists/group_info look it up. */
function groupOf(have: HostUser, g: string): { name: string; gid: number } | undefined {
  if (/^\d+$/.test(g)) {
    const byGid = have.groups.find((x) => x.gid === Number(g));
    if (byGid) return byGid;
  }
  return have.groups.find((x) => x.name === g);
}

function needGroup(have: HostUser, g: string): { name: string; gid: number } {
  const found = groupOf(have, g);
  if (!found) throw new ModuleFailure(`Group ${g} does not exist`);
  return found;
}

/** The commands that make the user (create_user_useradd), `local` through libuser. */
function createCommands(a: UserArgs, have: HostUser): string[][] {
  const cmd = [a.local ? 'luseradd' : 'useradd'];
  if (a.uid !== undefined) cmd.push('-u', String(a.uid), ...(a.non_unique ? ['-o'] : []));
  if (a.seuser !== undefined) cmd.push('-Z', a.seuser);
  if (a.group !== undefined) {
    needGroup(have, a.group);
    cmd.push('-g', a.group);
  } else if (groupOf(have, a.name)) cmd.push(a.local ? '-n' : '-N');
  const text = groupsText(a.groups);
  const groups = text ? groupSet(text) : [];
  groups.forEach((g) => needGroup(have, g));
  if (groups.length && !a.local) cmd.push('-G', groups.join(','));
  if (a.comment !== undefined) cmd.push('-c', a.comment);
  if (a.home !== undefined) cmd.push('-d', a.home);
  if (a.shell !== undefined) cmd.push('-s', a.shell);
  if (a.expires !== undefined && !a.local) cmd.push('-e', a.expires < 0 ? '' : day(a.expires));
  if (a.password !== undefined) cmd.push('-p', a.password_lock ? `!${a.password}` : a.password);
  if (a.create_home !== false) {
    if (!a.local) cmd.push('-m');
    if (a.skeleton !== undefined) cmd.push('-k', a.skeleton);
    if (a.umask !== undefined) cmd.push('-K', `UMASK=${a.umask}`);
  } else cmd.push('-M');
  if (a.system) cmd.push('-r');
  cmd.push(a.name);
  // (useradd makes no parent folder of a home: they are made first, as the module does)
  const out = a.home !== undefined && a.create_home !== false && !have.homeParentExists ? [['mkdir', '-p', posix.dirname(a.home)], cmd] : [cmd];
  if (!a.local) return out;
  if (a.expires !== undefined) out.push(['lchage', '-E', String(a.expires < 0 ? -1 : Math.floor(Math.floor(a.expires) / 86400)), a.name]);
  for (const g of groups) out.push(['lgroupmod', '-M', a.name, g]);
  return out;
}

/** What a change does: its commands and, for the step's diff, its fields (a password never shown). */
interface Plan {
  commands: string[][];
  fields: FieldChange[];
}

/** The commands that change the user (modify_user_usermod), none when it is as asked. */
function modifyCommands(a: UserArgs, have: HostUser): Plan {
  const u = have.user!;
  const cmd = [a.local ? 'lusermod' : 'usermod'];
  const fields: FieldChange[] = [];
  const set = (path: string, from: unknown, to: unknown, ...args: string[]): void => {
    cmd.push(...args);
    fields.push({ path, from, to });
  };
  if (a.uid !== undefined && u.uid !== a.uid) set('uid', u.uid, a.uid, '-u', String(a.uid), ...(a.non_unique ? ['-o'] : []));
  if (a.group !== undefined) {
    const g = needGroup(have, a.group);
    if (u.gid !== g.gid) set('group', u.gid, g.gid, '-g', String(g.gid));
  }
  const text = groupsText(a.groups);
  let add: string[] = [];
  let del: string[] = [];
  if (text !== undefined) {
    // every group the user is a member of, its primary one too (ansible-core's exclude_primary=False)
    const current = have.groups.filter((g) => g.members.includes(a.name)).map((g) => g.name);
    const wanted = text === '' ? [] : groupSet(text);
    wanted.forEach((g) => needGroup(have, g));
    const differ = [...wanted.filter((g) => !current.includes(g)), ...current.filter((g) => !wanted.includes(g))];
    const change = text === '' ? current.length > 0 && !a.append : a.append ? wanted.some((g) => differ.includes(g)) : differ.length > 0;
    if (change && a.local) {
      add = wanted.filter((g) => !current.includes(g));
      del = a.append ? [] : current.filter((g) => !wanted.includes(g));
      fields.push({ path: 'groups', from: current, to: a.append ? [...current, ...add] : wanted });
    } else if (change) set('groups', current, a.append ? [...current, ...wanted.filter((g) => !current.includes(g))] : wanted, ...(a.append ? ['-a'] : []), '-G', wanted.join(','));
  }
  if (a.comment !== undefined && u.comment !== a.comment) set('comment', u.comment, a.comment, '-c', a.comment);
  if (a.home !== undefined && u.home !== a.home) set('home', u.home, a.home, '-d', a.home, ...(a.move_home ? ['-m'] : []));
  if (a.shell !== undefined && u.shell !== a.shell) set('shell', u.shell, a.shell, '-s', a.shell);
  let lexpires: number | undefined;
  if (a.expires !== undefined) {
    const current = have.shadow?.expire ?? -1;
    const from = current < 0 ? null : day(current * 86400);
    if (a.expires < 0) {
      if (current >= 0) {
        if (a.local) lexpires = -1;
        set('expires', from, null, ...(a.local ? [] : ['-e', '']));
      }
    } else if (current < 0 || from !== day(a.expires)) {
      if (a.local) lexpires = Math.floor(Math.floor(a.expires) / 86400);
      set('expires', from, day(a.expires), ...(a.local ? [] : ['-e', day(a.expires)]));
    }
  }
  const hash = have.shadow?.hash ?? '';
  const newHash = a.update_password !== 'on_create' && a.password !== undefined && hash.replace(/^!+/, '') !== a.password.replace(/^!+/, '');
  // (usermod refuses -L/-U with -p: a new hash carries the lock itself)
  if (newHash) set('password', undefined, '(hidden)', '-p', a.password_lock ? `!${a.password!}` : a.password!);
  if (a.password_lock && !hash.startsWith('!')) set('password_lock', false, true, ...(newHash ? [] : ['-L']));
  else if (a.password_lock === false && hash.startsWith('!')) set('password_lock', true, false, ...(newHash ? [] : ['-U']));
  const commands = cmd.length > 1 ? [[...cmd, a.name]] : [];
  if (a.local && lexpires !== undefined) commands.push(['lchage', '-E', String(lexpires), a.name]);
  if (a.local) for (const [flag, list] of [['-M', add], ['-m', del]] as const) for (const g of list) commands.push(['lgroupmod', flag, a.name, g]);
  return { commands, fields };
}

/** set_password_expire: chage -m/-M where the shadow entry differs. */
function chageCommand(a: UserArgs, have: HostUser): Plan | undefined {
  const min = a.password_expire_min !== undefined && a.password_expire_min !== have.shadow?.min;
  const max = a.password_expire_max !== undefined && a.password_expire_max !== have.shadow?.max;
  if (!min && !max) return undefined;
  return {
    commands: [['chage', ...(min ? ['-m', String(a.password_expire_min)] : []), ...(max ? ['-M', String(a.password_expire_max)] : []), a.name]],
    fields: [...(min ? [{ path: 'password_expire_min', from: have.shadow?.min, to: a.password_expire_min }] : []), ...(max ? [{ path: 'password_expire_max', from: have.shadow?.max, to: a.password_expire_max }] : [])],
  };
}

/** Runs the commands in order; the first that fails fails the task, with its stderr as the message. */
async function runAll(ctx: ModuleCtx, a: UserArgs, cmds: string[][]): Promise<{ stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  for (const c of cmds) {
    // (its output as run_command gives it: a final newline kept)
    const r = await ctx.exec(c, { signal: ctx.signal, keepEnds: true });
    if (r.rc === 127) throw new ModuleFailure(`Failed to find required executable "${c[0]}" in paths: /usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin`);
    // (ansible-core's fail_json(name=…, msg=err, rc=rc): the command's stderr as it is)
    if (r.rc !== 0) throw new ModuleFailure(r.stderr, { name: a.name, rc: r.rc });
    ((stdout += r.stdout), (stderr += r.stderr));
  }
  return { stdout, stderr };
}

/**
 * create_homedir and chown_homedir: the skeleton copied (else an empty folder), its mode from
 * login.defs' UMASK, everything in it the user's.
 */
function makeHome(home: string, skeleton: string, u: { uid: number; gid: number }): string {
  const h = shq(home);
  const s = shq(skeleton);
  return `if [ -d ${s} ]; then mkdir -p "$(dirname ${h})" && cp -a ${s} ${h}; else mkdir -p ${h}; fi || exit 1
m=$(awk '$1 == "UMASK" && NF == 2 && $2 ~ /^[0-9]+$/ { m = $2 } END { print m }' /etc/login.defs 2>/dev/null)
if [ -n "$m" ]; then chmod "$(printf '%o' $((0777 & ~0$m)))" ${h} || exit 1; fi
chown -R ${u.uid}:${u.gid} ${h}`;
}

/** check_password_encrypted: a password that does not look like a crypt hash is warned of (it is set as it is). */
function plaintextWarning(pw: string | undefined): string[] {
  if (!pw || ['*', '!', '*************'].includes(pw)) return [];
  const fields = pw.split('$');
  const last = fields[fields.length - 1];
  const lengths: Record<string, number> = { '1': 22, '5': 43, '6': 86 };
  const invalid = /[:*!]/.test(pw) || !pw.includes('$') || fields.length < 3 || /[^a-zA-Z0-9./=]/.test(last) || (lengths[fields[1]] !== undefined && last.length !== lengths[fields[1]]);
  return invalid ? ["The input password appears not to have been hashed. The 'password' argument must be encrypted for this module to work properly."] : [];
}

/** The module's warnings: append without groups, a password that is no hash, `local` and a user not in /etc/passwd. */
function warningsOf(a: UserArgs, have: HostUser): string[] {
  const out: string[] = [];
  if (a.groups === undefined && a.append) out.push("'append' is set, but no 'groups' are specified. Use 'groups' for appending new groups.This will change to an error in Ansible 2.14.");
  out.push(...plaintextWarning(a.password));
  if (a.local && !have.inPasswdFile) out.push(`'local: true' specified and user '${a.name}' was not found in /etc/passwd. The local user account may already exist if the local account database exists somewhere other than /etc/passwd.`);
  return out;
}

/** What ansible-core's main() returns for a user that is there: its passwd fields (group: the gid), and groups as given. */
function present(a: UserArgs, u: NonNullable<HostUser['user']>): ResultData {
  const groups = groupsText(a.groups);
  return { uid: u.uid, group: u.gid, comment: u.comment, home: u.home, shell: u.shell, ...(groups !== undefined ? { groups } : {}) };
}

export default defineModule({
  name: 'user',
  kind: 'state',
  description: 'A local user account (its passwd and shadow entries and groups read once, then useradd/usermod/userdel/chage only on a difference); the password hash is never shown.',
  args: Args,
  aliases: { createhome: 'create_home' },
  // (the module reads None as `if self.create_home`)
  noneIsFalse: ['create_home'],
  async check(ctx, a) {
    if (a.password) ctx.secrets?.protect(a.password);
    if (a.ssh_key_passphrase) ctx.conceal(a.ssh_key_passphrase);
    if (a.umask !== undefined && a.local) throw new ModuleFailure("'umask' can not be used with 'local'");
    const have = await readUser(ctx, a.name, a.home, a.group !== undefined || a.groups !== undefined);
    const state = a.state ?? 'present';
    const warnings = warningsOf(a, have);
    const base = { name: a.name, state, ...(warnings.length ? { warnings } : {}) };
    const warned = warnings.length ? { warnings } : {};
    // (`local`: the user is one of the local passwd file's, whatever else NSS knows)
    if (a.local && !have.inPasswdFile) have.user = undefined;
    if (state === 'absent') return have.user ? { kind: 'remove', target: `user ${a.name}`, data: warned, keep: { commands: [[a.local ? 'luserdel' : 'userdel', ...(a.force && !a.local ? ['-f'] : []), ...(a.remove ? ['-r'] : []), a.name]] } } : { kind: 'ok', why: `user ${a.name} does not exist`, data: base };
    if (!have.user) return { kind: 'create', target: `user ${a.name}`, fields: [{ path: 'user', to: a.name }], data: warned, keep: { commands: createCommands(a, have) } };
    const mod = modifyCommands(a, have);
    const chage = chageCommand(a, have);
    const home = a.home ?? have.user.home;
    const makeHome = a.create_home !== false && !have.homeExists;
    const key = a.generate_ssh_key && !(await ctx.files.stat(sshKeyPath(a, home)));
    const data = { ...base, ...present(a, have.user), append: a.append ?? false, move_home: a.move_home ?? false, ...(a.password !== undefined ? { password: 'NOT_LOGGING_PASSWORD' } : {}) };
    if (!mod.commands.length && !chage && !makeHome && !key) return { kind: 'ok', why: `user ${a.name} is as asked`, data: a.generate_ssh_key ? { ...data, ...(await sshKey(ctx, a, home, false)) } : data };
    const fields = [...mod.fields, ...(chage?.fields ?? []), ...(makeHome ? [{ path: 'home', to: home }] : []), ...(key ? [{ path: 'ssh_key', to: sshKeyPath(a, home) }] : [])];
    return { kind: 'modify', target: `user ${a.name}`, fields, data, keep: { commands: mod.commands } };
  },
  async apply(ctx, a, diff) {
    const state = a.state ?? 'present';
    const pending = diff.keep as { commands: string[][] } | undefined;
    // (the check's warnings: `local`'s is of the user as it was)
    const warned = diff.data?.warnings ? { warnings: diff.data.warnings } : {};
    if (diff.kind === 'remove') {
      const r = await runAll(ctx, a, pending?.commands ?? []);
      return { name: a.name, state, force: a.force ?? false, remove: a.remove ?? false, ...warned, ...(r.stdout ? { stdout: r.stdout } : {}), ...(r.stderr ? { stderr: r.stderr } : {}) };
    }
    const ran = await runAll(ctx, a, pending?.commands ?? []);
    const have = await readUser(ctx, a.name, a.home, a.group !== undefined || a.groups !== undefined);
    if (!have.user) throw new ModuleFailure(`failed to look up user name: ${a.name}`);
    const home = a.home ?? have.user.home;
    // a home that is not there is made (and given to the user), as ansible-core's main()
    if (a.create_home !== false && !have.homeExists) await runAll(ctx, a, [['sh', '-c', makeHome(home, a.skeleton ?? '/etc/skel', have.user)]]);
    const chage = chageCommand(a, have);
    if (chage) await runAll(ctx, a, chage.commands);
    const created = diff.kind === 'create' ? { system: a.system ?? false, create_home: a.create_home ?? true } : { append: a.append ?? false, move_home: a.move_home ?? false };
    const key = a.generate_ssh_key ? await sshKey(ctx, a, home, true) : {};
    return {
      name: a.name, state, ...created, ...warned,
      ...(a.password !== undefined ? { password: 'NOT_LOGGING_PASSWORD' } : {}),
      ...(ran.stdout ? { stdout: ran.stdout } : {}), ...(ran.stderr ? { stderr: ran.stderr } : {}),
      ...present(a, have.user), ...key,
    };
  },
});
