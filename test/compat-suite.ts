import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { cli, fixture, recapOf } from './helpers.js';
import { ansibleRecap, ansibleVersion, COMPAT_DIR, EXPECTED, KEYS, sensorServer, VAULT_ENV, COMPAT_ENV, NAMESPACED, canNamespace, namespaceFor, type Recorded } from './compat-ref.js';
import { SSHD, sshHost, type Sshd } from './sshd.js';
import { withAccountsLock } from './accounts-lock.js';

// Ansible-style module tests (register + assert, as Ansible's own integration tests are written),
// run by agri-play on a local host (and over a real sshd) and compared with ansible-core's recaps:
// recorded by `npm run record:compat` in test/compat/expected.json; rerun live only when the
// installed ansible-core is another version than the recorded one.
const all = readdirSync(COMPAT_DIR)
  .filter((f) => f.endsWith('.yaml'))
  .sort();
const recorded: Recorded | undefined = existsSync(EXPECTED) ? (JSON.parse(readFileSync(EXPECTED, 'utf8')) as Recorded) : undefined;

let sshd: Sshd | undefined;
let sshVars = '';
let http: Server;
let httpUrl = '';
let live = false;

/**
 * The playbooks' tests, in `parts` files (test/compat-N.test.ts): each part every `parts`-th playbook,
 * so no one file's run comes near the test runner's per-file timeout on a loaded machine (all 160
 * in one file took 550–900 s).
 */
export function compatTests(part: number, parts: number): void {
  const playbooks = all.filter((_, i) => i % parts === part);
  before(async () => {
    ({ server: http, url: httpUrl } = await sensorServer());
    const installed = await ansibleVersion();
    live = installed !== undefined && installed !== recorded?.ansible_core;
    if (!SSHD) return;
    ({ sshd, vars: sshVars } = await sshHost());
  });
  after(async () => {
    http.close();
    await sshd?.stop();
  });

  async function agri(playbook: string, hostVars: string): Promise<Record<string, number>> {
    // (the interpreter named, as the ansible-core reference's inventory names it: no discovery on either side)
    const d = fixture({ 'inv.yaml': `all:\n  hosts:\n    h: {${hostVars}, ansible_python_interpreter: /usr/bin/python3}\n` });
    const args = [join(COMPAT_DIR, playbook), '-i', 'inv.yaml', '-e', `root=${d}`, '-e', `http=${httpUrl}`, '--json'];
    // (async jobs' files in the test's folder, not the machine's ~/.ansible_async)
    const run = () => cli(args, d, { env: { ...VAULT_ENV, ANSIBLE_ASYNC_DIR: join(d, '.ansible_async'), ...COMPAT_ENV[playbook] }, wrap: namespaceFor(d, playbook) });
    const r = ACCOUNTS.has(playbook) ? await withAccountsLock(run) : await run();
    const recap = recapOf(r.events);
    // hosts a play added (add_host) pass too: their asserts are not in h's counts
    for (const [host, c] of Object.entries(recap)) if (host !== 'h' && !FAILING[playbook]?.includes(host)) assert.ok(c.failed === 0 && c.unreachable === 0, `${playbook}: host ${host} failed on agri-play`);
    const c = recap.h;
    return Object.fromEntries(KEYS.map((k) => [k, c[k]]));
  }

  /** The playbooks that add and remove users and groups: one at a time with the targets' runs (test/accounts-lock.ts). */
  const ACCOUNTS = new Set(['group.yaml', 'user.yaml', 'become_vars.yaml']);

  /** Added hosts a playbook fails on purpose (batch_failed.yaml: a play whose every host fails ends the playbook; fail_limits.yaml: run_once failures, max_fail_percentage). */
  const FAILING: Record<string, string[]> = { 'batch_failed.yaml': ['f1', 'f2'], 'fail_limits.yaml': ['f1', 'f2', 'g1', 'g2', 'u'] };

  // failures ansible-core 2.14 counts where its playbook still passes: an include whose file is not
  // there, which a rescue takes, stays counted `failed` (its _load_included_file); the failure an always section follows;
  // always_failed.yaml's last play, which fails its host on purpose (a block's failure, then its always section's)
  const COUNTED_FAILURES: Record<string, number> = { 'include_tasks.yaml': 1, 'include_in_always.yaml': 1, 'always_failed.yaml': 2 };

  for (const p of playbooks) {
    const skip = NAMESPACED.has(p) && !canNamespace() ? 'needs root and unshare (it runs in a namespace of its own)' : undefined;
    test(`compat ${p}: passes on agri-play, same recap as under ansible-core ${recorded?.ansible_core ?? ''}`, { skip }, async () => {
      const local = await agri(p, 'ansible_connection: local');
      assert.equal(local.failed, COUNTED_FAILURES[p] ?? 0, `${p} failed on agri-play`);
      if (sshd && !NAMESPACED.has(p)) assert.deepEqual(await agri(p, sshVars), local, 'agri-play over ssh and local differ');
      const reference = live ? await ansibleRecap(p, httpUrl) : recorded?.recaps[p];
      assert.ok(reference, `no ansible-core recap recorded for ${p}: run npm run record:compat`);
      assert.deepEqual(local, reference, 'agri-play and ansible-core recaps differ');
    });
  }
}
