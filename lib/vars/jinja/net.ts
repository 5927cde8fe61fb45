import type Ipaddr from 'ipaddr.js';
import { lazyModule } from '../../source/lazy-module.js';
import { PyError, num, str } from '../../source/python.js';

const ipaddr = lazyModule<typeof Ipaddr>('ipaddr.js', import.meta.url);

/** ansible.utils.ipaddr and friends, on ipaddr.js. */
type Addr = { addr: Ipaddr.IPv4 | Ipaddr.IPv6; prefix: number; hasPrefix: boolean };
export function parseIp(v: unknown): Addr | undefined {
  if (typeof v !== 'string' && typeof v !== 'number') return undefined;
  const s = String(v);
  try {
    if (s.includes('/')) {
      const [addr, prefix] = ipaddr.parseCIDR(s);
      return { addr, prefix, hasPrefix: true };
    }
    const addr = ipaddr.parse(s);
    return ipaddr.isValid(s) ? { addr, prefix: addr.kind() === 'ipv4' ? 32 : 128, hasPrefix: false } : undefined;
  } catch {
    return undefined;
  }
}

function networkOf(a: Addr): { net: bigint; bits: number } {
  const bytes = a.addr.toByteArray();
  const bits = bytes.length * 8;
  let n = 0n;
  for (const b of bytes) n = (n << 8n) | BigInt(b);
  const mask = a.prefix === 0 ? 0n : ((1n << BigInt(a.prefix)) - 1n) << BigInt(bits - a.prefix);
  return { net: n & mask, bits };
}
function fromBig(n: bigint, bits: number): string {
  const bytes: number[] = [];
  for (let i = 0; i < bits / 8; i++) bytes.unshift(Number((n >> BigInt(8 * i)) & 0xffn));
  return ipaddr.fromByteArray(bytes).toString();
}

/** ansible.utils.ipaddr and friends for the common queries. */
export function ipaddrFilter(kind: 'any' | 'ipv4' | 'ipv6'): (v: unknown, query?: unknown) => unknown {
  return (v: unknown, query: unknown = ''): unknown => {
    if (Array.isArray(v)) return v.map((x) => ipaddrFilter(kind)(x, query)).filter((x) => x !== false);
    const a = parseIp(v);
    if (!a || (kind !== 'any' && a.addr.kind() !== kind)) return false;
    const { net, bits } = networkOf(a);
    const size = 1n << BigInt(bits - a.prefix);
    const text = a.addr.toString();
    if (typeof query === 'number' || (typeof query === 'string' && /^-?\d+$/.test(query))) {
      const i = BigInt(num(Number(query)));
      return `${fromBig(net + (i < 0n ? size + i : i), bits)}/${a.prefix}`;
    }
    switch (query) {
      case '':
        return str(v);
      case 'address':
        return text;
      case 'network':
        return fromBig(net, bits);
      case 'netmask':
        return fromBig(a.prefix === 0 ? 0n : ((1n << BigInt(a.prefix)) - 1n) << BigInt(bits - a.prefix), bits);
      case 'prefix':
        return a.prefix;
      case 'broadcast':
        return a.addr.kind() === 'ipv4' ? fromBig(net + size - 1n, bits) : false;
      case 'size':
        return Number(size);
      case 'host':
        // a network address (not a /32 or /128) is no host
        return a.hasPrefix && a.prefix < bits && fromBig(net, bits) === text ? false : `${text}/${a.hasPrefix ? a.prefix : bits}`;
      case 'net':
        return fromBig(net, bits) === text ? `${text}/${a.prefix}` : false;
      case 'cidr':
        return `${fromBig(net, bits)}/${a.prefix}`;
      case 'private':
        return a.addr.range() === 'private' ? str(v) : false;
      case 'public':
        return a.addr.range() === 'unicast' ? str(v) : false;
      case 'version':
        return a.addr.kind() === 'ipv4' ? 4 : 6;
      default:
        throw new PyError('AnsibleFilterError', `ipaddr: unknown filter type: ${str(query)}`);
    }
  };
}
