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
  return (await pveSnapshot(ctx)).resources.find((v) => Number(v.vmid) === vmid);
}

type Exec = ModuleCtx['exec'];
type Config = Record<string, string | number | undefined>;

/** What one remote script reads of a PVE node, shared by every step on it until something runs there. */
export interface PveSnapshot {
  resources: VmResource[];
  /** `qm config` of each VM on the node the script ran on (pending values shown, as pvesh's /config). */
  configs: Map<number, Config>;
  /** `qm guest cmd ID network-get-interfaces` of each running VM there: its output, or the agent's error. */
  agent: Map<number, { ok: true; out: string } | { ok: false; err: string }>;
}

const MARK = '@@agri-pve';
/**
 * One round trip instead of three commands per VM and step: the cluster's VMs, then, in parallel
 * on the node, every local VM's config and every running one's guest-agent interfaces.
 */
const SCRIPT = `set -u
pvesh get /cluster/resources --type vm --output-format json || exit $?
d=$(mktemp -d) || exit 1
qm list | awk 'NR>1 {print $1, $3}' | {
  while read -r id st; do
    ( qm config "$id" > "$d/c.$id" 2>/dev/null || rm -f "$d/c.$id" ) &
    if [ "$st" = running ]; then ( qm guest cmd "$id" network-get-interfaces > "$d/a.$id" 2> "$d/e.$id"; echo $? > "$d/r.$id" ) & fi
  done
  wait
}
for f in "$d"/c.*; do [ -e "$f" ] || continue; echo "${MARK} config \${f##*.}"; cat "$f"; done
for f in "$d"/r.*; do
  [ -e "$f" ] || continue; id=\${f##*.}; rc=$(cat "$f"); echo "${MARK} agent $id $rc"
  if [ "$rc" = 0 ]; then cat "$d/a.$id"; else cat "$d/e.$id"; fi
done
rm -rf "$d"
`;

export function pveSnapshot(ctx: ModuleCtx): Promise<PveSnapshot> {
  return ctx.shared('pve', (exec) => readSnapshot(exec));
}

async function readSnapshot(exec: Exec): Promise<PveSnapshot> {
  const r = await exec({ shell: SCRIPT });
  if (r.rc !== 0) throw new ModuleFailure(`reading the PVE node's VMs: ${r.stderr.trim() || `exit ${r.rc}`}`);
  const [head, ...parts] = r.stdout.split(`${MARK} `);
  let resources: VmResource[];
  try {
    resources = JSON.parse(head) as VmResource[];
  } catch {
    throw new ModuleFailure(`pvesh get /cluster/resources: not JSON: ${head.slice(0, 200)}`);
  }
  const snap: PveSnapshot = { resources, configs: new Map(), agent: new Map() };
  for (const part of parts) {
    const nl = part.indexOf('\n');
    const [what, id, rc] = part.slice(0, nl).split(' ');
    const body = part.slice(nl + 1);
    if (what === 'config') snap.configs.set(Number(id), Object.fromEntries(body.split('\n').filter((l) => l.includes(': ')).map((l) => [l.slice(0, l.indexOf(': ')), l.slice(l.indexOf(': ') + 2)])));
    else if (what === 'agent') snap.agent.set(Number(id), rc === '0' ? { ok: true, out: body } : { ok: false, err: body.trim() });
  }
  return snap;
}

/** A VM's config: from the node's snapshot when the VM is local to it, else `pvesh get …/config`. */
export async function vmConfig(ctx: ModuleCtx, node: string, vmid: number): Promise<Config> {
  return (await pveSnapshot(ctx)).configs.get(vmid) ?? pveJson<Config>(ctx, `/nodes/${node}/qemu/${vmid}/config`);
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
