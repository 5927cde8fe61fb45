// ansible-core 2.14's Linux facts of the cmdline, caps, selinux and virtual collectors and of
// LinuxHardware's CPU part (module_utils/facts/system/*.py, virtual/linux.py, hardware/linux.py
// get_cpu_facts): SYSTEM is the facts script's part that reads what they read (`r` is its
// first-line reader; it puts the sbin folders on PATH, as get_bin_path looks there, and the
// facts script puts PATH back after DEVICES), and the functions below read its lines.

export const SYSTEM = `${PY_FOUND}
# (get_bin_path looks in the sbin folders too: PATH has them until the device facts are read)
P0=$PATH; PATH=$PATH:/sbin:/usr/sbin:/usr/local/sbin
command -v capsh >/dev/null && o=$(capsh --print 2>/dev/null) && { echo caps_rc=0; printf '%s\\n' "$o" | sed -n 's/^Current:/caps=/p'; }
for f in /lib/*/libselinux.so.1 /usr/lib/*/libselinux.so.1 /lib64/libselinux.so.1 /usr/lib64/libselinux.so.1 /lib/libselinux.so.1 /usr/lib/libselinux.so.1; do [ -e "$f" ] && { echo selinux_lib=1; break; }; done
if [ -d /sys/fs/selinux ] && r /sys/fs/selinux/enforce; then echo "selinux=$v"; r /sys/fs/selinux/policyvers && echo "selinux_policyvers=$v"
  while IFS='=' read -r k x; do case $k in SELINUX|SELINUXTYPE) echo "selinux_cfg_$k=$x" ;; esac; done 2>/dev/null < /etc/selinux/config; fi
xen=; { [ -e /proc/xen ] || { r /sys/hypervisor/type && [ "$v" = xen ]; }; } && xen='|flags' && echo xen=1
sed -n -E "s/^((model name|Processor|vendor_id|cpu|Vendor|processor|physical id|core id|cpu cores|siblings|# processors|ncpus active|machine$xen)[[:space:]]*:)/ci=\\\\1/p" /proc/cpuinfo 2>/dev/null
[ -r /proc/cpuinfo ] && echo cpuinfo=1
echo "nproc=$(nproc 2>/dev/null)"
while IFS= read -r l; do echo "cg=$l"; done 2>/dev/null < /proc/1/cgroup
tr '\\0' '\\n' 2>/dev/null < /proc/1/environ | sed -n 's/^\\(.*container=.*\\)$/penv=\\1/p'
for f in /proc/vz /proc/lve /proc/bc /.dockerenv /.dockerinit /proc/xen /dev/kvm; do [ -e "$f" ] && echo "exists=$f"; done
[ -e /run/systemd/container ] && v=$(cat /run/systemd/container 2>/dev/null) && echo "sd_container=$v"
[ -e /proc/xen ] && grep -q control_d /proc/xen/capabilities 2>/dev/null && echo xen_host=1
r /sys/devices/virtual/dmi/id/product_family; echo "dmi_product_family=$v"
while IFS= read -r l; do case $l in VxID:*) echo "vx=$l" ;; esac; done 2>/dev/null < /proc/$$/status
[ -r /proc/modules ] && while read -r m x; do case $m in kvm|vboxdrv|virtio) echo "kmod=$m" ;; esac; done < /proc/modules
[ -d /rhev ] && grep -qxE 'vdsm|vdsmd' /proc/[0-9]*/comm 2>/dev/null && echo vdsm=1
case $arch in s390*) command -v lscpu >/dev/null && { echo lscpu=1; lscpu 2>/dev/null | sed -n 's/^Hypervisor:[[:space:]]*/lscpu_hv=/p'; } ;; esac
command -v dmidecode >/dev/null && o=$(dmidecode -s system-product-name 2>/dev/null) && printf '%s\\n' "$o" | sed 's/^/dmidecode=/'
`;

import { PY_FOUND } from './interpreter.js';

type Many = Record<string, string[]>;
type Raw = Record<string, string>;

/** shlex.split(data, posix=False) as cmdline.py calls it: quotes kept, a quote left open is a ValueError (no words). */
function shlexWords(data: string): string[] {
  const words: string[] = [];
  let i = 0;
  while (i < data.length) {
    while (i < data.length && /\s/.test(data[i])) i++;
    if (i >= data.length) break;
    const q = data[i];
    if (q === '"' || q === "'") {
      const end = data.indexOf(q, i + 1);
      if (end < 0) return [];
      words.push(data.slice(i, end + 1));
      i = end + 1;
      continue;
    }
    let j = i;
    while (j < data.length && !/\s/.test(data[j])) j++;
    words.push(data.slice(i, j));
    i = j;
  }
  return words;
}

/** cmdline and proc_cmdline (a key given twice is a list there), as CmdLineFactCollector. */
export function cmdlineFacts(data: string | undefined): Record<string, unknown> {
  if (!data) return {};
  const cmdline: Record<string, unknown> = {};
  const proc: Record<string, unknown> = {};
  for (const piece of shlexWords(data)) {
    const eq = piece.indexOf('=');
    if (eq < 0) {
      cmdline[piece] = true;
      proc[piece] = true;
      continue;
    }
    const [k, v] = [piece.slice(0, eq), piece.slice(eq + 1)];
    cmdline[k] = v;
    const had = proc[k];
    proc[k] = had === undefined ? v : Array.isArray(had) ? [...had, v] : [had, v];
  }
  return { cmdline, proc_cmdline: proc };
}

/** system_capabilities(_enforced) from `capsh --print`'s Current line, as SystemCapabilitiesFactCollector. */
export function capsFacts(raw: Raw): Record<string, unknown> {
  if (raw.caps_rc !== '0') return { system_capabilities_enforced: 'N/A', system_capabilities: 'N/A' };
  const line = raw.caps;
  if (line === undefined) return { system_capabilities_enforced: 'NA', system_capabilities: [] };
  if (line.trim() === '=ep') return { system_capabilities_enforced: 'False', system_capabilities: [] };
  return { system_capabilities_enforced: 'True', system_capabilities: line.split('=')[1].split(',').map((c) => c.trim()) };
}

const SELINUX_MODE: Record<string, string> = { enforcing: 'enforcing', permissive: 'permissive', disabled: 'disabled' };

/** selinux and selinux_python_present: libselinux loads (ansible-core's ctypes binding), then the kernel's state. */
export function selinuxFacts(raw: Raw): Record<string, unknown> {
  if (!raw.selinux_lib) return { selinux: { status: 'Missing selinux Python library' }, selinux_python_present: false };
  if (raw.selinux === undefined) return { selinux: { status: 'disabled' }, selinux_python_present: true };
  const cfg = raw.selinux_cfg_SELINUX?.trim().toLowerCase();
  return {
    selinux: { status: 'enabled', policyvers: raw.selinux_policyvers ? Number(raw.selinux_policyvers) : 'unknown', config_mode: (cfg && SELINUX_MODE[cfg]) ?? 'unknown', mode: raw.selinux === '1' ? 'enforcing' : raw.selinux === '0' ? 'permissive' : 'unknown', type: raw.selinux_cfg_SELINUXTYPE?.trim() || 'unknown' },
    selinux_python_present: true,
  };
}

/** LinuxHardware.get_cpu_facts: processor (the list of cpuinfo's names), its counts, vcpus and nproc. */
export function cpuFacts(raw: Raw, many: Many, arch: string): Record<string, unknown> {
  if (!raw.cpuinfo) return {};
  const f: Record<string, unknown> = { processor: [] };
  const processor = f.processor as string[];
  let [i, vendors, models, processors] = [0, 0, 0, 0];
  let [physid, coreid] = ['0', '0'];
  let xenParavirt = false;
  const sockets = new Map<string, number>();
  const cores = new Map<string, number>();
  for (const line of many.ci ?? []) {
    const colon = line.indexOf(':');
    const key = (colon < 0 ? line : line.slice(0, colon)).trim();
    const val = colon < 0 ? '' : line.slice(colon + 1).trim();
    if (raw.xen && key === 'flags' && !val.split(/\s+/).includes('vme')) xenParavirt = true;
    if (['model name', 'Processor', 'vendor_id', 'cpu', 'Vendor', 'processor'].includes(key)) {
      processor.push(val);
      if (key === 'vendor_id') vendors++;
      if (key === 'model name') models++;
      if (key === 'processor') processors++;
      i++;
    } else if (key === 'physical id') {
      physid = val;
      if (!sockets.has(physid)) sockets.set(physid, 1);
    } else if (key === 'core id') {
      coreid = val;
      // (sic: ansible-core looks in sockets here)
      if (!sockets.has(coreid)) cores.set(coreid, 1);
    } else if (key === 'cpu cores') sockets.set(physid, parseInt(val, 10));
    else if (key === 'siblings') cores.set(coreid, parseInt(val, 10));
    else if (key === '# processors') f.processor_cores = parseInt(val, 10);
    else if (key === 'ncpus active') i = parseInt(val, 10);
  }
  if (vendors > 0 && vendors === models) i = vendors;
  if (/^(armv|aarch|ppc)/.test(arch)) i = processors;
  if (arch === 's390x') return f;
  if (xenParavirt) return Object.assign(f, { processor_count: i, processor_cores: i, processor_threads_per_core: 1, processor_vcpus: i });
  f.processor_count = sockets.size ? sockets.size : i;
  const first = [...sockets.values()][0];
  f.processor_cores = first ? first : 1;
  const coreValues = [...cores.values()];
  f.processor_threads_per_core = Math.floor((coreValues.length ? coreValues[0] : 1) / (f.processor_cores as number));
  f.processor_vcpus = (f.processor_threads_per_core as number) * (f.processor_count as number) * (f.processor_cores as number);
  f.processor_nproc = Number(raw.nproc) || processors;
  return f;
}

export { virtualFacts } from './facts-virtual.js';
