// ansible-core's rekey_on_member and unique (mathstuff), to_uuid, fileglob, b64encode, b64decode, regex_escape, subelements and items2dict (core) filters.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import picomatch from '../../source/vendor/picomatch.js';
import { PyError, UndefinedUse, eq, isDict, pyType, repr, str, truthy, tuple } from '../../source/python.js';
import { splitKw } from './methods.js';
import { pyIter } from '../../source/pyvalues.js';
import { doUnique } from './builtins.js';
import { pairsDict } from '../../source/pykeys.js';

/** A dict of dicts (or a list of dicts) keyed by each one's `key` member: duplicates an error, or `overwrite`. */
export function rekeyOnMember(data: unknown, ...a: unknown[]): Record<string, unknown> {
  const [args, kw] = splitKw(a);
  const key = kw.key ?? args[0];
  const duplicates = kw.duplicates ?? args[1] ?? 'error';
  if (duplicates !== 'error' && duplicates !== 'overwrite') throw new PyError('AnsibleFilterError', `duplicates parameter to rekey_on_member has unknown value: ${str(duplicates)}`);
  if (data === undefined || key === undefined) throw new UndefinedUse();
  // (their truth is asked first, as the filter's bool(data) and bool(key) do)
  truthy(data);
  const items = isDict(data) ? Object.values(data) : Array.isArray(data) ? data : undefined;
  if (!items) throw new PyError('AnsibleFilterTypeError', 'Type is not a valid list, set, or dict');
  const out: Record<string, unknown> = {};
  for (const item of items) {
    if (!isDict(item)) throw new PyError('AnsibleFilterTypeError', 'List item is not a valid dict');
    if (!(str(key) in item)) throw new PyError('AnsibleFilterError', `Key ${str(key)} was not found`);
    const k = str(item[str(key)]);
    if (out[k] !== undefined && duplicates === 'error') throw new PyError('AnsibleFilterError', `Key ${k} is not unique, cannot correctly turn into dict`);
    out[k] = item;
  }
  return out;
}

/** ansible-core's namespace for to_uuid. */
const ANSIBLE_NAMESPACE = '361e6d51-faec-444a-9079-341386da8e2e';

/** Python's uuid.uuid5(namespace, name): SHA-1 of the namespace's bytes and the name, version 5, RFC 4122 variant. */
export function toUuid(s: unknown, ...a: unknown[]): string {
  const [args, kw] = splitKw(a);
  const namespace = kw.namespace ?? args[0] ?? ANSIBLE_NAMESPACE;
  const ns = str(namespace).replace(/^urn:uuid:/i, '').replace(/[{}-]/g, '');
  if (!/^[0-9a-fA-F]{32}$/.test(ns)) throw new PyError('AnsibleFilterError', `Invalid value '${str(namespace)}' for 'namespace': badly formed hexadecimal UUID string`);
  const h = createHash('sha1').update(Buffer.from(ns, 'hex')).update(str(s), 'utf8').digest().subarray(0, 16);
  h[6] = (h[6] & 0x0f) | 0x50;
  h[8] = (h[8] & 0x3f) | 0x80;
  const x = h.toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

/**
 * ansible-core's unique: Jinja2's do_unique (case-insensitive unless case_sensitive, by `attribute`),
 * and where that fails (an unhashable item: a list, a dict) Ansible's own, by equality and case-sensitive,
 * unless case_sensitive=False or an attribute was asked for (then the filter's error).
 */
export function unique(a: unknown, ...rest: unknown[]): unknown[] {
  const [pos, kw] = splitKw(rest);
  const caseSensitive = kw.case_sensitive ?? pos[0];
  const attribute = kw.attribute ?? pos[1];
  const items = pyIter(a);
  try {
    return doUnique(items, truthy(caseSensitive ?? false), attribute);
  } catch (e) {
    if (!(e instanceof PyError && e.kind === 'TypeError')) throw e;
    if (caseSensitive === false || truthy(attribute ?? null)) throw new PyError('AnsibleFilterError', `Jinja2's unique filter failed and we cannot fall back to Ansible's version as it does not support the parameters supplied. ${e.message.replace(/^TypeError: /, '')}`);
    return items.filter((x, i) => items.findIndex((y) => eq(x, y)) === i);
  }
}

/** The files (not folders) in a controller folder whose names match a glob. */
export function filesIn(dir: string, glob: string): string[] {
  if (!existsSync(dir)) return [];
  const match = picomatch(glob);
  return readdirSync(dir).filter((f) => match(f) && statSync(join(dir, f), { throwIfNoEntry: false })?.isFile());
}

/** The fileglob filter: Python's glob.glob of the pattern on the controller (wildcards in its last part), the files only. */
export function fileglob(pattern: unknown): string[] {
  const p = str(pattern);
  const dir = dirname(p);
  return filesIn(dir, basename(p)).map((f) => (p.startsWith('./') || dir !== '.' ? join(dir, f) : f));
}

/** Python's codec names as Node knows them (utf-8, utf-16-le, latin-1, ascii). */
function codec(a: unknown[]): BufferEncoding {
  const [args, kw] = splitKw(a);
  const name = str(kw.encoding ?? args[0] ?? 'utf-8').toLowerCase().replace(/_/g, '-');
  const known: Record<string, BufferEncoding> = { 'utf-8': 'utf8', utf8: 'utf8', 'utf-16-le': 'utf16le', 'utf-16le': 'utf16le', 'latin-1': 'latin1', latin1: 'latin1', 'iso-8859-1': 'latin1', ascii: 'ascii' };
  const enc = known[name];
  if (!enc) throw new PyError('LookupError', `unknown encoding: ${name}`);
  return enc;
}

/** The text's bytes in `encoding` (utf-8 unless given), base64. */
export const b64encode = (s: unknown, ...a: unknown[]): string => Buffer.from(str(s), codec(a)).toString('base64');

/** base64 to bytes, read as text in `encoding`. */
export const b64decode = (s: unknown, ...a: unknown[]): string => Buffer.from(base64Data(str(s)), 'base64').toString(codec(a));

/**
 * The base64 text binascii.a2b_base64 (not strict) decodes: other characters are passed over, and
 * a complete padding ends it; a last group of 1 character, or one short of its padding, is its
 * error (a ValueError, as binascii.Error is).
 */
function base64Data(s: string): string {
  let quad = 0;
  let data = 0;
  let pads = 0;
  let out = '';
  for (const c of s) {
    if (c === '=') {
      if (quad >= 2 && quad + ++pads >= 4) return out + '='.repeat(pads);
      continue;
    }
    if (!/[A-Za-z0-9+/]/.test(c)) continue;
    out += c;
    data++;
    quad = (quad + 1) % 4;
  }
  if (quad === 1) throw new PyError('ValueError', `Invalid base64-encoded string: number of data characters (${data}) cannot be 1 more than a multiple of 4`);
  if (quad !== 0) throw new PyError('ValueError', 'Incorrect padding');
  return out;
}

/** regex_escape: Python's re.escape (its special characters only), or POSIX basic's; other kinds the filter's errors. */
export function regexEscape(s: unknown, ...a: unknown[]): string {
  const [args, kw] = splitKw(a);
  const kind = str(kw.re_type ?? args[0] ?? 'python');
  if (kind === 'python') return str(s).replace(/[()[\]{}?*+\-|^$\\.&~# \t\n\r\v\f]/g, '\\$&');
  if (kind === 'posix_basic') return str(s).replace(/[\].[^$*\\]/g, '\\$&');
  if (kind === 'posix_extended') throw new PyError('AnsibleFilterError', `Regex type (${kind}) not yet implemented`);
  throw new PyError('AnsibleFilterError', `Invalid regex type (${kind})`);
}

/** subelements: each element (of a list, or a dict's values) with each item of the list its dotted or listed path names, in ansible-core's words when it cannot. */
export function subelements(obj: unknown, path: unknown, ...a: unknown[]): unknown[] {
  const [args, kw] = splitKw(a);
  const skip = truthy(kw.skip_missing ?? args[0] ?? false);
  const elements = isDict(obj) ? Object.values(obj) : Array.isArray(obj) ? obj : undefined;
  if (!elements) throw new PyError('AnsibleFilterError', 'obj must be a list of dicts or a nested dict');
  const keys = Array.isArray(path) ? path : typeof path === 'string' ? path.split('.') : undefined;
  if (!keys) throw new PyError('AnsibleFilterTypeError', 'subelements must be a list or a string');
  const out: unknown[] = [];
  for (const element of elements) {
    let values: unknown = element;
    let last: unknown;
    for (const k of keys) {
      last = k;
      if (!isDict(values)) throw new PyError('AnsibleFilterTypeError', `the key ${str(k)} should point to a dictionary, got '${str(values)}'`);
      if (!(str(k) in values)) {
        if (skip) {
          values = [];
          break;
        }
        throw new PyError('AnsibleFilterError', `could not find ${repr(k)} key in iterated item ${repr(values)}`);
      }
      values = values[str(k)];
    }
    if (!Array.isArray(values)) throw new PyError('AnsibleFilterTypeError', `the key ${repr(last)} should point to a list, got ${repr(values)}`);
    for (const v of values) out.push(tuple([element, v]));
  }
  return out;
}

/** items2dict: a list of dicts' key_name and value_name entries as a dict, in ansible-core's words when it cannot. */
export function items2dict(items: unknown, ...a: unknown[]): Record<string, unknown> {
  const [args, kw] = splitKw(a);
  const [k, v] = [str(kw.key_name ?? args[0] ?? 'key'), str(kw.value_name ?? args[1] ?? 'value')];
  if (!Array.isArray(items)) throw new PyError('AnsibleFilterTypeError', `items2dict requires a list, got <class '${pyType(items)}'> instead.`);
  if (items.some((i) => !isDict(i))) throw new PyError('AnsibleFilterTypeError', `items2dict requires a list of dictionaries, got ${repr(items)} instead.`);
  const dicts = items as Record<string, unknown>[];
  if (dicts.some((i) => !(k in i) || !(v in i))) throw new PyError('AnsibleFilterTypeError', `items2dict requires each dictionary in the list to contain the keys '${k}' and '${v}', got ${repr(items)} instead.`);
  return pairsDict(dicts.map((i) => [i[k], i[v]]));
}
