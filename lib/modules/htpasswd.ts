import { Type } from '../source/vendor/typebox.js';
import { defineModule, ModuleFailure, type Diff } from './types.js';
import { applyContent, checkContent, FileAttrs } from './util/content.js';
import { checkPassword, context, encodeUser, parseHtpasswd, renderHtpasswd, setHash } from './util/passlib.js';

const Args = Type.Object(
  {
    path: Type.String({ description: 'The password file.' }),
    name: Type.String({ description: 'The user.' }),
    password: Type.Optional(Type.Union([Type.String(), Type.Null()], { description: "The user's password (needed where the user is not in the file yet); never shown." })),
    crypt_scheme: Type.Optional(Type.String({ description: "The hash of a new password: apr_md5_crypt (default), des_crypt, ldap_sha1, plaintext, md5_crypt, sha256_crypt, sha512_crypt or bcrypt (passlib's names)." })),
    state: Type.Optional(Type.Union([Type.Literal('present'), Type.Literal('absent')])),
    create: Type.Optional(Type.Boolean({ description: 'Make the file (and its folders) where it is not there; default true.' })),
    ...FileAttrs,
  },
  { additionalProperties: false },
);
type A = typeof Args.static;

/** Python's str.strip() of a line leaving nothing (its whitespace, not BOM). */
const blank = (line: string) => /^[\s\x1c-\x1f\x85]*$/u.test(line.replace(/\ufeff/g, 'x'));

/**
 * The module's first step: a file with blank lines is written again without them (its lines as
 * Python's text mode reads them, `\r\n` and `\r` as `\n`), whatever else happens; in check mode a
 * copy is read instead.
 */
function withoutBlankLines(text: string): string | undefined {
  const lines = text.replace(/\r\n?/g, '\n').match(/[^\n]*\n|[^\n]+$/g) ?? [];
  return lines.some(blank) ? lines.filter((l) => !blank(l)).join('') : undefined;
}

/** What present() or absent() make of the file: its message, whether they changed it, its text after. */
function edit(a: A, text: string, crypt?: ReturnType<typeof context>): { msg: string; changed: boolean; after: string } {
  const file = parseHtpasswd(text);
  if (!crypt) {
    if (!file.records.has(a.name)) return { msg: `${a.name} not present`, changed: false, after: text };
    file.records.delete(a.name);
    return { msg: `Remove ${a.name}`, changed: true, after: renderHtpasswd(file) };
  }
  const password = given(a.password);
  if (checkPassword(file, crypt, a.name, password)) return { msg: `${a.name} already present`, changed: false, after: text };
  setHash(file, a.name, crypt.make(password));
  return { msg: `Add/update ${a.name}`, changed: true, after: renderHtpasswd(file) };
}

/** passlib's refusal of a missing password. */
function given(password: string | null | undefined): string {
  if (typeof password !== 'string') throw new ModuleFailure('secret must be unicode or bytes, not None');
  return password;
}

/**
 * community.general.htpasswd (6.6.2's module, ported): a user's line in an Apache/nginx password
 * file, as passlib's HtpasswdFile keeps it — a password that checks against the user's hash
 * (bcrypt, SHA crypt, apr1, DES crypt, {SHA} or plain) changes nothing, another is hashed anew in
 * crypt_scheme — then the file's mode, owner and group, which the module sets without saying so
 * (its main() drops what check_file_attrs answers: neither `changed` nor the message tell of
 * them); its messages. The hashes are made here: the host needs no passlib.
 */
export default defineModule({
  name: 'htpasswd',
  kind: 'state',
  description: "A user's password line in an htpasswd file (community.general.htpasswd): path, name, password, crypt_scheme, state, create; mode/owner/group.",
  args: Args,
  paths: ['path'],
  aliases: { dest: 'path', destfile: 'path', username: 'name' },
  async check(ctx, a) {
    const present = (a.state ?? 'present') === 'present';
    // (the module makes its CryptContext first: an unknown crypt_scheme fails whatever the file)
    const crypt = present ? context(a.crypt_scheme ?? 'apr_md5_crypt') : undefined;
    const have = await ctx.files.read(a.path);
    if (have === null) {
      if (!present) return { kind: 'ok', why: `${a.path} is not there`, data: { msg: `${a.name} not present`, warnings: [`${a.path} does not exist`] } };
      if (a.create === false) throw new ModuleFailure(`Destination ${a.path} does not exist`);
      if (ctx.checkMode) return { kind: 'create', target: a.path, fields: [{ path: 'content', to: a.name }], data: { msg: `Create ${a.path}` } };
      const hash = crypt!.make(given(a.password));
      return { kind: 'create', target: a.path, fields: [{ path: 'content', to: a.name }], data: { msg: `Created ${a.path} and added ${encodeUser(a.name)}` }, content: Buffer.from(`${a.name}:${hash}\n`) };
    }
    const text = have.toString('utf8');
    const stripped = withoutBlankLines(text);
    const { msg, changed, after } = edit(a, stripped ?? text, crypt);
    const content = Buffer.from(after);
    const d = await checkContent(ctx, a.path, content, a, { result: false });
    const attrs = d.kind === 'ok' ? [] : (d.fields ?? []).filter((f) => f.path !== 'content');
    if (changed) return { kind: 'modify', target: a.path, fields: [{ path: 'content', to: msg }, ...attrs], data: { msg }, content };
    // blank lines go and the attributes are set where nothing else changes too, reported unchanged
    if (ctx.checkMode || (stripped === undefined && !attrs.length)) return { kind: 'ok', why: msg, data: { msg } };
    return { kind: 'modify', target: a.path, fields: [...(stripped === undefined ? [] : [{ path: 'content' }]), ...attrs], data: { msg, changed: false }, content };
  },
  async apply(ctx, a, diff) {
    const content = diff.content!;
    const msg = diff.data?.msg;
    if (diff.kind !== 'create') {
      await applyContent(ctx, a.path, content, a, diff);
      return diff.data?.changed === false ? { msg, changed: false } : { msg };
    }
    // a new file is written as passlib writes it (0644 under the usual umask, its folders made), then its attributes set
    await applyContent(ctx, a.path, content, {}, { kind: 'create', target: a.path, fields: [] } as Exclude<Diff, { kind: 'ok' }>, true);
    const d = await checkContent(ctx, a.path, content, a, { result: false });
    if (d.kind !== 'ok') await applyContent(ctx, a.path, content, a, d);
    return { msg };
  },
});
