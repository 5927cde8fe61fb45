import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cli, fixture, STACK } from './helpers.js';

/**
 * The console's words for results ansible-core's default callback words its own way: a Python
 * exception in a task's arguments (a result with `exception` and no `msg`), and debug's `var=` of
 * values JSON has no form for (a timedelta: its text) or a whole float (`1.0`).
 */
test('console: a Python exception in arguments, and debug var= of a timedelta and a float', async () => {
  const dir = fixture({
    'p.yaml': `- hosts: localhost
  gather_facts: false
  vars: {zero: 0, floats: [1.0, 0.5]}
  tasks:
    - debug: {msg: "{{ 1 / zero }}"}
      ignore_errors: true
    - debug: {var: "('2024-01-02' | to_datetime('%Y-%m-%d')) - ('2024-01-01' | to_datetime('%Y-%m-%d'))"}
    - debug: {var: floats}
`,
  });
  const r = await cli(['p.yaml'], dir);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.doesNotMatch(r.stdout + r.stderr, STACK);
  assert.match(r.stdout, /ignored: \[localhost\] debug: An exception occurred during task execution\. To see the full traceback, use -vvv\. The error was: ZeroDivisionError: division by zero/);
  assert.match(r.stdout, /debug => \{"\('2024-01-02'.*":"1 day, 0:00:00"\}/);
  assert.match(r.stdout, /debug => \{"floats":\[1\.0,0\.5\]\}/);
});
