import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pyJsonLoads } from '../lib/source/pyjson-loads.js';
import { pyJson } from '../lib/source/pyjson.js';
import { root } from './helpers.js';

/**
 * json.loads as CPython reads text (test/pyjson/expected.json, recorded by test/pyjson/record.py):
 * each text gives the same value, as json.dumps writes it (a whole float `1.0`, NaN, -0.0), or the
 * same JSONDecodeError words and place.
 */
type Case = { text: string; value?: string; error?: string };
const expected = JSON.parse(readFileSync(join(root, 'test', 'pyjson', 'expected.json'), 'utf8')) as { python: string; cases: Case[] };

test(`json.loads: ${expected.cases.length} texts read as CPython ${expected.python} reads them`, () => {
  const differ: string[] = [];
  for (const c of expected.cases) {
    let got: string;
    try {
      const v = pyJsonLoads(c.text);
      got = typeof v === 'number' && Number.isNaN(v) ? 'value nan' : `value ${pyJson(v)}`;
    } catch (e) {
      got = `error ${(e as Error).message.replace(/^JSONDecodeError: /, '')}`;
    }
    const want = c.error !== undefined ? `error ${c.error}` : `value ${c.value}`;
    if (got !== want) differ.push(`${JSON.stringify(c.text)}: ${got} (CPython: ${want})`);
  }
  assert.deepEqual(differ, []);
});
