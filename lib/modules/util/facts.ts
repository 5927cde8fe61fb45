// The facts ansible.builtin.setup gathers, read by one POSIX sh script in one round trip (no
// Python module shipped): each line is `key=value`; the interpreter's version comes from a
// Python started first in a pipe, so it runs while the shell reads the rest. Files are read with
// the shell's own `read` (r), not cat: about 15 programs start instead of 67.
import { LOCAL_FACTS, localFacts } from './local-facts.js';
import { pyFloat } from '../../source/python.js';
import { NETWORK, networkFacts } from './facts-network.js';
import { discoverFrom, familyOf } from './interpreter.js';
import { DEVICES, deviceFacts, lvmFacts } from './facts-devices.js';
import { capsFacts, cmdlineFacts, cpuFacts, selinuxFacts, SYSTEM, virtualFacts } from './facts-system.js';

/**
 * ansible-core's mounts (LinuxHardware.get_mount_facts): /etc/mtab (else /proc/mounts) entries of a
 * device path or `host:/path`, each with statvfs's sizes (stat -f), its UUID from lsblk (else
 * udevadm) and `,bind` where findmnt's SOURCE names a folder in brackets.
 */
const MOUNTS = String.raw`mt=/etc/mtab; [ -e "$mt" ] || mt=/proc/mounts
findmnt --list --noheadings --notruncate 2>/dev/null | while read -r t s x; do case $s in *]*) echo "bindmnt=$t" ;; esac; done
blk=$(lsblk --list --noheadings --paths --output NAME,UUID --exclude 2 2>/dev/null | while read -r n u; do [ -n "$u" ] && echo "blkuuid=$n $u"; done)
[ -n "$blk" ] && echo "$blk"
while read -r dev mp fs opts x; do
  case $dev in /*|\\*|*:/*) ;; *) continue ;; esac; [ "$fs" = none ] && continue
  case $mp in *\\*) p=$(printf '%b' "$(printf '%s' "$mp" | sed 's/\\\([0-7]\)/\\0\1/g')") ;; *) p=$mp ;; esac
  # (udevadm only for a device lsblk gave no UUID: its fallback)
  u=; case "$blk" in *"blkuuid=$dev "*) ;; *) u=$(udevadm info --query property --name "$dev" 2>/dev/null | sed -n 's/^ID_FS_UUID=//p') ;; esac
  # (printf, not echo: dash's echo would turn mtab's \040 into the space it stands for)
  printf 'mnt=%s %s %s %s %s|%s\n' "$dev" "$mp" "$fs" "$opts" "$(stat -f -c '%S %b %a %s %c %d' -- "$p" 2>/dev/null | tr -d '\n')" "$u"
done 2>/dev/null < "$mt"`;

/** (run with `fp` set to the local facts' folder, `fp=/etc/ansible/facts.d`, and g_network=1, g_hardware=1 for those collectors) */
export const FACTS_SCRIPT = `py=/usr/bin/python3; [ -x "$py" ] || py=$(command -v python3 || command -v python)
{ [ -n "$py" ] && "$py" -I -S -c 'import sys;v=sys.version_info;print(sys.executable,v[0],v[1],v[2],v[3],v[4],sys.implementation.name)' 2>/dev/null; echo; } | {
r() { v=; [ -r "$1" ] || return 1; IFS= read -r v < "$1" || :; }
. /etc/os-release 2>/dev/null
r /proc/sys/kernel/hostname; echo "hostname=\${v%%.*}"; echo "nodename=$v"
# (Python's socket.getfqdn(): the first name with a dot of the address the hostname resolves to, else its canonical name)
fq=$v; a=$(getent ahosts "$v" 2>/dev/null) && { set -- $a; n=$(getent hosts "$1" 2>/dev/null) && { set -- $n; shift; fq=$1; for x in "$@"; do case $x in *.*) fq=$x; break ;; esac; done; }; }; echo "fqdn=$fq"
r /proc/sys/kernel/ostype; echo "system=\${v:-$(uname -s)}"
r /proc/sys/kernel/osrelease; echo "kernel=$v"
r /proc/sys/kernel/version; echo "kernel_version=$v"
arch=$(uname -m); echo "architecture=$arch"
case $arch in *64*|s390x) echo bits=64 ;; *) echo "bits=$(getconf LONG_BIT 2>/dev/null)" ;; esac
echo "os_id=$ID"
echo "os_like=$ID_LIKE"
echo "distribution_version=$VERSION_ID"
echo "distribution_release=$VERSION_CODENAME"
echo "pretty_name=$PRETTY_NAME"
r /etc/debian_version && echo "debian_version=$v"
while read -r k n x; do case $k in MemTotal:|MemFree:|Buffers:|Cached:|SwapTotal:|SwapFree:|SwapCached:) echo "mem_\${k%:}=$n" ;; esac; done 2>/dev/null < /proc/meminfo
while read -r k a b c d x; do case $k in Uid:) echo "ruid=$a"; echo "uid=$b"; eu=$b ;; Gid:) echo "rgid=$a"; echo "gid=$b" ;; esac; done < /proc/self/status
pw=$(getent passwd "\${eu:-$(id -u)}" 2>/dev/null); echo "passwd=$pw"; echo "user=\${pw%%:*}"
r /etc/machine-id; echo "machine_id=$v"
r /proc/uptime; echo "uptime=\${v%% *}"
r /proc/loadavg; set -- $v; echo "loadavg=$1 $2 $3"
echo "now=$(date '+%s.%N %z %Z')"
for m in apt-get dnf yum zypper apk pacman; do command -v $m >/dev/null 2>&1 && { echo "pkg=$m"; break; }; done
if [ -d /run/systemd/system ]; then echo "svc=systemd"; else r /proc/1/comm; echo "svc=$v"; fi
[ -d /sys/kernel/security/apparmor ] && echo "apparmor=enabled"
r /proc/sys/crypto/fips_enabled; echo "fips=$v"
r /proc/cmdline; echo "cmdline=$v"
while read -r k a x; do case $k in nameserver) echo "ns=$a" ;; search) echo "search=$a\${x:+ $x}" ;; domain) echo "dnsdomain=$a" ;; esac; done 2>/dev/null < /etc/resolv.conf
${SYSTEM}
# (the network and the devices only where the subset has their collector: g_network, g_hardware)
if [ -n "$g_network" ]; then
${NETWORK}
fi
if [ -n "$g_hardware" ]; then
${DEVICES}
fi
PATH=$P0
for d in bios_date bios_vendor bios_version board_asset_tag board_name board_serial board_vendor board_version chassis_asset_tag chassis_serial chassis_vendor chassis_version product_name product_serial product_uuid product_version sys_vendor; do r /sys/devices/virtual/dmi/id/$d; echo "dmi_$d=$v"; done
command -v lsb_release >/dev/null && echo lsb=1
for k in /etc/ssh/ssh_host_*_key.pub; do [ -r "$k" ] && r "$k" && echo "hostkey=$k $v"; done
env -0 2>/dev/null | tr '\\n\\0' '\\036\\n' | while IFS= read -r l; do echo "env=$l"; done
${LOCAL_FACTS}
[ -z "$g_hardware" ] || {
${MOUNTS}
}
read -r pyline; echo "python=$pyline"
}`;

// Ansible's names for /etc/os-release ids
const DISTRIBUTION: Record<string, string> = { debian: 'Debian', ubuntu: 'Ubuntu', rhel: 'RedHat', centos: 'CentOS', fedora: 'Fedora', rocky: 'Rocky', almalinux: 'AlmaLinux', alpine: 'Alpine', arch: 'Archlinux', sles: 'SLES', 'opensuse-leap': 'openSUSE Leap', amzn: 'Amazon' };
const PKG: Record<string, string> = { 'apt-get': 'apt', dnf: 'dnf', yum: 'yum', zypper: 'zypper', apk: 'apk', pacman: 'pacman' };
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

const pad = (n: number) => String(n).padStart(2, '0');

/** Ansible's date_time fact, from the host's clock and UTC offset. */
function dateTime(now: string): Record<string, string> {
  const [epochText, offset = '+0000', tz = 'UTC'] = now.split(' ');
  const epoch = Number(epochText);
  const off = (offset[0] === '-' ? -1 : 1) * (Number(offset.slice(1, 3)) * 60 + Number(offset.slice(3, 5)));
  const local = new Date(Math.floor(epoch * 1000) + off * 60_000);
  const utc = new Date(Math.floor(epoch * 1000));
  const [Y, M, D, h, m, s] = [local.getUTCFullYear(), pad(local.getUTCMonth() + 1), pad(local.getUTCDate()), pad(local.getUTCHours()), pad(local.getUTCMinutes()), pad(local.getUTCSeconds())];
  const micro = String(Math.floor((epoch % 1) * 1e6)).padStart(6, '0');
  const iso = utc.toISOString().slice(0, 19);
  const jan1 = Date.UTC(Y, 0, 1);
  const yday = Math.floor((local.getTime() - jan1) / 86_400_000);
  const weeknumber = pad(Math.floor((yday + 7 - ((local.getUTCDay() + 6) % 7)) / 7));
  return {
    year: String(Y), month: M, weekday: DAYS[local.getUTCDay()], weekday_number: String(local.getUTCDay()), weeknumber, day: D, hour: h, minute: m, second: s,
    epoch: String(Math.floor(epoch)), epoch_int: String(Math.floor(epoch)), date: `${Y}-${M}-${D}`, time: `${h}:${m}:${s}`,
    iso8601_micro: `${iso}.${micro}Z`, iso8601: `${iso}Z`, iso8601_basic: `${Y}${M}${D}T${h}${m}${s}${micro}`, iso8601_basic_short: `${Y}${M}${D}T${h}${m}${s}`,
    tz, tz_dst: tz, tz_offset: offset,
  };
}

const DMI = ['bios_date', 'bios_vendor', 'bios_version', 'board_asset_tag', 'board_name', 'board_serial', 'board_vendor', 'board_version', 'chassis_asset_tag', 'chassis_serial', 'chassis_vendor', 'chassis_version', 'product_name', 'product_serial', 'product_uuid', 'product_version', 'sys_vendor'];

/** The fact an interface's own dict is: its name with `:` as `_` (LinuxNetwork) and `-` as `_` (the facts' namespace); a `.` stays. */
export const interfaceFact = (name: string): string => name.replace(/[-:]/g, '_');

/** The facts (without the `ansible_` prefix) from the script's output. */
export function parseFacts(out: string, factPath = '/etc/ansible/facts.d'): Record<string, unknown> {
  const raw: Record<string, string> = {};
  const many: Record<string, string[]> = {};
  const lines = out.split('\n');
  for (const l of lines) {
    const i = l.indexOf('=');
    if (i <= 0) continue;
    const [k, v] = [l.slice(0, i), l.slice(i + 1)];
    raw[k] = v;
    (many[k] ??= []).push(v);
  }
  const mb = (k: string) => Math.floor(Number(raw[`mem_${k}`] ?? 0) / 1024);
  const family = familyOf(raw.os_id, raw.os_like);
  const version = raw.os_id === 'debian' && raw.debian_version && /^\d/.test(raw.debian_version) ? raw.debian_version : raw.distribution_version || 'NA';
  const [major, minor] = version.split('.');
  const [, , , , gecos, dir, shell] = (raw.passwd ?? '').split(':');
  const [pyExe, pyMaj, pyMin, pyMicro, pyLevel, pySerial, pyType] = (raw.python ?? '').split(' ');
  const f: Record<string, unknown> = {
    hostname: raw.hostname, nodename: raw.nodename, fqdn: raw.fqdn, domain: raw.fqdn?.includes('.') ? raw.fqdn.slice(raw.fqdn.indexOf('.') + 1) : '',
    system: raw.system, kernel: raw.kernel, kernel_version: raw.kernel_version, architecture: raw.architecture, machine: raw.architecture,
    userspace_architecture: raw.architecture, userspace_bits: raw.bits,
    distribution: DISTRIBUTION[raw.os_id] ?? (raw.os_id ? raw.os_id[0].toUpperCase() + raw.os_id.slice(1) : 'NA'),
    distribution_version: version, distribution_major_version: major, ...(minor !== undefined ? { distribution_minor_version: minor } : {}),
    distribution_release: raw.distribution_release || 'NA',
    distribution_file_path: '/etc/os-release', distribution_file_variety: family ?? 'NA', distribution_file_parsed: true,
    os_family: family ?? raw.system,
    memtotal_mb: mb('MemTotal'), memfree_mb: mb('MemFree'), swaptotal_mb: mb('SwapTotal'), swapfree_mb: mb('SwapFree'),
    memory_mb: {
      real: { total: mb('MemTotal'), used: mb('MemTotal') - mb('MemFree'), free: mb('MemFree') },
      nocache: { free: mb('MemFree') + mb('Buffers') + mb('Cached'), used: mb('MemTotal') - mb('MemFree') - mb('Buffers') - mb('Cached') },
      swap: { total: mb('SwapTotal'), free: mb('SwapFree'), used: mb('SwapTotal') - mb('SwapFree'), cached: mb('SwapCached') },
    },
    user_id: raw.user, user_uid: Number(raw.uid), user_gid: Number(raw.gid), user_gecos: gecos ?? '', user_dir: dir ?? '', user_shell: shell ?? '',
    effective_user_id: Number(raw.uid), effective_group_id: Number(raw.gid), real_user_id: Number(raw.ruid), real_group_id: Number(raw.rgid),
    machine_id: raw.machine_id ?? '', uptime_seconds: Math.floor(Number(raw.uptime ?? 0)),
    // (floats, os.getloadavg's: 0.0 too)
    loadavg: Object.fromEntries((raw.loadavg ?? '0 0 0').split(' ').map((v, i) => [['1m', '5m', '15m'][i], pyFloat(Number(v))])),
    date_time: dateTime(raw.now ?? `${Date.now() / 1000} +0000 UTC`),
    pkg_mgr: PKG[raw.pkg] ?? 'unknown', service_mgr: raw.svc || 'service',
    apparmor: { status: raw.apparmor ? 'enabled' : 'disabled' }, ...selinuxFacts(raw), ...capsFacts(raw),
    fips: raw.fips === '1', is_chroot: false,
    ...cmdlineFacts(raw.cmdline),
    dns: { ...(many.ns ? { nameservers: many.ns } : {}), ...(raw.search ? { search: raw.search.split(/\s+/) } : {}), ...(raw.dnsdomain ? { domain: raw.dnsdomain } : {}) },
    env: Object.fromEntries((many.env ?? []).map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1).replace(/\x1e/g, '\n')])),
    ansible_local: localFacts(many.localfact ?? [], factPath),
    lsb: raw.lsb ? { id: DISTRIBUTION[raw.os_id] ?? raw.os_id, description: raw.pretty_name, release: raw.distribution_version, codename: raw.distribution_release, major_release: raw.distribution_version?.split('.')[0] } : {},
    ...cpuFacts(raw, many, raw.architecture ?? ''),
    ...Object.fromEntries(DMI.map((d) => [d === 'sys_vendor' ? 'system_vendor' : d, raw[`dmi_${d}`] || 'NA'])),
    form_factor: 'NA',
    ...virtualFacts(raw, many),
    ...deviceFacts(lines, many),
    ...lvmFacts(raw, many),
    fibre_channel_wwn: [], hostnqn: '', iscsi_iqn: '',
  };
  f.mounts = mounts(many.mnt ?? [], many.bindmnt ?? [], many.blkuuid ?? []);
  for (const [k, v] of Object.entries(networkFacts(lines))) f[interfaceFact(k)] = v;
  for (const k of many.hostkey ?? []) {
    const [file, type, key] = k.split(' ');
    const kind = /ssh_host_(\w+)_key/.exec(file)?.[1];
    if (kind && key) Object.assign(f, { [`ssh_host_key_${kind}_public`]: key, [`ssh_host_key_${kind}_public_keytype`]: type });
  }
  if (pyExe && pyMaj) {
    const info = [Number(pyMaj), Number(pyMin), Number(pyMicro), pyLevel, Number(pySerial)];
    Object.assign(f, { python: { version: { major: info[0], minor: info[1], micro: info[2], releaselevel: info[3], serial: info[4] }, version_info: info, executable: pyExe, has_sslcontext: true, type: pyType === 'cpython' ? 'cpython' : pyType }, python_version: `${pyMaj}.${pyMin}.${pyMicro}` });
  }
  // (what interpreter discovery would pick: setup's result holds it where the host names none)
  f.discovered_interpreter_python = discoverFrom({ platform: 'linux', found: (many.py_found ?? []).filter((p) => p.startsWith('/')), distro: raw.os_id ?? '', like: raw.os_like, version: raw.distribution_version ?? '' }, 'auto_silent', '').python;
  return f;
}

/** mtab's `\040`-style escapes, as _replace_octal_escapes undoes them. */
const unescape = (v: string) => v.replace(/\\[0-7]{3}/g, (o) => String.fromCharCode(parseInt(o.slice(1), 8)));

/** The mounts fact from the script's `mnt=DEV MOUNT FSTYPE OPTIONS FRSIZE BLOCKS BAVAIL BSIZE FILES FFREE|UDEV_UUID` lines. */
function mounts(lines: string[], binds: string[], blk: string[]): Record<string, unknown>[] {
  const uuids = new Map<string, string>();
  for (const l of blk) {
    const i = l.lastIndexOf(' ');
    if (!uuids.has(l.slice(0, i))) uuids.set(l.slice(0, i), l.slice(i + 1));
  }
  const bound = new Set(binds);
  return lines.map((l) => {
    const [head, udev] = [l.slice(0, l.lastIndexOf('|')), l.slice(l.lastIndexOf('|') + 1)];
    const [device, mount, fstype, options, ...st] = head.split(' ').map(unescape);
    const info: Record<string, unknown> = { mount, device, fstype, options: bound.has(mount) && !options.includes('bind') ? `${options},bind` : options };
    const [frsize, blocks, bavail, bsize, files, ffree] = st.map(Number);
    if (st.length === 6 && st.every((x) => /^\d+$/.test(x))) Object.assign(info, { size_total: frsize * blocks, size_available: frsize * bavail, block_size: bsize, block_total: blocks, block_available: bavail, block_used: blocks - bavail, inode_total: files, inode_available: ffree, inode_used: files - ffree });
    info.uuid = uuids.get(device) ?? (udev || 'N/A');
    return info;
  });
}
