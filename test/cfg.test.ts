import { test } from 'node:test';
import assert from 'node:assert/strict';
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
  assert.deepEqual(stepEnds(env.events).map((e) => e.module), ['setup', 'debug']);
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
  assert.deepEqual(stepEnds(r.events).map((e) => e.module), ['setup', 'debug']);
});
