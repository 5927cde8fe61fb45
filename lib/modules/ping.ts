import { Type } from '../source/vendor/typebox.js';
import { defineModule, ModuleFailure } from './types.js';

const Args = Type.Object(
  {
    data: Type.Optional(Type.String({ description: "What comes back as `ping` (default 'pong'); 'crash' fails the task, as Ansible's does." })),
  },
  { additionalProperties: false },
);

/** Ansible's ping: the host can be reached and runs a command (no Python needed here). */
export default defineModule({
  name: 'ping',
  kind: 'action',
  description: "Reaches the host and runs a command there; returns ping: pong (or data).",
  args: Args,
  async run(ctx, a) {
    const data = a.data ?? 'pong';
    // ansible-core's ping raises Exception('boom'): a module failure with the exception in its stderr
    if (data === 'crash') throw new ModuleFailure('MODULE FAILURE\nSee stdout/stderr for the exact error', { module_stdout: '', module_stderr: 'Exception: boom\n', rc: 1 });
    const r = await ctx.exec(['true']);
    if (r.rc !== 0) throw new ModuleFailure(`the host could not run a command: ${r.stderr.trim() || `exit ${r.rc}`}`);
    return { changed: false, data: { ping: data } };
  },
});
