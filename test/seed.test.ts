import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { bin } from './helpers.js';
import { SEED_EXPECTED, seedRecaps, type SeedRecaps } from './seed-ref.js';

const recorded = JSON.parse(readFileSync(SEED_EXPECTED, 'utf8')) as { ansible_core: string; recaps: SeedRecaps };

test('the platform\'s own playbooks, unchanged, give ansible-core\'s recaps against the lab API (recorded by npm run record:seed)', async () => {
  const got = await seedRecaps([process.execPath, bin]);
  const want = recorded.recaps;
  assert.deepEqual(got['example.yaml'], want['example.yaml']);
  const [first, again] = got['robusta/robusta_helm_install.yml'];
  const [aFirst, aAgain] = want['robusta/robusta_helm_install.yml'];
  assert.deepEqual(first, aFirst, 'the first run: repo added, namespace created, labelled, chart installed');
  // the one difference: ansible-core's helm module, without the helm-diff plugin, upgrades the
  // release on every run (its own warning says so: a new revision each time); agri-play compares
  // the chart, version and values and changes nothing
  assert.deepEqual({ ...again, changed: again.changed + 1 }, aAgain, 'the re-run differs from ansible-core only by its needless helm upgrade');
  assert.equal(again.changed, 0);
});
