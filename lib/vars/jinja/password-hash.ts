// ansible-core 2.14's password_hash filter (get_encrypted_password, through passlib): a password's
// crypt(3) hash in md5_crypt, bcrypt (`blowfish`), sha256_crypt or sha512_crypt, with the salt,
// salt size, rounds and bcrypt ident given, else passlib's defaults.
import { bcryptHash, cryptHash, cryptScheme, md5Crypt, randomSalt } from '../../source/crypt.js';
import { PyError, num, str } from '../../source/python.js';
import { splitKw } from './methods.js';

/** The filter's names for passlib's schemes. */
const PASSLIB: Record<string, string> = { md5: 'md5_crypt', blowfish: 'bcrypt', sha256: 'sha256_crypt', sha512: 'sha512_crypt' };
/** passlib's schemes agri-play hashes: their salt size when none is given. */
const MADE: Record<string, number> = { md5_crypt: 8, bcrypt: 22, sha256_crypt: 16, sha512_crypt: 16 };
/** passlib's other crypt schemes ansible-core would hash with: known, not made here. */
const OTHERS = new Set(['apr_md5_crypt', 'bcrypt_sha256', 'bsdi_crypt', 'des_crypt', 'sha1_crypt', 'sun_md5_crypt', 'bigcrypt', 'crypt16', 'phpass', 'pbkdf2_sha256', 'pbkdf2_sha512', 'scrypt', 'argon2']);

const given = (v: unknown) => v !== undefined && v !== null;

/** A passlib scheme agri-play hashes (the password lookup's encrypt=): its salt size and implicit ident (bcrypt's 2b); undefined for another. */
export const madeScheme = (scheme: string): { saltSize: number; ident?: string } | undefined => (scheme in MADE ? { saltSize: MADE[scheme], ...(scheme === 'bcrypt' ? { ident: '2b' } : {}) } : undefined);

/** `password_hash(hashtype='sha512', salt=None, salt_size=None, rounds=None, ident=None)`, positionally or by name. */
export function passwordHash(secret: unknown, ...args: unknown[]): string {
  const [pos, kw] = splitKw(args);
  const [hashtype = kw.hashtype ?? 'sha512', salt = kw.salt, saltSize = kw.salt_size, rounds = kw.rounds, ident = kw.ident] = pos;
  const scheme = PASSLIB[str(hashtype)] ?? str(hashtype);
  if (!(scheme in MADE)) {
    if (OTHERS.has(scheme)) throw new PyError('AnsibleFilterError', `password_hash: ${scheme} is not made by agri-play (md5, blowfish, sha256, sha512)`);
    throw new PyError('AnsibleFilterError', `passlib does not support '${scheme}' algorithm. passlib does not support '${scheme}' algorithm`);
  }
  const s = given(salt) ? str(salt) : randomSalt(given(saltSize) ? num(saltSize) : MADE[scheme]);
  if (scheme === 'md5_crypt') {
    // (passlib's md5_crypt takes no rounds)
    if (given(rounds)) throw new PyError('TypeError', "MinimalHandler.using() got an unexpected keyword argument 'rounds'");
    return md5Crypt(str(secret), s);
  }
  if (scheme === 'bcrypt') return bcryptHash(str(secret), given(rounds) ? num(rounds) : 12, s, given(ident) ? str(ident) : '2b');
  const sha = cryptScheme(scheme)!;
  return cryptHash(str(secret), sha, s, given(rounds) ? num(rounds) : sha.rounds);
}
