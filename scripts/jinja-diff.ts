// npm run jinja-diff [COUNT] [SEED] — differential fuzzing of the template engine against ansible-core:
// generates COUNT random Jinja expressions (literals and the corpus' variables, through filters,
// tests, operators, methods, subscripts and conditionals), renders each with ansible-core's Templar
// (test/jinja/render-cases.py, as a template file and as a task argument) and with agri-play, and
// prints the cases whose value, type or failure differ. Error words are not compared, only that both
// fail. Nothing is executed on any host; the cases a run finds go to test/jinja/corpus.txt by hand.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { packageRoot, parseYaml } from '../lib/source/index.js';
import { copyKeys, dictItems, hasKeyTable } from '../lib/source/pydict.js';
import { isDict, pyType, str } from '../lib/source/python.js';
import { renderText, renderValue } from '../lib/vars/index.js';
import { rng } from './rng.js';


const LITERALS = ['0', '1', '-3', '2.5', '-0.0', '1e300', '7', 'True', 'False', 'None', "''", "'abc'", "'A b C'", "'1.5'", "'42'", "' x '", "'ä€'", "'a,b'", '[]', '[1, 2, 3]', "['b', 'a']", "[1, 'a']", '[[1, 2], [3]]', '{}', "{'a': 1, 'b': 2}", "{'x': [1]}", '(1, 2)', 'range(3)', 'nope', "{10: 'x', 2: 'y'}", "{1: 'a', 'b': 2}"];
const VARS = ['s', 'n', 'neg', 'f', 'l', 'names', 'd', 'users', 'empty', 'nothing', 'yes_s', 't', 'path', 'ver', 'nested', 'csv', 'multiline', 'words', 'mixed', 'pairs', 'size', 'kv', 'num_s', 'float_s', 'html', 'version_list', 'mounts', 'ports', 'odd'];
/** A filter, and the argument lists it is given (one picked; `` for none). */
const FILTERS: Record<string, string[]> = {
  abs: [''], attr: ["('a')", "('upper')"], batch: ['(2)', "(2, 'x')"], capitalize: [''], center: ['(9)'], count: [''], default: ["('d')", "('d', true)"], dictsort: ['', '(true)', "(false, 'value')"],
  escape: [''], filesizeformat: ['', '(true)'], first: [''], float: ['', '(1.5)'], forceescape: [''], format: ['(1)', "('a', 2)"], groupby: ["('a')", "('name')", '(0)'], indent: ['(2)', '(2, true)'],
  int: ['', '(7)', '(0, 16)'], items: [''], join: ["(',')", '', "(attribute='name')"], last: [''], length: [''], list: [''], lower: [''], map: ["('upper')", "('int')", "(attribute='name')", "('default', 1)"],
  max: ['', "(attribute='uid')"], min: ['', '(true)'], pprint: [''], reject: ["('odd')", "('none')", "('equalto', 1)"], rejectattr: ["('active')", "('a')"], replace: ["('a', 'b')", "('', '-')", "('a', 'b', 1)"],
  reverse: [''], round: ['', '(1)', "(1, 'floor')", "(0, 'ceil')"], safe: [''], select: ["('odd')", "('string')", '', "('in', [1, 'a'])"], selectattr: ["('active')", "('uid', '>', 1001)"], slice: ['(2)'],
  sort: ['', '(true)', "(attribute='uid')", '(case_sensitive=true)'], string: [''], striptags: [''], sum: ['', '(start=1)', "(attribute='uid')"], title: [''], tojson: [''], trim: ['', "('a')"], truncate: ['(5)', "(5, true, '…', 0)"],
  unique: ['', '(case_sensitive=true)', "(attribute='a')"], upper: [''], urlencode: [''], urlize: [''], wordcount: [''], wordwrap: ['(5)'], xmlattr: [''],
  b64encode: [''], b64decode: [''], bool: [''], to_json: ['', '(sort_keys=true)'], to_nice_json: ['', '(indent=2)'], from_json: [''], to_yaml: [''], to_nice_yaml: [''], from_yaml: [''], from_yaml_all: [''], quote: [''],
  regex_search: ["('a')", "('(b)', '\\\\1')", "('x', ignorecase=true)"], regex_findall: ["('a')", "('[0-9]')"], regex_replace: ["('a', 'b')", "('^(.)', '\\\\1\\\\1')"], regex_escape: [''], ternary: ["(1, 2)", "('y', 'n', 'z')"],
  flatten: ['', '(1)', '(levels=0)'], combine: ["({'a': 9})", "({'a': {'c': 1}}, recursive=true)", "({'x': [2]}, list_merge='append')"], dict2items: ['', "(key_name='k')"], items2dict: ['', "('name', 'uid')"], zip: ['([9, 8])'],
  zip_longest: ["([9], fillvalue=0)"], product: ['([1])'], permutations: ['(2)'], combinations: ['(2)'], union: ['([1, 9])'], intersect: ['([1, 2])'], difference: ['([1])'], symmetric_difference: ['([1, 9])'],
  log: ['', '(10)'], pow: ['(2)', '(0.5)'], root: ['', '(3)'], human_readable: ['', "(unit='K')", '(isbits=true)'], human_to_bytes: ['', "(default_unit='K')", '(isbits=true)'], hash: ["('md5')", "('sha256')"], checksum: [''], md5: [''], sha1: [''],
  to_uuid: [''], mandatory: [''], comment: ['', "('c')"], type_debug: [''], extract: ["({'a': 1, 0: 'z'})", '([9, 8, 7])'], split: ['', "(',')", "(',', 1)"], basename: [''], dirname: [''], splitext: [''], win_basename: [''],
  urlsplit: ['', "('hostname')"], path_join: [''], to_datetime: [''], subelements: ["('groups')", "('c', skip_missing=true)"], dict: [''], 'community.general.counter': [''],
  'community.general.dict_kv': ["('k')"], 'ansible.utils.ipaddr': ['', "('address')"], 'ansible.utils.ipv4': [''], json_query: ["('[0]')", "('a')"],
};
const TESTS = ['defined', 'undefined', 'none', 'string', 'number', 'integer', 'float', 'boolean', 'mapping', 'sequence', 'iterable', 'callable', 'odd', 'even', 'divisibleby(3)', 'sameas(1)', 'lower', 'upper', "in([1, 'a'])", 'eq(1)', 'ne(1)', 'lt(2)', 'gt(2)', 'truthy', 'falsy', "match('a')", "search('b')", "regex('^A')", "version('1.2', '<')", 'subset([1, 2, 3])', 'superset([1])', 'contains(1)', 'any', 'all', 'escaped', 'true', 'false', 'filter', 'test', 'nan', 'abs'];
const OPS = ['+', '-', '*', '/', '//', '%', '**', '~', '==', '!=', '<', '<=', '>', '>=', 'and', 'or', 'in', 'not in'];
const METHODS = ['upper()', 'lower()', 'strip()', "strip('a')", 'split()', "split(',')", "startswith('a')", "endswith('c')", "replace('a', 'b')", "find('b')", "count('a')", "index('b')", "format(1, 2)", "join(['x', 'y'])", 'zfill(5)', 'center(7)', "ljust(5, '*')", 'title()', 'capitalize()', 'isdigit()', 'isalpha()', 'splitlines()', "partition(',')", 'keys()', 'values()', 'items()', "get('a')", "get('z', 0)", 'index(1)', 'count(1)', 'copy()', 'append(4)', 'pop()', "update({'c': 3})", 'casefold()', 'swapcase()', 'isspace()', "rsplit(',', 1)", 'expandtabs(4)', 'encode()', '__len__()', 'real', 'imag', 'is_integer()', 'bit_length()', 'conjugate()'];

function expression(r: () => number, depth: number): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  const leaf = () => (r() < 0.5 ? pick(LITERALS) : pick(VARS));
  if (depth <= 0) return leaf();
  const sub = () => expression(r, depth - 1);
  const k = r();
  if (k < 0.15) return leaf();
  if (k < 0.45) {
    const name = pick(Object.keys(FILTERS));
    return `${sub()} | ${name}${pick(FILTERS[name])}`;
  }
  if (k < 0.55) return `${sub()} is ${r() < 0.2 ? 'not ' : ''}${pick(TESTS)}`;
  if (k < 0.72) return `(${sub()}) ${pick(OPS)} (${sub()})`;
  if (k < 0.8) return `(${sub()}).${pick(METHODS)}`;
  if (k < 0.86) return `(${sub()})[${pick(['0', '-1', "'a'", '1:', ':2', '::-1', "'name'", '1.5'])}]`;
  if (k < 0.9) return `(${sub()}) if (${sub()}) else (${sub()})`;
  if (k < 0.94) return `${pick(['not ', '-', '+'])}(${sub()})`;
  if (k < 0.97) return `[${sub()}, ${sub()}]`;
  return `{${sub()}: ${sub()}}`;
}

/** Statements around expressions: loops (and their `loop` variable), conditions, assignments, macros, filter blocks, whitespace control. */
const STATEMENTS: ((e: () => string) => string)[] = [
  (e) => `{% for x in ${e()} %}{{ x }},{% endfor %}`,
  (e) => `{% for x in ${e()} %}{{ loop.index }}{{ loop.first }}{{ loop.revindex0 }}:{{ x }} {% else %}empty{% endfor %}`,
  (e) => `{% for k, v in ${e()} %}{{ k }}={{ v }};{% endfor %}`,
  (e) => `{% for x in ${e()} if x %}{{ x }}{{ loop.length }}|{% endfor %}`,
  (e) => `{% if ${e()} %}a{% elif ${e()} %}b{% else %}c{% endif %}`,
  (e) => `{% set v = ${e()} %}{{ v }}|{{ v | length }}`,
  (e) => `{% macro m(a, b=1) %}{{ a }}-{{ b }}{% endmacro %}{{ m(${e()}) }}{{ m(${e()}, b=${e()}) }}`,
  (e) => `{% filter upper %}{{ ${e()} }}{% endfilter %}`,
  (e) => `{% set ns = namespace(n=0) %}{% for x in ${e()} %}{% set ns.n = ns.n + 1 %}{% endfor %}{{ ns.n }}`,
  (e) => `a\n  {%- if ${e()} -%}\n  b  {%+ endif %} c\n{# note #}  {{- ${e()} }}`,
  (e) => `{% with y = ${e()} %}{{ y }}{% endwith %}`,
  (e) => `{{ ${e()} }}{% raw %}{{ x }}{% endraw %}`,
];

/** A template: one expression, or statements around some. */
function template(r: () => number): string {
  const e = () => expression(r, 1 + Math.floor(r() * 3));
  if (r() < 0.7) return `{{ ${e()} }}`;
  return STATEMENTS[Math.floor(r() * STATEMENTS.length)](() => expression(r, Math.floor(r() * 3)));
}

type Result = { text?: string; text_error?: string; value?: unknown; type?: string; value_error?: string };

function attempt<T>(f: () => T): { ok: true; v: T } | { ok: false; e: string } {
  try {
    return { ok: true, v: f() };
  } catch (e) {
    return { ok: false, e: String((e as Error).message ?? e).split('\n')[0] };
  }
}

/** A deep copy for one case (a case's `l.append(1)` must not reach the next), dicts keeping their keys' types. */
function clone<T>(v: T): T {
  if (Array.isArray(v)) return v.map(clone) as T;
  if (v === null || typeof v !== 'object' || Object.getPrototypeOf(v) !== Object.prototype) return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) out[k] = clone(x);
  return copyKeys(v, out) as T;
}

/** JSON as the Python side writes it: non-finite floats marked, tuples as lists. */
function plain(v: unknown): unknown {
  // (a dict's keys as Python's str() of each, as record.py's plain() writes them)
  return JSON.parse(JSON.stringify(v ?? null, (_k, x: unknown) => (typeof x === 'number' && !Number.isFinite(x) ? { float: String(x).replace('Infinity', 'inf').replace('NaN', 'nan') } : isDict(x) && hasKeyTable(x) ? Object.fromEntries(dictItems(x).map(([k, y]) => [str(k), y])) : x)));
}

function differs(src: string, want: Result, vars: Record<string, unknown>): string | undefined {
  const text = attempt(() => renderText(src, clone(vars)));
  if ((want.text_error !== undefined) !== !text.ok) return text.ok ? `text: ansible-core fails (${want.text_error}), agri-play ${JSON.stringify(text.v)}` : `text: ansible-core ${JSON.stringify(want.text)}, agri-play fails (${text.e})`;
  if (text.ok && text.v !== want.text) return `text: ansible-core ${JSON.stringify(want.text)}, agri-play ${JSON.stringify(text.v)}`;
  const value = attempt(() => renderValue(src, clone(vars)));
  if ((want.value_error !== undefined) !== !value.ok) return value.ok ? `value: ansible-core fails (${want.value_error}), agri-play ${JSON.stringify(plain(value.v))}` : `value: ansible-core ${JSON.stringify(want.value)}, agri-play fails (${value.e})`;
  if (!value.ok) return undefined;
  if (!isDeepStrictEqual(plain(value.v), plain(want.value))) return `value: ansible-core ${JSON.stringify(want.value)}, agri-play ${JSON.stringify(plain(value.v))}`;
  const type = pyType(value.v) === 'tuple' ? 'list' : pyType(value.v);
  return type === want.type ? undefined : `type: ansible-core ${want.type}, agri-play ${type}`;
}

const count = Number(process.argv[2] ?? 2000);
const seed = Number(process.argv[3] ?? 1);
const r = rng(seed);
const seen = new Set<string>();
while (seen.size < count) seen.add(template(r));
const cases = [...seen];
const dir = join(packageRoot, 'test', 'jinja');
process.env.AGRI_CORPUS_ENV = 'corpus';
const scratch = mkdtempSync(join(tmpdir(), 'agri-jinja-diff-'));
let want: Result[];
try {
  want = JSON.parse(execFileSync('/usr/bin/python3', [join(dir, 'render-cases.py')], { input: JSON.stringify(cases), encoding: 'utf8', maxBuffer: 1 << 30, env: { ...process.env, ANSIBLE_LOCAL_TEMP: scratch } })) as Result[];
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
// (read as the engine reads a vars file: keys YAML types as numbers keep their types, source/pydict.ts)
const vars = { ...(parseYaml(readFileSync(join(dir, 'vars.yaml'), 'utf8'), 'vars.yaml').value as Record<string, unknown>), inventory_hostname: 'h1', groups: { all: ['h1', 'h2'], ungrouped: ['h1', 'h2'] } };
let same = 0;
for (let i = 0; i < cases.length; i++) {
  const d = differs(cases[i], want[i], vars);
  if (d) console.log(`${cases[i]}\n    ${d}`);
  else same++;
}
console.log(`# seed ${seed}: ${same} of ${cases.length} the same as ansible-core`);
