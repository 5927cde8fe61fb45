import type Ipaddr from 'ipaddr.js';
import { lazyModule } from '../../source/lazy-module.js';

const ipaddr = lazyModule<typeof Ipaddr>('ipaddr.js', import.meta.url);

/** An address or network as the ipaddr, ipv4 and ipv6 tests read it (ipaddr.js). */
type Addr = { addr: Ipaddr.IPv4 | Ipaddr.IPv6; prefix: number; hasPrefix: boolean };
/** An IPv4 netmask or hostmask after a network's slash as netaddr reads it: `255.255.255.0` and `0.0.0.255` are 24; anything else as it is. */
export function maskPrefix(mask: string): string {
  if (!/^\d+\.\d+\.\d+\.\d+$/.test(mask) || !ipaddr.IPv4.isValid(mask)) return mask;
  const bits = ipaddr.IPv4.parse(mask).toByteArray().map((b) => b.toString(2).padStart(8, '0')).join('');
  // (a netmask's ones, or a hostmask's zeros: 0.0.0.0 and 255.255.255.255 read as netmasks)
  if (/^1*0*$/.test(bits)) return String(bits.indexOf('0') < 0 ? 32 : bits.indexOf('0'));
  return /^0*1*$/.test(bits) ? String(bits.indexOf('1')) : mask;
}

/** netaddr's abbreviated IPv4 address or network (cidr_abbrev_to_verbose): `10.1` is 10.1.0.0, `10/8` 10.0.0.0/8; the mask as maskPrefix reads it. */
export function verboseCidr(s: string): string {
  const [addr, mask, more] = s.split('/');
  if (more !== undefined) return s;
  const full = /^\d{1,3}(\.\d{1,3}){0,2}$/.test(addr) ? [...addr.split('.'), '0', '0', '0'].slice(0, 4).join('.') : addr;
  return mask === undefined ? full : `${full}/${maskPrefix(mask)}`;
}

export function parseIp(v: unknown): Addr | undefined {
  if (typeof v !== 'string' && typeof v !== 'number') return undefined;
  const s = String(v);
  try {
    if (s.includes('/')) {
      const [addr, prefix] = ipaddr.parseCIDR(verboseCidr(s));
      return { addr, prefix, hasPrefix: true };
    }
    const addr = ipaddr.parse(s);
    return ipaddr.isValid(s) ? { addr, prefix: addr.kind() === 'ipv4' ? 32 : 128, hasPrefix: false } : undefined;
  } catch {
    return undefined;
  }
}
