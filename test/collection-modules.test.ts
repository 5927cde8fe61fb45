// Modules of installed Ansible collections (lib/modules/util/collection-modules.ts): one with a
// Python action plugin, which agri-play does not run. (The modules it runs, against ansible-core's
// recaps: test/compat/collection_modules.yaml, a collection in the playbook's collections/ folder,
// and site_collection_modules.yaml, Debian's `ansible` package's.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cli, fixture, stepEnds } from './helpers.js';

test("a collection module with a Python action plugin is not run: the playbook loads with a warning naming the plugin, and its task fails where it runs (skipped behind a false when)", async () => {
  const coll = 'collections/ansible_collections/farm/gear/plugins';
  const module = '#!/usr/bin/python\nfrom ansible.module_utils.basic import AnsibleModule\nAnsibleModule(argument_spec={}).exit_json(changed=True)\n';
  const d = fixture({
    [`${coll}/modules/plain.py`]: module,
    [`${coll}/modules/pump.py`]: module,
    [`${coll}/action/pump.py`]: 'from ansible.plugins.action import ActionBase\nclass ActionModule(ActionBase):\n    pass\n',
    'p.yaml': '- hosts: localhost\n  gather_facts: false\n  tasks:\n    - farm.gear.plain: {}\n    - farm.gear.pump: {}\n      when: false\n    - farm.gear.pump: {}\n',
  });
  const r = await cli(['p.yaml', '-i', 'localhost,', '--json'], d);
  assert.equal(r.code, 2, r.stdout + r.stderr);
  assert.match(r.stderr + r.stdout, /module 'farm\.gear\.pump' has a Python action plugin \(farm\.gear\.pump\), which agri-play does not run: the task fails if it runs/);
  const ends = stepEnds(r.events);
  assert.deepEqual(ends.map((e) => e.status), ['changed', 'skipped', 'failed']);
  assert.match(ends[2].msg ?? '', /whose Python action plugin agri-play does not run/);
});
