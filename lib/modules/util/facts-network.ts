// ansible-core 2.14's Linux network facts (module_utils/facts/network/linux.py): each folder of
// /sys/class/net in the order the kernel lists it (Python's glob does not sort), its sysfs files,
// `ip addr show primary` and `secondary`, ethtool's features and timestamping, and the default
// routes from `ip route get`. The shell part prints them; networkFacts reads them as LinuxNetwork does.

/**
 * (run by the facts script after SYSTEM, with the sbin folders on PATH; `r` is its first-line reader): per device `nic=NAME` and its `n.*`
 * lines, then the ip outputs and the routes, each after its marker line (`ip_primary`, …, `ip_end`); nothing without `ip`.
 */
export const NETWORK = `if command -v ip >/dev/null; then echo ipcmd=1
et=$(command -v ethtool)
for d in $(ls -U /sys/class/net 2>/dev/null); do p=/sys/class/net/$d; [ -d "$p" ] || continue
echo "nic=$d"
r "$p/address" && echo "n.mac=$v"
r "$p/mtu" && echo "n.mtu=$v"
r "$p/operstate" && echo "n.oper=$v"
[ -e "$p/device/driver/module" ] && m=$(readlink -f "$p/device/driver/module") && echo "n.module=\${m##*/}"
r "$p/type" && echo "n.type=$v"
if [ -e "$p/bridge" ]; then echo "n.bridge=$(ls -U "$p/brif" 2>/dev/null | tr '\\n' ' ')"; r "$p/bridge/bridge_id" && echo "n.bridge_id=$v"; r "$p/bridge/stp_state" && echo "n.stp=$v"; fi
if [ -e "$p/bonding" ]; then echo n.bonding=1; for k in slaves mode miimon lacp_rate primary all_slaves_active; do r "$p/bonding/$k" && echo "n.bond_$k=$v"; done; fi
[ -e "$p/bonding_slave" ] && { r "$p/bonding_slave/perm_hwaddr"; echo "n.perm=$v"; }
[ -e "$p/device" ] && l=$(readlink "$p/device") && echo "n.pciid=\${l##*/}"
[ -e "$p/speed" ] && r "$p/speed" 2>/dev/null && echo "n.speed=$v"
r "$p/flags" && echo "n.flags=$v"
if [ -n "$et" ]; then
  o=$("$et" -k "$d" 2>/dev/null) && { echo n.features=1; printf '%s\\n' "$o" | while IFS= read -r l; do echo "n.k=$l"; done; }
  o=$("$et" -T "$d" 2>/dev/null) && { echo n.timestamping=1; printf '%s\\n' "$o" | while IFS= read -r l; do echo "n.t=$l"; done; }
fi
done
echo ip_primary; ip addr show primary 2>/dev/null || ip addr show 2>/dev/null
echo ip_secondary; ip addr show secondary 2>/dev/null
echo ip_route4; ip -4 route get 8.8.8.8 2>/dev/null
echo ip_route6; ip -6 route get 2404:6800:400a:800::1012 2>/dev/null
echo ip_end
fi`;

const INTERFACE_TYPE: Record<string, string> = { '1': 'ether', '32': 'infiniband', '512': 'ppp', '772': 'loopback', '65534': 'tunnel' };

type Dict = Record<string, unknown>;

/** get_default_interfaces: the interface, source and gateway of the route to a public address. */
function defaultRoute(line: string | undefined, target: string): Dict {
  const out: Dict = {};
  const words = (line ?? '').trim().split(/\s+/);
  if (words[0] !== target) return out;
  for (let i = 0; i < words.length - 1; i++) {
    if (words[i] === 'dev') out.interface = words[i + 1];
    else if (words[i] === 'src') out.address = words[i + 1];
    else if (words[i] === 'via' && words[i + 1] !== target) out.gateway = words[i + 1];
  }
  return out;
}

/** `ip addr show` output as each device's lines (the header names it: `3: v.2@v-1: <…>`). */
function byDevice(lines: string[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  let cur: string[] | undefined;
  for (const l of lines) {
    const h = /^\d+:\s+([^:@\s]+)/.exec(l);
    if (h) out.set(h[1], (cur = []));
    else cur?.push(l);
  }
  return out;
}

const mask4 = (bits: number) => (bits >= 32 ? 0xffffffff : bits <= 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0);
const dotted = (n: number) => [24, 16, 8, 0].map((s) => (n >>> s) & 255).join('.');
const ipv4Num = (a: string) => a.split('.').reduce((n, o) => ((n << 8) | Number(o)) >>> 0, 0);

interface State {
  interfaces: Map<string, Dict>;
  v4: string[];
  v6: string[];
  default4: Dict;
  default6: Dict;
}

/** parse_ip_output of one device's `ip addr show primary|secondary` lines. */
function parseIp(s: State, device: string, mac: unknown, lines: string[], secondary: boolean): void {
  for (const line of lines) {
    const words = line.trim().split(/\s+/);
    if (!words[0]) continue;
    if (words[0] === 'inet') {
      let [address, bits] = [words[1], '32'];
      let broadcast = '';
      if (words[1].includes('/')) {
        [address, bits] = words[1].split('/');
        if (words.length > 3 && words[2] === 'brd') broadcast = words[3];
      }
      const m = mask4(Number(bits));
      const v4 = { address, broadcast, netmask: dotted(m), network: dotted(ipv4Num(address) & m), prefix: bits };
      const iface = words[words.length - 1];
      if (iface !== device) s.interfaces.set(iface, {});
      const entry = s.interfaces.get(iface)!;
      if (!secondary && !('ipv4' in entry)) entry.ipv4 = v4;
      else ((entry.ipv4_secondaries ??= []) as Dict[]).push({ ...v4 });
      if (secondary) {
        const dev = s.interfaces.get(device)!;
        const list = (dev.ipv4_secondaries ??= []) as Dict[];
        if (device !== iface) list.push({ ...v4 });
      }
      if (s.default4.address === address) {
        const dev = s.interfaces.get(device)!;
        Object.assign(s.default4, { broadcast, netmask: v4.netmask, network: v4.network, prefix: bits, macaddress: mac, mtu: dev.mtu, type: dev.type ?? 'unknown', alias: iface });
      }
      if (!address.startsWith('127.')) s.v4.push(address);
    } else if (words[0] === 'inet6') {
      const peer = words[2] === 'peer';
      const [address, prefix] = peer ? [words[1], words[3].split('/')[1]] : words[1].split('/');
      const scope = peer ? words[5] : words[3];
      const dev = s.interfaces.get(device)!;
      ((dev.ipv6 ??= []) as Dict[]).push({ address, prefix, scope });
      if (s.default6.address === address) Object.assign(s.default6, { prefix, scope, macaddress: mac, mtu: dev.mtu, type: dev.type ?? 'unknown' });
      if (address !== '::1') s.v6.push(address);
    }
  }
}

/** get_ethtool_data: `ethtool -k`'s features and `ethtool -T`'s timestamping. */
function ethtool(k: string[] | undefined, t: string[] | undefined): Dict {
  const data: Dict = {};
  if (k) {
    const features: Record<string, string> = {};
    for (const line of k.join('\n').trim().split('\n')) {
      if (!line || line.endsWith(':')) continue;
      const [key, value] = line.split(': ');
      if (value) features[key.trim().replace(/-/g, '_')] = value.trim();
    }
    data.features = features;
  }
  if (t) {
    const text = t.join('\n');
    data.timestamping = [...text.matchAll(/SOF_TIMESTAMPING_(\w+)/g)].map((m) => m[1].toLowerCase());
    data.hw_timestamp_filters = [...text.matchAll(/HWTSTAMP_FILTER_(\w+)/g)].map((m) => m[1].toLowerCase());
    const phc = /PTP Hardware Clock: (\d+)/.exec(text);
    if (phc) data.phc_index = Number(phc[1]);
  }
  return data;
}

/** One device's sysfs answers (`n.*` lines) as get_interfaces_info reads them. */
function sysfsEntry(device: string, n: Map<string, string[]>): Dict {
  const one = (k: string) => n.get(k)?.[0];
  const content = (k: string) => (one(k) || undefined);
  const e: Dict = { device };
  const mac = content('mac');
  if (mac && mac !== '00:00:00:00:00:00') e.macaddress = mac;
  if (one('mtu') !== undefined) e.mtu = Number(one('mtu'));
  if (one('oper') !== undefined) e.active = one('oper') !== 'down';
  if (one('module')) e.module = one('module');
  if (one('type') !== undefined) e.type = INTERFACE_TYPE[one('type')!] ?? 'unknown';
  if (one('bridge') !== undefined) {
    Object.assign(e, { type: 'bridge', interfaces: one('bridge')!.split(' ').filter(Boolean) });
    if (one('bridge_id') !== undefined) e.id = one('bridge_id');
    if (one('stp') !== undefined) e.stp = one('stp') === '1';
  }
  if (one('bonding')) {
    const first = (k: string) => (one(`bond_${k}`) ?? '').split(/\s+/)[0];
    Object.assign(e, { type: 'bonding', slaves: (one('bond_slaves') ?? '').split(/\s+/).filter(Boolean), mode: first('mode'), miimon: first('miimon'), lacp_rate: first('lacp_rate') });
    if (content('bond_primary')) {
      e.primary = one('bond_primary');
      if (one('bond_all_slaves_active') !== undefined) e.all_slaves_active = one('bond_all_slaves_active') === '1';
    }
  }
  if (one('perm') !== undefined) e.perm_macaddress = one('perm');
  if (one('pciid') !== undefined) e.pciid = one('pciid');
  if (content('speed') !== undefined) e.speed = Number(one('speed'));
  if (one('flags') !== undefined) e.promisc = (parseInt(one('flags')!, 16) & 0x100) > 0;
  return e;
}

/** LinuxNetwork.populate from the shell part's lines (the script's whole output, in order). */
export function networkFacts(lines: string[]): Dict {
  if (!lines.includes('ipcmd=1')) return {};
  const s: State = { interfaces: new Map(), v4: [], v6: [], default4: {}, default6: {} };
  const devices: [string, Map<string, string[]>][] = [];
  const ipp: string[] = [];
  const ips: string[] = [];
  let section: string[] | undefined;
  const sections: Record<string, string[]> = { ip_primary: ipp, ip_secondary: ips, ip_route4: [], ip_route6: [] };
  for (const l of lines) {
    if (l in sections || l === 'ip_end') section = sections[l];
    else if (section) section.push(l);
    else if (l.startsWith('nic=')) devices.push([l.slice(4), new Map()]);
    else if (l.startsWith('n.') && devices.length) {
      const i = l.indexOf('=');
      const n = devices[devices.length - 1][1];
      const k = l.slice(2, i);
      const list = n.get(k);
      if (list) list.push(l.slice(i + 1));
      else n.set(k, [l.slice(i + 1)]);
    }
  }
  Object.assign(s.default4, defaultRoute(sections.ip_route4[0], '8.8.8.8'));
  Object.assign(s.default6, defaultRoute(sections.ip_route6[0], '2404:6800:400a:800::1012'));
  const primary = byDevice(ipp);
  const secondary = byDevice(ips);
  let mac: unknown;
  for (const [device, n] of devices) {
    const e = sysfsEntry(device, n);
    s.interfaces.set(device, e);
    // (ansible-core's macaddress is the last one read: a device without an address file keeps the one before)
    if (n.has('mac')) mac = n.get('mac')![0];
    parseIp(s, device, mac, primary.get(device) ?? [], false);
    parseIp(s, device, mac, secondary.get(device) ?? [], true);
    Object.assign(s.interfaces.get(device)!, ethtool(n.has('features') ? n.get('k') ?? [] : undefined, n.has('timestamping') ? n.get('t') ?? [] : undefined));
  }
  const facts: Dict = {};
  const names: string[] = [];
  for (const [name, e] of s.interfaces) {
    const key = name.replaceAll(':', '_');
    names.push(key);
    facts[key] = e;
  }
  return { interfaces: names, ...facts, default_ipv4: s.default4, default_ipv6: s.default6, all_ipv4_addresses: s.v4, all_ipv6_addresses: s.v6 };
}
