// The crypt(3) hashes the password_hash filter, the password lookup's encrypt= and the htpasswd
// module give: SHA crypt (the scheme's crypt id and passlib's default rounds, ansible-core's
// BaseHash.algorithms), md5_crypt and apr1 (apache-md5), bcrypt (bcryptjs); a random salt as
// ansible-core's random_salt makes one.
import { randomInt } from 'node:crypto';
import { createRequire } from 'node:module';
import type * as Bcrypt from 'bcryptjs';
import type * as Unixcrypt from 'unixcrypt';
import { lazyModule } from './lazy-module.js';

// (ESM only: resolved as an import)
const unixcrypt = lazyModule<typeof Unixcrypt>('unixcrypt', import.meta.url, (s) => import.meta.resolve(s));

const SCHEMES: Record<string, { id: string; saltSize: number; rounds: number }> = {
  sha256_crypt: { id: '5', saltSize: 16, rounds: 535000 },
  sha512_crypt: { id: '6', saltSize: 16, rounds: 656000 },
};
const SALT_CHARS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789./';

/** A scheme by its passlib name (sha512_crypt) or the filter's short one (sha512); undefined where not hashed here. */
export const cryptScheme = (name: string) => SCHEMES[name] ?? SCHEMES[`${name}_crypt`];

/** random_salt: `size` of letters, digits, '.' and '/'. */
export const randomSalt = (size = 16): string => Array.from({ length: size }, () => SALT_CHARS[randomInt(SALT_CHARS.length)]).join('');

/** The crypt(3) hash `$ID$rounds=N$SALT$…` of `plain`. */
export function cryptHash(plain: string, scheme: { id: string; rounds: number }, salt: string, rounds: number = scheme.rounds): string {
  // (5000, SHA crypt's own default, is left out of the hash, as passlib writes it)
  return unixcrypt.encrypt(plain, rounds === 5000 ? `$${scheme.id}$${salt}` : `$${scheme.id}$rounds=${rounds}$${salt}`);
}

/** Whether `plain` is the password of a crypt(3) SHA hash (`$5$…`, `$6$…`). */
export const cryptVerify = (plain: string, hash: string): boolean => unixcrypt.verify(plain, hash);

const bcrypt = lazyModule<typeof Bcrypt>('bcryptjs', import.meta.url);
const requireHere = createRequire(import.meta.url);
let md5: ((password: string, salt: string) => string) | undefined;

/**
 * md5_crypt (`$1$`) or Apache's apr_md5_crypt (`$apr1$`) of a password, its UTF-8 bytes as passlib
 * hashes them (apache-md5 takes one byte per character); `salt` up to 8 characters, or a whole
 * hash (its salt is taken).
 */
export function md5Crypt(plain: string, salt: string, magic: '$1$' | '$apr1$' = '$1$'): string {
  const given = salt.startsWith('$') ? salt : `${magic}${salt}$`;
  return (md5 ??= requireHere('apache-md5') as typeof md5)!(Buffer.from(plain, 'utf8').toString('latin1'), given);
}

/** bcrypt of a password at `rounds` (its cost), with a 22-character salt (random where none is given) and `ident` (2b, passlib's default; 2a, 2y). */
export function bcryptHash(plain: string, rounds = 12, salt?: string, ident = '2b'): string {
  const setting = salt === undefined ? bcrypt.genSaltSync(rounds) : `$2b$${String(rounds).padStart(2, '0')}$${salt}`;
  return `$${ident}$${bcrypt.hashSync(plain, setting).slice(4)}`;
}

/** Whether `plain` is the password of a bcrypt hash (`$2a$`, `$2b$`, `$2y$`). */
export const bcryptVerify = (plain: string, hash: string): boolean => bcrypt.compareSync(plain, hash);
