// ansible-core's sequence lookup (with_sequence), as lib/ansible/plugins/lookup/sequence.py reads
// its terms: the shortcut `[start-]end[/stride][:format]` or start=/end=/count=/stride=/format=,
// numbers as Python's int(x, 0) reads them, the format as Python's `%`, and its errors' words.
import { percentFormat } from './format.js';

/** A failure of the lookup, in ansible-core's words (lookups.ts makes it the task's error). */
export class SequenceError extends Error {}

const NUM = '(0?x?[0-9a-f]+)';
const SHORTCUT = new RegExp(`^(${NUM}-)?${NUM}(/${NUM})?(:(.+))?$`, 'i');

/** Python's int(s, 0): decimal without leading zeros, 0x/0o/0b prefixes, underscores between digits. */
function int0(s: string): number | undefined {
  const t = s.trim().toLowerCase();
  const m = /^([-+]?)(0x[0-9a-f](?:_?[0-9a-f])*|0o[0-7](?:_?[0-7])*|0b[01](?:_?[01])*|[1-9](?:_?\d)*|0(?:_?0)*)$/.exec(t);
  if (!m) return undefined;
  const body = m[2].replaceAll('_', '');
  const n = body.startsWith('0x') ? parseInt(body.slice(2), 16) : body.startsWith('0o') ? parseInt(body.slice(2), 8) : body.startsWith('0b') ? parseInt(body.slice(2), 2) : parseInt(body, 10);
  return m[1] === '-' ? -n : n;
}

interface Spec {
  start: number;
  end?: number;
  count?: number;
  stride: number;
  format: string;
}

function cooked(name: string, raw: string): number {
  const n = int0(raw);
  if (n === undefined) throw new SequenceError(`can't parse ${name}=${raw} as integer`);
  return n;
}

function shortcut(term: string, spec: Spec): boolean {
  const m = SHORTCUT.exec(term);
  if (!m) return false;
  const [, , start, end, , stride, , format] = m;
  if (start !== undefined) spec.start = cooked('start', start);
  if (end !== undefined) spec.end = cooked('end', end);
  if (stride !== undefined) spec.stride = cooked('stride', stride);
  if (format !== undefined) spec.format = format;
  return true;
}

function keyValues(term: string, spec: Spec): void {
  const args = new Map(term.split(/\s+/).filter(Boolean).map((p) => [p.slice(0, p.indexOf('=') < 0 ? p.length : p.indexOf('=')), p.slice(p.indexOf('=') + 1)] as const));
  for (const k of ['start', 'end', 'count', 'stride'] as const) {
    const raw = args.get(k);
    args.delete(k);
    if (raw !== undefined) spec[k] = cooked(k, raw);
  }
  if (args.has('format')) {
    spec.format = args.get('format')!;
    args.delete('format');
  }
  if (args.size) throw new SequenceError(`unrecognized arguments to with_sequence: [${[...args.keys()].map((k) => `'${k}'`).join(', ')}]`);
}

/** One term's items, as the plugin's run() gives them. */
export function sequence(term: string): string[] {
  const spec: Spec = { start: 1, stride: 1, format: '%d' };
  if (!shortcut(term, spec)) keyValues(term, spec);
  // sanity_check
  if (spec.count === undefined && spec.end === undefined) throw new SequenceError('must specify count or end in with_sequence');
  if (spec.count !== undefined && spec.end !== undefined) throw new SequenceError("can't specify both count and end in with_sequence");
  if (spec.count !== undefined) {
    if (spec.count !== 0) spec.end = spec.start + spec.count * spec.stride - 1;
    else spec.start = spec.end = spec.stride = 0;
  }
  const end = spec.end!;
  if (spec.stride > 0 && end < spec.start) throw new SequenceError('to count backwards make stride negative');
  if (spec.stride < 0 && end > spec.start) throw new SequenceError("to count forward don't make stride negative");
  if (spec.format.split('%').length - 1 !== 1) throw new SequenceError(`bad formatting string: ${spec.format}`);
  if (spec.stride === 0) return [];
  if (Math.abs((end - spec.start) / spec.stride) > 1_000_000) throw new SequenceError(`sequence: '${term}' is more than 1000000 items`);
  // range(start, end + adjust, stride)
  const stop = end + (spec.stride >= 0 ? 1 : -1);
  const out: string[] = [];
  for (let i = spec.start; spec.stride > 0 ? i < stop : i > stop; i += spec.stride) {
    try {
      out.push(percentFormat(spec.format, i));
    } catch {
      throw new SequenceError(`problem formatting ${i} with '${spec.format}'`);
    }
  }
  return out;
}
