import { setTimeout as sleep } from 'node:timers/promises';
import { Type } from '../source/vendor/typebox.js';
import { defineModule, ModuleFailure } from './types.js';

const Args = Type.Object(
  {
    timeout: Type.Optional(Type.Number({ minimum: 0, description: 'Seconds to keep trying (default 600).' })),
    delay: Type.Optional(Type.Number({ minimum: 0, description: 'Seconds before the first try (default 0).' })),
    sleep: Type.Optional(Type.Number({ minimum: 0, description: 'Seconds between tries (default 1).' })),
    connect_timeout: Type.Optional(Type.Number({ minimum: 0, description: 'Accepted for Ansible (each try is bounded by the connection\'s own timeout).' })),
  },
  { additionalProperties: false },
);

/** Ansible's wait_for_connection: tries the host (a command over its connection) until it answers. */
export default defineModule({
  name: 'wait_for_connection',
  kind: 'action',
  description: 'Waits until the host can be reached and runs a command (after a reboot, a new VM); returns `elapsed`.',
  args: Args,
  async run(ctx, a) {
    // (ansible-core's action skips it in check mode, no message)
    if (ctx.checkMode) return { skipped: true };
    const t0 = Date.now();
    if (a.delay) await sleep(a.delay * 1000, undefined, { signal: ctx.signal });
    const deadline = t0 + (a.timeout ?? 600) * 1000;
    let last = '';
    for (;;) {
      try {
        const r = await ctx.exec(['true']);
        if (r.rc === 0) return { changed: false, data: { elapsed: Math.round((Date.now() - t0) / 1000) } };
        last = r.stderr.trim() || `exit ${r.rc}`;
      } catch (e) {
        last = (e as Error).message;
      }
      if (Date.now() >= deadline) throw new ModuleFailure(`timed out waiting for connection: ${last}`, { elapsed: Math.round((Date.now() - t0) / 1000) });
      await sleep((a.sleep ?? 1) * 1000, undefined, { signal: ctx.signal });
    }
  },
});
