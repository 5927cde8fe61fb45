// ansible-core 2.14's gather_subset on Linux: which fact collectors run (module_utils/facts/
// collector.py get_collector_names, default_collectors.py), and which collector each fact of
// agri-play's setup comes from.
import { ModuleFailure } from '../types.js';

/** minimal_gather_subset: what every gather has, `!all` too (not `!min`). */
const MIN = ['apparmor', 'caps', 'cmdline', 'date_time', 'distribution', 'dns', 'env', 'fips', 'local', 'lsb', 'pkg_mgr', 'platform', 'python', 'selinux', 'service_mgr', 'ssh_pub_keys', 'user'];
/** The collectors `all` adds to them. */
const MORE = ['chroot', 'facter', 'fibre_channel_wwn', 'hardware', 'iscsi', 'loadavg', 'network', 'nvme', 'ohai', 'virtual'];
/** A fact name a subset may be given as, and its collector (its _fact_ids). */
const ALIAS: Record<string, string> = {
  ...Object.fromEntries(['all_ipv4_addresses', 'all_ipv6_addresses', 'default_ipv4', 'default_ipv6', 'interfaces'].map((n) => [n, 'network'])),
  ...Object.fromEntries(['architecture', 'kernel', 'kernel_version', 'machine', 'machine_id', 'python_version', 'system'].map((n) => [n, 'platform'])),
  ...Object.fromEntries(['system_capabilities', 'system_capabilities_enforced'].map((n) => [n, 'caps'])),
  is_chroot: 'chroot',
  ...Object.fromEntries(['devices', 'mounts', 'processor', 'processor_cores', 'processor_count'].map((n) => [n, 'hardware'])),
  ...Object.fromEntries(['distribution_major_version', 'distribution_release', 'distribution_version', 'os_family'].map((n) => [n, 'distribution'])),
  ...Object.fromEntries(['effective_group_ids', 'effective_user_id', 'real_user_id', 'user_dir', 'user_gecos', 'user_gid', 'user_id', 'user_shell', 'user_uid'].map((n) => [n, 'user'])),
  ...Object.fromEntries(['ssh_host_key_dsa_public', 'ssh_host_key_ecdsa_public', 'ssh_host_key_ed25519_public', 'ssh_host_key_rsa_public', 'ssh_host_pub_keys'].map((n) => [n, 'ssh_pub_keys'])),
  ...Object.fromEntries(['virtualization_role', 'virtualization_tech_guest', 'virtualization_tech_host', 'virtualization_type'].map((n) => [n, 'virtual'])),
};
/** valid_subsets: every collector and every alias (not `all`, which is its own word). */
const VALID = new Set([...MIN, ...MORE, ...Object.keys(ALIAS)]);

/** The collectors a gather_subset runs, as get_collector_names (an unknown subset to add fails; one to exclude is passed over). */
export function collectorsOf(subset: string[]): Set<string> {
  const add = new Set<string>();
  const exclude = new Set<string>();
  const explicit = new Set<string>();
  for (const s of ['min', ...subset]) {
    if (s === 'min') MIN.forEach((n) => add.add(n));
    else if (s === 'all') VALID.forEach((n) => add.add(n));
    else if (s === '!min') MIN.forEach((n) => exclude.add(n));
    else if (s === '!all') VALID.forEach((n) => !MIN.includes(n) && exclude.add(n));
    else if (s.startsWith('!')) {
      // (a collector's fact names go with it: `!hardware` leaves out `mounts` that `all` brought)
      exclude.add(s.slice(1));
      for (const [alias, c] of Object.entries(ALIAS)) if (c === s.slice(1)) exclude.add(alias);
    }
    else if (!VALID.has(s)) throw new ModuleFailure(`Bad subset '${s}' given to Ansible. gather_subset options allowed: all, ${[...VALID].sort().join(', ')}`);
    else {
      explicit.add(s);
      add.add(s);
    }
  }
  for (const n of exclude) if (!explicit.has(n)) add.delete(n);
  const chosen = new Set([...add].map((n) => ALIAS[n] ?? n));
  // (and the collectors theirs need, excluded or not, as _solve_deps adds them: `!all,!min,network` has platform's and distribution's facts)
  for (const c of [...chosen]) for (const r of REQUIRES[c] ?? []) chosen.add(r);
  return chosen;
}

/** The Linux collectors' required_facts: the collectors they need run with them. */
const REQUIRES: Record<string, string[]> = { network: ['distribution', 'platform'], hardware: ['platform'], pkg_mgr: ['distribution'], service_mgr: ['platform', 'distribution'] };

/** Facts of hardware's collector (LinuxHardware: CPU, memory, DMI, uptime, mounts, devices, LVM). */
const HARDWARE = /^(processor.*|mem\w*_mb|swap\w*_mb|memory_mb|uptime_seconds|(bios|board|chassis|product)_\w+|system_vendor|form_factor|mounts|devices|device_links|lvm)$/;
const OWN: Record<string, string> = { ansible_local: 'local', is_chroot: 'chroot', iscsi_iqn: 'iscsi', hostnqn: 'nvme', proc_cmdline: 'cmdline', selinux_python_present: 'selinux', hostname: 'platform', nodename: 'platform', fqdn: 'platform', domain: 'platform', userspace_architecture: 'platform', userspace_bits: 'platform', distribution: 'distribution', real_group_id: 'user', effective_group_id: 'user', default_ipv6: 'network' };

/** The collector a fact of setup's (its name without `ansible_`) comes from; `interfaces`: the host's interfaces, each a fact of its own. */
export function collectorOfFact(name: string, interfaces: Set<string>): string | undefined {
  if (name === 'gather_subset' || name === 'module_setup') return undefined;
  if (OWN[name] ?? ALIAS[name]) return OWN[name] ?? ALIAS[name];
  if (name.startsWith('distribution_')) return 'distribution';
  if (name.startsWith('ssh_host_key_')) return 'ssh_pub_keys';
  if (HARDWARE.test(name)) return 'hardware';
  if (interfaces.has(name)) return 'network';
  return name;
}
