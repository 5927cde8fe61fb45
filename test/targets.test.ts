import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { bin } from './helpers.js';
import { recapLine } from './compat-ref.js';
import { failedTasks, KNOWN, NEEDS_MODULE_UTILS, NETNS, ORIGIN, SANDBOXED, targetOf, targetRun, TARGETS, TARGETS_EXPECTED } from './targets-ref.js';
import { sandboxUnavailable } from './sandbox.js';
import { canNamespace } from './compat-ref.js';
import { ansibleRoot } from '../lib/modules/util/ansiballz.js';
import { withAccountsLock } from './accounts-lock.js';
import { bothRefuse, inAgriTerms, runKey, scriptRun, SCRIPT_RUNS, type ScriptResult } from './scripts-ref.js';

const recorded = JSON.parse(readFileSync(TARGETS_EXPECTED, 'utf8')) as { ansible_core: string; recaps: Record<string, Record<string, number>>; scripts: Record<string, ScriptResult> };

for (const t of TARGETS) {
  const known = KNOWN[t] ?? [];
  const sandboxed = SANDBOXED.has(targetOf(t));
  const skip = NEEDS_MODULE_UTILS.has(t) && !ansibleRoot() ? "its library modules need ansible.module_utils, from the controller's ansible-core (apt-get install ansible-core)" : NETNS[t] && !canNamespace() ? 'needs root and unshare (it runs in a network namespace of its own)' : sandboxed ? (sandboxUnavailable() ?? false) : false;
  test(`${ORIGIN[t] ?? "Ansible's own (stable-2.14)"} integration target '${t}' (unchanged, as a role on ${sandboxed ? 'a sandboxed host over ssh' : 'localhost'}) passes with ansible-core's recap${known.length ? ` but for ${known.length} listed case(s)` : ''}`, { skip }, async () => {
    // (every run holds the accounts lock: some add users and groups, and the compat tests do too)
    const { stdout, host } = await withAccountsLock(() => targetRun([process.execPath, bin], t));
    const want = recorded.recaps[t];
    assert.equal(want.failed, 0, `ansible-core's recap of ${t} has failures: record it again`);
    assert.deepEqual(failedTasks(stdout), known.map((k) => k.at), `target ${t}: the failed tasks are not the known ones`);
    assert.deepEqual(recapLine(stdout, host), { ...want, ok: want.ok - known.length, failed: known.length });
  });
}

const runs = SCRIPT_RUNS.filter((r) => !r.known);
for (const target of [...new Set(runs.map((r) => r.target))]) {
  const mine = runs.filter((r) => r.target === target);
  test(`Ansible's own integration target '${target}' (a runme.sh): its ${mine.length} playbook runs give ansible-core's exit codes and recaps`, async () => {
    for (const r of mine) {
      const want = recorded.scripts[runKey(r)];
      assert.ok(want, `no ansible-core result recorded for ${runKey(r)}: npm run record:targets`);
      const got = await withAccountsLock(() => scriptRun([process.execPath, bin], r));
      if (!bothRefuse(want, got)) assert.deepEqual(got, inAgriTerms(want), runKey(r));
    }
  });
}
