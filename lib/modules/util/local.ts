import { devault, hasVaultSecrets, isVaulted, VaultError } from '../../source/vault.js';
import { ControllerFailure, type ModuleCtx } from '../types.js';

/**
 * A file on the controller (copy's or template's src), decrypted when ansible-vault encrypted it
 * (unless `decrypt: false`), as ansible-core's loader reads it; a vault it cannot open fails the task.
 */
export async function readLocal(ctx: ModuleCtx, path: string, decrypt = true): Promise<Buffer> {
  const data = await ctx.local.read(path);
  if (!decrypt) return data;
  // ansible-core's DataLoader.get_real_file, in its words
  if (isVaulted(data) && !hasVaultSecrets()) throw new ControllerFailure(`A vault password or secret must be specified to decrypt ${path}`);
  try {
    return devault(data, path);
  } catch (e) {
    throw e instanceof VaultError ? new ControllerFailure(e.message) : e;
  }
}
