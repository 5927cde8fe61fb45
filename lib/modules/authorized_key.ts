import { posix } from 'node:path';
import { Type } from '../source/vendor/typebox.js';
import { defineModule, ModuleFailure } from './types.js';
import { applyEdit, checkEdit, joinLines, splitLines } from './util/edit.js';
import { getent, runOk } from './util/run.js';

const Args = Type.Object(
  {
    user: Type.String(),
    key: Type.String({ description: 'One or more public keys, a line each (options before the key type are kept).' }),
    state: Type.Optional(Type.Union([Type.Literal('present'), Type.Literal('absent')])),
    path: Type.Optional(Type.String({ description: 'Default ~USER/.ssh/authorized_keys.' })),
    exclusive: Type.Optional(Type.Boolean({ description: 'Remove every other key (default false).' })),
    manage_dir: Type.Optional(Type.Boolean({ description: 'Create ~/.ssh (0700, owned by the user) when missing (default true).' })),
  },
  { additionalProperties: false },
);

const TYPE = /^(ssh-(rsa|dss|ed25519)|ecdsa-sha2-nistp\d+|sk-(ssh-ed25519|ecdsa-sha2-nistp256)@openssh\.com)$/;
/** A key line's identity: its type and base64 blob (comments and options aside). */
function idOf(line: string): string | undefined {
  const words = line.trim().split(/\s+/);
  const i = words.findIndex((w) => TYPE.test(w));
  return i >= 0 && words[i + 1] ? `${words[i]} ${words[i + 1]}` : undefined;
}

export default defineModule({
  name: 'authorized_key',
  kind: 'state',
  description: "Public keys in a user's authorized_keys (0600, the user's; ~/.ssh 0700): added, removed, or exactly these (exclusive).",
  args: Args,
  async check(ctx, a) {
    const pw = await getent(ctx, 'passwd', a.user);
    if (!pw) throw new ModuleFailure(`no user ${a.user} on this host`);
    const group = (await getent(ctx, 'group', pw[3]))?.[0] ?? pw[3];
    const path = a.path ?? posix.join(pw[5], '.ssh', 'authorized_keys');
    const wanted = splitLines(a.key).lines.filter((l) => l.trim() && !l.trim().startsWith('#'));
    if (wanted.some((l) => !idOf(l))) throw new ModuleFailure(`not a public key: ${wanted.find((l) => !idOf(l))!.slice(0, 40)}…`);
    if ((a.state ?? 'present') === 'absent' && !(await ctx.files.stat(path))) return { kind: 'ok', why: `${path} does not exist`, data: { user: a.user, path } };
    const diff = await checkEdit(ctx, { path, create: true, mode: '0600', owner: a.user, group }, (text) => {
      const { lines } = splitLines(text);
      const ids = new Set(wanted.map(idOf));
      if ((a.state ?? 'present') === 'absent') return { text: joinLines(lines.filter((l) => !ids.has(idOf(l)))), msg: '' };
      const kept = a.exclusive ? [] : lines;
      const have = new Set(kept.map(idOf));
      return { text: joinLines([...kept, ...wanted.filter((w) => !have.has(idOf(w)))]), msg: '' };
    });
    return { ...diff, data: { ...diff.data, user: a.user, path, group } };
  },
  async apply(ctx, a, diff) {
    const { path, group } = diff.data as { path: string; group: string };
    const dir = posix.dirname(path);
    if (a.manage_dir !== false && !(await ctx.files.stat(dir))) {
      await ctx.files.mkdir(dir, '0700');
      await runOk(ctx, ['chown', `${a.user}:${group}`, dir]);
    }
    await applyEdit(ctx, { path, create: true, mode: '0600', owner: a.user, group }, diff);
  },
});
