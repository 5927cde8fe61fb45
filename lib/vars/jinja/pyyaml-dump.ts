// Python's yaml.dump as ansible-core's to_yaml and to_nice_yaml call it (SafeDumper's representer and
// resolver, AnsibleDumper's !vault, the emitter libyaml and PyYAML share), ported so that a file a
// template writes with them is byte for byte the one ansible-core writes. No JavaScript YAML library
// writes PyYAML's output (its quoting by the YAML 1.1 resolver, its single-quoted folding, its
// indentless sequences and 80-column line breaking), hence this port (the emitter: pyyaml-emit.ts).
import { PyDate, PyError, PyFloat, floatRepr, isDict, pyCmp, textOrder } from '../../source/python.js';
import { dictItems } from '../../source/pydict.js';
import { vaultCiphertext } from '../../source/vault.js';
import { isoformat } from '../../source/pydatetime.js';
import { intDigits } from '../../source/pyint.js';
import { Emitter } from './pyyaml-emit.js';
import type { DumpOptions, Scalar, Seq, YMap, YNode } from './pyyaml-nodes.js';
export type { DumpOptions } from './pyyaml-nodes.js';

/** What SafeRepresenter cannot represent, in its words (RepresenterError's arguments). */
export class RepresenterError extends Error {}

// PyYAML's implicit resolvers (resolver.py), keyed by a value's first character: a text one of them
// matches would read back as another type, so it is quoted.
const BOOL = /^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/;
const FLOAT = /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;
const INT = /^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$/;
const NULL = /^(?:~|null|Null|NULL|)$/;
const TIMESTAMP = /^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?(?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$/;
const RESOLVERS: [string, RegExp][] = [
  ['yYnNtTfFoO', BOOL],
  ['-+0123456789.', FLOAT],
  ['-+0123456789', INT],
  ['<', /^(?:<<)$/],
  ['~nN', NULL],
  ['0123456789', TIMESTAMP],
  ['=', /^(?:=)$/],
  ['!&*', /^(?:!|&|\*)$/],
];

/** Whether a text written plain reads back as text (no implicit resolver takes it). */
function plainIsText(v: string): boolean {
  if (v === '') return false;
  // (Python's `$` also matches before a last newline; such a text is multi-line and never plain)
  return !RESOLVERS.some(([first, re]) => first.includes(v[0]) && re.test(v.endsWith('\n') ? v.slice(0, -1) : v));
}


/** SafeRepresenter.represent_float: .nan, .inf, repr() lower-cased with `.0` before a bare exponent. */
function floatText(n: number): string {
  if (Number.isNaN(n)) return '.nan';
  if (n === Infinity) return '.inf';
  if (n === -Infinity) return '-.inf';
  const v = floatRepr(n).toLowerCase();
  return !v.includes('.') && v.includes('e') ? v.replace('e', '.0e') : v;
}

/** The representer: values to nodes, one node per object (a list or dict met twice is one node, later anchored). */
function represent(data: unknown, o: DumpOptions, seen: Map<object, YNode>): YNode {
  // (a bool, int, float, null or date reads back as itself written plain, as text quoted)
  const scalar = (tag: string, value: string): Scalar => ({ t: 'scalar', tag, value, style: o.defaultStyle, implicit: [true, false] });
  if (data === null || data === undefined) return scalar('null', 'null');
  if (typeof data === 'boolean') return scalar('bool', data ? 'true' : 'false');
  if (data instanceof PyFloat) return scalar('float', floatText(data.value));
  if (typeof data === 'number') return Number.isInteger(data) && !Object.is(data, -0) ? scalar('int', intDigits(data)) : scalar('float', floatText(data));
  if (typeof data === 'bigint') return scalar('int', String(data));
  if (typeof data === 'string') {
    // (AnsibleDumper: a vaulted value is its ciphertext under !vault, a literal block)
    const ciphertext = vaultCiphertext(data);
    if (ciphertext !== undefined) return { t: 'scalar', tag: '!vault', value: ciphertext, style: '|', implicit: [false, false] };
    return { t: 'scalar', tag: 'str', value: data, style: o.defaultStyle, implicit: [plainIsText(data), true] };
  }
  if (data instanceof Date) {
    // (a date is no alias-free scalar to PyYAML's ignore_aliases: the same one met twice is one node, anchored)
    const met = seen.get(data);
    if (met) return met;
    // (represent_datetime: isoformat(' '), the offset of an aware one after it)
    const node = scalar('timestamp', data instanceof PyDate ? data.iso() : isoformat(data, ' '));
    seen.set(data, node);
    return node;
  }
  if (typeof data !== 'object') throw new RepresenterError(`('cannot represent an object', ${String(data)})`);
  const hit = seen.get(data);
  if (hit) return hit;
  const plainScalar = (n: YNode) => n.t === 'scalar' && !n.style;
  if (Array.isArray(data)) {
    const node: Seq = { t: 'seq', items: [], flow: false };
    seen.set(data, node);
    for (const x of data) node.items.push(represent(x, o, seen));
    node.flow = o.defaultFlowStyle ?? node.items.every(plainScalar);
    return node;
  }
  if (isDict(data)) {
    const node: YMap = { t: 'map', pairs: [], flow: false };
    seen.set(data, node);
    let items = dictItems(data);
    // (sorted(mapping.items()), Python's order of the keys, text by code point; keys that do not
    // compare, text and numbers, stay in their order: represent_mapping's `except TypeError`)
    if (o.sortKeys ?? true) items = sortedKeys(items);
    for (const [k, v] of items) node.pairs.push([represent(k, o, seen), represent(v, o, seen)]);
    node.flow = o.defaultFlowStyle ?? node.pairs.every(([k, v]) => plainScalar(k) && plainScalar(v));
    return node;
  }
  throw new RepresenterError(`('cannot represent an object', ${String(data)})`);
}

function sortedKeys(items: [unknown, unknown][]): [unknown, unknown][] {
  if (items.every(([k]) => typeof k === 'string')) return items.sort(([a], [b]) => textOrder(a as string, b as string));
  try {
    return [...items].sort(([a], [b]) => pyCmp(a, b));
  } catch (e) {
    if (e instanceof PyError) return items;
    throw e;
  }
}

/** The serializer's anchors: a node met a second time is anchored (id001, id002, … in the order of those second meetings). */
function anchorNodes(root: YNode): void {
  const met = new Set<YNode>();
  let last = 0;
  const walk = (n: YNode): void => {
    if (met.has(n)) {
      if (n.anchor === undefined) n.anchor = `id${String(++last).padStart(3, '0')}`;
      return;
    }
    met.add(n);
    if (n.t === 'seq') n.items.forEach(walk);
    if (n.t === 'map') for (const [k, v] of n.pairs) (walk(k), walk(v));
  };
  walk(root);
}

/** Python's yaml.dump(data, Dumper=AnsibleDumper, **options) of one document. */
export function pyyamlDump(data: unknown, o: DumpOptions = {}): string {
  const root = represent(data, o, new Map());
  anchorNodes(root);
  const e = new Emitter(o);
  e.document(root);
  return e.out;
}
