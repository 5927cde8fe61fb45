import ipaddr from 'ipaddr.js';
import { ModuleFailure, type ModuleCtx } from '../types.js';

/** The TCP states wait_for's drained counts, as /proc/net/tcp numbers them (ansible-core's get_connection_state_id). */
export const CONNECTION_STATES: Record<string, string> = { ESTABLISHED: '01', SYN_SENT: '02', SYN_RECV: '03', FIN_WAIT1: '04', FIN_WAIT2: '05', TIME_WAIT: '06' };
const DEFAULT_STATES = ['ESTABLISHED', 'FIN_WAIT1', 'FIN_WAIT2', 'SYN_RECV', 'SYN_SENT', 'TIME_WAIT'];

/** An address as /proc/net/tcp* writes it: each 4-byte word little-endian, upper-case hex. */
type Hex = { v6: boolean; hex: string };
function procHex(bytes: number[]): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 4) out += bytes.slice(i, i + 4).reverse().map((b) => b.toString(16).padStart(2, '0')).join('');
  return out.toUpperCase();
}

/** An IP and, for IPv4, its IPv4-mapped IPv6 form (ansible-core's _convert_host_to_ip). */
function hexOf(ip: string): Hex[] {
  const a = ipaddr.parse(ip);
  if (a.kind() === 'ipv6') return [{ v6: true, hex: procHex(a.toByteArray()) }];
  return [{ v6: false, hex: procHex(a.toByteArray()) }, { v6: true, hex: procHex(ipaddr.parse(`::ffff:${ip}`).toByteArray()) }];
}

/** A host's addresses in /proc/net/tcp's form: an IP as it is, a name as the host resolves it (getaddrinfo, through getent). */
export async function hexAddresses(ctx: ModuleCtx, host: string): Promise<Hex[]> {
  if (ipaddr.isValid(host)) return hexOf(host);
  const r = await ctx.exec(['getent', 'ahosts', host], { signal: ctx.signal });
  const ips = [...new Set(r.stdout.split('\n').map((l) => l.split(/\s+/)[0]).filter((ip) => ip && ipaddr.isValid(ip)))];
  if (r.rc !== 0 || !ips.length) throw new ModuleFailure(`[Errno -2] Name or service not known: ${host}`);
  return ips.flatMap(hexOf);
}

const MATCH_ALL = { v4: '00000000', v6: '00000000000000000000000000000000' };
const MAPPED = { prefix: '0000000000000000FFFF0000', all: '0000000000000000FFFF000000000000' };

/**
 * The connections on `port` of the host's /proc/net/tcp and tcp6 in an active state, to one of the
 * host's addresses (or any, for 0.0.0.0 / ::), not from an excluded one: ansible-core's
 * LinuxTCPConnectionInfo.get_active_connections_count.
 */
export async function activeConnections(ctx: ModuleCtx, port: number, ips: Hex[], excluded: Hex[], states = DEFAULT_STATES): Promise<number> {
  const wanted = new Set(states.map((s) => CONNECTION_STATES[s]));
  const portHex = port.toString(16).toUpperCase().padStart(4, '0');
  const has = (list: Hex[], v6: boolean, hex: string) => list.some((x) => x.v6 === v6 && x.hex === hex);
  // (both tables in one read; a line's family is its address's length: 8 hex digits for IPv4, 32 for IPv6)
  const r = await ctx.exec({ shell: 'cat /proc/net/tcp /proc/net/tcp6 2>/dev/null' }, { signal: ctx.signal });
  let n = 0;
  for (const line of r.stdout.split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f.length < 4 || f[1] === 'local_address' || !wanted.has(f[3])) continue;
    const [localIp, localPort] = f[1].split(':');
    const v6 = localIp.length === 32;
    if (localPort !== portHex) continue;
    if (has(excluded, v6, f[2].split(':')[0])) continue;
    if (has(ips, v6, localIp) || has(ips, v6, v6 ? MATCH_ALL.v6 : MATCH_ALL.v4) || (localIp.startsWith(MAPPED.prefix) && has(ips, v6, MAPPED.all))) n++;
  }
  return n;
}
