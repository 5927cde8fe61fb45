// Ansible's own script-style integration targets (test/scripts-ref.ts): each runme.sh's playbook
// runs, compared with ansible-core's recorded exit codes and recaps. (Apart from the role targets of
// test/targets.test.ts, so the two run side by side.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { bin } from './helpers.js';
import { ACCOUNTS, TARGETS_EXPECTED } from './targets-ref.js';
import { withAccountsLock } from './accounts-lock.js';
import { bothRefuse, inAgriTerms, runKey, scriptRunOutput, SCRIPT_RUNS, type ScriptResult } from './scripts-ref.js';

const recorded = JSON.parse(readFileSync(TARGETS_EXPECTED, 'utf8')) as { scripts: Record<string, ScriptResult> };

const runs = SCRIPT_RUNS.filter((r) => !r.known);
for (const target of [...new Set(runs.map((r) => r.target))]) {
  const mine = runs.filter((r) => r.target === target);
  const adhoc = mine.filter((r) => r.adhoc).length;
  const count = (n: number, what: string) => (n ? `${n} ${what}${n === 1 ? '' : 's'}` : '');
  const what = [count(mine.length - adhoc, 'playbook run'), count(adhoc, 'ad hoc command')].filter(Boolean).join(' and ');
  test(`Ansible's own integration target '${target}' (a runme.sh): its ${what} give ansible-core's exit codes and ${adhoc === mine.length ? "each host's state" : 'recaps'}`, async () => {
    for (const r of mine) {
      const want = recorded.scripts[runKey(r)];
      assert.ok(want, `no ansible-core result recorded for ${runKey(r)}: npm run record:targets`);
      const run = () => scriptRunOutput([process.execPath, bin], r);
      const { result: got, output } = ACCOUNTS.has(target) ? await withAccountsLock(run) : await run();
      if (!bothRefuse(want, got)) assert.deepEqual(got, inAgriTerms(want), runKey(r));
      // (runme.sh's grep of the output)
      if (r.notGrep !== undefined) assert.ok(!output.includes(r.notGrep), `${runKey(r)}: '${r.notGrep}' in the output:\n${output.slice(-2000)}`);
      for (const g of r.grep === undefined ? [] : [r.grep].flat()) assert.ok(typeof g === 'string' ? output.includes(g) : g.test(output), `${runKey(r)}: no '${g}' in the output:\n${output.slice(-2000)}`);
    }
  });
}
