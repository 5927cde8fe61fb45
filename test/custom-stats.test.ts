// set_stats' statistics after the recap (show_custom_stats), as ansible-core's default callback
// prints them, and in the --json recap event.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { cli, fixture, root } from './helpers.js';

const TARGET = join(root, 'test/third_party/ansible/targets/set_stats');
const INVENTORY = join(root, 'test/third_party/ansible/inventory');

test("set_stats target's runme.sh check: test_aggregate.yml's two set_stats add up, one '\"my_int\": 25' line in the output", async () => {
  const r = await cli([join(TARGET, 'test_aggregate.yml'), '-i', INVENTORY], fixture({}), { env: { ANSIBLE_SHOW_CUSTOM_STATS: 'yes' } });
  assert.equal(r.code, 0, r.stdout);
  assert.equal(r.stdout.split('\n').filter((l) => l.includes('"my_int": 25')).length, 1, r.stdout);
  // (not shown unless asked, as ansible-core's)
  const quiet = await cli([join(TARGET, 'test_aggregate.yml'), '-i', INVENTORY], fixture({}));
  assert.doesNotMatch(quiet.stdout, /CUSTOM STATS|my_int/);
});

test('set_stats: per host and for the run, aggregated (numbers added, text and lists joined, dicts merged, another type passed over) or set; the lines ansible-core 2.14 prints; the --json recap carries them', async () => {
  const play = [
    '- hosts: h',
    '  gather_facts: false',
    '  tasks:',
    '    - set_stats: {data: {a: [1], b: {x: 1}, s: "x", n: 1.5}, per_host: yes}',
    '    - set_stats: {data: {a: [2], b: {y: 2}, s: "y", n: 1, t: true}, per_host: yes}',
    '    - set_stats: {data: {z: "ü", t: true, nested: {"k": [1, {"q": 2}]}}}',
    '    - set_stats: {data: {t: true}}',
    '    - set_stats: {data: {z: "2"}, aggregate: no}',
  ].join('\n');
  const d = fixture({ 'p.yaml': play + '\n', 'inv.yaml': 'all:\n  hosts:\n    h: {ansible_connection: local}\n' });
  const r = await cli(['p.yaml', '-i', 'inv.yaml'], d, { env: { ANSIBLE_SHOW_CUSTOM_STATS: '1' } });
  assert.equal(r.code, 0, r.stdout);
  // ansible-playbook's lines for this playbook (ANSIBLE_SHOW_CUSTOM_STATS=yes, ansible-core 2.14.18, 4 Dec)
  const want = [
    `CUSTOM STATS: ${'*'.repeat(67)}`,
    '\th: { "a": [  1,  2 ], "b": {  "x": 1,  "y": 2 }, "n": 1.5, "s": "xy", "t": true}',
    '',
    '\tRUN: { "nested": {  "k": [   1,   {    "q": 2   }  ] }, "t": 2, "z": "2"}',
  ].join('\n');
  assert.ok(r.stdout.includes(want), r.stdout);
  const j = await cli(['p.yaml', '-i', 'inv.yaml', '--json'], d);
  const recap = j.events.find((e) => e.event === 'recap');
  assert.ok(recap?.event === 'recap');
  assert.deepEqual(recap.custom_stats, { h: { a: [1, 2], b: { x: 1, y: 2 }, n: 1.5, s: 'xy', t: true }, _run: { nested: { k: [1, { q: 2 }] }, t: 2, z: '2' } });
});
