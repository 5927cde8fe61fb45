// ansible.builtin.reboot against ansible-core's recaps (recorded by npm run record:reboot): on a
// sandboxed host that reboots as seen from outside (test/reboot/play.yaml), and refused over a
// local connection.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { bin } from './helpers.js';
import { REBOOT_EXPECTED, rebootLocal, rebootRun, type RebootRecaps } from './reboot-ref.js';
import { sandboxUnavailable } from './sandbox.js';

const want = existsSync(REBOOT_EXPECTED) ? (JSON.parse(readFileSync(REBOOT_EXPECTED, 'utf8')) as { recaps: RebootRecaps; local: RebootRecaps }) : undefined;

test('reboot: the host goes down under the command, comes back with a new boot id, and the run goes on, as under ansible-core', { skip: sandboxUnavailable() }, async () => {
  assert.ok(want, 'no recorded ansible-core result: npm run record:reboot');
  const got = await rebootRun(['node', bin]);
  assert.deepEqual(got.recaps.run, want.recaps.run, got.outputs[1].slice(-4000));
  assert.deepEqual(got.recaps.check, want.recaps.check, got.outputs[0].slice(-4000));
  // the connection the reboot ended was opened again (the tasks after it ran on the host)
  assert.match(got.outputs[1], /changed: \[sandbox\] reboot/);
  assert.match(got.outputs[1], /ok: \[sandbox\] assert/);
});

test('reboot over a local connection is refused, in check mode too, as under ansible-core', async () => {
  assert.ok(want, 'no recorded ansible-core result: npm run record:reboot');
  assert.deepEqual(await rebootLocal(['node', bin], false), want.local.run);
  assert.deepEqual(await rebootLocal(['node', bin], true), want.local.check);
});
