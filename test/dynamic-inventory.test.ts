import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cli, fixture, recapOf } from './helpers.js';

// group_by / add_host beyond the compat playbook (test/compat/group_by.yaml): hosts grouped by a
// variable of their own, --check, and a group_by inside an include.
const inv = 'all:\n  hosts:\n    edge-1: {ansible_connection: local, site: edge}\n    cloud-1: {ansible_connection: local, site: cloud}\n    cloud-2: {ansible_connection: local, site: cloud}\n';

test('group_by: each host joins the group its variable names; the next play runs on the group, in --check too', async () => {
  const d = fixture({
    'inv.yaml': inv,
    'p.yaml': `
- hosts: all
  gather_facts: false
  tasks:
    - group_by: {key: "site_{{ site }}"}
- hosts: site_cloud
  gather_facts: false
  tasks:
    - debug: {msg: "{{ groups['site_cloud'] | join(',') }}"}
`,
  });
  for (const check of [[], ['--check']]) {
    const r = await cli(['p.yaml', '-i', 'inv.yaml', '--json', ...check], d);
    assert.equal(r.code, 0, r.stderr);
    const recap = recapOf(r.events);
    assert.deepEqual([recap['edge-1'].ok, recap['cloud-1'].ok, recap['cloud-2'].ok], [1, 2, 2]);
    const starts = r.events.filter((e) => e.event === 'play_start');
    assert.deepEqual(starts.map((e) => (e.event === 'play_start' ? e.hosts : [])), [['edge-1', 'cloud-1', 'cloud-2'], ['cloud-1', 'cloud-2']]);
  }
});

test('group_by inside an include (named as written, or by a template): the plays after it are planned when it has run', async () => {
  for (const include of ['grouping.yaml', '"{{ which }}.yaml"']) {
    const d = fixture({
      'inv.yaml': inv,
      'grouping.yaml': '- group_by: {key: "site_{{ site }}"}\n',
      'p.yaml': `
- hosts: all
  gather_facts: false
  vars: {which: grouping}
  tasks:
    - include_tasks: ${include}
- hosts: site_cloud
  gather_facts: false
  tasks:
    - debug: {msg: hi}
`,
    });
    const r = await cli(['p.yaml', '-i', 'inv.yaml', '--json'], d);
    assert.equal(r.code, 0, r.stderr);
    const starts = r.events.filter((e) => e.event === 'play_start');
    assert.deepEqual(starts.map((e) => (e.event === 'play_start' ? e.hosts : [])), [['edge-1', 'cloud-1', 'cloud-2'], ['cloud-1', 'cloud-2']], include);
    assert.equal(r.events.filter((e) => e.event === 'warning').length, 0, include);
  }
});
