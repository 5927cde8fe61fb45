import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import { context, parseHtpasswd, renderHtpasswd } from '../lib/modules/util/passlib.js';

// The hashes htpasswd makes, checked by passlib itself (the host's Python: ansible-core's Debian
// package brings python3-passlib), as Apache, nginx or ansible-core would read them back; and a
// non-ASCII password, hashed as its UTF-8 bytes.
const SCHEMES = ['apr_md5_crypt', 'md5_crypt', 'des_crypt', 'ldap_sha1', 'plaintext', 'sha256_crypt', 'sha512_crypt', 'bcrypt'];
const PASSWORD = 'tractør 7';

test('htpasswd: every crypt_scheme makes a hash passlib takes for the password, and refuses for another', () => {
  const hashes = SCHEMES.map((s) => context(s).make(PASSWORD));
  const check = `import json, sys
from passlib.context import CryptContext
schemes, hashes, pw = json.load(sys.stdin)
print(json.dumps([[CryptContext(schemes=[s]).verify(p, h) for p in (pw, "x" + pw)] for s, h in zip(schemes, hashes)]))`;
  const out = JSON.parse(execFileSync('/usr/bin/python3', ['-c', check], { input: JSON.stringify([SCHEMES, hashes, PASSWORD]), encoding: 'utf8' })) as boolean[][];
  assert.deepEqual(Object.fromEntries(SCHEMES.map((s, i) => [s, out[i]])), Object.fromEntries(SCHEMES.map((s) => [s, [true, false]])));
  // and each is checked here too, by the scheme that identifies it first
  for (const [i, s] of SCHEMES.entries()) {
    const ctx = context(s);
    const file = parseHtpasswd(`u:${hashes[i]}\n`);
    const hash = file.records.get('u')!;
    assert.equal(ctx.schemes.find((x) => x.identify(hash))!.verify(PASSWORD, hash), true, s);
  }
});

test('htpasswd: the file as passlib 1.7.4 writes it again (its own output for these)', () => {
  // comments kept before their record, a record's trailing spaces dropped, a user's second line kept with what follows it
  const file = parseHtpasswd('# farm\nalice:x\n  # note\nbob:y  \nalice:z\n\n');
  assert.deepEqual([...file.records], [['alice', 'x'], ['bob', 'y']]);
  assert.equal(renderHtpasswd(file), '# farm\nalice:x\n  # note\nbob:y\nalice:z\n\n');
  // blank lines at the end dropped
  assert.equal(renderHtpasswd(parseHtpasswd('# farm\nalice:x\n\n\n')), '# farm\nalice:x\n');
  assert.throws(() => parseHtpasswd('a:b:c\n'), /malformed htpasswd file \(error reading line 1\)/);
});
