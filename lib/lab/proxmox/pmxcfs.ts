import { existsSync, readdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeDirs } from '../../source/mkdirs.js';

// the state's shape as far as the files need it (state.ts writes them, so no import back)
type ConfigValue = string | number;
interface Vm {
  config: Record<string, ConfigValue>;
  pending: Record<string, ConfigValue>;
}

/**
 * The simulated node's `/etc/pve` (pmxcfs): each VM's `qemu-server/<vmid>.conf` as PVE writes it
 * (qemu-server's write_vm_config), kept in step with the state on every change. A real node has
 * it at /etc/pve; the simulated one at `<dir>/etc-pve`, which its SSH sessions find in
 * AGRI_PVE_ETC.
 */
export const pveEtc = (dir: string) => join(dir, 'etc-pve');

/** PVE::Tools::encode_text: control and high-bit bytes and ':' as %XX (of the UTF-8 bytes). */
function encodeText(s: string): string {
  return [...Buffer.from(s, 'utf8')].map((b) => (b >= 0x20 && b <= 0x7e && b !== 0x3a ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`)).join('');
}

/** One section: the description as `#` lines at its top, then the keys sorted, as generate_raw_config. */
function section(c: Record<string, ConfigValue>): string {
  const { description, ...rest } = c;
  const head = description === undefined ? '' : String(description).split('\n').map((l) => `#${encodeText(l)}\n`).join('');
  return head + Object.keys(rest).sort().map((k) => `${k}: ${rest[k]}\n`).join('');
}

/** A VM's config file: its current values, then the changes waiting for a power cycle under [PENDING]. */
export function vmConf(vm: Vm): string {
  const pending: Record<string, ConfigValue> = {};
  const deleted: string[] = [];
  for (const [k, v] of Object.entries(vm.pending)) {
    if (v === '__delete__') deleted.push(k);
    else pending[k] = v;
  }
  if (deleted.length) pending.delete = deleted.join(',');
  return section(vm.config) + (Object.keys(pending).length ? `\n[PENDING]\n${section(pending)}` : '');
}

/**
 * Writes each VM's file that `before` (the state the change started from) does not show as it is
 * now, each replaced by rename, as pmxcfs shows whole files; removes the files of VMs gone.
 */
export function writePmxcfs(dir: string, s: { node: string; vms: Record<string, Vm> }, before?: Record<string, Vm>): void {
  const etc = pveEtc(dir);
  const own = join(etc, 'nodes', s.node, 'qemu-server');
  makeDirs(own);
  // /etc/pve/local → nodes/<this node>, /etc/pve/qemu-server → local/qemu-server
  if (!existsSync(join(etc, 'local'))) symlinkSync(join('nodes', s.node), join(etc, 'local'));
  if (!existsSync(join(etc, 'qemu-server'))) symlinkSync(join('local', 'qemu-server'), join(etc, 'qemu-server'));
  for (const f of readdirSync(own)) if (!(f.replace(/\.conf$/, '') in s.vms)) rmSync(join(own, f), { force: true });
  for (const [id, vm] of Object.entries(s.vms)) {
    if (before && JSON.stringify(before[id]) === JSON.stringify(vm) && existsSync(join(own, `${id}.conf`))) continue;
    const tmp = join(own, `.${id}.conf.${process.pid}`);
    writeFileSync(tmp, vmConf(vm));
    renameSync(tmp, join(own, `${id}.conf`));
  }
}
