import { shq } from '../../connections/quote.js';
import type { ExecResult } from '../../connections/index.js';
import { ModuleFailure, type ModuleCtx } from '../types.js';

/**
 * A shell command that writes a URL's body to `out` (a quoted path or `-` for stdout) on the host
 * itself, with curl, else wget; its exit status is the download's (a failed one fails it). As
 * Ansible's fetch_url runs in the module, on the host, so does this.
 */
export function downloadCmd(url: string, out = '-', o: { insecure?: boolean; agent?: string; timeout?: number } = {}): string {
  const curl = ['curl -fsSL', o.timeout ? `--max-time ${o.timeout}` : '', o.insecure ? '-k' : '', o.agent ? `-A ${shq(o.agent)}` : '', `-o ${out}`, shq(url)];
  const wget = ['wget -q', o.timeout ? `-T ${o.timeout}` : '', o.insecure ? '--no-check-certificate' : '', o.agent ? `-U ${shq(o.agent)}` : '', `-O ${out}`, shq(url)];
  const cmd = (words: string[]) => words.filter(Boolean).join(' ');
  return `if command -v curl >/dev/null 2>&1; then ${cmd(curl)}; else ${cmd(wget)}; fi`;
}

/** The sbin folders get_bin_path also looks in, after $PATH. */
export const SBIN_PATH = 'PATH="$PATH:/sbin:/usr/sbin:/usr/local/sbin"';

/**
 * AnsibleModule.get_bin_path(required=True) for each tool (alternatives in one entry: gpg or gpg2),
 * in one round trip: the first missing fails the task with ansible-core's message.
 */
export async function requireTools(ctx: ModuleCtx, tools: string[][]): Promise<void> {
  const test = tools.map((alts) => `{ ${alts.map((t) => `command -v ${t} >/dev/null 2>&1`).join(' || ')}; } || echo ${alts[alts.length - 1]}`).join('; ');
  const r = await ctx.exec({ shell: `${SBIN_PATH}; ${test}` }, { signal: ctx.signal });
  const missing = r.stdout.trim().split('\n')[0];
  if (missing) throw missingTool(missing);
}

/** get_bin_path's failure, in ansible-core's words. */
export const missingTool = (name: string) => new ModuleFailure(`Failed to find required executable ${name} in paths: /usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin`);

/**
 * A tool as AnsibleModule.get_bin_path(tool, required=True) then run_command run it: found on
 * $PATH or in the sbin folders (else get_bin_path's failure, or `missing` where the module says its
 * own words), `argv` its arguments; the output as it is (a failure's message ends in its newline).
 */
export async function runTool(ctx: ModuleCtx, tool: string, argv: string[], o: { stdin?: Buffer; env?: Record<string, string>; missing?: string } = {}): Promise<ExecResult> {
  const r = await ctx.exec({ shell: `${SBIN_PATH}; command -v ${tool} >/dev/null 2>&1 || exit 127; exec ${[tool, ...argv].map(shq).join(' ')}` }, { signal: ctx.signal, keepEnds: true, env: o.env, stdin: o.stdin });
  if (r.rc === 127) throw o.missing ? new ModuleFailure(o.missing) : missingTool(tool);
  return r;
}
