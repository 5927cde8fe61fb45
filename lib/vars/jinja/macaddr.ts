// ansible.utils' hwaddr and macaddr filters, as its ipaddr_utils formats a MAC address with netaddr's
// dialects.
import { PyError, str } from '../../source/python.js';

/** A MAC address (EUI-48) as netaddr's EUI reads it: six groups by `-` or `:`, cisco's three, pgsql's two, bare, or an int. */
export function readMac(value: unknown): bigint | undefined {
  if (typeof value === 'number') return Number.isInteger(value) && value >= 0 && value < 2 ** 48 ? BigInt(value) : undefined;
  if (typeof value !== 'string') return undefined;
  const s = value.trim();
  const forms: [RegExp, number][] = [
    [/^([0-9a-f]{1,2})-([0-9a-f]{1,2})-([0-9a-f]{1,2})-([0-9a-f]{1,2})-([0-9a-f]{1,2})-([0-9a-f]{1,2})$/i, 8],
    [/^([0-9a-f]{1,2}):([0-9a-f]{1,2}):([0-9a-f]{1,2}):([0-9a-f]{1,2}):([0-9a-f]{1,2}):([0-9a-f]{1,2})$/i, 8],
    [/^([0-9a-f]{1,4})\.([0-9a-f]{1,4})\.([0-9a-f]{1,4})$/i, 16],
    [/^([0-9a-f]{1,6}):([0-9a-f]{1,6})$/i, 24],
    [/^([0-9a-f]{12})$/i, 48],
  ];
  for (const [re, width] of forms) {
    const m = re.exec(s);
    if (m) return m.slice(1).reduce((n, w) => (n << BigInt(width)) | BigInt(`0x${w}`), 0n);
  }
  return undefined;
}

/** netaddr's MAC dialects: each word's width in bits, its printf format, and the separator. */
const MAC_DIALECTS: Record<string, [number, (w: bigint, bits: number) => string, string]> = {
  bare: [48, (w) => w.toString(16).toUpperCase().padStart(12, '0'), ''],
  cisco: [16, (w) => w.toString(16).padStart(4, '0'), '.'],
  linux: [8, (w) => w.toString(16).padStart(2, '0'), ':'],
  pgsql: [24, (w) => w.toString(16).padStart(6, '0'), ':'],
  unix: [8, (w) => w.toString(16), ':'],
  win: [8, (w) => w.toString(16).toUpperCase().padStart(2, '0'), '-'],
};
for (const [alias, d] of Object.entries({ eui48: 'win', postgresql: 'pgsql', psql: 'pgsql' })) MAC_DIALECTS[alias] = MAC_DIALECTS[d];

/** ansible.utils' hwaddr/macaddr: the address in a dialect, its int, whether it is one, or itself. */
function hwaddr(value: unknown, query: unknown = '', alias = 'hwaddr'): unknown {
  const q = query === null || query === undefined ? '' : str(query);
  const mac = readMac(value);
  if (mac === undefined && q && q !== 'bool') throw new PyError('AnsibleFilterError', `${alias}: not a hardware address: ${str(value)}`);
  if (q === '') return mac === undefined ? null : value;
  if (q === 'bool') return mac === undefined ? null : true;
  if (q === 'int') return Number(mac);
  const d = MAC_DIALECTS[q];
  if (!d) throw new PyError('AnsibleFilterError', `${alias}: unknown filter type: ${q}`);
  const [width, fmt, sep] = d;
  const words: string[] = [];
  for (let shift = 48 - width; shift >= 0; shift -= width) words.push(fmt((mac! >> BigInt(shift)) & ((1n << BigInt(width)) - 1n), width));
  return words.join(sep);
}

export const macFilters = {
  hwaddr: (v: unknown, q?: unknown) => hwaddr(v, q),
  macaddr: (v: unknown, q?: unknown) => hwaddr(v, q, 'macaddr'),
};
