// set_stats' statistics after the recap (show_custom_stats), as ansible-core's default callback
// prints them, and in the --json recap event.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli, fixture, root } from './helpers.js';
import { COMPAT_DIR, COMPAT_ENV, customStatsBlock, EXPECTED, type Recorded } from './compat-ref.js';

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

test("set_stats: per host and for the run, aggregated or set: the CUSTOM STATS block ansible-core printed for test/compat/custom_stats.yaml (recorded by record:compat); the --json recap carries them", async () => {
  const recorded = JSON.parse(readFileSync(EXPECTED, 'utf8')) as Recorded;
  const want = recorded.outputs?.['custom_stats.yaml'];
  assert.ok(want, 'no CUSTOM STATS block recorded for custom_stats.yaml: npm run record:compat');
  const d = fixture({ 'inv.yaml': 'all:\n  hosts:\n    h: {ansible_connection: local}\n' });
  const playbook = join(COMPAT_DIR, 'custom_stats.yaml');
  const r = await cli([playbook, '-i', 'inv.yaml'], d, { env: COMPAT_ENV['custom_stats.yaml'] });
  assert.equal(r.code, 0, r.stdout);
  assert.equal(customStatsBlock(r.stdout), want, r.stdout);
  const j = await cli([playbook, '-i', 'inv.yaml', '--json'], d);
  const recap = j.events.find((e) => e.event === 'recap');
  assert.ok(recap?.event === 'recap');
  assert.deepEqual(recap.custom_stats, { h: { a: [1, 2], b: { x: 1, y: 2 }, n: 1.5, s: 'xy', t: true }, _run: { nested: { k: [1, { q: 2 }] }, t: 2, z: '2' } });
});
