import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderText, renderValue } from '../lib/vars/index.js';
import { isDict, pyType, str } from '../lib/source/python.js';
import { dictItems } from '../lib/source/pydict.js';
import { jinja2, parseYaml } from '../lib/source/index.js';
import { cli, fixture, root } from './helpers.js';

/**
 * The Jinja conformance corpus (test/jinja/corpus.txt), rendered by agri-play and compared with
 * what ansible-core rendered for each case (test/jinja/expected.json, written by
 * test/jinja/record.py). Each case twice: as a template file (text) and as a task argument (value).
 */
type Case = { line: number; src: string; text?: string; text_error?: string; value?: unknown; type?: string; value_error?: string };
const dir = join(root, 'test', 'jinja');
const expected = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as { ansible_core: string; cases: Case[] };
process.env.AGRI_CORPUS_ENV = 'corpus';
// (read as the engine reads a vars file: keys YAML types as numbers keep their types, source/pydict.ts)
const vars = { ...(parseYaml(readFileSync(join(dir, 'vars.yaml'), 'utf8'), 'vars.yaml').value as Record<string, unknown>), inventory_hostname: 'h1', groups: { all: ['h1', 'h2'], ungrouped: ['h1', 'h2'] } };

/** Cases where agri-play knowingly differs; each must still differ (so the list stays honest). Also in the README. */
export const KNOWN: Record<number, string> = JSON.parse(readFileSync(join(dir, 'known-differences.json'), 'utf8')) as Record<number, string>;
/** Cases that differ only under jinja2_native (the known differences above are passed over there too). */
const WHOLE_FLOAT = 'a float with a whole value (1.0, 8 / 2) reaches the task as a JavaScript number: the same value, but its type reads int (and it prints as 4, not 4.0)';
const KNOWN_NATIVE: Record<number, string> = {
  ...Object.fromEntries([7, 8, 10, 51, 54, 62, 83, 232, 233, 258, 259, 262, 384, 385, 386, 387, 631, 709, 775, 906, 907, 911, 1136].map((n) => [n, WHOLE_FLOAT])),
  84: "Jinja's compiler folds a constant expression to its text before ansible_native_concat reads it (`1e300 * 1e300` is the text 'inf'); agri-play gives the float",
  111: "ansible-core gives its Undefined object itself; agri-play the empty text it prints as",
  ...Object.fromEntries([1206, 1207].map((n) => [n, "urlsplit of a false value that is no text: urllib gives bytes (b''), which agri-play has no type for; it gives the empty text they print as"])),
};

function attempt<T>(f: () => T): { ok: true; v: T } | { ok: false; e: string } {
  try {
    return { ok: true, v: f() };
  } catch (e) {
    return { ok: false, e: (e as Error).message };
  }
}

/** Compares one case; returns what differs, or undefined. */
function compare(c: Case): string | undefined {
  const text = attempt(() => renderText(c.src, vars));
  if (c.text_error !== undefined) {
    if (text.ok) return `text: ansible-core fails (${c.text_error}), agri-play gives ${JSON.stringify(text.v)}`;
  } else if (!text.ok) return `text: ansible-core gives ${JSON.stringify(c.text)}, agri-play fails: ${text.e}`;
  else if (text.v !== c.text) return `text: ansible-core ${JSON.stringify(c.text)}, agri-play ${JSON.stringify(text.v)}`;
  return compareValue(c, () => renderValue(c.src, vars));
}

function isDeepEqual(a: unknown, b: unknown): boolean {
  try {
    assert.deepStrictEqual(a, b);
    return true;
  } catch {
    return false;
  }
}

test(`Jinja corpus: ${expected.cases.length} cases render as ansible-core ${expected.ansible_core} renders them (text and value)`, () => {
  const wrong: string[] = [];
  const stale: string[] = [];
  for (const c of expected.cases) {
    const d = compare(c);
    if (d && !(c.line in KNOWN)) wrong.push(`corpus.txt:${c.line}: ${c.src.replace(/\n/g, '⏎')}\n    ${d}`);
    if (!d && c.line in KNOWN) stale.push(`corpus.txt:${c.line}: listed as a known difference but now matches`);
  }
  const passed = expected.cases.length - wrong.length;
  if (wrong.length) console.log(`# ${passed}/${expected.cases.length} match\n` + wrong.join('\n'));
  assert.deepEqual(stale, []);
  assert.equal(wrong.length, 0, `${wrong.length} of ${expected.cases.length} cases differ from ansible-core (listed above)`);
});

/** A value as record.py records it: a dict's keys as Python's str() of each (`True`, `(1, 2)`), deeply. */
function recorded(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(recorded);
  if (!isDict(v)) return v;
  return Object.fromEntries(dictItems(v).map(([k, x]) => [str(k), recorded(x)]));
}

/** A value case: what differs from ansible-core's value or failure, or undefined. */
function compareValue(c: Case, render: () => unknown): string | undefined {
  const value = attempt(render);
  if (c.value_error !== undefined) return value.ok ? `value: ansible-core fails (${c.value_error}), agri-play gives ${JSON.stringify(value.v)}` : undefined;
  if (!value.ok) return `value: ansible-core gives ${JSON.stringify(c.value)}, agri-play fails: ${value.e}`;
  const plain = JSON.parse(JSON.stringify(recorded(value.v) ?? null)) as unknown;
  // (as JSON both: -0.0 is 0; a tuple is recorded as a list)
  if (!isDeepEqual(plain, JSON.parse(JSON.stringify(c.value ?? null)))) return `value: ansible-core ${JSON.stringify(c.value)}, agri-play ${JSON.stringify(value.v)}`;
  const type = pyType(value.v) === 'tuple' ? 'list' : pyType(value.v);
  if (type !== c.type) return `value type: ansible-core ${c.type}, agri-play ${type}`;
  return undefined;
}

// jinja2_native = True (ANSIBLE_JINJA2_NATIVE=1): every corpus case as a task argument, recorded by the same script
const native = JSON.parse(readFileSync(join(dir, 'expected-native.json'), 'utf8')) as { ansible_core: string; cases: Case[] };
test(`Jinja corpus under jinja2_native: ${native.cases.length} cases give the values ansible-core ${native.ansible_core} gives (ANSIBLE_JINJA2_NATIVE=1) but for the listed differences`, () => {
  const wrong: string[] = [];
  let same = 0;
  jinja2.native = true;
  try {
    for (const c of native.cases) {
      const d = compareValue(c, () => renderValue(c.src, vars));
      if (d && !(c.line in KNOWN) && !(c.line in KNOWN_NATIVE)) wrong.push(`corpus.txt:${c.line}: ${c.src.replace(/\n/g, '⏎')}\n    ${d}`);
      if (!d && c.line in KNOWN_NATIVE) wrong.push(`corpus.txt:${c.line}: listed as a known native difference but now matches`);
      if (!d) same++;
    }
  } finally {
    jinja2.native = false;
  }
  console.log(`# jinja2_native: ${same} of ${native.cases.length} cases give ansible-core's value or its failure`);
  if (wrong.length) console.log(wrong.join('\n'));
  assert.equal(wrong.length, 0, `${wrong.length} of ${native.cases.length} cases differ from ansible-core under jinja2_native (listed above)`);
});

const LOCAL = 'all:\n  hosts:\n    h: {ansible_connection: local}\n';

test('every template is parsed at load: a syntax error or an unknown filter is exit 4 with file:line:col before anything runs', async () => {
  const d = fixture({
    'inv.yaml': LOCAL,
    'p.yaml': `- hosts: all
  gather_facts: false
  tasks:
    - copy: {dest: "{{ playbook_dir }}/ran", content: x}
    - debug: {msg: "{{ 1 + }}"}
    - debug: {msg: "{{ 'x' | no_such_filter }}"}
    - assert: {that: ["x is no_such_test", "lookup('no_such_lookup', 'a')"]}
`,
  });
  for (const extra of [[], ['--syntax-check']]) {
    const r = await cli(['p.yaml', '-i', 'inv.yaml', ...extra], d);
    assert.equal(r.code, 4, r.stdout + r.stderr);
    const out = r.stdout + r.stderr;
    assert.match(out, /p\.yaml:5:\d+: error: template error/);
    assert.match(out, /p\.yaml:6:\d+: error: unknown filter 'no_such_filter'/);
    assert.match(out, /p\.yaml:7:\d+: error: unknown test 'no_such_test'/);
    assert.match(out, /p\.yaml:7:\d+: error: unknown lookup 'no_such_lookup'/);
    assert.ok(!existsSync(join(d, 'ran')), 'nothing ran');
  }
});

test('an unknown filter behind a when is a warning; the play runs, as under ansible-core', async () => {
  const d = fixture({
    'inv.yaml': LOCAL,
    'p.yaml': `- hosts: all
  gather_facts: false
  tasks:
    - debug: {msg: "{{ 'x' | selinux_only_filter }}"}
      when: false
    - copy: {dest: "{{ playbook_dir }}/ran", content: ok}
`,
  });
  const r = await cli(['p.yaml', '-i', 'inv.yaml'], d);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stderr, /warning: .*p\.yaml:4:\d+: unknown filter 'selinux_only_filter'/);
  assert.equal(readFileSync(join(d, 'ran'), 'utf8'), 'ok');
});

test('a failed lookup or a self-referencing variable fails the task and writes nothing; copy writes values as ansible-core does', async () => {
  const d = fixture({
    'inv.yaml': LOCAL,
    'p.yaml': `- hosts: all
  gather_facts: false
  vars:
    loop_var: "{{ loop_var }}"
  tasks:
    - copy: {dest: "{{ playbook_dir }}/a", content: "{{ lookup('file', playbook_dir + '/missing.txt') }}"}
      ignore_errors: true
    - copy: {dest: "{{ playbook_dir }}/b", content: "{{ loop_var }}"}
      ignore_errors: true
    - copy: {dest: "{{ playbook_dir }}/c", content: "{{ [0, 1, 2] }}"}
    - copy: {dest: "{{ playbook_dir }}/d", content: "{{ true }}"}
    - copy: {dest: "{{ playbook_dir }}/e", content: "{{ {'k': 'v'} }}"}
    - copy: {dest: "{{ playbook_dir }}/f", content: "{{ 4 / 2 }} {{ 'x' * 3 }} {{ '%s-%d' % ('a', 1) }} {{ s[:3] }}"}
      vars: {s: Hello}
`,
  });
  const r = await cli(['p.yaml', '-i', 'inv.yaml'], d);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /could not locate file in lookup/);
  assert.match(r.stdout, /'loop_var' is undefined \(loop_var: recursive loop detected/);
  assert.ok(!existsSync(join(d, 'a')) && !existsSync(join(d, 'b')), 'nothing written where the template failed');
  assert.equal(readFileSync(join(d, 'c'), 'utf8'), '[0, 1, 2]');
  assert.equal(readFileSync(join(d, 'd'), 'utf8'), 'True');
  assert.equal(readFileSync(join(d, 'e'), 'utf8'), '{"k": "v"}');
  assert.equal(readFileSync(join(d, 'f'), 'utf8'), '2.0 xxx a-1 Hel');
});
