// ansible-core's ini lookup (lib/ansible/plugins/lookup/ini.py): a key's value in a section of an
// INI file (or a .properties file: one section of its own), read as Python's ConfigParser reads it
// (source/pyconfig.ts: strict, names lower-cased unless case_sensitive, %-interpolation); with
// re, the values of every key the regex matches from its start.
import { readFileSync } from 'node:fs';
import { interpolate, itemsOf, PyConfigError, readPyConfig } from '../../source/pyconfig.js';
import { pyRegex } from '../../source/pyregex.js';
import { str, truthy } from '../../source/python.js';

/** A failure of the lookup, in ansible-core's words (lookups.ts makes it the task's error). */
export class IniError extends Error {}

const DEFAULTS: Record<string, unknown> = { file: 'ansible.ini', section: 'global', re: false, encoding: 'utf-8', default: '', type: 'ini', case_sensitive: false, allow_no_value: false, allow_none: false };

/** ansible-core's _parse_params: the term's words, a word with `option=` starting that option's value, the others added to the last one. */
function parseParams(term: string): string[] {
  const params = new Map<string, string>();
  const keys: string[] = [];
  let current = 'key';
  term.split(/\s+/).filter(Boolean).forEach((phrase, i) => {
    if (phrase.includes('=')) for (const k of Object.keys(DEFAULTS)) if (phrase.includes(`${k}=`)) current = k;
    if (i === 0 || !params.get(current)) {
      params.set(current, phrase);
      keys.push(current);
    } else params.set(current, `${params.get(current)} ${phrase}`);
  });
  return keys.map((k) => params.get(k) ?? '');
}

/** The file's text in its encoding (Python's codec names: iso8859-15, latin-1, utf-8, …). */
function decode(data: Buffer, encoding: string): string {
  try {
    return new TextDecoder(encoding.toLowerCase().replace(/_/g, '-'), { fatal: true }).decode(data);
  } catch (e) {
    throw new IniError(`'${encoding}' codec can't decode the file: ${(e as Error).message}`);
  }
}

export function ini(terms: unknown[], kw: Record<string, unknown>, find: (name: string) => string | undefined): unknown[] {
  const bad = Object.keys(kw).find((k) => !(k in DEFAULTS) && k !== 'errors' && k !== 'wantlist');
  if (bad) throw new IniError(`Requested option ${bad} was not defined in configuration`);
  const opts: Record<string, unknown> = { ...DEFAULTS, ...Object.fromEntries(Object.entries(kw).filter(([k]) => k in DEFAULTS)) };
  const out: unknown[] = [];
  for (const t of terms) {
    const term = str(t);
    let key = term;
    // the old way: options as key=value words in the term (their values are text, as the plugin keeps them)
    if (term.includes('=') || term.trim().includes(' ')) {
      let found = false;
      for (const param of parseParams(term)) {
        if (param.includes('=')) {
          const parts = param.split('=');
          if (parts.length !== 2) throw new IniError(`Could not use '${param}' from '${JSON.stringify(parseParams(term))}': too many values to unpack (expected 2)`);
          if (!(parts[0] in DEFAULTS)) throw new IniError(`${parts[0]} is not a valid option.`);
          opts[parts[0]] = parts[1];
        } else if (key === term) {
          key = param;
          found = true;
        }
      }
      if (!found) throw new IniError(`No key to lookup was provided as first term with in string inline options: ${term}`);
    }
    const file = str(opts.file);
    const path = find(file);
    if (!path) throw new IniError(`could not locate file in lookup: ${file}`);
    const properties = opts.type === 'properties';
    if (properties) opts.section = 'java_properties';
    const text = (properties ? '[java_properties]\n' : '') + decode(readFileSync(path), str(opts.encoding));
    const section = str(opts.section);
    let cfg;
    try {
      cfg = readPyConfig(text, '<???>', { allowNoValue: truthy(opts.allow_no_value) || truthy(opts.allow_none), caseSensitive: truthy(opts.case_sensitive) });
    } catch (e) {
      if (e instanceof PyConfigError && e.message.includes('already exists')) throw new IniError(`Duplicate option in '${file}': ${e.message}`);
      throw e instanceof PyConfigError ? new IniError(e.message) : e;
    }
    if (!cfg.sections.has(section) && section !== 'DEFAULT') throw new IniError(`No section '${section}' in ${file}`);
    const items = itemsOf(cfg, section);
    const value = (k: string, v: string | null) => (v === null ? null : interpolate(v, items, section, k));
    try {
      if (truthy(opts.re)) {
        const re = pyRegex(key);
        for (const [k, v] of items) if (re.exec(k)?.index === 0) out.push(value(k, v));
        continue;
      }
      const k = truthy(opts.case_sensitive) ? key : key.toLowerCase();
      const v = items.has(k) ? value(k, items.get(k)!) : opts.default;
      if (v !== null && v !== undefined) out.push(v);
    } catch (e) {
      throw e instanceof PyConfigError ? new IniError(e.message) : e;
    }
  }
  return out;
}
