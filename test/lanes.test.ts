import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cli, failures, fixture, stepEnds } from './helpers.js';

// `lanes:` (agri-play's play keyword): a play's hosts split by a host variable; lane k of a play
// waits only for lane k of the plays before it. Without it, a play waits for the whole play before.
const inv = `all:
  hosts:
    slow-1: {site: east, pause: 2}
    fast-1: {site: west, pause: 0}
  vars: {ansible_connection: local}
`;
const playbook = (lanes: string) => `- name: machines
  hosts: all
  gather_facts: false${lanes}
  tasks:
    - command: sleep {{ pause }}
      changed_when: false
- name: cluster
  hosts: all
  gather_facts: false${lanes}
  tasks:
    - command: "true"
      changed_when: false
- name: both sites
  hosts: all
  gather_facts: false
  tasks:
    - command: "true"
      changed_when: false
`;

async function order(lanes: string) {
  const d = fixture({ 'inv.yaml': inv, 'p.yaml': playbook(lanes) });
  const r = await cli(['p.yaml', '-i', 'inv.yaml', '--json'], d, { timeoutMs: 60_000 });
  assert.equal(r.code, 0, failures(r));
  const ends = stepEnds(r.events);
  const at = (play: string, host: string) => ends.find((e) => e.play === play && e.host === host)!.t_ms;
  return { r, fastCluster: at('cluster', 'fast-1'), slowMachines: at('machines', 'slow-1'), bothStart: Math.min(at('both sites', 'fast-1'), at('both sites', 'slow-1')) };
}

test('lanes: the fast site goes on while the slow one boots; a play without lanes still waits for every lane', async () => {
  const laned = await order('\n  lanes: site');
  assert.ok(laned.fastCluster < laned.slowMachines, `the west lane waited for the east one: ${JSON.stringify(laned)}`);
  assert.ok(laned.bothStart >= laned.slowMachines, 'the play without lanes began before every lane ended');
  const starts = laned.r.events.filter((e) => e.event === 'play_start').map((e) => (e.event === 'play_start' ? `${e.play}:${e.lane ?? '-'}:${e.hosts.join(',')}` : ''));
  assert.deepEqual(starts.sort(), ['both sites:-:slow-1,fast-1', 'cluster:east:slow-1', 'cluster:west:fast-1', 'machines:east:slow-1', 'machines:west:fast-1']);
  // Ansible's default: a play waits for the whole play before it
  const plain = await order('');
  assert.ok(plain.fastCluster >= plain.slowMachines, 'without lanes the play did not wait');
});

test('lanes: with serial is refused (exit 4, at the play); a host without the variable is in the lane of no value', async () => {
  const d = fixture({ 'inv.yaml': inv, 'p.yaml': `- hosts: all\n  gather_facts: false\n  lanes: site\n  serial: 1\n  tasks:\n    - debug: {msg: hi}\n` });
  const r = await cli(['p.yaml', '-i', 'inv.yaml'], d);
  assert.equal(r.code, 4, r.stdout + r.stderr);
  assert.match(r.stderr, /p\.yaml:\d+:\d+.*lanes and serial can't be combined/);
  const e = fixture({ 'inv.yaml': inv, 'p.yaml': `- hosts: all\n  gather_facts: false\n  lanes: rack\n  tasks:\n    - debug: {msg: hi}\n` });
  const ok = await cli(['p.yaml', '-i', 'inv.yaml', '--json'], e);
  assert.equal(ok.code, 0, failures(ok));
  assert.deepEqual(ok.events.filter((x) => x.event === 'play_start').map((x) => x.event === 'play_start' && [x.lane, x.hosts.length]), [['', 2]]);
});

test('lanes: after: in a play with lanes waits for the named play whole, and still for its own lane of the play before', async () => {
  const d = fixture({
    'inv.yaml': inv,
    'p.yaml': `${playbook('\n  lanes: site').split('- name: both sites')[0]}- name: peers
  hosts: all
  gather_facts: false
  lanes: site
  after: [machines]
  tasks:
    - command: "true"
      changed_when: false
`,
  });
  const r = await cli(['p.yaml', '-i', 'inv.yaml', '--json'], d, { timeoutMs: 60_000 });
  assert.equal(r.code, 0, failures(r));
  const ends = stepEnds(r.events);
  const at = (play: string, host: string) => ends.find((e) => e.play === play && e.host === host)!.t_ms;
  assert.ok(at('cluster', 'fast-1') < at('machines', 'slow-1'), 'the fast lane of cluster still goes first');
  assert.ok(at('peers', 'fast-1') >= at('machines', 'slow-1'), 'peers on the fast site did not wait for every site\'s machines');
  assert.ok(at('peers', 'slow-1') >= at('cluster', 'slow-1'), 'peers did not wait for its own lane of cluster');
});
