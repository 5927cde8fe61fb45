// ansible.utils' network filters (ipaddr, ipv4, ipv6, cidr_merge, ipsubnet, nthhost, ipmath, ipwrap, slaac,
// ip4_hex, usable_range, reduce_on_network, next_nth_usable,
// previous_nth_usable, network_in_usable, network_in_network) as its plugin_utils/base/ipaddr_utils.py
// computes them on netaddr's IPNetwork: an address (a bigint) with its prefix length. Parsing and
// printing addresses is ipaddr.js's.
import type Ipaddr from 'ipaddr.js';
import { lazyModule } from '../../source/lazy-module.js';
import { readMac } from './macaddr.js';
import { verboseCidr } from './net.js';
import { PyError, isDict, isNum, num, repr, str, truthy } from '../../source/python.js';

const ipaddr = lazyModule<typeof Ipaddr>('ipaddr.js', import.meta.url);

/** netaddr's IPNetwork: `ip` is the address as written (not its network), `prefix` its length. */
class Net {
  readonly bits: number;
  constructor(
    readonly version: 4 | 6,
    readonly ip: bigint,
    readonly prefix: number,
  ) {
    this.bits = version === 4 ? 32 : 128;
  }
  get size(): bigint {
    return 1n << BigInt(this.bits - this.prefix);
  }
  get hostmask(): bigint {
    return this.size - 1n;
  }
  get netmask(): bigint {
    return ((1n << BigInt(this.bits)) - 1n) ^ this.hostmask;
  }
  get network(): bigint {
    return this.ip & this.netmask;
  }
  /** netaddr's broadcast: none for a /31 or /32 (/127, /128). */
  get broadcast(): bigint | undefined {
    return this.bits - this.prefix <= 1 ? undefined : this.network | this.hostmask;
  }
  text(n: bigint = this.ip): string {
    // (an IPv4-mapped IPv6 address ends in its dotted IPv4 address, as netaddr prints it)
    if (this.version === 6 && n >> 32n === 0xffffn) return `::ffff:${new Net(4, n & 0xffffffffn, 32).text()}`;
    return this.addr(n).toString();
  }
  /** ipaddr.js's address of a number of this version. */
  private addr(n: bigint): Ipaddr.IPv4 | Ipaddr.IPv6 {
    const bytes: number[] = [];
    for (let i = 0; i < this.bits / 8; i++) bytes.unshift(Number((n >> BigInt(8 * i)) & 0xffn));
    return ipaddr.fromByteArray(bytes);
  }
  /** str(IPNetwork): the address and its prefix. */
  toString(): string {
    return `${this.text()}/${this.prefix}`;
  }
  cidr(): string {
    return `${this.text(this.network)}/${this.prefix}`;
  }
  /** Whether `o` lies wholly inside this network (netaddr's `in` on an IPSet of it). */
  holds(o: Net): boolean {
    return o.version === this.version && o.prefix >= this.prefix && (o.ip & this.netmask) === this.network;
  }
  range(): string {
    return this.addr(this.ip).range();
  }
}

const toBig = (bytes: number[]): bigint => bytes.reduce((n, b) => (n << 8n) | BigInt(b), 0n);

/** The value as ipaddr() reads it: a number (an IPv4 address if it fits), `addr` or `addr/prefix`. */
function read(value: unknown, version?: 4 | 6): { v: Net; vtype: 'address' | 'network' } | undefined {
  // (IPNetwork's partial IPv4 address: `10.1` is 10.1.0.0, `10/8` 10.0.0.0/8; a netmask after the slash its prefix)
  // (bare digits are an integer address, below)
  const given = str(value);
  const s = /^\d+$/.test(given) ? given : verboseCidr(given);
  if (/^\d+$/.test(s)) {
    const n = BigInt(s);
    if ((!version || version === 4) && n < 1n << 32n) return { v: new Net(4, n, 32), vtype: 'address' };
    return n < 1n << 128n ? { v: new Net(6, n, 128), vtype: 'address' } : undefined;
  }
  const [addr, prefix, more] = s.split('/');
  // (four decimal parts for IPv4, as netaddr reads an address: not ipaddr.js's `10.1` or hex forms)
  if (more !== undefined || !(addr.includes(':') ? ipaddr.IPv6.isValid(addr) : ipaddr.IPv4.isValidFourPartDecimal(addr))) return undefined;
  const a = ipaddr.parse(addr);
  const bits = a.kind() === 'ipv4' ? 32 : 128;
  if (prefix !== undefined && !(/^\d+$/.test(prefix) && Number(prefix) <= bits)) return undefined;
  return { v: new Net(bits === 32 ? 4 : 6, toBig(a.toByteArray()), prefix === undefined ? bits : Number(prefix)), vtype: prefix === undefined ? 'address' : 'network' };
}

const notNetwork = () => new PyError('AnsibleFilterError', 'Not a network address');

/** _first_last: a /31's two addresses are both usable. */
function firstLast(v: Net): [bigint, bigint] | undefined {
  if (v.size === 2n) return [v.network, v.network + 1n];
  if (v.size > 1n) return [v.network + 1n, v.network + v.hostmask - 1n];
  return undefined;
}

type Query = (v: Net, vtype: 'address' | 'network', value: unknown) => unknown;
const atNetwork = (v: Net) => v.ip === v.network;
const addressPrefix: Query = (v) => (v.size > 2n && (v.ip === v.network || v.ip === v.broadcast) ? false : `${v.text()}/${v.prefix}`);
const usable = (f: (v: Net, fl: [bigint, bigint]) => unknown): Query => (v, vtype) => {
  if (vtype === 'address') throw notNetwork();
  const fl = firstLast(v);
  return fl ? f(v, fl) : null;
};
const within = (v: Net, n: bigint, [first, last]: [bigint, bigint]) => (n >= first && n <= last ? v.text(n) : null);

const QUERIES: Record<string, Query> = {
  '': (v, vtype) => (vtype === 'address' ? v.text() : String(v)),
  address: (v) => (v.size === 1n || !atNetwork(v) || v.broadcast === undefined || v.version === 6 ? v.text() : null),
  bool: () => true,
  broadcast: (v) => (v.size > 2n ? v.text(v.broadcast ?? v.network | v.hostmask) : null),
  cidr: (v) => String(v),
  first_usable: usable((v, [first]) => v.text(first)),
  last_usable: usable((v, [, last]) => v.text(last)),
  next_usable: usable((v, fl) => within(v, v.ip + 1n, fl)),
  previous_usable: usable((v, fl) => within(v, v.ip - 1n, fl)),
  range_usable: usable((v, [first, last]) => `${v.text(first)}-${v.text(last)}`),
  host: (v) => (v.size === 1n ? String(v) : !atNetwork(v) || v.broadcast === undefined ? String(v) : null),
  hostmask: (v) => v.text(v.hostmask),
  int: (v, vtype) => (vtype === 'address' ? bigOrNumber(v.ip) : `${v.ip}/${v.prefix}`),
  'ip/prefix': (v) => (v.size === 2n || (v.size > 1n && !atNetwork(v)) ? String(v) : null),
  ip_netmask: (v) => (v.size === 2n || (v.size > 1n && !atNetwork(v)) ? `${v.text()} ${v.text(v.netmask)}` : null),
  ipv4: (v, _t, value) => (v.version === 6 ? ((v.ip >> 32n) === 0xffffn || v.ip >> 32n === 0n ? `${new Net(4, v.ip & 0xffffffffn, Math.max(0, v.prefix - 96))}` : false) : value),
  ipv6: (v, _t, value) => (v.version === 4 ? String(new Net(6, 0xffff00000000n | v.ip, v.prefix + 96)) : value),
  'link-local': (v, _t, value) => (v.range() === 'linkLocal' ? value : null),
  loopback: (v, _t, value) => (v.range() === 'loopback' ? value : null),
  multicast: (v, _t, value) => (v.range() === 'multicast' ? value : null),
  net: (v) => (v.size > 1n && atNetwork(v) ? `${v.text(v.network)}/${v.prefix}` : null),
  netmask: (v) => v.text(v.netmask),
  network: (v) => v.text(v.network),
  'network/prefix': (v) => v.cidr(),
  network_netmask: (v) => `${v.text(v.network)} ${v.text(v.netmask)}`,
  network_wildcard: (v) => `${v.text(v.network)} ${v.text(v.hostmask)}`,
  peer: (v, vtype) => {
    if (vtype === 'address') throw notNetwork();
    if (v.size === 2n) return v.text(v.ip ^ 1n);
    if (v.size === 4n) {
      if (v.ip % 4n === 0n) throw new PyError('AnsibleFilterError', 'Network address of /30 has no peer');
      if (v.ip % 4n === 3n) throw new PyError('AnsibleFilterError', 'Broadcast address of /30 has no peer');
      return v.text(v.ip ^ 3n);
    }
    throw new PyError('AnsibleFilterError', 'Not a point-to-point network');
  },
  prefix: (v) => v.prefix,
  private: (v, _t, value) => (['private', 'uniqueLocal'].includes(v.range()) ? value : null),
  public: (v, _t, value) => (v.range() === 'unicast' ? value : null),
  revdns: (v) => revdns(v),
  size: (v) => bigOrNumber(v.size),
  size_usable: (v) => bigOrNumber(v.size === 1n ? 0n : v.size === 2n ? 2n : v.size - 2n),
  subnet: (v) => v.cidr(),
  type: (v) => (v.size === 1n || !atNetwork(v) ? 'address' : 'network'),
  unicast: (v, _t, value) => (v.range() !== 'multicast' ? value : null),
  version: (v) => v.version,
  wrap: (v, vtype, value) => (v.version === 6 ? (vtype === 'address' ? `[${v.text()}]` : `[${v.text()}]/${v.prefix}`) : value),
};
for (const [alias, q] of Object.entries({ ip: 'address', 'address/prefix': '', gateway: '', gw: '', 'host/prefix': '', hostnet: '', router: '', lo: 'loopback', network_id: 'network', v4: 'ipv4', v6: 'ipv6', wildcard: 'hostmask' })) QUERIES[alias] = q ? QUERIES[q] : addressPrefix;

// (an IPv6 address's int beyond 2^53 is its digits: templates have no big integers)
const bigOrNumber = (n: bigint): number | string => (n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : String(n));

function revdns(v: Net): string {
  if (v.version === 4) return `${v.text().split('.').reverse().join('.')}.in-addr.arpa.`;
  const hex = v.ip.toString(16).padStart(32, '0');
  return `${[...hex].reverse().join('.')}.ip6.arpa.`;
}

/** ansible.utils' ipaddr(value, query, version): a list filtered, a query's answer, or False. */
export function ipaddrQuery(value: unknown, query: unknown = '', version?: 4 | 6, alias = 'ipaddr'): unknown {
  // (`[item for item in _ret if item]`: what Python takes for false goes, an empty list of a nested one too)
  if (Array.isArray(value)) return value.map((x) => ipaddrQuery(x, query, version, alias)).filter(truthy);
  if (!value || value === true) return false;
  const r = read(value, version);
  if (!r) return false;
  let q = str(query);
  let within: Net | undefined;
  // a query that is no query but a network: is the value in it (cidr_lookup)
  if (q && !(q in QUERIES) && !/^\d+$/.test(q)) {
    const net = read(q);
    if (net?.vtype === 'network') ((within = net.v), (q = 'cidr_lookup'));
  }
  if (version && r.v.version !== version) return false;
  if (q === 'cidr_lookup') return within!.holds(r.v) ? value : null;
  const f = QUERIES[q];
  if (f) return f(r.v, r.vtype, value);
  if (!isNum(query) && !/^[-+]?\d+(\.\d*)?$/.test(q)) throw new PyError('AnsibleFilterError', `${alias}: unknown filter type: ${q}`);
  if (r.v.size === 1n) return r.vtype === 'address' ? r.v.text() : String(r.v);
  const i = BigInt(Math.trunc(num(isNum(query) ? query : Number(q))));
  const n = i < 0n ? r.v.network + r.v.size + i : r.v.network + i;
  return n >= r.v.network && n < r.v.network + r.v.size ? `${r.v.text(n)}/${r.v.prefix}` : false;
}

/** The CIDRs that cover first..last exactly, largest first (netaddr's iprange_to_cidrs). */
function rangeCidrs(version: 4 | 6, first: bigint, last: bigint): string[] {
  const bits = version === 4 ? 32 : 128;
  const out: string[] = [];
  while (first <= last) {
    let size = 0;
    while (size < bits && (first & ((1n << BigInt(size + 1)) - 1n)) === 0n && first + (1n << BigInt(size + 1)) - 1n <= last) size++;
    out.push(new Net(version, first, bits - size).cidr());
    first += 1n << BigInt(size);
  }
  return out;
}

/** ansible.utils' cidr_merge: `merge` (netaddr's cidr_merge: IPv4 first, sorted, adjacent ones joined) or `span` (the smallest CIDR over all). */
function cidrMerge(value: unknown, action: unknown = 'merge'): unknown {
  if (!Array.isArray(value) && typeof value !== 'string' && !isDict(value)) throw new PyError('AnsibleFilterError', `cidr_merge: expected iterable, got ${repr(value)}`);
  const items = Array.isArray(value) ? value : typeof value === 'string' ? [...value] : Object.keys(value);
  const nets = items.map((x) => {
    const r = read(x);
    if (!r) throw new PyError('AnsibleFilterError', `cidr_merge: error in netaddr:\ninvalid IPNetwork ${str(x)}`);
    return r.v;
  });
  if (action === 'span') {
    if (!nets.length) return null;
    if (nets.length === 1) return String(nets[0]);
    if (nets.some((n) => n.version !== nets[0].version)) throw new PyError('AnsibleFilterError', 'cidr_merge: error in netaddr:\nIP sequence must contain only one IP version');
    const first = nets.reduce((m, n) => (n.network < m ? n.network : m), nets[0].network);
    const last = nets.reduce((m, n) => (n.network + n.hostmask > m ? n.network + n.hostmask : m), 0n);
    const bits = nets[0].bits;
    let p = bits;
    while (p > 0 && first >> BigInt(bits - p) !== last >> BigInt(bits - p)) p--;
    return new Net(nets[0].version, first, p).cidr();
  }
  if (action !== 'merge') throw new PyError('AnsibleFilterError', `cidr_merge: invalid action '${str(action)}'`);
  const out: string[] = [];
  for (const version of [4, 6] as const) {
    const spans = nets.filter((n) => n.version === version).map((n) => [n.network, n.network + n.hostmask]).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    const merged: bigint[][] = [];
    for (const [a, b] of spans) {
      const top = merged[merged.length - 1];
      if (top && a <= top[1] + 1n) top[1] = b > top[1] ? b : top[1];
      else merged.push([a, b]);
    }
    for (const [a, b] of merged) out.push(...rangeCidrs(version, a, b));
  }
  return out;
}

/** usable_range: every address of a network (Python's ipaddress, strict: no host bits), and how many. */
function usableRange(ip: unknown): { usable_ips: string[]; number_of_ips: number } {
  const r = read(ip);
  if (!r) throw new PyError('AnsibleFilterError', `Error while using plugin 'usable_range': ${repr(str(ip))} does not appear to be an IPv4 or IPv6 network`);
  if (r.v.ip !== r.v.network) throw new PyError('AnsibleFilterError', `Error while using plugin 'usable_range': ${str(ip)} has host bits set`);
  // (bounded: a template never lists more than a million addresses)
  if (r.v.size > 1n << 20n) throw new PyError('AnsibleFilterError', `Error while using plugin 'usable_range': ${str(ip)} has more addresses than agri-play lists (2^20)`);
  const ips: string[] = [];
  for (let n = r.v.network; n < r.v.network + r.v.size; n++) ips.push(r.v.text(n));
  return { usable_ips: ips, number_of_ips: ips.length };
}

/** slaac: the IPv6 address a MAC's EUI-64 makes in the network. */
function slaac(value: unknown, query: unknown = ''): unknown {
  const r = read(value);
  if (!r || r.v.version !== 6 || !query) return false;
  const mac = readMac(query);
  if (mac === undefined) return false;
  const eui64 = (((mac >> 24n) << 40n) | (0xfffen << 24n) | (mac & 0xffffffn)) ^ (1n << 57n);
  return r.v.text(r.v.network | eui64);
}

export const networkFilters = {
  cidr_merge: cidrMerge,
  ip4_hex: (arg: unknown, delimiter: unknown = '') => str(arg).split('.').map((n) => Number.parseInt(n, 10).toString(16).padStart(2, '0')).join(str(delimiter)),
  usable_range: usableRange,
  slaac,
  reduce_on_network: (value: unknown, network: unknown) => (Array.isArray(value) ? value : []).filter((a) => inRange(network, a, false)),
  ipaddr: (v: unknown, q?: unknown, version?: unknown) => ipaddrQuery(v, q, version === 4 || version === 6 ? version : undefined),
  ipv4: (v: unknown, q?: unknown) => ipaddrQuery(v, q, 4, 'ipv4'),
  ipv6: (v: unknown, q?: unknown) => ipaddrQuery(v, q, 6, 'ipv6'),
  nthhost(value: unknown, query: unknown = ''): unknown {
    const v = read(value)?.v;
    if (!v || query === '' || query === undefined || query === null) return false;
    if (!/^-?\d+$/.test(str(query))) return false;
    const nth = BigInt(str(query));
    if (v.size <= nth) return false;
    return v.text(nth < 0n ? v.network + v.size + nth : v.network + nth);
  },
  ipmath(value: unknown, amount: unknown): string {
    const r = read(value);
    if (!r || typeof value !== 'string' || /^\d+$/.test(value)) throw new PyError('AnsibleFilterError', `You must pass a valid IP address; ${str(value)} is invalid`);
    if (typeof amount !== 'number' || !Number.isInteger(amount)) throw new PyError('AnsibleFilterError', `You must pass an integer for arithmetic; ${str(amount)} is not a valid integer`);
    const n = r.v.ip + BigInt(amount);
    if (n < 0n || n >= 1n << BigInt(r.v.bits)) throw new PyError('AnsibleFilterError', `IPv${r.v.version} address out of range`);
    return r.v.text(n);
  },
  ipwrap(value: unknown, query: unknown = ''): unknown {
    const one = (x: unknown) => {
      try {
        const r = ipaddrQuery(x, query, undefined, 'ipwrap');
        return r ? ipaddrQuery(r, 'wrap') : x;
      } catch {
        return x;
      }
    };
    return Array.isArray(value) ? value.map(one) : one(value);
  },
  ipsubnet,
  next_nth_usable: (value: unknown, offset: unknown) => nthUsable(value, offset, 1n),
  previous_nth_usable: (value: unknown, offset: unknown) => nthUsable(value, offset, -1n),
  network_in_usable: (value: unknown, test: unknown) => inRange(value, test, true),
  network_in_network: (value: unknown, test: unknown) => inRange(value, test, false),
};

/**
 * ipsubnet(value, query, index): the value's network; with a prefix length, the number of subnets of
 * that size in it (text), or the index-th (an address: its index-th supernet from that size down);
 * with a network as the query, the value's 1-based position among the query's subnets of its size.
 */
function ipsubnet(value: unknown, query: unknown = '', index?: unknown): unknown {
  const r = read(value);
  if (!r) return false;
  const v = new Net(r.v.version, r.v.network, r.v.prefix);
  const address = v.size === 1n;
  const q = query === null || query === undefined ? '' : str(query);
  if (!q) return v.cidr();
  const bits = v.bits;
  if (/^\d+$/.test(q)) {
    const p = Number(q);
    if (p > bits) return false;
    const supernet = (i: number) => {
      // (netaddr's supernet(p): the networks from /p down to the value's own prefix, a list Python indexes)
      const all = Math.max(0, v.prefix - p);
      const at = i < 0 ? all + i : i;
      if (at < 0 || at >= all) throw new PyError('IndexError', 'list index out of range');
      return new Net(v.version, v.ip, p + at).cidr();
    };
    if (index === undefined || index === null) {
      if (address) return supernet(0);
      if (p < v.prefix) throw new PyError('AnsibleFilterError', `Requested subnet size of ${p} is invalid`);
      return String(1n << BigInt(p - v.prefix));
    }
    const i = Math.trunc(num(index));
    if (address) return i > bits + 1 - i || i < p - bits ? false : supernet(i);
    if (p < v.prefix) return false;
    const count = 1n << BigInt(p - v.prefix);
    const at = i < 0 ? BigInt(i) + count : BigInt(i);
    if (at < 0n || at >= count) return false;
    return String(new Net(v.version, v.network + (at << BigInt(bits - p)), p));
  }
  const qr = read(q);
  if (!qr) throw new PyError('AnsibleFilterError', `You must pass a valid subnet or IP address; ${q} is invalid`);
  const within = new Net(qr.v.version, qr.v.network, qr.v.prefix);
  const shift = BigInt(bits - within.prefix);
  if (within.version !== v.version || v.ip >> shift !== within.ip >> shift || v.prefix < within.prefix) throw new PyError('AnsibleFilterError', `${v.cidr()} is not in the subnet ${within.cidr()}`);
  const low = BigInt(bits - v.prefix);
  return String(((v.ip & (((1n << BigInt(v.prefix - within.prefix)) - 1n) << low)) >> low) + 1n);
}

function nthUsable(value: unknown, offset: unknown, sign: bigint): unknown {
  const v = read(value)?.v;
  if (!v) return false;
  if (typeof offset !== 'number' || !Number.isInteger(offset)) throw new PyError('AnsibleFilterError', 'Must pass in an integer');
  const fl = firstLast(v);
  return fl ? within(v, v.ip + sign * BigInt(offset), fl) : null;
}

/** Whether test's first and last addresses lie within value's (usable ones, or all of them). */
function inRange(value: unknown, test: unknown, usableOnly: boolean): boolean {
  const v = read(value)?.v;
  const w = read(test)?.v;
  if (!v || !w || v.version !== w.version) return false;
  const span = (n: Net, usableOnly: boolean): [bigint, bigint] => (n.size === 1n ? [n.ip, n.ip] : usableOnly ? firstLast(n)! : [n.network, n.network + n.hostmask]);
  const [vf, vl] = span(v, usableOnly);
  const [wf, wl] = span(w, false);
  return wf >= vf && wl <= vl;
}
