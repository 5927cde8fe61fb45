import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cli, failures, fixture, recapOf } from './helpers.js';

// The connection keyword as ansible-core's: on a task, block or play it is how hosts without
// ansible_connection are reached; the variable wins over it. The recaps asserted are the ones
// ansible-core 2.14.18 gave for these playbooks, checked by hand on 3 Dec (not recorded by a script:
// the compat harness's inventory names ansible_connection, which would hide the keyword).
// The host's sshd port is 1 on loopback: nothing listens, so ssh is refused at once.
test('connection: local on a task, a block, templated, or a play runs there; the host stays unreachable over ssh; ansible_connection wins over the keyword', async () => {
  const d = fixture({
    'far.ini': 'far ansible_host=127.0.0.1 ansible_port=1\n',
    'pinned.ini': 'far ansible_host=127.0.0.1 ansible_port=1 ansible_connection=ssh\n',
    'p.yaml': [
      '- hosts: far',
      '  gather_facts: false',
      '  tasks:',
      '    - command: echo local',
      '      connection: local',
      '      register: r',
      '    - block:',
      '        - stat: {path: /etc/hostname}',
      '          register: st',
      '      connection: local',
      '    - assert: {that: [r.stdout == "local", st.stat.exists]}',
      '      connection: "{{ \'lo\' ~ \'cal\' }}"',
      '    - ping:',
      '      ignore_unreachable: true',
      // ansible_connection is the play context's: the task's keyword where no variable names one (a loop item's too)
      '    - debug: {msg: "{{ ansible_connection }} {{ item }}"}',
      '      connection: local',
      '      loop: [1]',
      '      register: kw',
      '    - assert:',
      "        that: [\"kw.results[0].msg == 'local 1'\", \"ansible_connection == 'ssh'\"]",
      '- hosts: far',
      '  gather_facts: false',
      '  connection: local',
      '  tasks:',
      '    - ping:',
      '',
    ].join('\n'),
    'q.yaml': '- hosts: far\n  gather_facts: false\n  tasks:\n    - command: echo local\n      connection: local\n',
  });
  const r = await cli(['p.yaml', '-i', 'far.ini', '--json'], d);
  assert.equal(r.code, 0, failures(r));
  const { ok, changed, unreachable, failed, skipped, rescued, ignored } = recapOf(r.events).far;
  assert.deepEqual({ ok, changed, unreachable, failed, skipped, rescued, ignored }, { ok: 7, changed: 1, unreachable: 0, failed: 0, skipped: 0, rescued: 0, ignored: 1 });
  const q = await cli(['q.yaml', '-i', 'pinned.ini', '--json'], d);
  assert.equal(recapOf(q.events).far.unreachable, 1, 'ansible_connection=ssh wins over connection: local');
});
