import { Type } from '../source/vendor/typebox.js';
import { UnreachableError } from '../connections/types.js';
import { defineModule, ModuleFailure, type ModuleCtx } from './types.js';
import { callOrFail, nodeMode, retrying } from './util/talos.js';

const Args = Type.Object(
  {
    graceful: Type.Optional(Type.Boolean({ description: 'Leave etcd and drain first (default true; false for a node whose cluster is gone).' })),
    wipe_mode: Type.Optional(Type.Union([Type.Literal('all'), Type.Literal('system-disk'), Type.Literal('user-disks')], { description: 'What to wipe (default all).' })),
    user_disks_to_wipe: Type.Optional(Type.Array(Type.String(), { description: 'With wipe_mode user-disks: exactly these disks (/dev/vdb).' })),
    wait: Type.Optional(Type.Number({ description: 'Seconds to wait for the node to come back in maintenance mode (default 600).' })),
  },
  { additionalProperties: false },
);

const MODES = { all: 'ALL', 'system-disk': 'SYSTEM_DISK', 'user-disks': 'USER_DISKS' } as const;

/** Reset destroys a node's data: only for hosts named in talos_reset_confirm (comma-separated). */
function gate(ctx: ModuleCtx): void {
  const named = String(ctx.vars.talos_reset_confirm ?? '').split(',').map((s) => s.trim());
  if (!named.includes(ctx.host)) throw new ModuleFailure(`refusing to reset ${ctx.host}: add -e talos_reset_confirm=${ctx.host} (comma-separate several hosts)`);
}

export default defineModule({
  name: 'talos_reset',
  kind: 'state',
  description: 'Resets a Talos node to maintenance mode (wiping its disks) — only for hosts named in the variable talos_reset_confirm; a node already in maintenance mode is left alone.',
  args: Args,
  async check(ctx) {
    gate(ctx);
    const t = await ctx.talos();
    if ((await nodeMode(t.secure, t.insecure)) === 'maintenance') return { kind: 'ok', why: `talos ${t.endpoint} is in maintenance mode (reset)` };
    return { kind: 'remove', target: `talos ${t.endpoint}`, fields: [{ path: 'machine config', from: 'configured', to: 'reset (maintenance mode)' }] };
  },
  async apply(ctx, a) {
    // the gate ran in check, which always comes first
    const t = await ctx.talos();
    await callOrFail(t, 'Reset', { graceful: a.graceful ?? true, reboot: true, mode: MODES[a.wipe_mode ?? 'all'], user_disks_to_wipe: a.user_disks_to_wipe ?? [] });
    await retrying(
      async () => {
        if ((await nodeMode(t.secure, t.insecure)) !== 'maintenance') throw new UnreachableError('still configured');
      },
      Date.now() + (a.wait ?? 600) * 1000,
      ctx.signal,
    );
  },
});
