// ansible-core's password lookup (lib/ansible/plugins/lookup/password.py): a random password,
// kept in a file on the controller (made 0600, its folder 0700) so the next run reads the same one;
// `/dev/null` keeps none. Its term: `PATH [length=N] [chars=spec,spec] [encrypt=sha512_crypt]`;
// with encrypt, the file keeps a salt after the password (` salt=…`) and the lookup gives the hash.
import { randomInt } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync, chmodSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { randomSalt } from '../../source/crypt.js';
import { madeScheme, passwordHash } from './password-hash.js';
import { PyRandom } from './pyrandom.js';

/** Python's string module's sets a `chars=` spec may name (any other spec is its own characters). */
const SETS: Record<string, string> = {
  ascii_letters: 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ',
  ascii_lowercase: 'abcdefghijklmnopqrstuvwxyz',
  ascii_uppercase: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ',
  digits: '0123456789',
  hexdigits: '0123456789abcdefABCDEF',
  octdigits: '01234567',
  punctuation: '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~',
  whitespace: ' \t\n\r\x0b\x0c',
};
SETS.printable = SETS.digits + SETS.ascii_letters + SETS.punctuation + SETS.whitespace;

const VALID = new Set(['length', 'encrypt', 'chars', 'ident', 'seed']);

/** A failure in the plugin's words (lookups.ts makes it the task's error). */
export class PasswordError extends Error {}

/**
 * One term's password (read from its file, or made and written there). The lookup's keywords
 * (`seed=`, `length=`, `chars=`) are the defaults of the term's own key=value words, as the
 * plugin's options; with a seed, the password is Python's random.Random(seed)'s, as ansible-core's.
 */
export function password(term: string, baseDir: string, kw: Record<string, unknown> = {}): string {
  const [relpath, given] = parse(term);
  const params: Record<string, string | undefined> = { ...Object.fromEntries([...VALID].filter((k) => kw[k] !== undefined && kw[k] !== null).map((k) => [k, String(kw[k])])), ...given };
  const scheme = params.encrypt ? madeScheme(params.encrypt) : undefined;
  if (params.encrypt && !scheme) throw new PasswordError(`password lookup: encrypt=${params.encrypt} is not supported by agri-play (md5_crypt, bcrypt, sha256_crypt, sha512_crypt)`);
  const length = Number.parseInt(params.length ?? '20', 10);
  if (!Number.isInteger(length)) throw new PasswordError(`password lookup: length=${params.length} is not an integer`);
  const chars = candidates(params.chars === undefined ? ['ascii_letters', 'digits', '.,:-_'] : specs(params.chars));
  const path = isAbsolute(relpath) ? relpath : resolve(baseDir, relpath);
  const kept = path !== '/dev/null' && existsSync(path) ? parseContent(readFileSync(path, 'utf8').trimEnd()) : undefined;
  let changed = !kept;
  let plain = kept?.password;
  if (plain === undefined) {
    if (!chars.length) throw new PasswordError('password lookup: no characters to make a password of');
    const seeded = params.seed !== undefined ? new PyRandom(params.seed) : undefined;
    const each = [...chars];
    plain = '';
    for (let i = 0; i < length; i++) plain += seeded ? seeded.choice(each) : chars[randomInt(chars.length)];
  }
  let salt = kept?.salt;
  if (scheme && !salt) {
    salt = randomSalt(scheme.saltSize);
    changed = true;
  }
  // (the file's ident first, the given one must be it; bcrypt's implicit one, 2b, kept in the file too)
  if (kept?.ident && params.ident && kept.ident !== params.ident) throw new PasswordError(`The ident parameter provided (${kept.ident}) does not match the stored one (${params.ident}).`);
  let ident = kept?.ident || params.ident;
  if (scheme?.ident && !ident) {
    ident = scheme.ident;
    changed = true;
  }
  if (changed && path !== '/dev/null') {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    writeFileSync(path, `${scheme || salt ? `${plain} salt=${salt}${ident ? ` ident=${ident}` : ''}` : plain}\n`, { mode: 0o600 });
    chmodSync(path, 0o600);
  }
  // (do_encrypt with the scheme's default rounds, as passlib writes them)
  return scheme ? passwordHash(plain, params.encrypt, salt, undefined, undefined, ident) : plain;
}

/** _parse_content: `PASSWORD[ salt=SALT[ ident=IDENT]]`, split at the last ` salt=` and then the last ` ident=`. */
function parseContent(content: string): { password: string; salt?: string; ident?: string } {
  const at = content.lastIndexOf(' salt=');
  if (at < 0) return { password: content };
  const rest = content.slice(at + 6);
  const id = rest.lastIndexOf(' ident=');
  return { password: content.slice(0, at), ...(id < 0 ? { salt: rest || undefined } : { salt: rest.slice(0, id), ident: rest.slice(id + 7) }) };
}

/** The plugin's "hacky parsing of params": the path, then key=value pairs. */
function parse(term: string): [string, Record<string, string>] {
  const space = term.indexOf(' ');
  if (space < 0) return [term, {}];
  const params: Record<string, string> = {};
  const words: string[] = [];
  for (const w of term.slice(space + 1).split(/\s+/).filter(Boolean)) {
    const eq = w.indexOf('=');
    if (eq > 0) params[w.slice(0, eq)] = w.slice(eq + 1);
    else words.push(w);
  }
  const relpath = [term.slice(0, space), ...words].join(' ');
  if (!term.startsWith(relpath)) throw new PasswordError('Unrecognized value after key=value parameters given to password lookup');
  const invalid = Object.keys(params).filter((k) => !VALID.has(k));
  if (invalid.length) throw new PasswordError(`Unrecognized parameter(s) given to password lookup: ${invalid.join(', ')}`);
  return [relpath, params];
}

/** `chars=ascii_letters,digits,,`: `,,` is a comma. */
function specs(chars: string): string[] {
  return [...(chars.includes(',,') ? [','] : []), ...chars.replaceAll(',,', ',').split(',').filter(Boolean)];
}

function candidates(specs: string[]): string {
  return specs
    .map((s) => SETS[s] ?? s)
    .join('')
    .replace(/["']/g, '');
}
