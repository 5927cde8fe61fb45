// ansible.posix.authorized_key, as its module decides: the file's lines parsed into keys (options,
// type, blob, comment; comment and other lines kept where they are), the given keys added after
// them in their order or, with exclusive, only them; a key whose options or comment differ is
// replaced; the file written as the module serializes it, only on a difference.
import { posix } from 'node:path';
import { Type } from '../source/vendor/typebox.js';
import { shq } from '../connections/quote.js';
import { defineModule, ModuleFailure, type ModuleCtx, type ResultData } from './types.js';
import { getent } from './util/run.js';

const Args = Type.Object(
  {
    user: Type.String(),
    key: Type.String({ description: 'One or more public keys, a line each (options before the key type are kept), or an http(s) URL the host fetches them from.' }),
    state: Type.Optional(Type.Union([Type.Literal('present'), Type.Literal('absent')])),
    path: Type.Optional(Type.String({ description: 'Default ~USER/.ssh/authorized_keys.' })),
    exclusive: Type.Optional(Type.Boolean({ description: 'Remove every other key (default false).' })),
    manage_dir: Type.Optional(Type.Boolean({ description: "Create the file's folder (0700, owned by the user) when missing (default true)." })),
    key_options: Type.Optional(Type.String({ description: 'Options put before each key (from="…",no-pty …).' })),
    comment: Type.Optional(Type.String({ description: "The keys' comment, in place of their own." })),
    follow: Type.Optional(Type.Boolean({ description: 'Write through a link at the path (default false).' })),
    validate_certs: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
type A = typeof Args.static;

const TYPES = new Set(['sk-ecdsa-sha2-nistp256@openssh.com', 'sk-ecdsa-sha2-nistp256-cert-v01@openssh.com', 'webauthn-sk-ecdsa-sha2-nistp256@openssh.com', 'ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp256-cert-v01@openssh.com', 'ecdsa-sha2-nistp384', 'ecdsa-sha2-nistp384-cert-v01@openssh.com', 'ecdsa-sha2-nistp521', 'ecdsa-sha2-nistp521-cert-v01@openssh.com', 'sk-ssh-ed25519@openssh.com', 'sk-ssh-ed25519-cert-v01@openssh.com', 'ssh-ed25519', 'ssh-ed25519-cert-v01@openssh.com', 'ssh-dss', 'ssh-rsa', 'ssh-xmss@openssh.com', 'ssh-xmss-cert-v01@openssh.com', 'rsa-sha2-256', 'rsa-sha2-512', 'ssh-rsa-cert-v01@openssh.com', 'rsa-sha2-256-cert-v01@openssh.com', 'rsa-sha2-512-cert-v01@openssh.com', 'ssh-dss-cert-v01@openssh.com']);

/** A line of the file: a key (its blob the identity), or any other line kept as it is ('skipped'). */
interface Key {
  id: string;
  type: string;
  options: [string, string | null][];
  comment: string;
  rank: number;
}

/** parseoptions: `a,b=c,d="x,y"` as ordered pairs (a comma inside quotes is the value's). */
function parseOptions(text: string | undefined): [string, string | null][] {
  if (!text) return [];
  return [...text.matchAll(/(?:[^,"']|"[^"]*"|'[^']*')+/g)].map(([part]) => {
    const eq = part.indexOf('=');
    return eq >= 0 ? [part.slice(0, eq), part.slice(eq + 1)] : [part, null];
  });
}

/** parsekey: options, type, blob and comment of a line (words split at white space, no quoting); undefined: no key type. */
function parseKey(raw: string, rank: number): Key | undefined {
  const line = raw.replaceAll('\\#', '#');
  const words = line.split(/\s+/).filter(Boolean);
  if (words[0] === '#') return { id: line, type: 'skipped', options: [], comment: '', rank };
  const at = words.findIndex((w) => TYPES.has(w));
  if (at < 0) return undefined;
  if (words[at + 1] === undefined) throw new ModuleFailure(`invalid key specified: ${raw}`);
  return { id: words[at + 1], type: words[at], options: parseOptions(at > 0 ? words.slice(0, at).join(' ') : undefined), comment: words.slice(at + 2).join(' '), rank };
}

/** Python's str.splitlines(True): each line with its end. */
const linesWithEnds = (text: string): string[] => text.match(/[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$/g) ?? [];

/** parsekeys: the file's keys by identity (a repeated key keeps its last line), other lines as themselves. */
function parseKeys(text: string): Map<string, Key> {
  const keys = new Map<string, Key>();
  linesWithEnds(text).forEach((line, rank) => {
    const k = parseKey(line, rank);
    keys.set(k ? k.id : line, k && k.type !== 'skipped' ? k : { id: line, type: 'skipped', options: [], comment: '', rank });
  });
  return keys;
}

/** serialize: by rank; a key as `options type blob comment`, another line as it was. */
function serialize(keys: Map<string, Key>): string {
  return [...keys.values()]
    .sort((x, y) => x.rank - y.rank)
    .map((k) => {
      if (k.type === 'skipped') return k.id;
      const options = k.options.length ? `${k.options.map(([o, v]) => (v === null ? o : `${o}=${v}`)).join(',')} ` : '';
      return `${options}${k.type} ${k.id} ${k.comment}\n`;
    })
    .join('');
}

/** Options as the module's keydict compares them: each name's values, whatever the names' order. */
function optionsKey(options: [string, string | null][]): string {
  const by = new Map<string, (string | null)[]>();
  for (const [o, v] of options) by.set(o, [...(by.get(o) ?? []), v]);
  return JSON.stringify([...by].sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)));
}

const same = (x: Key, y: Key): boolean => x.id === y.id && x.type === y.type && x.comment === y.comment && optionsKey(x.options) === optionsKey(y.options);

/** enforce_state: the file's new text, or undefined when it stays as it is. */
function enforce(a: A, keyText: string, existing: string): string | undefined {
  const keys = parseKeys(existing);
  const present = (a.state ?? 'present') === 'present';
  const wanted: string[] = [];
  const maxRank = keys.size;
  let write = false;
  keyText.split(/\r\n|\r|\n/).filter((s) => s && !s.startsWith('#')).forEach((line, rank) => {
    const parsed = parseKey(line, rank);
    if (!parsed || parsed.type === 'skipped') throw new ModuleFailure(`invalid key specified: ${line}`);
    const k: Key = { ...parsed, ...(a.key_options !== undefined ? { options: parseOptions(a.key_options) } : {}), ...(a.comment !== undefined ? { comment: a.comment } : {}) };
    const have = keys.get(k.id);
    const matched = have !== undefined && (same(k, have) || !present);
    if (present) {
      wanted.push(k.id);
      if (have && !matched) keys.delete(k.id);
      if (!matched) {
        keys.set(k.id, { ...k, rank: maxRank + k.rank });
        write = true;
      }
    } else if (matched) {
      keys.delete(k.id);
      write = true;
    }
  });
  if (present && a.exclusive) {
    for (const id of [...keys.keys()]) {
      if (wanted.includes(id)) continue;
      keys.delete(id);
      write = true;
    }
  }
  return write ? serialize(keys) : undefined;
}

/** The user's passwd entry (ansible-core's pwd.getpwnam), in its words when there is none. */
async function userOf(ctx: ModuleCtx, a: A): Promise<string[] | undefined> {
  const pw = await getent(ctx, 'passwd', a.user);
  if (pw) return pw;
  if (ctx.checkMode && a.path !== undefined) return undefined;
  if (ctx.checkMode) throw new ModuleFailure('Either user must exist or you must provide full path to key file in check mode');
  throw new ModuleFailure(`Failed to lookup user ${a.user}: "getpwnam(): name not found: '${a.user}'"`);
}

/** The keys to enforce: the text given, or what the host fetches from a URL. */
async function keysOf(ctx: ModuleCtx, a: A): Promise<string> {
  const key = a.key;
  if (!key.startsWith('http')) return key;
  const r = await ctx.exec(['curl', '-fsSL', ...(a.validate_certs === false ? ['-k'] : []), '--', key], { signal: ctx.signal });
  if (r.rc !== 0) throw new ModuleFailure(`Error getting key from: ${key}`);
  return r.stdout;
}

export default defineModule({
  name: 'authorized_key',
  kind: 'state',
  description: "Public keys in a user's authorized_keys (0600, the user's; its folder 0700): added after the file's own lines, replaced where their options or comment differ, removed, or exactly these (exclusive); as ansible.posix's module writes the file.",
  args: Args,
  async check(ctx, a) {
    const pw = await userOf(ctx, a);
    let keyfile = a.path ?? posix.join(pw![5], '.ssh', 'authorized_keys');
    if (a.follow) keyfile = (await ctx.exec(['realpath', '-m', '--', keyfile], { signal: ctx.signal })).stdout.trim() || keyfile;
    const keyText = await keysOf(ctx, a);
    const st = await ctx.files.stat(keyfile);
    const existing = st?.type === 'file' ? ((await ctx.files.read(keyfile))?.toString('utf8') ?? '') : '';
    const next = enforce(a, keyText, existing);
    const data: ResultData = { user: a.user, key: a.key, path: a.path ?? null, manage_dir: a.manage_dir ?? true, state: a.state ?? 'present', key_options: a.key_options ?? null, exclusive: a.exclusive ?? false, comment: a.comment ?? null, validate_certs: a.validate_certs ?? true, follow: a.follow ?? false, keyfile };
    if (next === undefined) return { kind: 'ok', why: `${keyfile} has the keys as asked`, data };
    return { kind: st ? 'modify' : 'create', target: keyfile, before: existing, after: next, data, keep: { text: next, uid: pw?.[2], gid: pw?.[3], dir: a.path === undefined ? posix.dirname(keyfile) : posix.dirname(a.path) } };
  },
  async apply(ctx, a, diff) {
    const { text, uid, gid, dir } = diff.keep as { text: string; uid: string; gid: string; dir: string };
    const f = shq(diff.target!);
    const owner = `${uid}:${gid}`;
    // keyfile(write=True): the folder made (one level, as os.mkdir) and given to the user, 0700; the file touched, the user's, 0600
    const manage = a.manage_dir !== false ? `if [ ! -e ${shq(dir)} ]; then mkdir -m 0700 ${shq(dir)} || exit 1; fi; chown ${owner} ${shq(dir)} && chmod 0700 ${shq(dir)} || exit 1; ` : '';
    const r = await ctx.exec({ shell: `${manage}if [ ! -e ${f} ]; then mkdir -p "$(dirname ${f})" && : > ${f} || exit 1; fi; chown ${owner} ${f}; chmod 0600 ${f}; true` }, { signal: ctx.signal });
    if (r.rc !== 0) throw new ModuleFailure(`Failed to create directory ${dir} : ${r.stderr.trim()}`);
    await ctx.files.write(diff.target!, Buffer.from(text), { mode: '0600', keep: { uid: Number(uid), gid: Number(gid) } });
    return diff.data;
  },
});
