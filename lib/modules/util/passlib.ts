// The password file of community.general.htpasswd, as passlib 1.7's HtpasswdFile reads, checks and
// writes it: its records and the lines it keeps, which scheme a stored hash is (the first of the
// file's CryptContext schemes whose `identify` takes it: plaintext takes anything), its check, and a
// new hash in the module's crypt_scheme. Hashes come from well-kept packages (apache-md5 for
// $apr1$ and $1$, apache-crypt for des_crypt, bcryptjs, unixcrypt for $5$/$6$; lib/source/crypt.ts), checked against
// passlib's own output in test/compat/htpasswd.yaml.
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { bcryptHash, bcryptVerify, cryptHash, cryptScheme, cryptVerify, md5Crypt, randomSalt } from '../../source/crypt.js';
import { ModuleFailure } from '../types.js';

const requireHere = createRequire(import.meta.url);
type Crypt = (password: string, salt: string) => string;
let des: Crypt | undefined;
/** apache-crypt takes a password of one byte per character: its UTF-8 bytes, as passlib hashes it. */
const desCrypt = (pw: string, salt: string) => (des ??= requireHere('apache-crypt') as Crypt)(Buffer.from(pw, 'utf8').toString('latin1'), salt);
const ldapSha1 = (pw: string) => `{SHA}${createHash('sha1').update(pw, 'utf8').digest('base64')}`;

interface Scheme {
  identify: (hash: string) => boolean;
  /** Null: only its salt (passlib's "config string"); a hash of another shape throws. */
  verify: (pw: string, hash: string) => boolean;
  make: (pw: string) => string;
}

const HASH64 = '[./0-9A-Za-z]';
/** A salt only, no checksum: passlib refuses it as a hash. */
const configOnly = (name: string): never => {
  throw new ModuleFailure(`expected ${name} hash, got ${name} config string instead`);
};
const md5Scheme = (magic: '$1$' | '$apr1$', name: string): Scheme => ({
  identify: (h) => h.startsWith(magic),
  verify: (pw, h) => (new RegExp(`^\\${magic.slice(0, -1)}\\$[^$]{0,8}$`).test(h) ? configOnly(name) : md5Crypt(pw, h) === h),
  make: (pw) => md5Crypt(pw, randomSalt(8), magic),
});
const shaScheme = (id: string, name: string): Scheme => ({
  identify: (h) => h.startsWith(`$${id}$`),
  verify: (pw, h) => cryptVerify(pw, h),
  make: (pw) => cryptHash(pw, cryptScheme(name)!, randomSalt(16)),
});

/** The schemes made and checked here, by passlib's names (its defaults: bcrypt's 2b ident and 12 rounds). */
const SCHEMES: Record<string, Scheme> = {
  bcrypt: { identify: (h) => /^\$2[abxy]?\$/.test(h), verify: bcryptVerify, make: (pw) => bcryptHash(pw) },
  sha256_crypt: shaScheme('5', 'sha256_crypt'),
  sha512_crypt: shaScheme('6', 'sha512_crypt'),
  apr_md5_crypt: md5Scheme('$apr1$', 'apr_md5_crypt'),
  md5_crypt: md5Scheme('$1$', 'md5_crypt'),
  des_crypt: {
    identify: (h) => new RegExp(`^${HASH64}{2}(${HASH64}{11})?$`).test(h),
    verify: (pw, h) => (h.length === 2 ? configOnly('des_crypt') : desCrypt(pw, h.slice(0, 2)) === h),
    make: (pw) => desCrypt(pw, randomSalt(2)),
  },
  ldap_sha1: { identify: (h) => h.startsWith('{SHA}'), verify: (pw, h) => ldapSha1(pw) === h, make: ldapSha1 },
  plaintext: { identify: () => true, verify: (pw, h) => pw === h, make: (pw) => pw },
};

/** community.general.htpasswd's apache_hashes: a crypt_scheme among them uses passlib's htpasswd_context. */
const APACHE = ['apr_md5_crypt', 'des_crypt', 'ldap_sha1', 'plaintext'];
/** passlib 1.7.4's htpasswd_context, in its order (its OS crypt schemes after plaintext, which takes any hash first). */
const HTPASSWD_CONTEXT = ['bcrypt', 'sha256_crypt', 'sha512_crypt', 'apr_md5_crypt', 'des_crypt', 'ldap_sha1', 'plaintext'];
/** passlib's other hash names (registry.list_crypt_handlers()): known to it, not made here. */
const PASSLIB_OTHERS = new Set('argon2 atlassian_pbkdf2_sha1 bcrypt_sha256 bigcrypt bsd_nthash bsdi_crypt cisco_asa cisco_pix cisco_type7 crypt16 cta_pbkdf2_sha1 django_argon2 django_bcrypt django_bcrypt_sha256 django_des_crypt django_disabled django_pbkdf2_sha1 django_pbkdf2_sha256 django_salted_md5 django_salted_sha1 dlitz_pbkdf2_sha1 fshp grub_pbkdf2_sha512 hex_md4 hex_md5 hex_sha1 hex_sha256 hex_sha512 htdigest ldap_bcrypt ldap_bsdi_crypt ldap_des_crypt ldap_hex_md5 ldap_hex_sha1 ldap_md5 ldap_md5_crypt ldap_pbkdf2_sha1 ldap_pbkdf2_sha256 ldap_pbkdf2_sha512 ldap_plaintext ldap_salted_md5 ldap_salted_sha1 ldap_salted_sha256 ldap_salted_sha512 ldap_sha1_crypt ldap_sha256_crypt ldap_sha512_crypt lmhash msdcc msdcc2 mssql2000 mssql2005 mysql323 mysql41 nthash oracle10 oracle11 pbkdf2_sha1 pbkdf2_sha256 pbkdf2_sha512 phpass postgres_md5 roundup_plaintext scram scrypt sha1_crypt sun_md5_crypt unix_disabled unix_fallback'.split(' '));

/** The module's CryptContext for a crypt_scheme: its schemes in order, the first its default. */
export function context(cryptScheme: string): { schemes: Scheme[]; make: Scheme['make'] } {
  const names = APACHE.includes(cryptScheme) ? HTPASSWD_CONTEXT : [cryptScheme, ...APACHE];
  for (const n of names) {
    if (SCHEMES[n]) continue;
    // (Python's str() of passlib's KeyError: its repr, in double quotes as the text holds single ones)
    if (!PASSLIB_OTHERS.has(n)) throw new ModuleFailure(`"no crypt handler found for algorithm: '${n}'"`);
    throw new ModuleFailure(`agri-play's htpasswd makes and checks ${Object.keys(SCHEMES).join(', ')} hashes, not ${n}`);
  }
  return { schemes: names.map((n) => SCHEMES[n]), make: SCHEMES[cryptScheme].make };
}

/** HtpasswdFile's check_password: undefined where the user has no record. */
export function checkPassword(file: HtFile, ctx: ReturnType<typeof context>, user: string, password: string): boolean | undefined {
  const hash = file.records.get(encodeUser(user));
  if (hash === undefined) return undefined;
  return ctx.schemes.find((s) => s.identify(hash))!.verify(password, hash);
}

/** passlib's _encode_field of a user name. */
export function encodeUser(user: string): string {
  if (Buffer.byteLength(user) > 255) throw new ModuleFailure(`user must be at most 255 characters: ${pyBytes(user)}`);
  if (/[:\n\r\t\0]/.test(user)) throw new ModuleFailure(`user contains invalid characters: ${pyBytes(user)}`);
  return user;
}

/** Python's repr of a text's UTF-8 bytes (b'…'), for the messages above. */
function pyBytes(s: string): string {
  const esc: Record<string, string> = { '\\': '\\\\', "'": "\\'", '\n': '\\n', '\r': '\\r', '\t': '\\t' };
  let out = '';
  for (const b of Buffer.from(s, 'utf8')) {
    const c = String.fromCharCode(b);
    out += esc[c] ?? (b >= 0x20 && b < 0x7f ? c : `\\x${b.toString(16).padStart(2, '0')}`);
  }
  return `b'${out}'`;
}

/** The file as HtpasswdFile holds it: its records, and its lines in order (a record's by its user, kept lines as they are). */
export interface HtFile {
  records: Map<string, string>;
  source: ({ kept: string } | { user: string })[];
}

/** _load_lines (bytes: ASCII whitespace): blank and `#` lines kept before the record after them (trailing blank ones dropped), a user's second line kept as it is. */
export function parseHtpasswd(text: string): HtFile {
  const records = new Map<string, string>();
  const source: HtFile['source'] = [];
  let kept = '';
  (text.match(/[^\n]*\n|[^\n]+$/g) ?? []).forEach((line, i) => {
    const tmp = line.replace(/^[ \t\n\r\v\f]+/, '');
    if (!tmp || tmp.startsWith('#')) return void (kept += line);
    const fields = line.replace(/[ \t\n\r\v\f]+$/, '').split(':');
    if (fields.length !== 2) throw new ModuleFailure(`malformed htpasswd file (error reading line ${i + 1})`);
    const [user, hash] = fields;
    if (records.has(user)) return void (kept += line);
    if (kept) source.push({ kept });
    kept = '';
    records.set(user, hash);
    source.push({ user });
  });
  if (/[^ \t\n\r\v\f]/.test(kept)) source.push({ kept });
  return { records, source };
}

/** _iter_lines: the file's text, each record `user:hash`. */
export function renderHtpasswd(file: HtFile): string {
  return file.source.map((s) => ('kept' in s ? s.kept : file.records.has(s.user) ? `${s.user}:${file.records.get(s.user)}\n` : '')).join('');
}

/** _set_record: a new user's line goes last. */
export function setHash(file: HtFile, user: string, hash: string): void {
  if (!file.records.has(user)) file.source.push({ user });
  file.records.set(user, hash);
}
