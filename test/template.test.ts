import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluate, renderText, renderValue, UndefinedVariable, TemplateSyntax } from '../lib/vars/index.js';
import { Redactor } from '../lib/vars/index.js';

const vars = { n: 3, crops: ['wheat', 'oats'], site: { name: 'east', id: 1 }, r: { changed: true, results: [] }, s: 'Talos' };

test('a value that is one whole expression keeps its native type', () => {
  assert.equal(renderValue('{{ n }}', vars), 3);
  assert.deepEqual(renderValue('{{ crops }}', vars), ['wheat', 'oats']);
  assert.deepEqual(renderValue('{{ site }}', vars), { name: 'east', id: 1 });
  assert.equal(renderValue('n={{ n }}', vars), 'n=3');
  // as ansible-core: a computed number is text (the module's argument spec converts it), lists stay lists
  assert.deepEqual(renderValue({ a: ['{{ n + 1 }}', '{{ n }}', '{{ [n] }}'] }, vars), { a: ['4', 3, [3]] });
});

test('undefined variables are errors that name the variable', () => {
  assert.throws(() => renderText('x {{ missing }}', vars), (e: Error) => e instanceof UndefinedVariable && /'missing' is undefined/.test(e.message));
  assert.throws(() => renderValue('{{ site.zone }}', vars), UndefinedVariable);
  assert.equal(renderText("{{ missing | default('d') }}", vars), 'd');
  assert.equal(evaluate('missing is defined', vars), false);
  assert.throws(() => renderText('{{ n + }}', vars), TemplateSyntax);
});

test('Ansible filters and tests', () => {
  assert.equal(renderText('{{ site | to_json }}', vars), '{"name": "east", "id": 1}');
  assert.equal(renderText('{{ s | b64encode }}|{{ "VGFsb3M=" | b64decode }}', vars), 'VGFsb3M=|Talos');
  assert.equal(renderText("{{ 'talos-east' | regex_replace('^talos-(\\\\w+)$', '\\\\1') }}", vars), 'east');
  assert.equal(renderText("{{ crops | join(',') }}", vars), 'wheat,oats');
  assert.deepEqual(renderValue("{{ site | combine({'id': 2}) }}", vars), { name: 'east', id: 2 });
  assert.equal(renderText('{{ site | to_yaml }}', vars), '{id: 1, name: east}\n', 'as Python yaml.dump: keys sorted, a flat dict inline');
  assert.deepEqual(renderValue("{{ site | dict2items | map(attribute='key') | list }}", vars), ['name', 'id']);
  assert.equal(evaluate('r is changed and r is not failed and r is succeeded', vars), true);
  assert.equal(evaluate("s is match('Tal') and s is search('los') and 'oats' in crops", vars), true);
  assert.equal(evaluate('True and not False and None is none', vars), true);
  assert.equal(renderText('{{ s ~ n }}', vars), 'Talos3');
  assert.equal(evaluate("'yes' | bool", vars), true);
  assert.equal(evaluate("crops == ['wheat', 'oats'] and site != {'name': 'west'} and {'name': 'east', 'id': 1} == site", vars), true);
  assert.equal(evaluate("1 == '1'", vars), false, 'no JavaScript coercion');
});

test('the redactor hides a secret, its base64 and its JSON-escaped form', () => {
  const r = new Redactor();
  const secret = 'canary-"s3cr3t"\nline-two-of-it';
  r.register(secret);
  const text = JSON.stringify({ a: secret, b: Buffer.from(secret).toString('base64'), c: `pre ${secret} post` });
  const out = r.redact(text);
  assert.ok(!out.includes('s3cr3t'), out);
  assert.ok(!out.includes(Buffer.from(secret).toString('base64')));
  assert.deepEqual(r.redactValue({ x: secret }), { x: Redactor.MASK });
});

test("Python's str, dict and list methods, as Ansible expressions call them", () => {
  assert.equal(evaluate("s.endswith('os') and s.startswith(('X', 'Ta'))", vars), true);
  assert.equal(renderText("{{ s.upper() }} {{ s.lower() }} {{ ' a b '.strip() }}|{{ 'xxhixx'.strip('x') }}", vars), 'TALOS talos a b|hi');
  assert.deepEqual(renderValue("{{ ' wheat  oats '.split() }}", vars), ['wheat', 'oats']);
  assert.deepEqual(renderValue("{{ 'a=b=c'.split('=', 1) }}", vars), ['a', 'b=c']);
  assert.equal(renderText("{{ 'a-b-c'.replace('-', '.') }} {{ ','.join(crops) }}", vars), 'a.b.c wheat,oats');
  assert.deepEqual(renderValue('{{ site.items() | list }}', vars), [['name', 'east'], ['id', 1]]);
  assert.deepEqual(renderValue("{{ [site.get('name'), site.get('zone', 'none'), site.keys() | list] }}", vars), ['east', 'none', ['name', 'id']]);
  assert.equal(renderValue("{{ crops.index('oats') }}", vars), '1');
  // a key named like a method is the data
  assert.equal(renderValue('{{ d.items }}', { d: { items: 3 } }), '3');
});

test('lists, dicts and booleans written into text look as Python writes them (as under Ansible)', () => {
  assert.equal(renderText('crops={{ crops }}; {{ r.changed }}/{{ not r.changed }}', vars), "crops=['wheat', 'oats']; True/False");
  assert.equal(renderText('{{ site }}!', vars), "{'name': 'east', 'id': 1}!");
  assert.equal(renderText("{{ [\"it's\", 'a\\\\b'] }}", vars), `["it's", 'a\\\\b']`);
  assert.deepEqual(renderValue('{{ crops }}', vars), ['wheat', 'oats'], 'a whole expression keeps its type');
});

test("a template's {% set %} and an expression's capture stay in that render: the caller's variables are read in place, never written", () => {
  const mine: Record<string, unknown> = { zone: 'east', n: 1 };
  const keys = Object.keys(mine);
  assert.equal(renderText("{% set zone = 'west' %}{{ zone }}-{{ n }}", mine), 'west-1');
  assert.equal(renderText('{{ zone }}', mine), 'east');
  assert.equal(evaluate('n + 1', mine), 2);
  assert.equal(renderText("{% macro m() %}in{% endmacro %}{% set n = n + 5 %}{{ m() }}{{ n }}", mine), 'in6');
  assert.deepEqual(Object.keys(mine), keys);
  assert.deepEqual(mine, { zone: 'east', n: 1 });
});

test('text with {{ name }}s of text variables (rendered without nunjucks) is what nunjucks renders; other values still render as Python writes them', () => {
  const v = { host: 'h1.farm', zone: 'z"1\\', empty: '', uni: 'Ærø 🌾', nl: 'a\n', n: 3, yes: true, none: null, list: ['a'] };
  const sources = ['/srv/{{ host }}/d0', '{{host}}-{{ zone }}\n', '{{ empty }}x{{ uni }}\n\n', 'line {{ nl }}', '{{ host }}{{ host }}', 'a }} {{ host }}', '{{ host }} {# c #}'];
  // (a JinjaOptions argument makes renderText render with nunjucks always: the reference)
  for (const s of sources) assert.equal(renderText(s, v), renderText(s, v, {}), s);
  assert.equal(renderText('/srv/{{ host }}/d0', v), '/srv/h1.farm/d0');
  // a number, a boolean, None, a list: nunjucks with Python's str (the plan is not used for them)
  assert.equal(renderText('n={{ n }} {{ yes }} [{{ none }}] {{ list }}', v), "n=3 True [] ['a']");
  assert.throws(() => renderText('x {{ missing }} {{ host }}', v), UndefinedVariable);
});

// itertools are lazy in Python, but the filters make lists: 14 letters have 87 billion orderings
// (ansible-core's worker dies of it). Refused before any is made, as range() past 1,000,000 items.
test('permutations, combinations and product past 1,000,000 items are an OverflowError, refused before any is made', () => {
  for (const t of ["{{ 'abcdefghijklmn' | permutations | list | length }}", '{{ range(40) | combinations(20) | list | length }}', '{{ range(10) | product(repeat=7) | list | length }}', '{{ [1] | product(repeat=2000000) | list | length }}']) {
    assert.throws(() => renderText(t, {}), /OverflowError: .* is more than 1000000 items/, t);
  }
  // (combinations of 30 taken 28 at a time are 435: the bound counts the smaller side)
  assert.equal(renderText('{{ range(30) | combinations(28) | list | length }}', {}), '435');
  assert.equal(renderText("{{ 'abcdefg' | permutations | list | length }}", {}), '5040');
});
