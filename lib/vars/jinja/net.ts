import type Ipaddr from 'ipaddr.js';
import { lazyModule } from '../../source/lazy-module.js';

const ipaddr = lazyModule<typeof Ipaddr>('ipaddr.js', import.meta.url);

/** An address or network as the ipaddr, ipv4 and ipv6 tests read it (ipaddr.js). */
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
