import { Protocol as SshProtocol } from '../../source/vendor/ssh2.js';

type Key = { isPrivateKey?(): boolean; sign(data: Buffer, hash?: string): Buffer | Error };
type AuthPK = (this: unknown, user: string, key: Key, keyAlgo?: string | ((...a: unknown[]) => void), cbSign?: (data: Buffer, cb: (sig: Buffer) => void) => void) => void;

/** The hash each public-key algorithm signs with (ssh2's pairs: RSA's by name, the others by the key). */
const HASH: Record<string, string | undefined> = { 'rsa-sha2-256': 'sha256', 'rsa-sha2-512': 'sha512', 'ssh-rsa': 'sha1' };

let patched = false;

/**
 * Public-key authentication in one round trip instead of two: ssh2 first asks whether the server
 * would accept the key (USERAUTH_REQUEST without a signature, then PK_OK) and only then signs.
 * RFC 4252 §7 lets a client send the signature at once; OpenSSH answers SUCCESS or FAILURE, and
 * ssh2 handles a FAILURE as it would a refused query (the next key or method). ssh2 has no option
 * for it, so its Protocol.authPK (the vendor bundle's: ../../source/vendor/ssh2.ts) signs when it
 * holds the private key. Only private keys a run loaded itself are ever passed to it (agent keys
 * stay on the two-trip path: no private key here).
 */
export function signFirst(): void {
  if (patched) return;
  patched = true;
  const Protocol = SshProtocol as { prototype: { authPK: AuthPK } };
  const original = Protocol.prototype.authPK;
  Protocol.prototype.authPK = function (this: unknown, user, key, keyAlgo, cbSign) {
    if (!cbSign && typeof keyAlgo !== 'function' && typeof key?.isPrivateKey === 'function' && key.isPrivateKey()) {
      const hash = keyAlgo ? HASH[keyAlgo] : undefined;
      return original.call(this, user, key, keyAlgo, (data, done) => {
        const sig = key.sign(data, hash);
        if (sig instanceof Error) throw sig;
        done(sig);
      });
    }
    return original.call(this, user, key, keyAlgo, cbSign);
  };
}
