import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cli, fixture, STACK, stepEnds } from './helpers.js';

// A vars_files entry named by a host's variables is read when the host's tasks run, so its errors
// come then, as ansible-core's (checked by hand against 2.14.18, which prints them as ERROR! and
// ends the run): a list none of whose files is there, and a variable still undefined once the
// host's facts are gathered. Either fails the task that met it and ends the run, exit 4.
const inv = 'all:\n  hosts:\n    h: {ansible_connection: local}\n';
const cases = [
  {
    name: 'a list of files none of which is there',
    play: `- hosts: all\n  gather_facts: false\n  vars_files:\n    - ["vars/{{ inventory_hostname }}.yml", vars/nothere.yml]\n  tasks:\n    - debug: {msg: one}\n`,
    says: "vars file ['vars/{{ inventory_hostname }}.yml', 'vars/nothere.yml'] was not found",
  },
  {
    name: 'a variable undefined after gathering',
    play: `- hosts: all\n  gather_facts: true\n  gather_subset: ['!all']\n  vars_files:\n    - "vars/{{ nope }}.yml"\n  tasks:\n    - debug: {msg: one}\n`,
    says: "an undefined variable was found when attempting to template the vars_files item 'vars/{{ nope }}.yml'",
  },
];

for (const c of cases) {
  test(`vars_files: ${c.name} fails the task that meets it and ends the run (exit 4)`, async () => {
    const d = fixture({ 'inv.yaml': inv, 'p.yaml': `${c.play}- hosts: all\n  gather_facts: false\n  tasks:\n    - debug: {msg: two}\n` });
    const r = await cli(['p.yaml', '-i', 'inv.yaml', '--json'], d);
    assert.equal(r.code, 4, r.stderr);
    const ends = stepEnds(r.events);
    const failed = ends.filter((e) => e.status === 'failed');
    assert.equal(failed.length, 1, JSON.stringify(ends));
    assert.equal(failed[0].module, 'debug');
    assert.equal(failed[0].msg, c.says);
    assert.ok(!ends.some((e) => e.event === 'step_end' && e.task === 'debug' && e.status === 'ok'), 'nothing runs after it');
    assert.doesNotMatch(r.stderr, STACK);
  });
}
