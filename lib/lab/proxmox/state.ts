import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeDirs } from '../../source/mkdirs.js';
import { writePmxcfs } from './pmxcfs.js';

/**
 * The simulated Proxmox VE node's state: VM configs as PVE stores them (`key: value` property
 * strings), power state, pending changes, ISOs in the `local` storage and the lab network's
 * static leases. One JSON file, shared by every `qm`/`pvesh` process (they lock it).
 */
export type ConfigValue = string | number;
export interface SimVm {
  config: Record<string, ConfigValue>;
  /** Changes made while running that wait for the next power cycle. */
  pending: Record<string, ConfigValue>;
  status: 'running' | 'stopped';
  startedAt?: number;
}

export interface PveState {
  node: string;
  vms: Record<string, SimVm>;
  /** VLAN tag → the lab subnet prefix its VMs get addresses in (e.g. "127.0.15."). */
  networks: Record<string, string>;
  /** Milliseconds after start before the guest agent answers (a booting OS). */
  agentDelayMs: number;
  /** Fault injection: the next n starts of these VMs fail (a node that fails to boot once). */
  failStarts: Record<string, number>;
}

/** Config keys PVE returns as JSON numbers; everything else is a (property) string. */
export const INT_KEYS = new Set(['cores', 'sockets', 'balloon', 'onboot', 'vcpus', 'cpuunits', 'template']);

export function simDirs(dir: string) {
  return { state: join(dir, 'pve-state.json'), lock: join(dir, 'pve-state.lock'), iso: join(dir, 'storage', 'local', 'template', 'iso') };
}

export function initState(dir: string, init: Partial<PveState> = {}): void {
  const d = simDirs(dir);
  makeDirs(d.iso);
  if (existsSync(d.state)) return writePmxcfs(dir, readState(dir));
  const s: PveState = { node: 'pve', vms: {}, networks: {}, agentDelayMs: 300, failStarts: {}, ...init };
  writeFileSync(d.state, JSON.stringify(s, null, 2));
  writePmxcfs(dir, s);
}

const sleep = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/** Runs `f` on the state under an exclusive lock (a lock folder; stale after 10 s), saving what it returns. */
export function withState<T>(dir: string, f: (s: PveState) => T): T {
  const d = simDirs(dir);
  for (let i = 0; ; i++) {
    try {
      mkdirSync(d.lock);
      break;
    } catch {
      try {
        if (Date.now() - statSync(d.lock).mtimeMs > 10_000) rmSync(d.lock, { recursive: true, force: true });
      } catch {
        /* released meanwhile */
      }
      if (i > 2000) throw new Error('cannot lock the PVE state');
      sleep(5);
    }
  }
  try {
    const s = JSON.parse(readFileSync(d.state, 'utf8')) as PveState;
    const before = JSON.stringify(s, null, 2);
    const out = f(s);
    const after = JSON.stringify(s, null, 2);
    if (after !== before) {
      const tmp = `${d.state}.${process.pid}.tmp`;
      writeFileSync(tmp, after);
      renameSync(tmp, d.state);
      writePmxcfs(dir, s, (JSON.parse(before) as PveState).vms);
    }
    return out;
  } finally {
    rmSync(d.lock, { recursive: true, force: true });
  }
}

/** Runs a read on the state without the lock: writes replace the file by rename, so a read sees one whole state (as pmxcfs readers do). */
export function viewState<T>(dir: string, f: (s: PveState) => T): T {
  return f(readState(dir));
}

export function readState(dir: string): PveState {
  return JSON.parse(readFileSync(simDirs(dir).state, 'utf8')) as PveState;
}

/** `virtio=BC:24:11:..,bridge=vmbr0,tag=1500` → ordered [key, value] pairs (a bare first item has value undefined). */
export function parseProps(s: string): [string, string | undefined][] {
  return s.split(',').filter(Boolean).map((p) => {
    const i = p.indexOf('=');
    return i < 0 ? [p, undefined] : [p.slice(0, i), p.slice(i + 1)];
  });
}

export function propsGet(s: string, key: string): string | undefined {
  return parseProps(s).find(([k]) => k === key)?.[1];
}

/** `16G`, `512M`, `1T` → bytes. */
export function sizeBytes(s: string): number {
  const m = /^(\d+(?:\.\d+)?)([KMGT]?)$/i.exec(s);
  if (!m) throw new PveError(`unable to parse size '${s}'`);
  const exp = { '': 0, K: 1, M: 2, G: 3, T: 4 }[m[2].toUpperCase() as 'K'] ?? 0;
  return Math.round(Number(m[1]) * 1024 ** exp);
}

/** Size in bytes of the boot disk (virtio0 or scsi0) of a config; 0 without one. */
export function bootDiskBytes(config: Record<string, ConfigValue>): number {
  const disk = Object.entries(config).find(([k]) => /^(virtio|scsi)0$/.test(k))?.[1];
  return disk ? sizeBytes(propsGet(String(disk), 'size') ?? '0') : 0;
}

/** The simulated QEMU process id of a running VM. */
export const simPid = (vmid: number | string) => 10000 + Number(vmid);

export function sizeText(bytes: number): string {
  for (const [u, e] of [['T', 4], ['G', 3], ['M', 2], ['K', 1]] as const) if (bytes % 1024 ** e === 0) return `${bytes / 1024 ** e}${u}`;
  return String(bytes);
}

/** A MAC in Proxmox' own OUI (BC:24:11), as `qm create` generates. */
export function newMac(): string {
  return ['BC', '24', '11', ...[...randomBytes(3)].map((b) => b.toString(16).padStart(2, '0').toUpperCase())].join(':');
}

export function digestOf(config: Record<string, ConfigValue>): string {
  return createHash('sha1').update(JSON.stringify(config)).digest('hex');
}

/** A PVE CLI error: message on stderr, exit 255. */
export class PveError extends Error {
  constructor(
    message: string,
    readonly code = 255,
  ) {
    super(message);
  }
}

export const DISK_KEY = /^(virtio|scsi|sata|ide|efidisk|tpmstate)\d+$/;
export const NET_KEY = /^net\d+$/;
