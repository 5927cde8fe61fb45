import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cLog, cLog10, cPow } from '../lib/source/libm.js';
import { root } from './helpers.js';

/**
 * lib/source/libm.ts against Python's math.log, log10 and pow as this machine's glibc computes them
 * (test/libm/expected.json, recorded by test/libm/record.py): log and log10 give glibc's double
 * every time; pow the correctly rounded one, which glibc's is but in rare near-ties (≤ 0.52 ulp).
 */
type Case = { x: number; y: number; log: number; log10: number; pow: number | null };
const recorded = JSON.parse(readFileSync(join(root, 'test', 'libm', 'expected.json'), 'utf8')) as { libc: string; cases: Case[] };

/** How many doubles apart a and b are. */
function ulps(a: number, b: number): number {
  const view = new DataView(new ArrayBuffer(16));
  view.setFloat64(0, a);
  view.setFloat64(8, b);
  return Number(view.getBigInt64(0) - view.getBigInt64(8));
}

test(`log and log10 give Python's values (${recorded.libc}) for all ${recorded.cases.length} recorded arguments, where V8's Math.log and Math.log10 do not`, (t) => {
  const wrong = recorded.cases.filter((c) => cLog(c.x) !== c.log || cLog10(c.x) !== c.log10).map((c) => `${c.x}: log ${cLog(c.x)} (${c.log}), log10 ${cLog10(c.x)} (${c.log10})`);
  assert.deepEqual(wrong, []);
  // (the reason this module exists: V8's own differ for some of these)
  const v8 = { log: recorded.cases.filter((c) => Math.log(c.x) !== c.log).length, log10: recorded.cases.filter((c) => Math.log10(c.x) !== c.log10).length };
  t.diagnostic(`V8's Math.log differs in ${v8.log}, Math.log10 in ${v8.log10} of ${recorded.cases.length}`);
  assert.ok(v8.log > 0);
});

test("pow gives Python's value for all but near-ties, and those within one ulp", (t) => {
  const cases = recorded.cases.filter((c) => c.pow !== null);
  const off = cases.filter((c) => cPow(c.x, c.y) !== c.pow);
  assert.ok(off.every((c) => Math.abs(ulps(cPow(c.x, c.y), c.pow!)) === 1), off.map((c) => `${c.x} ** ${c.y}: ${cPow(c.x, c.y)} (${c.pow})`).join('\n'));
  assert.ok(off.length <= cases.length / 200, `${off.length} of ${cases.length} differ`);
  const v8 = cases.filter((c) => Math.pow(c.x, c.y) !== c.pow).length;
  t.diagnostic(`V8's Math.pow differs in ${v8} of ${cases.length}, libm.ts's in ${off.length}`);
  assert.ok(v8 > off.length, `V8's Math.pow differs in ${v8}, libm's in ${off.length}`);
});
