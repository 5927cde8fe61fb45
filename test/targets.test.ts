import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { bin } from './helpers.js';
import { recapLine } from './compat-ref.js';
import { ACCOUNTS, failedTasks, FAILS_UNDER_ANSIBLE, KNOWN, NEEDS_MODULE_UTILS, NETNS, ORIGIN, SANDBOXED, targetOf, targetRun, TARGETS, TARGETS_EXPECTED } from './targets-ref.js';
import { sandboxUnavailable } from './sandbox.js';
import { canNamespace } from './compat-ref.js';
import { ansibleRoot } from '../lib/modules/util/ansiballz.js';
import { withAccountsLock } from './accounts-lock.js';

const recorded = JSON.parse(readFileSync(TARGETS_EXPECTED, 'utf8')) as { ansible_core: string; recaps: Record<string, Record<string, number>> };

for (const t of TARGETS) {
  const known = KNOWN[t] ?? [];
  const sandboxed = SANDBOXED.has(targetOf(t));
  const skip = NEEDS_MODULE_UTILS.has(t) && !ansibleRoot() ? "it needs the controller's ansible-core: its library modules' ansible.module_utils, or the config lookup's setting definitions (apt-get install ansible-core)" : NETNS[t] && !canNamespace() ? 'needs root and unshare (it runs in a network namespace of its own)' : sandboxed ? (sandboxUnavailable() ?? false) : false;
  test(`${ORIGIN[t] ?? "Ansible's own (stable-2.14)"} integration target '${t}' (unchanged, as a role on ${sandboxed ? 'a sandboxed host over ssh' : 'localhost'}) passes with ansible-core's recap${known.length ? ` but for ${known.length} listed case(s)` : ''}`, { skip }, async () => {
    // (a run that adds or removes users and groups holds the accounts lock, as the compat tests' that do)
    const run = () => targetRun([process.execPath, bin], t);
    const { stdout, host } = ACCOUNTS.has(targetOf(t)) ? await withAccountsLock(run) : await run();
    const want = recorded.recaps[t];
    const theirs = FAILS_UNDER_ANSIBLE[t] ?? [];
    assert.equal(want.failed, theirs.length, `ansible-core's recap of ${t} has failures: record it again`);
    assert.deepEqual(failedTasks(stdout), [...theirs, ...known].map((k) => k.at), `target ${t}: the failed tasks are not the known ones`);
    assert.deepEqual(recapLine(stdout, host), { ...want, ok: want.ok - known.length, failed: want.failed + known.length });
  });
}
