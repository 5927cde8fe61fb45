import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { cli, failures, fixture, stepEnds } from './helpers.js';

// ansible.cfg and ANSIBLE_* as ansible-core finds them: the settings agri-play has are used, the
// ones it lacks are named in a warning, the ones that only shape Ansible's own output pass quietly.
const files = {
  'ansible.cfg': '[defaults]\n# the operator\'s settings\ngathering = explicit\nforks = 3\nroles_path = ./myroles\ninventory = ./farm.ini\nlog_path = ./ansible.log\nnocows = True\n[ssh_connection]\npipelining = True\n',
  'farm.ini': '[farm]\nfield-1 ansible_connection=local\n',
  'myroles/hello/tasks/main.yml': '- debug: {msg: "hello from roles_path"}\n',
  'p.yaml': '- hosts: farm\n  roles: [hello]\n',
};

test('ansible.cfg: gathering, forks, roles_path and inventory are used; a setting agri-play lacks is named; ANSIBLE_* wins over the file', async () => {
  const d = fixture(files);
  const r = await cli(['p.yaml', '--json'], d);
  assert.equal(r.code, 0, failures(r));
  const start = r.events.find((e) => e.event === 'run_start');
  assert.ok(start?.event === 'run_start' && start.forks === 3 && start.host_names?.join() === 'field-1', JSON.stringify(start));
  assert.deepEqual(stepEnds(r.events).map((e) => e.module), ['debug'], 'gathering = explicit: no facts without gather_facts: true');
  assert.match(r.stderr, /ansible\.cfg: settings agri-play does not have, ignored: defaults\.log_path$/m);
  assert.doesNotMatch(r.stderr, /nocows|pipelining/);
  const env = await cli(['p.yaml', '--json'], d, { env: { ANSIBLE_FORKS: '5', ANSIBLE_GATHERING: 'implicit' } });
  const s2 = env.events.find((e) => e.event === 'run_start');
  assert.ok(s2?.event === 'run_start' && s2.forks === 5);
  assert.deepEqual(stepEnds(env.events).map((e) => e.module), ['gather_facts', 'debug']);
  // -f and -i on the command line win over both
  const flags = await cli(['p.yaml', '--json', '-f', '7', '-i', 'farm.ini'], d, { env: { ANSIBLE_FORKS: '5' } });
  const s3 = flags.events.find((e) => e.event === 'run_start');
  assert.ok(s3?.event === 'run_start' && s3.forks === 7);
});

test('ANSIBLE_CONFIG names the file; without any, facts are gathered as Ansible does', async () => {
  const d = fixture({ ...files, 'ansible.cfg': '', 'conf/other.cfg': '[defaults]\nforks = 2\ninventory = ../farm.ini\nroles_path = ../myroles\n' });
  const r = await cli(['p.yaml', '--json'], d, { env: { ANSIBLE_CONFIG: 'conf/other.cfg' } });
  assert.equal(r.code, 0, failures(r));
  const start = r.events.find((e) => e.event === 'run_start');
  assert.ok(start?.event === 'run_start' && start.forks === 2, 'relative paths in it are relative to the file');
  assert.deepEqual(stepEnds(r.events).map((e) => e.module), ['gather_facts', 'debug']);
});

test("ansible.cfg fact_caching = jsonfile and gathering = smart: facts outlive the run, a cached host is not gathered again, play vars win over facts, --flush-cache empties the cache", async () => {
  const d = fixture({
    'ansible.cfg': '[defaults]\ngathering = smart\nfact_caching = jsonfile\nfact_caching_connection = ./cache\ninventory = ./farm.ini\n',
    'farm.ini': '[farm]\nfield-1 ansible_connection=local\n',
    'p.yaml': [
      '- hosts: farm',
      '  tasks:',
      '    - set_fact: {zone_fact: east, cacheable: true}',
      '    - set_fact: {plain_fact: here}',
      '- hosts: farm',
      '  vars: {ansible_system: from-play-vars}',
      '  tasks:',
      '    - assert: {that: [ansible_system == "from-play-vars", ansible_facts.system == "Linux", zone_fact == "east"]}',
      '',
    ].join('\n'),
    'r.yaml': '- hosts: farm\n  tasks:\n    - assert: {that: [ansible_facts.hostname | length > 0, ansible_hostname is undefined, "ansible_local == {}"]}\n',
    'q.yaml': '- hosts: farm\n  tasks:\n    - assert: {that: [ansible_facts.zone_fact == "east", zone_fact == "east", plain_fact is undefined, ansible_hostname | length > 0]}\n',
  });
  const first = await cli(['p.yaml', '--json'], d);
  assert.equal(first.code, 0, failures(first));
  assert.deepEqual(stepEnds(first.events).map((e) => e.module), ['gather_facts', 'set_fact', 'set_fact', 'assert'], 'smart: the second play does not gather again');
  const cached = JSON.parse(readFileSync(join(d, 'cache/ansible_factsfield-1'), 'utf8')) as Record<string, unknown>;
  assert.equal(cached.zone_fact, 'east');
  assert.equal(cached._ansible_facts_gathered, true);
  assert.equal(cached.plain_fact, undefined, 'a set_fact without cacheable is not cached');
  assert.equal(statSync(join(d, 'cache/ansible_factsfield-1')).mode & 0o777, 0o600);
  // a new run reads the cache: nothing gathered, the cacheable fact is there
  const second = await cli(['q.yaml', '--json'], d);
  assert.equal(second.code, 0, failures(second));
  assert.deepEqual(stepEnds(second.events).map((e) => e.module), ['assert']);
  // --flush-cache: gathered again, the cached fact is gone
  const flushed = await cli(['q.yaml', '--json', '--flush-cache'], d);
  assert.equal(flushed.code, 2);
  assert.deepEqual(stepEnds(flushed.events).map((e) => `${e.module} ${e.status}`), ['gather_facts ok', 'assert failed']);
  // inject_facts_as_vars = False: facts only under ansible_facts; a cache plugin agri-play lacks is named
  const off = await cli(['r.yaml', '--json'], d, { env: { ANSIBLE_INJECT_FACT_VARS: 'False', ANSIBLE_CACHE_PLUGIN: 'redis' } });
  assert.equal(off.code, 0, failures(off));
  assert.deepEqual(stepEnds(off.events).map((e) => `${e.module} ${e.status}`), ['gather_facts ok', 'assert ok']);
  assert.match(off.stderr, /ignored: fact_caching=redis/);
});

test('ansible.cfg private_role_vars: a role\'s vars are its own tasks\' only (by default every task of the play sees them); its defaults stay the play\'s', async () => {
  const files = {
    'roles/r/vars/main.yml': 'x: role\n',
    'roles/r/defaults/main.yml': 'd: role_default\n',
    'roles/r/tasks/main.yml': '- assert: {that: [x == "role"]}\n',
    'p.yaml': '- hosts: localhost\n  gather_facts: false\n  vars: {x: play}\n  roles: [r]\n  tasks:\n    - assert: {that: [x == expected, d == "role_default"]}\n',
  };
  const shared = await cli(['p.yaml', '-e', 'expected=role'], fixture(files));
  assert.equal(shared.code, 0, failures(shared));
  const own = await cli(['p.yaml', '-e', 'expected=play'], fixture({ ...files, 'ansible.cfg': '[defaults]\nprivate_role_vars = True\n' }));
  assert.equal(own.code, 0, failures(own));
  const env = await cli(['p.yaml', '-e', 'expected=play'], fixture(files), { env: { ANSIBLE_PRIVATE_ROLE_VARS: 'yes' } });
  assert.equal(env.code, 0, failures(env));
});

test('ansible.cfg hash_behaviour = merge: a dict over a dict of its name is merged (play vars, role vars, set_fact); replace by default; another value is named', async () => {
  const files = {
    'roles/r/vars/main.yml': 'conf: {role: 1}\n',
    'roles/r/tasks/main.yml': '- set_fact: {conf: {fact: 1}}\n',
    'p.yaml': '- hosts: localhost\n  gather_facts: false\n  vars: {conf: {play: 1, deep: {a: 1}}}\n  roles: [r]\n  tasks:\n    - assert: {that: ["conf == expected"]}\n',
  };
  const merged = { play: 1, deep: { a: 1 }, role: 1, fact: 1 };
  const merge = await cli(['p.yaml', '-e', JSON.stringify({ expected: merged })], fixture({ ...files, 'ansible.cfg': '[defaults]\nhash_behaviour = merge\n' }));
  assert.equal(merge.code, 0, failures(merge));
  assert.doesNotMatch(merge.stderr, /hash_behaviour/);
  const replace = await cli(['p.yaml', '-e', JSON.stringify({ expected: { fact: 1 } })], fixture(files));
  assert.equal(replace.code, 0, failures(replace));
  const odd = await cli(['p.yaml', '-e', JSON.stringify({ expected: { fact: 1 } })], fixture({ ...files, 'ansible.cfg': '[defaults]\nhash_behaviour = mix\n' }));
  assert.equal(odd.code, 0, failures(odd));
  assert.match(odd.stderr, /ignored: hash_behaviour=mix/);
});

test("ansible.cfg's strategy (ANSIBLE_STRATEGY over it) is every play's that names none: free lets a host go on while another waits; one agri-play lacks is named, linear kept", async () => {
  // (host a waits for a file host b writes at its second task: under linear, b waits for a at the first)
  const d = fixture({
    'ansible.cfg': '[defaults]\nstrategy = free\n',
    'inv.yaml': 'all:\n  hosts:\n    a: {ansible_connection: local}\n    b: {ansible_connection: local}\n',
    'p.yaml': `- hosts: all\n  gather_facts: false\n  tasks:\n    - wait_for: {path: "{{ playbook_dir }}/flag", timeout: 60}\n      when: inventory_hostname == 'a'\n    - copy: {dest: "{{ playbook_dir }}/flag", content: ok}\n      when: inventory_hostname == 'b'\n`,
  });
  const r = await cli(['p.yaml', '-i', 'inv.yaml'], d);
  assert.equal(r.code, 0, failures(r));
  const odd = await cli(['p.yaml', '-i', 'inv.yaml', '--syntax-check'], d, { env: { ANSIBLE_STRATEGY: 'mitogen_linear' } });
  assert.equal(odd.code, 0, failures(odd));
  assert.match(odd.stderr, /settings agri-play does not have, ignored: strategy=mitogen_linear/);
});

test("ansible.cfg's any_errors_fatal (ANSIBLE_ANY_ERRORS_FATAL) is every play's that sets none: one host's failure ends the play for all (recaps as ansible-core 2.14 gives them)", async () => {
  const d = fixture({
    'inv.yaml': 'all:\n  hosts:\n    a: {ansible_connection: local}\n    b: {ansible_connection: local}\n',
    'p.yaml': '- hosts: all\n  gather_facts: false\n  tasks:\n    - fail: {msg: boom}\n      when: inventory_hostname == "a"\n    - debug: {msg: after}\n',
  });
  const recap = (out: string, h: string) => new RegExp(`^${h}\\s+: (.*)$`, 'm').exec(out)?.[1].replace(/\s+/g, ' ');
  const plain = await cli(['p.yaml', '-i', 'inv.yaml'], d);
  assert.equal(recap(plain.stdout, 'b'), 'ok=1 changed=0 unreachable=0 failed=0 skipped=1 rescued=0 ignored=0');
  const fatal = await cli(['p.yaml', '-i', 'inv.yaml'], d, { env: { ANSIBLE_ANY_ERRORS_FATAL: 'yes' } });
  assert.equal(recap(fatal.stdout, 'a'), 'ok=0 changed=0 unreachable=0 failed=1 skipped=0 rescued=0 ignored=0');
  assert.equal(recap(fatal.stdout, 'b'), 'ok=0 changed=0 unreachable=0 failed=0 skipped=1 rescued=0 ignored=0');
});

test("ansible.cfg's error_on_missing_handler = False: a notify naming no handler is ansible-core's warning, not an error, and nothing is kept for the next run", async () => {
  const d = fixture({
    'ansible.cfg': '[defaults]\nerror_on_missing_handler = False\n',
    'inv.yaml': 'all:\n  hosts:\n    a: {ansible_connection: local}\n',
    'p.yaml': '- hosts: all\n  gather_facts: false\n  tasks:\n    - command: "true"\n      notify: nosuch\n',
  });
  const r = await cli(['p.yaml', '-i', 'inv.yaml'], d);
  assert.equal(r.code, 0, failures(r));
  assert.match(r.stdout + r.stderr, /The requested handler 'nosuch' was not found in either the main handlers list nor in the listening handlers list/);
  assert.doesNotMatch(r.stdout + r.stderr, /saved to|left pending/);
  const again = await cli(['p.yaml', '-i', 'inv.yaml'], d);
  assert.doesNotMatch(again.stdout + again.stderr, /left pending/);
});

test("ansible.cfg's [inventory] enable_plugins naming advanced_host_list before host_list: a host list's range is expanded, as under ANSIBLE_INVENTORY_ENABLED", async () => {
  const files = { 'p.yaml': '- hosts: all\n  gather_facts: false\n  tasks: []\n' };
  const plain = await cli(['p.yaml', '-i', 'web[1:3],', '--list-hosts'], fixture(files));
  assert.match(plain.stdout, /hosts \(1\):\n\s+web\[1:3\]/);
  const advanced = await cli(['p.yaml', '-i', 'web[1:3],', '--list-hosts'], fixture({ ...files, 'ansible.cfg': '[inventory]\nenable_plugins = advanced_host_list, host_list, yaml, ini\n' }));
  assert.match(advanced.stdout, /hosts \(3\):\n\s+web1\n\s+web2\n\s+web3/);
  assert.doesNotMatch(advanced.stderr, /enable_plugins/, 'the setting is not named as ignored');
});
