// ansible-core's csvfile lookup (lib/ansible/plugins/lookup/csvfile.py): each term is a search key,
// with its options as keywords or, the old way, as key=value words in the term (parse_kv); the
// row whose first field is the key gives its field `col`. The file is read as Python's csv module
// reads it (below: no JavaScript CSV library keeps its non-strict quoting, `"a b"@c` → `a b@c`).
import { readFileSync } from 'node:fs';
import { parseKeyValues } from '../../source/splitter.js';
import { str } from '../../source/python.js';

/** A failure of the lookup, in ansible-core's words (lookups.ts makes it the task's error). */
export class CsvError extends Error {}

const DEFAULTS: Record<string, unknown> = { col: '1', default: undefined, delimiter: 'TAB', file: 'ansible.csv', encoding: 'utf-8' };
const ENCODINGS: Record<string, BufferEncoding> = { 'utf-8': 'utf8', utf8: 'utf8', latin1: 'latin1', 'latin-1': 'latin1', 'iso-8859-1': 'latin1', ascii: 'ascii' };

export function csvfile(terms: unknown[], kw: Record<string, unknown>, find: (name: string) => string | undefined): unknown[] {
  const bad = Object.keys(kw).find((k) => !(k in DEFAULTS) && k !== 'errors' && k !== 'wantlist');
  if (bad) throw new CsvError(`Requested option ${bad} was not defined in configuration`);
  const opts: Record<string, unknown> = { ...DEFAULTS, ...Object.fromEntries(Object.entries(kw).filter(([k]) => k in DEFAULTS)) };
  const out: unknown[] = [];
  for (const term of terms) {
    const { kv, rest } = parseKeyValues(str(term));
    if (!rest) throw new CsvError('Search key is required but was not found');
    // (a term's key=value words are options for it and the terms after it, as the plugin's paramvals are)
    for (const [k, v] of Object.entries(kv)) {
      if (!(k in DEFAULTS)) throw new CsvError(`${k} is not a valid option`);
      opts[k] = v;
    }
    if (opts.delimiter === 'TAB') opts.delimiter = '\t';
    const v = read(find(str(opts.file)), str(opts.file), rest, str(opts.delimiter), str(opts.encoding), opts.default, opts.col);
    if (v !== undefined && v !== null) out.push(...(Array.isArray(v) ? v : [v]));
  }
  return out;
}

function read(path: string | undefined, name: string, key: string, delimiter: string, encoding: string, dflt: unknown, col: unknown): unknown {
  if (!path) throw new CsvError(`csvfile: [Errno 2] No such file or directory: '${name}'`);
  let text: string;
  try {
    text = readFileSync(path).toString(ENCODINGS[encoding.toLowerCase()] ?? 'utf8');
  } catch (e) {
    throw new CsvError(`csvfile: ${(e as Error).message}`);
  }
  if (delimiter.length !== 1) throw new CsvError(`csvfile: "delimiter" must be a 1-character string`);
  for (const row of rows(text, delimiter)) {
    if (row.length && row[0] === key) {
      const i = Number(col);
      if (!Number.isInteger(i)) throw new CsvError(`csvfile: invalid literal for int() with base 10: '${str(col)}'`);
      const v = i < 0 ? row[row.length + i] : row[i];
      if (v === undefined) throw new CsvError('csvfile: list index out of range');
      return v;
    }
  }
  return dflt;
}

/** Python's csv.reader, excel dialect with this delimiter (quote `"`, doubled quotes, not strict). */
export function rows(text: string, delimiter: string): string[][] {
  const out: string[][] = [];
  let row: string[] = [];
  let field = '';
  type State = 'record' | 'field' | 'in' | 'quoted' | 'quote' | 'eol';
  let state: State = 'record';
  const save = () => {
    row.push(field);
    field = '';
  };
  const endRow = () => {
    out.push(row);
    row = [];
  };
  for (const c of text) {
    const nl = c === '\n' || c === '\r';
    if (state === 'eol') {
      if (nl) continue;
      state = 'record';
    }
    if (state === 'record') {
      if (nl) {
        endRow();
        state = 'eol';
        continue;
      }
      state = 'field';
    }
    if (state === 'field') {
      if (nl) (save(), endRow(), (state = 'eol'));
      else if (c === '"') state = 'quoted';
      else if (c === delimiter) save();
      else ((field += c), (state = 'in'));
    } else if (state === 'in') {
      if (nl) (save(), endRow(), (state = 'eol'));
      else if (c === delimiter) (save(), (state = 'field'));
      else field += c;
    } else if (state === 'quoted') {
      if (c === '"') state = 'quote';
      else field += c;
    } else if (state === 'quote') {
      if (c === '"') ((field += c), (state = 'quoted'));
      else if (c === delimiter) (save(), (state = 'field'));
      else if (nl) (save(), endRow(), (state = 'eol'));
      else ((field += c), (state = 'in'));
    }
  }
  if (state !== 'record' && state !== 'eol') (save(), endRow());
  return out;
}
