import { Type } from '../source/vendor/typebox.js';
import { defineModule, ModuleFailure, type FieldChange } from './types.js';
import { findVm, gib, netProps, pve, vmConfig } from './util/pve.js';

const Disk = Type.Object(
  {
    slot: Type.String({ pattern: '^(virtio|scsi|sata)\\d+$', description: 'Bus and index: virtio0 is the guest\'s /dev/vda.' }),
    size: Type.Integer({ minimum: 1, description: 'GiB; grown with `qm disk resize`, never shrunk.' }),
    storage: Type.Optional(Type.String({ description: 'Storage for a new volume (default local-lvm).' })),
    options: Type.Optional(Type.String({ description: 'Extra drive options, e.g. discard=on,ssd=1.' })),
  },
  { additionalProperties: false },
);

const Args = Type.Object(
  {
    vmid: Type.Integer({ minimum: 100, maximum: 999999999 }),
    name: Type.String({ pattern: '^[a-zA-Z0-9]([a-zA-Z0-9.-]*[a-zA-Z0-9])?$' }),
    node: Type.Optional(Type.String({ description: 'PVE node (default: the one the host is).' })),
    state: Type.Optional(Type.Union(['present', 'started', 'stopped', 'absent'].map((s) => Type.Literal(s)), { description: 'Default started.' })),
    cores: Type.Optional(Type.Integer({ minimum: 1 })),
    sockets: Type.Optional(Type.Integer({ minimum: 1 })),
    cpu: Type.Optional(Type.String({ description: 'CPU type; Talos needs host or x86-64-v2-AES.' })),
    memory: Type.Optional(Type.Integer({ minimum: 16, description: 'MiB.' })),
    balloon: Type.Optional(Type.Integer({ minimum: 0 })),
    disks: Type.Optional(Type.Array(Disk)),
    net: Type.Optional(
      Type.Object(
        {
          bridge: Type.String(),
          tag: Type.Optional(Type.Integer({ minimum: 1, maximum: 4094, description: 'VLAN tag.' })),
          model: Type.Optional(Type.String()),
          mac: Type.Optional(Type.String({ pattern: '^([0-9A-Fa-f]{2}:){5}[0-9A-Fa-f]{2}$' })),
        },
        { additionalProperties: false },
      ),
    ),
    iso: Type.Optional(Type.String({ description: 'ISO volume as CD-ROM (ide2), e.g. local:iso/talos-v1.11.3.iso.' })),
    boot: Type.Optional(Type.String({ description: 'Boot order, e.g. order=virtio0;ide2.' })),
    agent: Type.Optional(Type.Boolean({ description: 'QEMU guest agent channel.' })),
    ostype: Type.Optional(Type.String()),
    onboot: Type.Optional(Type.Boolean()),
    scsihw: Type.Optional(Type.String()),
    tags: Type.Optional(Type.Array(Type.String({ pattern: '^[a-z0-9_][a-z0-9_.+-]*$' }))),
    description: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);
type A = typeof Args.static;

/** Desired simple options as `qm` takes them, and how a read config value is compared. */
function simpleOptions(a: A): [string, string][] {
  const o: [string, string | undefined][] = [
    ['name', a.name],
    ['cores', a.cores?.toString()],
    ['sockets', a.sockets?.toString()],
    ['cpu', a.cpu],
    ['memory', a.memory?.toString()],
    ['balloon', a.balloon?.toString()],
    ['agent', a.agent === undefined ? undefined : a.agent ? '1' : '0'],
    ['ostype', a.ostype],
    ['onboot', a.onboot === undefined ? undefined : a.onboot ? '1' : '0'],
    ['scsihw', a.scsihw],
    ['tags', a.tags ? [...a.tags].sort().join(';') : undefined],
    ['description', a.description],
    ['boot', a.boot],
    ['ide2', a.iso ? `${a.iso},media=cdrom` : undefined],
  ];
  return o.filter((p): p is [string, string] => p[1] !== undefined);
}

function normalize(key: string, v: string | number | undefined): string | undefined {
  if (v === undefined) return undefined;
  const s = String(v);
  if (key === 'agent') return /^(1|enabled=1)/.test(s) ? '1' : '0';
  if (key === 'tags') return s.split(/[;,\s]+/).filter(Boolean).sort().join(';');
  if (key === 'memory') return s.replace(/^current=/, '');
  return s;
}

function netOption(a: A, have?: string): string | undefined {
  if (!a.net) return undefined;
  const mac = a.net.mac ?? (have ? netProps(have).mac : undefined);
  return [`${a.net.model ?? 'virtio'}${mac ? `=${mac.toUpperCase()}` : ''}`, `bridge=${a.net.bridge}`, ...(a.net.tag ? [`tag=${a.net.tag}`] : [])].join(',');
}

function netDiffers(a: A, have: string): boolean {
  const h = netProps(have);
  return h.model !== (a.net!.model ?? 'virtio') || h.bridge !== a.net!.bridge || h.tag !== a.net!.tag?.toString() || (a.net!.mac !== undefined && h.mac !== a.net!.mac.toUpperCase());
}

const diskSpec = (d: A['disks'] extends (infer D)[] | undefined ? D : never) => [`${d.storage ?? 'local-lvm'}:${d.size}`, ...(d.options ? [d.options] : [])].join(',');
const NEEDS_REBOOT = new Set(['cores', 'sockets', 'cpu', 'memory', 'ostype', 'scsihw']);

export default defineModule({
  name: 'proxmox_vm',
  kind: 'state',
  description: 'A Proxmox VE VM in the desired shape and power state, through qm/pvesh on the PVE host; changes only what differs, never shrinks a disk.',
  args: Args,
  async check(ctx, a) {
    const state = a.state ?? 'started';
    const found = await findVm(ctx, a.vmid);
    const target = `vm ${a.vmid} (${a.name})`;
    if (found && found.name !== undefined && found.name !== a.name) throw new ModuleFailure(`vmid ${a.vmid} belongs to another VM, '${found.name}'; refusing to touch it`);
    const commands: string[][] = [];
    if (state === 'absent') {
      if (!found) return { kind: 'ok', why: `${target} does not exist` };
      if (found.status === 'running') commands.push(['qm', 'stop', String(a.vmid)]);
      commands.push(['qm', 'destroy', String(a.vmid), '--purge', '1', '--destroy-unreferenced-disks', '1']);
      return { kind: 'remove', target, fields: [{ path: 'state', from: found.status, to: 'absent' }], data: { vmid: a.vmid, commands } };
    }
    if (!found) {
      const opts = simpleOptions(a).flatMap(([k, v]) => [`--${k}`, v]);
      const net = netOption(a);
      if (net) opts.push('--net0', net);
      for (const d of a.disks ?? []) opts.push(`--${d.slot}`, diskSpec(d));
      commands.push(['qm', 'create', String(a.vmid), ...opts]);
      if (state === 'started') commands.push(['qm', 'start', String(a.vmid)]);
      const fields: FieldChange[] = [{ path: 'state', from: 'absent', to: state === 'started' ? 'running' : 'stopped' }, ...simpleOptions(a).map(([k, v]) => ({ path: k, to: v }))];
      return { kind: 'create', target, fields, data: { vmid: a.vmid, commands } };
    }
    const cfg = await vmConfig(ctx, a.node ?? found.node, a.vmid);
    const fields: FieldChange[] = [];
    const set: string[] = [];
    for (const [k, want] of simpleOptions(a)) {
      const have = normalize(k, cfg[k]);
      if (have !== normalize(k, want)) (fields.push({ path: k, from: have ?? null, to: want }), set.push(`--${k}`, want));
    }
    if (a.net && (typeof cfg.net0 !== 'string' || netDiffers(a, cfg.net0))) {
      const v = netOption(a, typeof cfg.net0 === 'string' ? cfg.net0 : undefined)!;
      fields.push({ path: 'net0', from: cfg.net0 ?? null, to: v });
      set.push('--net0', v);
    }
    const resize: string[][] = [];
    for (const d of a.disks ?? []) {
      const have = cfg[d.slot];
      if (typeof have !== 'string') {
        fields.push({ path: d.slot, from: null, to: `${d.size}G` });
        set.push(`--${d.slot}`, diskSpec(d));
        continue;
      }
      const size = gib(/size=([^,]+)/.exec(have)?.[1] ?? '0');
      if (d.size < size) throw new ModuleFailure(`${target}: ${d.slot} is ${size} GiB; the desired ${d.size} GiB would shrink it, which Proxmox refuses and would lose data. Grow the desired size or replace the disk by hand.`);
      if (d.size > size) (fields.push({ path: `${d.slot}.size`, from: `${size}G`, to: `${d.size}G` }), resize.push(['qm', 'disk', 'resize', String(a.vmid), d.slot, `${d.size}G`]));
    }
    if (set.length) commands.push(['qm', 'set', String(a.vmid), ...set]);
    commands.push(...resize);
    const running = found.status === 'running';
    if (state === 'started' && !running) (fields.push({ path: 'state', from: found.status, to: 'running' }), commands.push(['qm', 'start', String(a.vmid)]));
    if (state === 'stopped' && running) (fields.push({ path: 'state', from: found.status, to: 'stopped' }), commands.push(['qm', 'shutdown', String(a.vmid), '--forceStop', '1']));
    const reboot = running && state !== 'stopped' ? fields.filter((f) => NEEDS_REBOOT.has(f.path)).map((f) => f.path) : [];
    if (!commands.length) return { kind: 'ok', why: `${target} is as desired (${found.status})`, data: { vmid: a.vmid, status: found.status } };
    return { kind: 'modify', target, fields, data: { vmid: a.vmid, commands }, ...(reboot.length ? { pending: `reboot needed for ${reboot.join(', ')}` } : {}) };
  },
  async apply(ctx, _a, diff) {
    for (const argv of diff.data!.commands as string[][]) await pve(ctx, argv);
  },
});
