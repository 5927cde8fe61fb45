import { PyDate, PyError, PyFloat, floatRepr, isDict, pyCmp, pyType, textOrder } from './python.js';
import { isoformat } from './pydatetime.js';
import { vaultCiphertext } from './vault.js';
import { intDigits } from './pyint.js';
import { hasKeyTable, keyOf, textKeys } from './pydict.js';

/** A dict's text keys in the order of its Python keys (sorted(d)). */
function sortedTextKeys(d: Record<string, unknown>): string[] {
  const keys = textKeys(d);
  // (by code point, as Python sorts text: a key past U+FFFF after U+E000–U+FFFF)
  if (!hasKeyTable(d)) return keys.sort(textOrder);
  return keys.sort((a, b) => pyCmp(keyOf(d, a), keyOf(d, b)));
}

/** vaultToText: false prints a `!vault` value as AnsibleJSONEncoder does by default, `{"__ansible_vault": CIPHERTEXT}` (to_json's default: its text). */
/** json.dumps' options: `indent` a count of spaces or the text itself; `allowNan: false` refuses NaN and the infinities. */
export type JsonOpts = { indent?: number | string; sortKeys?: boolean; separators?: [string, string]; ensureAscii?: boolean; vaultToText?: boolean; allowNan?: boolean; /** json.dumps' default=: what a value it cannot write is written as */ default?: (v: unknown) => unknown };

const escape = (s: string, ascii: boolean): string => {
  const j = JSON.stringify(s);
  return ascii ? j.replace(/[\u007f-\uffff]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0')) : j;
};

/** Python's json.dumps: `, ` and `: ` separators, floats as `2.0`, ASCII-escaped by default. */
export function pyJson(v: unknown, o: JsonOpts = {}, depth = 0): string {
  const ascii = o.ensureAscii ?? true;
  const [item, key] = o.separators ?? (o.indent === undefined ? [', ', ': '] : [',', ': ']);
  const unit = typeof o.indent === 'string' ? o.indent : ' '.repeat(Math.max(0, o.indent ?? 0));
  const nl = o.indent === undefined ? '' : '\n' + unit.repeat(depth + 1);
  const end = o.indent === undefined ? '' : '\n' + unit.repeat(depth);
  if (o.allowNan === false && (typeof v === 'number' || v instanceof PyFloat) && !Number.isFinite(Number(v))) throw new PyError('ValueError', 'Out of range float values are not JSON compliant');
  if (v === null || v === undefined) return 'null';
  if (v === true) return 'true';
  if (v === false) return 'false';
  if (v instanceof PyFloat) return Number.isFinite(v.value) ? floatRepr(v.value) : v.value > 0 ? 'Infinity' : v.value < 0 ? '-Infinity' : 'NaN';
  if (typeof v === 'number') return Number.isFinite(v) ? (Number.isInteger(v) ? intDigits(v) : floatRepr(v)) : Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity';
  if (typeof v === 'bigint') return String(v);
  if (typeof v === 'string') {
    const ciphertext = o.vaultToText === false ? vaultCiphertext(v) : undefined;
    return ciphertext === undefined ? escape(v, ascii) : pyJson({ __ansible_vault: ciphertext }, o, depth);
  }
  if (Array.isArray(v)) return v.length ? `[${nl}${v.map((x) => pyJson(x, o, depth + 1)).join(item + nl)}${end}]` : '[]';
  if (isDict(v)) {
    // (sort_keys sorts the keys as Python has them: numbers by value, text and a number refused)
    const keys = o.sortKeys ? sortedTextKeys(v) : textKeys(v);
    return keys.length ? `{${nl}${keys.map((k) => escape(k, ascii) + key + pyJson(v[k], o, depth + 1)).join(item + nl)}${end}}` : '{}';
  }
  // (ansible-core's encoder: isoformat(); a date alone is its day)
  if (v instanceof PyDate) return escape(v.iso(), ascii);
  if (v instanceof Date) return escape(isoformat(v), ascii);
  if (o.default) return pyJson(o.default(v), o, depth);
  throw new TypeError(`Object of type ${pyType(v)} is not JSON serializable`);
}
