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

/** The shell line that sets $etc to the node's pmxcfs (/etc/pve; the lab's simulated node says where its folder is). */
export const PVE_ETC = 'etc=${AGRI_PVE_ETC:-/etc/pve}';

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
 * One round trip, one PVE command per node plus one per guest agent, all at once: the cluster's
 * VMs (pvesh), every local VM's config read from pmxcfs (/etc/pve/qemu-server/*.conf, files in
 * memory, where `qm config` is a Perl process per VM) and, for each VM with the agent enabled, its
 * agent's interfaces (a stopped VM's answer is an error no step uses). AGRI_PVE_ETC is the lab's:
 * its simulated node keeps /etc/pve in a folder.
 */
const SCRIPT = `set -u
${PVE_ETC}
d=$(mktemp -d) || exit 1
pvesh get /cluster/resources --type vm --output-format json > "$d/res" 2> "$d/err" &
p=$!
for f in $(grep -lE '^agent: *(1|enabled=1)' "$etc"/qemu-server/*.conf 2>/dev/null); do
  id=\${f##*/}; id=\${id%.conf}
  ( qm guest cmd "$id" network-get-interfaces > "$d/a.$id" 2> "$d/e.$id"; echo $? > "$d/r.$id" ) &
done
wait $p
rc=$?
wait
if [ "$rc" != 0 ]; then cat "$d/err" >&2; rm -rf "$d"; exit "$rc"; fi
cat "$d/res"
for f in "$etc"/qemu-server/*.conf; do [ -e "$f" ] || continue; id=\${f##*/}; echo "${MARK} config \${id%.conf}"; cat "$f"; done
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
    if (what === 'config') snap.configs.set(Number(id), parseVmConf(body));
    else if (what === 'agent') snap.agent.set(Number(id), rc === '0' ? { ok: true, out: body } : { ok: false, err: body.trim() });
  }
  return snap;
}

/**
 * A VM's config file as `qm config` shows it (qemu-server's parse_vm_config): the main section with
 * the [PENDING] values over it and its `delete:` keys gone; the description from the `#` lines
 * (%XX-decoded); snapshot and special sections left out.
 */
export function parseVmConf(text: string): Config {
  const main: Config = {};
  let pending: Config = {};
  let into: Config | undefined = main;
  let descr: string | undefined;
  const finish = () => {
    if (descr !== undefined && into) into.description = descr.replace(/\s+$/, '');
    descr = undefined;
  };
  for (const line of text.split('\n')) {
    if (/^\s*$/.test(line)) continue;
    const sect = /^\[([^\]]*)\]\s*$/.exec(line);
    if (sect) {
      finish();
      // a repeated [PENDING] replaces the one before, as parse_vm_config's
      into = sect[1].toUpperCase() === 'PENDING' ? (pending = {}) : undefined;
      continue;
    }
    if (!into) continue;
    if (line.startsWith('#')) {
      descr = (descr ?? '') + decodeText(line.slice(1)) + '\n';
      continue;
    }
    const kv = /^([a-z][a-z_-]*\d*):\s*(.+?)\s*$/.exec(line);
    if (kv) into[kv[1] === 'cdrom' ? 'ide2' : kv[1]] = kv[2];
  }
  finish();
  const { delete: del, ...over } = pending;
  const out: Config = { ...main, ...over };
  for (const k of String(del ?? '').split(',').filter(Boolean)) delete out[k.replace(/^!/, '')];
  return out;
}

/** PVE::Tools::decode_text: %XX escapes of UTF-8 bytes. */
function decodeText(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
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
