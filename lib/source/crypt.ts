// The SHA crypt hashes (sha256_crypt, sha512_crypt) the password_hash filter, the password
// lookup's encrypt= and the htpasswd module give: the scheme's crypt id and passlib's default rounds
// (ansible-core's BaseHash.algorithms), a random salt as its random_salt makes one.
import { randomInt } from 'node:crypto';
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
  return unixcrypt.encrypt(plain, `$${scheme.id}$rounds=${rounds}$${salt}`);
}

/** Whether `plain` is the password of a crypt(3) SHA hash (`$5$…`, `$6$…`). */
export const cryptVerify = (plain: string, hash: string): boolean => unixcrypt.verify(plain, hash);
