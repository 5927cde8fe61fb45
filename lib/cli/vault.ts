import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { UsageError } from '../errors.js';
import { readVaultPassword, useVaultSecrets, type AnsibleSettings, type VaultSecret } from '../source/index.js';
import type { Redactor } from '../vars/index.js';
import { ask } from './prompt.js';

export interface VaultOptions {
  vaultId: string[];
  vaultPasswordFile: string[];
  askVaultPass: boolean;
}

/**
 * The run's vault secrets, as ansible-core's CLI gathers them: each --vault-id (`[label@]file` or
 * `[label@]prompt`), then ansible.cfg's vault_identity_list, each --vault-password-file and
 * ansible.cfg's vault_password_file, and --ask-vault-pass. Decrypted text is never printed.
 */
export async function setupVault(o: VaultOptions, cfg: AnsibleSettings, cwd: string, redactor: Redactor): Promise<void> {
  const specs = [...o.vaultId, ...cfg.vaultIdentityList];
  const files = [...o.vaultPasswordFile.map((f) => resolve(cwd, f)), ...(cfg.vaultPasswordFile ? [cfg.vaultPasswordFile] : [])];
  const out: VaultSecret[] = [];
  const prompt = async (id: string) => {
    if (!process.stdin.isTTY) throw new UsageError(`a vault password for '${id}' is asked for, but there is no terminal to ask it at (give --vault-password-file)`);
    return ask(id === 'default' ? 'Vault password: ' : `Vault password (${id}): `, true);
  };
  for (const spec of specs) {
    const at = spec.indexOf('@');
    const [id, source] = at < 0 ? ['default', spec] : [spec.slice(0, at), spec.slice(at + 1)];
    if (source === 'prompt' || source === 'prompt_ask_vault_pass') out.push({ id, password: await prompt(id) });
    else out.push({ id, password: readFile(resolve(cwd, source), id) });
  }
  for (const f of files) out.push({ id: 'default', password: readFile(f, 'default') });
  if (o.askVaultPass || cfg.askVaultPass) out.push({ id: 'default', password: await prompt('default') });
  for (const s of out) redactor.register(s.password);
  useVaultSecrets(out, (plain) => redactor.register(plain));
}

function readFile(file: string, id: string): string {
  if (!existsSync(file)) throw new UsageError(`The vault password file ${file} was not found`);
  try {
    return readVaultPassword(file, id);
  } catch (e) {
    throw new UsageError(`The vault password script ${file} failed: ${(e as Error).message.split('\n')[0]}`);
  }
}
