import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cli, fixture, stepEnds } from './helpers.js';

// Ansible's linear strategy (the default) against `strategy: free`, with fewer forks than hosts:
// in lockstep a host starts a task only when every host of its batch has done the one before, and
// a path waiting for its batch gives its fork slot away (else forks 1 would never finish).
const inv = 'all:\n  children:\n    farm:\n      hosts:\n        a: {ansible_connection: local}\n        b: {ansible_connection: local}\n        c: {ansible_connection: local}\n';
const play = (strategy: string) => `- hosts: farm\n  gather_facts: false\n${strategy}  tasks:\n    - {name: one, command: "true"}\n    - {name: two, command: "true"}\n    - {name: three, command: "true"}\n`;

async function order(strategy: string): Promise<string[]> {
  const d = fixture({ 'inv.yaml': inv, 'p.yaml': play(strategy) });
  const r = await cli(['p.yaml', '-i', 'inv.yaml', '--forks', '1', '--json'], d);
  assert.equal(r.code, 0, r.stderr);
  return stepEnds(r.events).map((e) => `${e.task}@${e.host}`);
}

test('linear (the default): every host does a task before any starts the next, even with --forks 1', async () => {
  const seen = await order('');
  assert.equal(seen.length, 9);
  const tasks = seen.map((s) => s.split('@')[0]);
  assert.deepEqual(tasks, ['one', 'one', 'one', 'two', 'two', 'two', 'three', 'three', 'three']);
  assert.deepEqual(new Set(seen.slice(0, 3).map((s) => s.split('@')[1])), new Set(['a', 'b', 'c']));
});

test('strategy: free: each host at its own pace; with --forks 1 one host does all its tasks before the next starts', async () => {
  const seen = await order('  strategy: free\n');
  assert.equal(seen.length, 9);
  const hosts = seen.map((s) => s.split('@')[1]);
  for (let i = 0; i < 9; i += 3) assert.equal(new Set(hosts.slice(i, i + 3)).size, 1, seen.join(' '));
});

test('two lockstep plays at once share --forks 1 host by host: a play keeps its slot only while no other path waits for one', async () => {
  const d = fixture({
    'inv.yaml': inv,
    'p.yaml': `- {name: east, hosts: farm, gather_facts: false, tasks: [{name: one, command: "true"}]}\n- {name: west, hosts: farm, gather_facts: false, after: [], tasks: [{name: one, command: "true"}]}\n`,
  });
  const r = await cli(['p.yaml', '-i', 'inv.yaml', '--forks', '1', '--json'], d);
  assert.equal(r.code, 0, r.stderr);
  const plays = stepEnds(r.events).map((e) => String(e.play));
  assert.equal(plays.length, 6);
  // each hands the slot to the other after every host, so neither waits for the other's whole task
  for (let i = 1; i < plays.length; i++) assert.notEqual(plays[i], plays[i - 1], plays.join(' '));
});

test('ansible_play_hosts leaves out a host that failed (not one a rescue took); ansible_play_hosts_all keeps every host', async () => {
  const d = fixture({
    'inv.yaml': inv,
    'p.yaml': `- hosts: farm
  gather_facts: false
  tasks:
    - block:
        - fail: {msg: boom}
          when: inventory_hostname != 'c'
      rescue:
        - fail: {msg: again}
          when: inventory_hostname == 'a'
    - debug: {msg: "{{ ansible_play_hosts | join(',') }}|{{ ansible_play_hosts_all | join(',') }}|{{ play_hosts | join(',') }}"}
`,
  });
  const r = await cli(['p.yaml', '-i', 'inv.yaml', '--json'], d);
  assert.equal(r.code, 2, r.stderr);
  const shown = stepEnds(r.events).filter((e) => e.task === 'debug');
  assert.deepEqual(shown.map((e) => e.host).sort(), ['b', 'c']);
  for (const e of shown) assert.equal(e.msg, 'b,c|a,b,c|b,c');
});

test('the tasks an include_tasks brings run in lockstep too; an any_errors_fatal failure in them stops every host before the next', async () => {
  const d = fixture({
    'inv.yaml': inv,
    'inc.yml': '- {name: in1, command: "true"}\n- {name: in2, command: "true"}\n',
    'fatal.yml': '- {name: f1, command: "false", when: "inventory_hostname == \'b\'"}\n- {name: f2, command: "true"}\n',
    'p.yaml': `- hosts: farm\n  gather_facts: false\n  tasks:\n    - include_tasks: inc.yml\n    - {name: after, command: "true"}\n- hosts: farm\n  gather_facts: false\n  any_errors_fatal: true\n  tasks:\n    - include_tasks: fatal.yml\n`,
  });
  const r = await cli(['p.yaml', '-i', 'inv.yaml', '--forks', '1', '--json'], d);
  assert.equal(r.code, 2, r.stderr);
  const ran = stepEnds(r.events).filter((e) => e.task !== 'include_tasks').map((e) => `${e.task}@${e.host}`);
  const tasks = ran.map((s) => s.split('@')[0]);
  assert.deepEqual(tasks, ['in1', 'in1', 'in1', 'in2', 'in2', 'in2', 'after', 'after', 'after', 'f1', 'f1', 'f1'], ran.join(' '));
});

test('max_fail_percentage in lockstep: the failing task still runs on every host of the batch, then the play stops (ansible-playbook gives these recaps)', async () => {
  const d = fixture({ 'inv.yaml': inv, 'p.yaml': `- hosts: farm\n  gather_facts: false\n  max_fail_percentage: 30\n  tasks:\n    - {name: one, command: "false", when: "inventory_hostname == 'b'"}\n    - {name: two, command: "true"}\n` });
  const r = await cli(['p.yaml', '-i', 'inv.yaml', '--forks', '1', '--json'], d);
  assert.equal(r.code, 2, r.stderr);
  assert.deepEqual(stepEnds(r.events).map((e) => `${e.task}@${e.host}:${e.status}`), ['one@a:skipped', 'one@b:failed', 'one@c:skipped']);
});
