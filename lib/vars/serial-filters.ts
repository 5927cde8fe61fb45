// The filters that write and read JSON and YAML: json.dumps and json.loads, yaml.dump with
// ansible-core's AnsibleDumper (pyyaml-dump.ts) and PyYAML's safe_load, with their keywords and errors.
import { parseDocument, parseAllDocuments } from '../source/vendor/yaml.js';
import { pyyamlDump, RepresenterError, type DumpOptions } from './jinja/pyyaml-dump.js';
import { pyJson, type JsonOpts } from '../source/pyjson.js';
import { pyJsonLoads } from '../source/pyjson-loads.js';
import { pyyamlTags, unclipAtEnd } from '../source/yaml.js';
import { splitKw } from './jinja/methods.js';
import { PyError, num, pyType, str, truthy } from '../source/python.js';
import { kept } from './kept-text.js';
import { fromMaps } from '../source/pykeys.js';
import { definedDeep } from '../source/pyvalues.js';

/** JSON_ARGS: json.dumps' keywords the filters pass on; another is JSONEncoder's TypeError. */
const JSON_ARGS = new Set(['skipkeys', 'ensure_ascii', 'check_circular', 'allow_nan', 'indent', 'separators', 'sort_keys', 'default', 'vault_to_text', 'preprocess_unsafe']);

/** to_json's keywords as json.dumps reads them (vault_to_text: a !vault value's text, unless false: its ciphertext as {"__ansible_vault": …}). */
function dumpsOpts(kw: Record<string, unknown>, base: JsonOpts): JsonOpts {
  const bad = Object.keys(kw).find((k) => !JSON_ARGS.has(k));
  if (bad) throw new PyError('TypeError', `JSONEncoder.__init__() got an unexpected keyword argument '${bad}'`);
  const sep = kw.separators;
  const o: JsonOpts = { ...base, ensureAscii: kw.ensure_ascii === undefined ? true : truthy(kw.ensure_ascii), vaultToText: truthy(kw.vault_to_text ?? true), allowNan: kw.allow_nan === undefined || truthy(kw.allow_nan) };
  if (kw.sort_keys !== undefined) o.sortKeys = truthy(kw.sort_keys);
  if (kw.indent !== undefined && kw.indent !== null) o.indent = typeof kw.indent === 'string' ? kw.indent : num(kw.indent);
  if (Array.isArray(sep) && sep.length === 2) o.separators = [str(sep[0]), str(sep[1])];
  return o;
}

/** The yaml filters' AnsibleFilterError with its orig_exc: the Python error's words, then again after the message. */
const dumpError = (name: string, why: string) => new PyError('AnsibleFilterError', `${name} - ${why}. ${why}`);

/** yaml.dump's keyword arguments, as ansible-core passes a filter's through to it. */
function dumpYaml(name: string, v: unknown, kw: Record<string, unknown>, base: DumpOptions): string {
  const o: DumpOptions = { ...base };
  const flag = (x: unknown) => (x === null ? undefined : truthy(x));
  for (const [k, x] of Object.entries(kw)) {
    if (k === 'indent') o.indent = x === null ? undefined : num(x);
    else if (k === 'width') o.width = x === null ? undefined : num(x);
    else if (k === 'default_flow_style' && name === 'to_yaml') o.defaultFlowStyle = x === null ? null : truthy(x);
    else if (k === 'sort_keys') o.sortKeys = truthy(x);
    else if (k === 'explicit_start') o.explicitStart = flag(x);
    else if (k === 'explicit_end') o.explicitEnd = flag(x);
    else if (k === 'default_style') o.defaultStyle = x === null ? undefined : str(x);
    else if (k === 'line_break') o.lineBreak = x === null ? undefined : str(x);
    // (the filter gives these itself: Python refuses them twice)
    else if (k === 'allow_unicode' || k === 'default_flow_style') throw dumpError(name, `yaml.dump() got multiple values for keyword argument '${k}'`);
    else throw dumpError(name, `dump_all() got an unexpected keyword argument '${k}'`);
  }
  try {
    return pyyamlDump(v, o);
  } catch (e) {
    throw e instanceof RepresenterError ? dumpError(name, e.message) : e;
  }
}

export const serialFilters: Record<string, (...args: any[]) => unknown> = {
  to_json: (v, ...a) => kept(pyJson(definedDeep(v), dumpsOpts(splitKw(a)[1], { sortKeys: false }))),
  // (to_nice_json(a, indent=4, sort_keys=True): json.dumps, ASCII-escaped unless ensure_ascii=False)
  to_nice_json: (v, ...a) => {
    const [pos, kw] = splitKw(a);
    return kept(pyJson(definedDeep(v), dumpsOpts({ ...kw, indent: kw.indent ?? pos[0] ?? 4 }, { sortKeys: truthy(kw.sort_keys ?? pos[1] ?? true), separators: [',', ': '] })));
  },
  // (json.loads: text only)
  from_json: (s) => {
    if (typeof s !== 'string') throw new PyError('TypeError', `the JSON object must be str, bytes or bytearray, not ${pyType(s)}`);
    return pyJsonLoads(s);
  },
  // (yaml.dump with ansible-core's AnsibleDumper: lib/vars/jinja/pyyaml-dump.ts)
  to_yaml: (v, ...a) => kept(dumpYaml('to_yaml', v, splitKw(a)[1], { defaultFlowStyle: null })),
  to_nice_yaml: (v, ...a) => {
    const [pos, kw] = splitKw(a);
    return kept(dumpYaml('to_nice_yaml', v, { indent: pos[0] ?? 4, ...kw }, { defaultFlowStyle: false }));
  },
  // YAML 1.1 as PyYAML's safe_load reads it (0644 octal, yes/no booleans)
  // (a block scalar ending the text without a line break has none, as PyYAML reads it: unclipAtEnd)
  from_yaml: (s) => {
    if (typeof s !== 'string') return s;
    const doc = parseDocument(s, { version: '1.1', customTags: pyyamlTags });
    if (doc.errors.length) throw doc.errors[0];
    return fromMaps(unclipAtEnd(doc, s).toJS({ maxAliasCount: 100, mapAsMap: true }));
  },
  from_yaml_all: (s) => typeof s !== 'string' ? s : parseAllDocuments(s, { version: '1.1', customTags: pyyamlTags }).map((d) => (Array.isArray(d) ? null : fromMaps(unclipAtEnd(d, s).toJS({ maxAliasCount: 100, mapAsMap: true })))),
};
