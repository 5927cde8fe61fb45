import { randomUUID } from 'node:crypto';
import { checkVmid, parseOptions, storeValue } from './config.js';
import { DISK_KEY, NET_KEY, PveError, bootDiskBytes, propsGet, simPid, sizeBytes, sizeText, viewState, withState, type PveState, type SimVm } from './state.js';

/** `qm` of Proxmox VE 9, the verbs agri-play and its users run; output, messages and exit codes as PVE's. */
export type Out = { stdout: string; stderr?: string };

const confPath = (s: PveState, vmid: number) => `Configuration file 'nodes/${s.node}/qemu-server/${vmid}.conf' does not exist`;

function vmOf(s: PveState, vmid: number): SimVm {
  const vm = s.vms[vmid];
  if (!vm) throw new PveError(confPath(s, vmid));
  return vm;
}

/** Effective config: pending values shown over current ones (as `qm config` does by default). */
export function effective(vm: SimVm): Record<string, string | number> {
  const c = { ...vm.config, ...vm.pending };
  for (const [k, v] of Object.entries(c)) if (v === '__delete__') delete c[k];
  return c;
}

const HOT = /^(net\d+|(virtio|scsi|sata|ide)\d+|name|tags|description|onboot|boot|agent|balloon)$/;

function applyOptions(dir: string, s: PveState, vmid: number, vm: SimVm, verb: string, opts: Record<string, string>): void {
  const del = (opts.delete ?? '').split(',').filter(Boolean);
  delete opts.delete;
  delete opts.digest;
  const start = opts.start === '1';
  delete opts.start;
  for (const [k, raw] of Object.entries(opts)) {
    const key = k === 'cdrom' ? 'ide2' : k;
    const v = storeValue(dir, s, vmid, vm, verb, key, raw);
    // a running VM takes only hotpluggable changes now; the rest waits for the next power cycle
    if (vm.status === 'running' && !HOT.test(key) && vm.config[key] !== v) vm.pending[key] = v;
    else {
      vm.config[key] = v;
      delete vm.pending[key];
    }
  }
  for (const k of del) {
    if (vm.status === 'running' && !HOT.test(k)) vm.pending[k] = '__delete__';
    else delete vm.config[k];
  }
  if (start) startVm(s, vmid, vm);
}

function startVm(s: PveState, vmid: number, vm: SimVm): void {
  if (vm.status === 'running') throw new PveError(`VM ${vmid} already running`);
  if ((s.failStarts[vmid] ?? 0) > 0) {
    s.failStarts[vmid]--;
    throw new PveError(`start failed: QEMU exited with code 1`);
  }
  for (const [k, v] of Object.entries(vm.pending)) {
    if (v === '__delete__') delete vm.config[k];
    else vm.config[k] = v;
  }
  vm.pending = {};
  vm.status = 'running';
  vm.startedAt = Date.now();
}

function create(dir: string, args: string[]): Out {
  const vmid = checkVmid('create', args[0] ?? '');
  return withState(dir, (s) => {
    if (s.vms[vmid]) throw new PveError(`unable to create VM ${vmid} - VM ${vmid} already exists on node '${s.node}'`);
    const vm: SimVm = { config: {}, pending: {}, status: 'stopped' };
    applyOptions(dir, s, vmid, vm, 'create', { ...parseOptions('create', args.slice(1)) });
    vm.config.meta = `creation-qemu=9.2.0,ctime=${Math.floor(Date.now() / 1000)}`;
    vm.config.smbios1 = `uuid=${randomUUID()}`;
    vm.config.vmgenid = randomUUID();
    s.vms[vmid] = vm;
    return { stdout: '' };
  });
}

function set(dir: string, args: string[]): Out {
  const vmid = checkVmid('set', args[0] ?? '');
  return withState(dir, (s) => {
    applyOptions(dir, s, vmid, vmOf(s, vmid), 'set', parseOptions('set', args.slice(1)));
    return { stdout: '' };
  });
}

function resize(dir: string, args: string[]): Out {
  const vmid = checkVmid('resize', args[0] ?? '');
  const [disk, size] = args.slice(1);
  if (!disk || !size) throw new PveError('400 not enough arguments\nqm disk resize <vmid> <disk> <size> [OPTIONS]');
  return withState(dir, (s) => {
    const vm = vmOf(s, vmid);
    const cur = vm.config[disk];
    if (typeof cur !== 'string' || !DISK_KEY.test(disk)) throw new PveError(`disk '${disk}' does not exist`);
    const have = sizeBytes(propsGet(cur, 'size') ?? '0');
    const want = size.startsWith('+') ? have + sizeBytes(size.slice(1)) : sizeBytes(size);
    if (want < have) throw new PveError('shrinking disks is not supported');
    vm.config[disk] = cur.replace(/size=[^,]+/, `size=${sizeText(want)}`);
    return { stdout: '' };
  });
}

function power(dir: string, verb: string, args: string[]): Out {
  const vmid = checkVmid(verb, args[0] ?? '');
  return withState(dir, (s) => {
    const vm = vmOf(s, vmid);
    if (verb === 'start') startVm(s, vmid, vm);
    else if (verb === 'stop' || verb === 'shutdown') {
      if (verb === 'shutdown' && vm.status !== 'running') throw new PveError(`VM ${vmid} not running`);
      vm.status = 'stopped';
      delete vm.startedAt;
    } else if (verb === 'reboot' || verb === 'reset') {
      if (vm.status !== 'running') throw new PveError(`VM ${vmid} not running`);
      vm.status = 'stopped';
      startVm(s, vmid, vm);
    }
    return { stdout: '' };
  });
}

function destroy(dir: string, args: string[]): Out {
  const vmid = checkVmid('destroy', args[0] ?? '');
  return withState(dir, (s) => {
    const vm = vmOf(s, vmid);
    if (vm.status === 'running') throw new PveError(`VM ${vmid} is running - destroy failed`);
    const lines = Object.values(vm.config)
      .filter((v): v is string => typeof v === 'string' && /vm-\d+-disk-\d+/.test(v))
      .map((v) => `  Logical volume "${/vm-\d+-disk-\d+/.exec(v)![0]}" successfully removed.`);
    delete s.vms[vmid];
    delete s.failStarts[vmid];
    return { stdout: lines.join('\n') + (lines.length ? '\n' : '') };
  });
}

/** The lab network's static lease for a VM: its VLAN's prefix and 10 + vmid mod 100. */
export function leaseOf(s: PveState, vmid: number, vm: SimVm): { mac: string; ip: string } | undefined {
  const net = Object.entries(vm.config).find(([k]) => NET_KEY.test(k))?.[1];
  if (typeof net !== 'string') return undefined;
  const prefix = s.networks[propsGet(net, 'tag') ?? ''];
  if (!prefix) return undefined;
  return { mac: net.split(',')[0].split('=')[1].toLowerCase(), ip: `${prefix}${10 + (vmid % 100)}` };
}

function guest(dir: string, args: string[]): Out {
  const [sub, id, what] = args;
  if (sub !== 'cmd' || what !== 'network-get-interfaces') throw new PveError(`400 unsupported agent command\nqm guest cmd <vmid> <command>`);
  const vmid = checkVmid('guest', id ?? '');
  return viewState(dir, (s) => {
    const vm = vmOf(s, vmid);
    if (vm.status !== 'running') throw new PveError(`VM ${vmid} is not running`);
    if (!/^(1|enabled=1)/.test(String(vm.config.agent ?? '0'))) throw new PveError('No QEMU guest agent configured');
    if (Date.now() - (vm.startedAt ?? 0) < s.agentDelayMs) throw new PveError('QEMU guest agent is not running');
    const lease = leaseOf(s, vmid, vm);
    const ifaces: unknown[] = [{ name: 'lo', 'hardware-address': '00:00:00:00:00:00', 'ip-addresses': [{ 'ip-address': '127.0.0.1', 'ip-address-type': 'ipv4', prefix: 8 }] }];
    if (lease) ifaces.push({ name: 'ens18', 'hardware-address': lease.mac, 'ip-addresses': [{ 'ip-address': lease.ip, 'ip-address-type': 'ipv4', prefix: 24 }] });
    return { stdout: JSON.stringify(ifaces, null, 3) + '\n' };
  });
}

function show(dir: string, verb: string, args: string[]): Out {
  return viewState(dir, (s) => {
    if (verb === 'list') {
      const ids = Object.keys(s.vms).map(Number).sort((a, b) => a - b);
      if (!ids.length) return { stdout: '' };
      const row = (c: (string | number)[]) => `${String(c[0]).padStart(10)} ${String(c[1]).padEnd(20)} ${String(c[2]).padEnd(10)} ${String(c[3]).padStart(10)} ${String(c[4]).padStart(16)} ${String(c[5]).padStart(10)}`;
      const lines = ids.map((id) => {
        const c = effective(s.vms[id]);
        return row([id, c.name ?? '', s.vms[id].status, c.memory ?? 512, (bootDiskBytes(c) / 1024 ** 3).toFixed(2), s.vms[id].status === 'running' ? simPid(id) : 0]);
      });
      return { stdout: [row(['VMID', 'NAME', 'STATUS', 'MEM(MB)', 'BOOTDISK(GB)', 'PID']), ...lines].join('\n') + '\n' };
    }
    const vmid = checkVmid(verb, args[0] ?? '');
    const vm = vmOf(s, vmid);
    if (verb === 'status') return { stdout: `status: ${vm.status}\n` };
    const c = parseOptions(verb, args.slice(1)).current === '1' ? vm.config : effective(vm);
    return { stdout: Object.keys(c).sort().map((k) => `${k}: ${c[k]}`).join('\n') + '\n' };
  });
}

export function qm(dir: string, argv: string[]): Out {
  const [verb, ...args] = argv;
  switch (verb) {
    case 'create':
      return create(dir, args);
    case 'set':
      return set(dir, args);
    case 'resize':
      return resize(dir, args);
    case 'disk':
      if (args[0] === 'resize') return resize(dir, args.slice(1));
      break;
    case 'start':
    case 'stop':
    case 'shutdown':
    case 'reboot':
    case 'reset':
      return power(dir, verb, args);
    case 'destroy':
      return destroy(dir, args);
    case 'guest':
    case 'agent':
      return guest(dir, verb === 'agent' ? ['cmd', ...args] : args);
    case 'list':
    case 'status':
    case 'config':
      return show(dir, verb, args);
  }
  throw new PveError(`400 unknown command 'qm ${verb ?? ''}'\nUSAGE: qm <COMMAND> [ARGS] [OPTIONS]`);
}
