import { Type } from '@sinclair/typebox';
import picomatch from 'picomatch';
import { defineModule, ModuleFailure } from './types.js';

const Args = Type.Object(
  {
    gather_subset: Type.Optional(Type.Union([Type.String(), Type.Array(Type.String())], { description: "Accepted for Ansible: the same small fact set is gathered whatever the subset (it includes Ansible's 'min' and 'distribution' facts)." })),
    gather_timeout: Type.Optional(Type.Integer({ minimum: 1, description: 'Accepted for Ansible (one round trip).' })),
    filter: Type.Optional(Type.Union([Type.String(), Type.Array(Type.String())], { description: 'Only facts whose name matches these shell-style patterns.' })),
  },
  { additionalProperties: false, description: 'A small fact set in one round trip.' },
);

// One remote script, POSIX sh, that prints key=value lines (no Python on the host needed)
const SCRIPT = `. /etc/os-release 2>/dev/null
iface=$(awk '$2 == "00000000" { print $1; exit }' /proc/net/route 2>/dev/null)
addr=$( [ -n "$iface" ] && ip -4 -o addr show dev "$iface" 2>/dev/null | awk '{ split($4, a, "/"); print a[1]; exit }')
gw=$(awk '$2 == "00000000" { print $3; exit }' /proc/net/route 2>/dev/null)
echo "hostname=$(uname -n | cut -d. -f1)"
echo "fqdn=$(hostname -f 2>/dev/null || uname -n)"
echo "system=$(uname -s)"
echo "kernel=$(uname -r)"
echo "architecture=$(uname -m)"
echo "os_id=$ID"
echo "os_like=$ID_LIKE"
echo "distribution_version=$VERSION_ID"
echo "distribution_release=$VERSION_CODENAME"
echo "processor_vcpus=$(nproc 2>/dev/null || getconf _NPROCESSORS_ONLN)"
echo "memtotal_kb=$(awk '/^MemTotal:/ { print $2 }' /proc/meminfo)"
echo "iface=$iface"
echo "address=$addr"
echo "gateway_hex=$gw"`;

// Ansible's names for /etc/os-release ids
const DISTRIBUTION: Record<string, string> = { debian: 'Debian', ubuntu: 'Ubuntu', rhel: 'RedHat', centos: 'CentOS', fedora: 'Fedora', rocky: 'Rocky', almalinux: 'AlmaLinux', alpine: 'Alpine', arch: 'Archlinux', sles: 'SLES', 'opensuse-leap': 'openSUSE Leap', amzn: 'Amazon' };
const FAMILY: Record<string, string> = { debian: 'Debian', ubuntu: 'Debian', rhel: 'RedHat', centos: 'RedHat', fedora: 'RedHat', rocky: 'RedHat', almalinux: 'RedHat', amzn: 'RedHat', alpine: 'Alpine', arch: 'Archlinux', sles: 'Suse', 'opensuse-leap': 'Suse' };

/** /proc/net/route's little-endian hex gateway as a dotted quad. */
const gateway = (hex: string) => (/^[0-9A-Fa-f]{8}$/.test(hex) ? [3, 2, 1, 0].map((i) => parseInt(hex.slice(i * 2, i * 2 + 2), 16)).join('.') : undefined);

export default defineModule({
  name: 'setup',
  kind: 'action',
  description: "Gathers a small fact set (Ansible's names: hostname, fqdn, os_family, distribution*, system, kernel, architecture, processor_vcpus, memtotal_mb, default_ipv4) in one round trip; what `gather_facts` runs.",
  args: Args,
  async run(ctx, a) {
    const r = await ctx.exec({ shell: SCRIPT });
    if (r.rc !== 0) throw new ModuleFailure(`gathering facts failed: ${r.stderr || `exit ${r.rc}`}`);
    const raw = Object.fromEntries(r.stdout.split('\n').map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
    const like = raw.os_like?.split(/\s+/).find((x) => FAMILY[x]);
    const f: Record<string, unknown> = {
      hostname: raw.hostname,
      nodename: raw.hostname,
      fqdn: raw.fqdn,
      system: raw.system,
      kernel: raw.kernel,
      architecture: raw.architecture,
      distribution: DISTRIBUTION[raw.os_id] ?? (raw.os_id ? raw.os_id[0].toUpperCase() + raw.os_id.slice(1) : 'NA'),
      distribution_version: raw.distribution_version || 'NA',
      distribution_major_version: (raw.distribution_version || 'NA').split('.')[0],
      distribution_release: raw.distribution_release || 'NA',
      os_family: FAMILY[raw.os_id] ?? (like ? FAMILY[like] : raw.system),
      processor_vcpus: Number(raw.processor_vcpus) || 0,
      memtotal_mb: Math.floor(Number(raw.memtotal_kb) / 1024) || 0,
      default_ipv4: raw.address ? { address: raw.address, interface: raw.iface, gateway: gateway(raw.gateway_hex) } : {},
    };
    if (a.filter !== undefined) {
      const keep = (Array.isArray(a.filter) ? a.filter : [a.filter]).map((p) => picomatch(p.replace(/^ansible_/, '')));
      for (const k of Object.keys(f)) if (!keep.some((m) => m(k))) delete f[k];
    }
    // as Ansible: under ansible_facts, and each also as ansible_<name>
    const facts = { ansible_facts: f, ...Object.fromEntries(Object.entries(f).map(([k, v]) => [`ansible_${k}`, v])) };
    return { facts, data: { ansible_facts: f } };
  },
});
