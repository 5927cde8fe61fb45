import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fuzz } from '../scripts/fuzz.js';

// a slice of `npm run fuzz` (FUZZ_SECONDS, CI: 120): mutated playbooks, inventories and roles and
// hostile inputs never give exit 1, a stack trace, a hang, or exit 4 without file:line:col
test('fuzz slice: no exit 1, no stack trace, no hang, every rejection with file:line:col', async () => {
  const seconds = Number(process.env.FUZZ_SECONDS ?? 20);
  const r = await fuzz(seconds, 1);
  console.log(`# fuzz: ${r.cases} cases in ${seconds} s: ${Object.entries(r.tally).map(([k, v]) => `${k}: ${v}`).join(', ')}`);
  assert.ok(r.cases > 0);
  assert.deepEqual(r.bad, [], r.bad.map((b) => `seed ${b.seed} (${b.what}): ${b.bad}`).join('\n'));
});
