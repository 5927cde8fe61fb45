import { execFileSync } from 'node:child_process';
import { accessSync, constants, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { randomBytes } from 'node:crypto';

/**
 * Ansible Vault: `$ANSIBLE_VAULT;1.1;AES256` (or 1.2 with a vault id) text, decrypted with the
 * secrets the run was given (--vault-password-file, --vault-id, --ask-vault-pass, ansible.cfg's
 * vault_password_file / vault_identity_list). The cipher itself is the `ansible-vault` package's
 * (PBKDF2-SHA256, AES-256-CTR, HMAC-SHA256), loaded only when something is vaulted.
 */
export const VAULT_HEADER = '$ANSIBLE_VAULT;';

export interface VaultSecret {
  /** The vault id's label ('default' without one). */
  id: string;
  password: string;
}

/** Decryption failed; the message is ansible-core's. */
export class VaultError extends Error {
  override name = 'VaultError';
}

let secrets: VaultSecret[] = [];
let reveal: (plain: string) => void = () => undefined;
const plain = new Map<string, string>();

/** The run's vault secrets, and where each decrypted text goes (the redactor: it is never printed). */
export function useVaultSecrets(list: VaultSecret[], onReveal: (plain: string) => void = () => undefined): void {
  secrets = list;
  reveal = onReveal;
  plain.clear();
}

/** The text values of a vaulted file (each is as secret as the file). */
export function revealVaulted(value: unknown): void {
  if (typeof value === 'string') reveal(value);
  else if (Array.isArray(value)) value.forEach(revealVaulted);
  else if (value && typeof value === 'object') Object.values(value).forEach(revealVaulted);
}

/**
 * The texts of `!vault` values (ansible-core's AnsibleVaultEncryptedUnicode: the `vault_encrypted`
 * test is true for them). A text is known by its value: the same text written in the clear is taken
 * for it too.
 */
const tagged = new Map<string, string>();
/** Marks a `!vault` value's text (decrypted, or the failure that stands for it), keeping its ciphertext. */
export const vaultTagged = (text: string, ciphertext: string): string => (tagged.set(text, ciphertext), text);
export const isVaultTagged = (v: unknown): boolean => typeof v === 'string' && tagged.has(v);
/** A `!vault` value's ciphertext as written (what AnsibleDumper and AnsibleJSONEncoder print of it). */
export const vaultCiphertext = (v: string): string | undefined => tagged.get(v);

/** Whether the run has any vault secret. */
export const hasVaultSecrets = (): boolean => secrets.length > 0;

export const isVaulted = (text: string | Buffer): boolean => (typeof text === 'string' ? text.trimStart() : text.subarray(0, 64).toString('latin1').trimStart()).startsWith(VAULT_HEADER);

type Cipher = { decryptSync(vault: string, id: string | undefined): string | undefined };
let VaultClass: (new (o: { password: string }) => Cipher) | undefined;
const cipher = (password: string): Cipher => new (VaultClass ??= (createRequire(import.meta.url)('ansible-vault') as { Vault: NonNullable<typeof VaultClass> }).Vault)({ password });

/**
 * The text of vaulted `text` (`where` names it in errors, but for the failure of an `inline` `!vault` value). As ansible-core, a 1.2 text's own vault
 * id is tried first, then every other secret.
 */
export function decryptVault(text: string, where: string, inline = false): string {
  const key = text.trim();
  const hit = plain.get(key);
  if (hit !== undefined) return hit;
  if (!secrets.length) throw new VaultError('Attempting to decrypt but no vault secrets found (give --vault-password-file, --vault-id or --ask-vault-pass)');
  const label = key.split('\n')[0].split(';')[3]?.trim();
  const order = [...secrets.filter((s) => s.id === label), ...secrets.filter((s) => s.id !== label)];
  for (const s of order) {
    let out: string | undefined;
    try {
      out = cipher(s.password).decryptSync(key, undefined);
    } catch (e) {
      if (/Bad vault header|Invalid vault/.test((e as Error).message)) throw new VaultError(`${where}: not a valid vault text (${(e as Error).message})`);
      continue;
    }
    if (out === undefined) continue;
    plain.set(key, out);
    reveal(out);
    return out;
  }
  // (a file's name after it, as VaultLib.decrypt's filename; none for an `inline` `!vault` value, as AnsibleVaultEncryptedUnicode gives none)
  throw new VaultError(`Decryption failed (no vault secrets were found that could decrypt)${inline ? '' : ` on ${where}`}`);
}

type Raw = { _derivedKeySync(salt: Buffer): unknown; _cipher(secret: string, id: string | undefined, salt: Buffer, key: unknown): string };

/**
 * ansible-core's `vault` filter: `plain` encrypted with `password` (VaultAES256; a given salt's
 * bytes, else 32 random ones), in the envelope format_vaulttext_envelope writes: 1.2 with the vault
 * id unless it is `default`, 80-character lines, a final newline.
 */
export function encryptVault(plain: string, password: string, vaultId: string, salt?: string): string {
  const c = cipher(password) as unknown as Raw;
  const b = salt ? Buffer.from(salt, 'utf8') : randomBytes(32);
  return `${c._cipher(plain, vaultId && vaultId !== 'default' ? vaultId : undefined, b, c._derivedKeySync(b))}\n`;
}

/** ansible-core's `unvault` filter: vaulted text decrypted with `password` (the text as it is when not vaulted). */
export function decryptWith(text: string, password: string): string {
  if (!isVaulted(text)) return text;
  let out: string | undefined;
  try {
    out = cipher(password).decryptSync(text.trim(), undefined);
  } catch (e) {
    throw new VaultError(`Unable to decrypt: ${(e as Error).message}`);
  }
  if (out === undefined) throw new VaultError('Unable to decrypt: Decryption failed');
  reveal(out);
  return out;
}

/** A file's bytes, decrypted when vaulted (copy, template, the file lookup). */
export function devault(data: Buffer, where: string): Buffer {
  return isVaulted(data) ? Buffer.from(decryptVault(data.toString('utf8'), where), 'utf8') : data;
}

/**
 * A password source as ansible-core reads one: a script (executable) prints it, a file holds it
 * (stripped of surrounding white space).
 */
export function readVaultPassword(file: string, id: string): string {
  let script = false;
  try {
    accessSync(file, constants.X_OK);
    script = true;
  } catch {
    // not executable: the file holds the password
  }
  const text = script ? execFileSync(file, /-client(\.[^/]*)?$/.test(file) ? ['--vault-id', id] : [], { encoding: 'utf8', stdio: ['inherit', 'pipe', 'inherit'] }) : readFileSync(file, 'utf8');
  return text.trim();
}
