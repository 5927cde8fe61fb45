// to_yaml and to_nice_yaml write the text ansible-core writes (Python's yaml.dump with AnsibleDumper,
// libyaml's emitter): a seeded corpus of values — every kind of text PyYAML must quote, fold or
// escape, long lines, nested lists and dicts, long and multi-line keys — recorded against ansible-core
// by test/jinja/record-yaml.py (npm run record:yaml), rendered here through the template engine.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderText } from '../lib/vars/index.js';
import { PyFloat } from '../lib/source/python.js';
import { root } from './helpers.js';

interface Case {
  value: unknown;
  filter: string;
  kw: Record<string, unknown>;
  text: string;
}
const file = join(root, 'test/jinja/yaml-dump.json');
const recorded = JSON.parse(readFileSync(file, 'utf8'), (_k, v: unknown) => (v !== null && typeof v === 'object' && '__float__' in v ? new PyFloat((v as { __float__: number }).__float__) : v)) as { ansible_core: string; cases: Case[] };

test(`to_yaml and to_nice_yaml: ${recorded.cases.length} values written as ansible-core ${recorded.ansible_core} writes them`, () => {
  const wrong: string[] = [];
  for (const [i, c] of recorded.cases.entries()) {
    const args = Object.keys(c.kw).map((k) => `${k}=kw.${k}`);
    const src = `{{ v | ${c.filter}${args.length ? `(${args.join(', ')})` : ''} }}`;
    const got = renderText(src, { v: c.value, kw: c.kw });
    if (got !== c.text) wrong.push(`case ${i} ${src}: ${JSON.stringify(c.text)} wanted, got ${JSON.stringify(got)}`);
  }
  assert.deepEqual(wrong, []);
});

test('the same list or dict met twice is an anchor and an alias, as PyYAML writes a Python object met twice', () => {
  const shared = ['wheat', 'oats'];
  assert.equal(renderText('{{ v | to_yaml }}', { v: { east: shared, west: shared } }), 'east: &id001 [wheat, oats]\nwest: *id001\n');
});

test("yaml.dump's keyword arguments: an unknown one fails in Python's words", () => {
  assert.throws(() => renderText('{{ v | to_yaml(colour=1) }}', { v: 1 }), /to_yaml - dump_all\(\) got an unexpected keyword argument 'colour'/);
  // (libyaml tags a quoted int with the non-specific `!`, where PyYAML's own emitter writes `!!int`)
  assert.equal(renderText('{{ v | to_nice_yaml(explicit_start=true, default_style="\'") }}', { v: { a: 1 } }), "---\n'a': ! '1'\n");
});
