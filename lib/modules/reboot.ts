import { setTimeout as sleep } from 'node:timers/promises';
import { Type } from '../source/vendor/typebox.js';
import { shq } from '../connections/quote.js';
import { UnreachableError } from '../connections/types.js';
import { defineModule, ModuleFailure, type ModuleCtx } from './types.js';
import { optList, optStr, asList } from './util/arg-types.js';

const secs = (description: string) => Type.Optional(Type.Integer({ description }));
const Args = Type.Object(
  {
    pre_reboot_delay: secs('Seconds before the reboot (shutdown takes whole minutes).'),
    post_reboot_delay: secs('Seconds to wait after the reboot command, before checking.'),
    reboot_timeout: secs('Seconds to wait for the host to come back (default 600), for each check.'),
    connect_timeout: secs("Seconds each read of the boot id may take while the host comes back (the connection itself has the run's timeout)."),
    test_command: optStr('A command that succeeds once the host is usable again (default whoami).'),
    boot_time_command: optStr("A command whose output changes with every boot (default cat /proc/sys/kernel/random/boot_id)."),
    msg: optStr('The message shutdown broadcasts.'),
    reboot_command: optStr('The command (with its arguments) that reboots the host, instead of shutdown -r.'),
    search_paths: optList('Where the shutdown command is looked for.'),
  },
  { additionalProperties: false },
);
type A = typeof Args.static;

const SEARCH = ['/sbin', '/bin', '/usr/sbin', '/usr/bin', '/usr/local/sbin'];
const pyList = (l: string[]) => `[${l.map((s) => `'${s}'`).join(', ')}]`;

/** get_shutdown_command: reboot_command's first word, or shutdown (Alpine: reboot), an absolute path found in search_paths (ansible-core runs find there). */
async function shutdownCommand(ctx: ModuleCtx, a: A, alpine: boolean): Promise<string> {
  const delay = Math.max(0, a.pre_reboot_delay ?? 0);
  const [bin, args] = a.reboot_command !== undefined ? [a.reboot_command.split(' ')[0], a.reboot_command.split(' ').slice(1).join(' ')] : alpine ? ['reboot', ''] : ['shutdown', `-r ${Math.floor(delay / 60)} "${a.msg ?? 'Reboot initiated by Ansible'}"`];
  if (bin.startsWith('/')) return `${bin} ${args}`;
  const paths = a.search_paths !== undefined ? asList(a.search_paths) : SEARCH;
  const r = await ctx.exec({ shell: `for d in ${paths.map(shq).join(' ')}; do [ -e "$d"/${shq(bin)} ] && { echo "$d"/${shq(bin)}; break; }; done; true` }, { signal: ctx.signal });
  const found = r.stdout.trim().split('\n')[0];
  if (!found) throw new ModuleFailure(`Unable to find command "${bin}" in search paths: ${pyList(paths)}`, { rebooted: false });
  return `${found.replace(/\/+/g, '/')} ${args}`;
}

/** do_until_success_or_timeout: tried again after 2^n s (+ up to 1 s, at most 12 s) until it succeeds or the time is up; a connection that failed is reset. */
async function untilSuccess(ctx: ModuleCtx, what: string, timeout: number, f: () => Promise<void>): Promise<void> {
  const end = Date.now() + timeout * 1000;
  for (let n = 0; Date.now() < end; n++) {
    try {
      return await f();
    } catch (e) {
      if (ctx.signal.aborted) throw e;
      if (e instanceof UnreachableError) await ctx.resetConnection?.();
      const jitter = Math.floor(Math.random() * 1001) / 1000;
      await sleep((Math.min(2 ** n, 12) + jitter) * 1000, undefined, { signal: ctx.signal });
    }
  }
  throw new ModuleFailure(`Timed out waiting for ${what} (timeout=${timeout})`, { rebooted: true });
}

/** The boot id (boot_time_command's output); `bound`: connect_timeout, the time a try may take while the host comes back. */
async function bootTime(ctx: ModuleCtx, a: A, bound?: number): Promise<string> {
  const r = await ctx.exec({ shell: a.boot_time_command || 'cat /proc/sys/kernel/random/boot_id' }, { signal: ctx.signal, ...(bound ? { timeoutMs: bound * 1000 } : {}) });
  if (r.rc !== 0) throw new ModuleFailure(`reboot: failed to get host boot time info, rc: ${r.rc}, stdout: ${r.stdout}, stderr: ${r.stderr}`, { reboot: false });
  return r.stdout.trim();
}

/** ansible.builtin.reboot (ansible-core 2.14's action): reboots the host and waits until it is back (its boot id changed, the test command runs). */
export default defineModule({
  name: 'reboot',
  kind: 'state',
  description: 'Reboots the host (shutdown -r, or reboot_command) and waits until it is back: its boot id changed and test_command succeeds, as ansible.builtin.reboot; never over a local connection.',
  args: Args,
  async check(ctx) {
    if ((await ctx.connectionKind?.()) === 'local') throw new ModuleFailure('Running reboot with local connection would reboot the control node.', { elapsed: 0, rebooted: false });
    // (a reboot is always a change: check mode says so and does nothing, as ansible-core)
    return { kind: 'modify', target: 'reboot', data: { elapsed: 0, rebooted: true } };
  },
  async apply(ctx, a) {
    const id = await ctx.exec({ shell: '. /etc/os-release 2>/dev/null; printf %s "$ID"' }, { signal: ctx.signal });
    const previous = await bootTime(ctx, a);
    const cmd = await shutdownCommand(ctx, a, id.stdout.trim().toLowerCase() === 'alpine');
    let r = { rc: 0, stdout: '', stderr: '' };
    try {
      r = await ctx.exec({ shell: cmd }, { signal: ctx.signal });
    } catch (e) {
      // the host went down under the command: that is the reboot
      if (!(e instanceof UnreachableError)) throw e;
    }
    const start = Date.now();
    const elapsed = () => Math.floor((Date.now() - start) / 1000);
    if (r.rc !== 0) throw new ModuleFailure(`Reboot command failed. Error was: '${r.stdout.trim()}, ${r.stderr.trim()}'`, { rebooted: false, elapsed: elapsed() });
    if ((a.post_reboot_delay ?? 0) > 0) await sleep(a.post_reboot_delay! * 1000, undefined, { signal: ctx.signal });
    const timeout = a.reboot_timeout ?? 600;
    try {
      await untilSuccess(ctx, 'last boot time check', timeout, async () => {
        const now = await bootTime(ctx, a, a.connect_timeout);
        if (!now || now === previous) throw new Error('boot time has not changed');
      });
      await untilSuccess(ctx, 'post-reboot test command', timeout, async () => {
        try {
          const t = await ctx.exec({ shell: a.test_command ?? 'whoami' }, { signal: ctx.signal });
          if (t.rc !== 0) throw new Error(`Test command failed: ${t.stderr} ${t.stdout}`);
        } catch (e) {
          await ctx.resetConnection?.();
          throw e;
        }
      });
    } catch (e) {
      if (e instanceof ModuleFailure) e.data.elapsed = elapsed();
      throw e;
    }
    return { rebooted: true, elapsed: elapsed() };
  },
});
