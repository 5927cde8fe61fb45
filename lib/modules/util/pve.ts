import { ModuleFailure, type ModuleCtx } from '../types.js';
import { runOk } from './run.js';

/** Runs a PVE CLI command on the host; a non-zero exit is the task's failure with PVE's message. */
export const pve = (ctx: ModuleCtx, argv: string[]): Promise<string> => runOk(ctx, argv);

export async function pveJson<T>(ctx: ModuleCtx, path: string, opts: string[] = []): Promise<T> {
  const out = await pve(ctx, ['pvesh', 'get', path, ...opts, '--output-format', 'json']);
  try {
    return JSON.parse(out) as T;
  } catch {
    throw new ModuleFailure(`pvesh get ${path}: not JSON: ${out.slice(0, 200)}`);
  }
}

/** The node a single-node PVE host answers for, unless given. */
export async function pveNode(ctx: ModuleCtx, node?: string): Promise<string> {
  if (node) return node;
  const nodes = await pveJson<{ node: string }[]>(ctx, '/nodes');
  if (!nodes.length) throw new ModuleFailure('pvesh get /nodes returned no node');
  return nodes[0].node;
}

export interface VmResource {
  vmid: number;
  name?: string;
  node: string;
  status: string;
}

export async function findVm(ctx: ModuleCtx, vmid: number): Promise<VmResource | undefined> {
  const vms = await pveJson<VmResource[]>(ctx, '/cluster/resources', ['--type', 'vm']);
  return vms.find((v) => Number(v.vmid) === vmid);
}

/** `virtio=BC:..,bridge=vmbr0,tag=1500` → { model, mac, bridge, tag, ... }. */
export function netProps(s: string): Record<string, string> {
  const out: Record<string, string> = {};
  s.split(',').forEach((p, i) => {
    const [k, v] = p.split('=', 2);
    if (i === 0) {
      out.model = k;
      if (v) out.mac = v.toUpperCase();
    } else out[k] = v ?? '1';
  });
  return out;
}

export function gib(size: string): number {
  const m = /^(\d+(?:\.\d+)?)([KMGT]?)$/i.exec(size);
  if (!m) return NaN;
  const exp = { '': 0, K: 1, M: 2, G: 3, T: 4 }[m[2].toUpperCase() as 'K'] ?? 0;
  return (Number(m[1]) * 1024 ** exp) / 1024 ** 3;
}
