import { Type } from '../source/vendor/typebox.js';
import { defineModule, ModuleFailure } from './types.js';
import { answering, callOrFail } from './util/talos.js';

const Args = Type.Object(
  {
    disks: Type.Array(Type.String({ pattern: '^/dev/[a-z0-9]+$' }), { minItems: 1, description: 'Exactly the data disks to wipe (/dev/vdb); never the install disk.' }),
    install_disk: Type.Optional(Type.String({ description: 'Refused if named in disks (default /dev/vda).' })),
    wait: Type.Optional(Type.Number({ description: 'Seconds to wait for the node to come back (default 600).' })),
  },
  { additionalProperties: false },
);

export default defineModule({
  name: 'talos_wipe_disks',
  kind: 'state',
  description: 'Wipes the named user (data) disks of a Talos node — Reset with wipe mode USER_DISKS, so the node keeps its config and comes back — e.g. for Ceph. Acts every time it is asked, so playbooks call it only when a variable names the disks.',
  args: Args,
  async check(ctx, a) {
    const system = a.install_disk ?? '/dev/vda';
    if (a.disks.includes(system)) throw new ModuleFailure(`refusing to wipe ${system}: it is the install disk`);
    const t = await ctx.talos();
    // a wipe cannot be seen afterwards: it is an action, asked for by name
    return { kind: 'run', target: `talos ${t.endpoint}`, fields: a.disks.map((d) => ({ path: d, to: 'wiped' })) };
  },
  async apply(ctx, a) {
    const t = await ctx.talos();
    await callOrFail(t, 'Reset', { graceful: false, reboot: true, mode: 'USER_DISKS', user_disks_to_wipe: a.disks, system_partitions_to_wipe: [] });
    await answering(t, a.wait ?? 600, ctx.signal);
    return { wiped: a.disks };
  },
});
