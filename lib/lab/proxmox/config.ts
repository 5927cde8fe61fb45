import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DISK_KEY, INT_KEYS, NET_KEY, PveError, newMac, parseProps, simDirs, sizeText, type ConfigValue, type PveState, type SimVm } from './state.js';

/** `qm create/set` option checks with PVE's "400 Parameter verification failed." shape. */
const invalid = (verb: string, key: string, why: string) => new PveError(`400 Parameter verification failed.\n${key}: ${why}\nqm ${verb} <vmid> [OPTIONS]`);

const KNOWN = /^(name|cores|sockets|cpu|memory|balloon|agent|boot|ostype|onboot|tags|description|scsihw|bios|machine|serial\d+|vga|cdrom|start|net\d+|(virtio|scsi|sata|ide|efidisk)\d+)$/;
const OSTYPES = ['other', 'wxp', 'w2k', 'w2k3', 'w2k8', 'wvista', 'win7', 'win8', 'win10', 'win11', 'l24', 'l26', 'solaris'];

export function checkVmid(verb: string, v: string): number {
  if (!/^\d+$/.test(v)) throw invalid(verb, 'vmid', `type check ('integer') failed - got '${v}'`);
  const n = Number(v);
  if (n < 100 || n > 999999999) throw invalid(verb, 'vmid', n < 100 ? 'value must have a minimum value of 100' : 'value must have a maximum value of 999999999');
  return n;
}

function intOpt(verb: string, key: string, v: string, min: number): number {
  if (!/^\d+$/.test(v)) throw invalid(verb, key, `type check ('integer') failed - got '${v}'`);
  if (Number(v) < min) throw invalid(verb, key, `value must have a minimum value of ${min}`);
  return Number(v);
}

/** Validates one option and returns the value PVE stores (disks allocated, MACs generated). */
export function storeValue(dir: string, s: PveState, vmid: number, vm: SimVm, verb: string, key: string, raw: string): ConfigValue {
  if (!KNOWN.test(key)) throw new PveError(`400 Parameter verification failed.\n${key}: property is not defined in schema and the schema does not allow additional properties\nqm ${verb} <vmid> [OPTIONS]`);
  if (key === 'cdrom') key = 'ide2';
  if (key === 'name' && !/^[a-zA-Z0-9]([a-zA-Z0-9.-]*[a-zA-Z0-9])?$/.test(raw)) throw invalid(verb, key, `value does not look like a valid DNS name`);
  if (key === 'cores' || key === 'sockets') return intOpt(verb, key, raw, 1);
  if (key === 'memory') return String(intOpt(verb, key, raw.replace(/^current=/, ''), 16));
  if (key === 'balloon') return intOpt(verb, key, raw, 0);
  if (key === 'onboot') return intOpt(verb, key, raw, 0);
  if (key === 'ostype' && !OSTYPES.includes(raw)) throw invalid(verb, key, `value '${raw}' does not have a value in the enumeration '${OSTYPES.join(', ')}'`);
  if (key === 'agent' && !/^(0|1|enabled=[01](,.*)?)$/.test(raw)) throw invalid(verb, key, `invalid format - format error`);
  if (key === 'boot' && !/^order=[a-z0-9;]+$/.test(raw)) throw invalid(verb, key, `invalid format - format error`);
  if (NET_KEY.test(key)) return netValue(verb, key, raw);
  if (DISK_KEY.test(key)) return diskValue(dir, s, vmid, vm, verb, key, raw);
  return INT_KEYS.has(key) ? Number(raw) : raw;
}

function netValue(verb: string, key: string, raw: string): string {
  const props = parseProps(raw);
  const [model, mac] = props[0] ?? [];
  if (!model || !['virtio', 'e1000', 'rtl8139', 'vmxnet3'].includes(model)) throw invalid(verb, key, `invalid format - format error\n${key}.model: property is missing or unknown`);
  const rest = props.slice(1).filter(([k]) => k !== 'macaddr');
  const tag = rest.find(([k]) => k === 'tag')?.[1];
  if (tag !== undefined && (!/^\d+$/.test(tag) || Number(tag) < 1 || Number(tag) > 4094)) throw invalid(verb, key, `invalid format - value must have a minimum value of 1 and a maximum of 4094\n${key}.tag: '${tag}'`);
  if (!rest.some(([k]) => k === 'bridge')) throw invalid(verb, key, `invalid format - format error\n${key}.bridge: property is missing`);
  const macaddr = mac ?? props.find(([k]) => k === 'macaddr')?.[1] ?? newMac();
  return [`${model}=${macaddr.toUpperCase()}`, ...rest.map(([k, v]) => (v === undefined ? k : `${k}=${v}`))].join(',');
}

function diskValue(dir: string, s: PveState, vmid: number, vm: SimVm, verb: string, key: string, raw: string): string {
  const props = parseProps(raw);
  const [vol] = props[0] ?? [''];
  const opts = props.slice(1).map(([k, v]) => (v === undefined ? k : `${k}=${v}`));
  if (props.some(([k, v]) => k === 'media' && v === 'cdrom')) {
    if (vol !== 'none' && vol !== 'cdrom') {
      const m = /^local:iso\/(.+)$/.exec(vol);
      if (!m || !existsSync(join(simDirs(dir).iso, m[1]))) throw new PveError(`volume '${vol}' does not exist`);
    }
    return raw;
  }
  const alloc = /^([a-zA-Z][\w-]*):(\d+(?:\.\d+)?)$/.exec(vol);
  if (!alloc) {
    if (/^[\w-]+:vm-\d+-disk-\d+$/.test(vol)) return raw;
    throw invalid(verb, key, `invalid format - unable to parse volume '${vol}'`);
  }
  if (!['local-lvm', 'local', 'local-zfs', 'ceph'].includes(alloc[1])) throw new PveError(`storage '${alloc[1]}' does not exist`);
  const used = new Set(Object.values({ ...vm.config, ...vm.pending }).filter((v): v is string => typeof v === 'string').map((v) => /vm-\d+-disk-(\d+)/.exec(v)?.[1]).filter(Boolean));
  let k = 0;
  while (used.has(String(k))) k++;
  const size = sizeText(Math.round(Number(alloc[2]) * 1024 ** 3));
  return [`${alloc[1]}:vm-${vmid}-disk-${k}`, ...opts, `size=${size}`].join(',');
}

/** Parses `--key value` pairs of a qm command line. */
export function parseOptions(verb: string, args: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (!a.startsWith('-')) throw new PveError(`400 too many arguments\nqm ${verb} <vmid> [OPTIONS]`);
    const key = a.replace(/^--?/, '');
    const v = args[i + 1];
    if (v === undefined || v.startsWith('--')) {
      out[key] = '1';
      continue;
    }
    out[key] = v;
    i++;
  }
  return out;
}
