import { splitOutside } from '../source/index.js';

/**
 * A host pattern's name and port as ansible-core's parse_address reads them (INI host lines, YAML
 * hosts' keys): `web1:2222`, `node[01:09]:22` (a range's colons are not a port's),
 * `[2001:db8::1]:22`; an IPv6 address without brackets has no port.
 */
export function hostAndPort(pattern: string): { host: string; port?: number } {
  if (!pattern.includes(':')) return { host: pattern };
  const bracketed = /^\[([^\]]*:[^\]]*)\]:(\d+)$/.exec(pattern);
  if (bracketed) return { host: bracketed[1], port: Number(bracketed[2]) };
  const parts = splitOutside(pattern, ':', '[', ']');
  return parts.length === 2 && /^\d+$/.test(parts[1]) ? { host: parts[0], port: Number(parts[1]) } : { host: pattern };
}

/**
 * Ansible host ranges: `cp-[1:3]`, `node[01:10]` (zero padded), `[a:c]`, `[0:10:2]` (stride).
 * Returns the expanded names, or an error message.
 */
/** More hosts than one range may name (the planner is measured to 10,000). */
export const MAX_RANGE_HOSTS = 100_000;

export function expandRange(name: string): string[] | { error: string } {
  const m = /\[([^\]]*)\]/.exec(name);
  if (!m) return [name];
  const parts = m[1].split(':');
  if (parts.length < 2 || parts.length > 3) return { error: `bad host range [${m[1]}]: expected [start:end] or [start:end:step]` };
  const [a, b, stepText] = parts;
  const step = stepText === undefined ? 1 : Number(stepText);
  if (!Number.isInteger(step) || step < 1) return { error: `bad host range [${m[1]}]: step must be a positive integer` };
  const before = name.slice(0, m.index);
  const after = name.slice(m.index + m[0].length);
  let items: string[];
  if (/^\d+$/.test(a) && /^\d+$/.test(b)) {
    const from = Number(a);
    const to = Number(b);
    if (from > to) return { error: `bad host range [${m[1]}]: start is after end` };
    if ((to - from) / step >= MAX_RANGE_HOSTS) return { error: `host range [${m[1]}] is more than ${MAX_RANGE_HOSTS} hosts` };
    const width = a.length > 1 && a.startsWith('0') ? a.length : 0;
    items = [];
    for (let i = from; i <= to; i += step) items.push(String(i).padStart(width, '0'));
  } else if (/^[a-z]$/i.test(a) && /^[a-z]$/i.test(b)) {
    const from = a.charCodeAt(0);
    const to = b.charCodeAt(0);
    if (from > to) return { error: `bad host range [${m[1]}]: start is after end` };
    items = [];
    for (let c = from; c <= to; c += step) items.push(String.fromCharCode(c));
  } else {
    return { error: `bad host range [${m[1]}]: use numbers ([1:3], [01:10]) or letters ([a:c])` };
  }
  const out: string[] = [];
  for (const item of items) {
    const rest = expandRange(before + item + after);
    if (!Array.isArray(rest)) return rest;
    out.push(...rest);
    if (out.length > MAX_RANGE_HOSTS) return { error: `host range ${name} is more than ${MAX_RANGE_HOSTS} hosts` };
  }
  return out;
}
