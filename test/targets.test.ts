import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { bin } from './helpers.js';
import { targetRecap, TARGETS, TARGETS_EXPECTED } from './targets-ref.js';

const recorded = JSON.parse(readFileSync(TARGETS_EXPECTED, 'utf8')) as { ansible_core: string; recaps: Record<string, Record<string, number>> };

for (const t of TARGETS) {
  test(`Ansible's own integration target '${t}' (stable-2.14, unchanged, as a role on localhost) passes with ansible-core's recap`, async () => {
    const got = await targetRecap([process.execPath, bin], t);
    assert.equal(got.failed, 0, `target ${t} failed`);
    assert.deepEqual(got, recorded.recaps[t]);
  });
}
