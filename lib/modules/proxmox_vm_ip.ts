import { setTimeout as sleep } from 'node:timers/promises';
import { Type } from '../source/vendor/typebox.js';
import { defineModule, ModuleFailure } from './types.js';
import type { ExecResult } from '../connections/index.js';
import { findVm, netProps, pveSnapshot, vmConfig } from './util/pve.js';
import { commandFailure } from './util/run.js';

const Args = Type.Object(
  {
    vmid: Type.Integer({ minimum: 100, maximum: 999999999 }),
    node: Type.Optional(Type.String()),
    timeout: Type.Optional(Type.Number({ minimum: 0, description: 'Seconds to wait for the guest agent (default 120).' })),
    interval: Type.Optional(Type.Number({ minimum: 0.05, description: 'Seconds between polls (default 1).' })),
  },
  { additionalProperties: false },
);

interface Iface {
  name: string;
  'hardware-address'?: string;
  'ip-addresses'?: { 'ip-address': string; 'ip-address-type': string }[];
}

/** Agent answers worth waiting for: not yet up, or the VM still starting. */
const RETRY = /QEMU guest agent is not running|got timeout|VM \d+ qmp command .* failed/;
const SKIP = /^(lo|cilium_|lxc|cni|flannel|docker|veth)/;

/** The first usable IPv4 of the VM's net0 NIC, from its guest agent. */
function pick(ifaces: Iface[], mac?: string): { ip?: string; ips: string[] } {
  const usable = ifaces.filter((i) => !SKIP.test(i.name));
  const nic = (mac && usable.find((i) => i['hardware-address']?.toLowerCase() === mac.toLowerCase())) || usable[0];
  const ips = usable.flatMap((i) => (i['ip-addresses'] ?? []).filter((a) => a['ip-address-type'] === 'ipv4' && !a['ip-address'].startsWith('169.254.')).map((a) => a['ip-address']));
  const own = (nic?.['ip-addresses'] ?? []).find((a) => a['ip-address-type'] === 'ipv4' && !a['ip-address'].startsWith('169.254.'));
  return { ip: own?.['ip-address'], ips };
}

export default defineModule({
  name: 'proxmox_vm_ip',
  kind: 'action',
  description: "Waits for a running VM's QEMU guest agent and returns its IPv4 address (ip) and all addresses (ips). Reads only.",
  args: Args,
  async run(ctx, a) {
    const found = await findVm(ctx, a.vmid);
    if (!found) throw new ModuleFailure(`vm ${a.vmid} does not exist`);
    if (found.status !== 'running') throw new ModuleFailure(`vm ${a.vmid} is ${found.status}; its guest agent cannot answer`);
    const cfg = await vmConfig(ctx, a.node ?? found.node, a.vmid);
    const mac = typeof cfg.net0 === 'string' ? netProps(cfg.net0).mac : undefined;
    const deadline = Date.now() + (a.timeout ?? 120) * 1000;
    let last = '';
    const argv = ['qm', 'guest', 'cmd', String(a.vmid), 'network-get-interfaces'];
    // the first answer may come from the node's snapshot (read once for all its VMs); polls ask again
    const read = (await pveSnapshot(ctx)).agent.get(a.vmid);
    let first: ExecResult | undefined = read && { rc: read.ok ? 0 : 1, stdout: read.ok ? read.out : '', stderr: read.ok ? '' : read.err, cmd: argv.join(' ') };
    for (;;) {
      const r = first ?? (await ctx.exec(argv));
      first = undefined;
      if (r.rc === 0) {
        const got = pick(JSON.parse(r.stdout) as Iface[], mac);
        if (got.ip) return { changed: false, data: { vmid: a.vmid, ip: got.ip, ips: got.ips, mac } };
        last = 'no IPv4 address yet';
      } else if (RETRY.test(r.stderr)) last = r.stderr.trim();
      else throw commandFailure(argv, r);
      if (Date.now() >= deadline) throw new ModuleFailure(`vm ${a.vmid}: no IPv4 from the guest agent after ${a.timeout ?? 120}s (last: ${last})`);
      await sleep((a.interval ?? 1) * 1000, undefined, { signal: ctx.signal });
    }
  },
});
