// The user module's generate_ssh_key: ssh-keygen as ansible-core's ssh_key_gen runs it, only when
// the key file is missing, and its fingerprint and public half in the result.
import { posix } from 'node:path';
import { shq } from '../../connections/quote.js';
import { ModuleFailure, type ModuleCtx, type ResultData } from '../types.js';

interface KeyArgs {
  name: string;
  ssh_key_type?: string;
  ssh_key_bits?: number;
  ssh_key_file?: string;
  ssh_key_comment?: string;
  ssh_key_passphrase?: string;
}

/** The key file: ssh_key_file (relative to the home folder), else .ssh/id_TYPE. */
export const sshKeyPath = (a: KeyArgs, home: string): string => posix.join(home, a.ssh_key_file ?? `.ssh/id_${a.ssh_key_type ?? 'rsa'}`);

/** The key's fingerprint, file and public half; `make`: generated first where it is missing. */
export async function sshKey(ctx: ModuleCtx, a: KeyArgs, home: string, make: boolean): Promise<ResultData> {
  const file = sshKeyPath(a, home);
  const comment = a.ssh_key_comment ?? `ansible-generated on ${String(ctx.vars.ansible_hostname ?? ctx.host)}`;
  const gen = ['ssh-keygen', '-t', a.ssh_key_type ?? 'rsa', ...(a.ssh_key_bits ? ['-b', String(a.ssh_key_bits)] : []), '-C', comment, '-N', a.ssh_key_passphrase ?? '', '-f', file].map(shq).join(' ');
  const dir = shq(posix.dirname(file));
  const f = shq(file);
  const makeIt = make ? `[ -e ${f} ] || { mkdir -p ${dir} && chmod 0700 ${dir} && chown ${shq(a.name)}: ${dir} && ${gen} -q </dev/null && chown ${shq(a.name)}: ${f} ${shq(file + '.pub')}; } || exit 1\n` : '';
  const r = await ctx.exec({ shell: `${makeIt}ssh-keygen -l -f ${f}; echo ---; cat ${shq(file + '.pub')} 2>/dev/null` }, { signal: ctx.signal });
  if (r.rc !== 0 && make) throw new ModuleFailure(r.stderr.trim() || `ssh-keygen failed (exit ${r.rc})`, { name: a.name, rc: r.rc });
  const [fingerprint, pub] = r.stdout.split(/^---$/m).map((s) => s.trim());
  return { ssh_fingerprint: fingerprint || r.stderr.trim(), ssh_key_file: file, ssh_public_key: pub ?? '' };
}
