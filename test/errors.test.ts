import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { openSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { cli, fixture, root, STACK } from './helpers.js';

const dir = join(root, 'test/fixtures/broken');

/** Each broken input: the file, the position we expect, and words the message must have. */
const cases: { file: string; inv?: string; at: string; says: RegExp; env?: Record<string, string> }[] = [
  { file: 'yaml-syntax.yaml', at: 'yaml-syntax.yaml:5:1', says: /YAML syntax error/ },
  { file: 'duplicate-keys.yaml', at: 'duplicate-keys.yaml:3:3', says: /found a duplicate dict key \(name\) \(first at line 2\)/, env: { ANSIBLE_DUPLICATE_YAML_DICT_KEY: 'error' } },
  { file: 'wrong-type.yaml', at: 'wrong-type.yaml:5:7', says: /retries must be integer/ },
  { file: 'unknown-module.yaml', at: 'unknown-module.yaml:4:7', says: /unknown module 'copyy'[\s\S]*did you mean 'copy'/ },
  { file: 'after-cycle.yaml', at: 'after-cycle.yaml:3:3', says: /cycle: one → two → one/ },
  { file: 'after-unknown.yaml', at: 'after-unknown.yaml:6:3', says: /unknown play 'vmz'[\s\S]*did you mean 'vms'/ },
  { file: 'bad-pattern.yaml', at: 'bad-pattern.yaml:1:3', says: /~\[unclosed/ },
  { file: 'undefined-variable.yaml', at: 'undefined-variable.yaml:1:3', says: /'target_group' is undefined/ },
  { file: 'tab-indentation.yaml', at: 'tab-indentation.yaml:3:1', says: /tab used for indentation/ },
  { file: 'empty.yaml', at: 'empty.yaml:1:1', says: /empty playbook/ },
  { file: 'play-key-typo.yaml', at: 'play-key-typo.yaml:2:3', says: /unknown key 'taskss' in play[\s\S]*did you mean 'tasks'/ },
  { file: 'task-keyword-typo.yaml', at: 'task-keyword-typo.yaml:5:7', says: /unknown task keyword 'registr'[\s\S]*did you mean 'register'/ },
  { file: 'arg-typo.yaml', at: 'arg-typo.yaml:5:9', says: /unknown argument 'dets'[\s\S]*did you mean 'dest'/ },
  { file: 'unknown-role.yaml', at: 'unknown-role.yaml:3:7', says: /the role 'cilum' was not found in [\s\S]*did you mean 'cilium'/ },
  { file: 'not-a-list.yaml', at: 'not-a-list.yaml:1:1', says: /must be a list of plays/ },
  { file: 'unsupported.yaml', at: 'unsupported.yaml:5:7', says: /'debugger' is not supported/ },
  { file: 'two-modules.yaml', at: 'two-modules.yaml:5:7', says: /one module; found 'command' and 'shell'/ },
  { file: 'vars-files-missing.yaml', at: 'vars-files-missing.yaml:3:7', says: /vars_files: cannot read/ },
  { file: 'include-quote.yaml', at: 'include-quote.yaml:5:7', says: /unbalanced jinja2 block or quotes: tasks\/gated"\.yml[\s\S]*include-quote\.yaml:6:7: error: failed at splitting arguments/ },
  { file: 'action-unbalanced.yaml', at: 'action-unbalanced.yaml:5:7', says: /failed at splitting arguments, either an unbalanced jinja2 block or quotes: command cat \{\{ root/ },
  { file: 'import-undefined-name.yaml', at: 'import-undefined-name.yaml:5:7', says: /import_tasks is resolved at load: its file name '\{\{ host_tasks \}\}\.yml' cannot be rendered[\s\S]*use include_tasks/ },
  { file: 'module-defaults-unknown.yaml', at: 'module-defaults-unknown.yaml:5:5', says: /Could not resolve action ansible\.legacy\.copyy in module_defaults/ },
  { file: 'bad-enum.yaml', at: 'bad-enum.yaml:5:9', says: /state must be one of: absent, directory, file, hard, link, touch/ },
  { file: 'good.yaml', inv: 'inv/bad-range.yaml', at: 'bad-range.yaml:5:9', says: /bad host range \[3:1\]/ },
  { file: 'good.yaml', inv: 'inv/bad-shape.yaml', at: 'bad-shape.yaml:4:7', says: /unknown key 'host'[\s\S]*did you mean 'hosts'/ },
  { file: 'good.yaml', inv: 'inv/tabs.yaml', at: 'tabs.yaml:3:1', says: /tab used for indentation/ },
];

for (const c of cases) {
  test(`rejects ${c.inv ?? c.file} with exit 4 at ${c.at}, no stack trace${c.env ? ` (${Object.entries(c.env).map(([k, v]) => `${k}=${v}`).join(' ')})` : ''}`, async () => {
    const r = await cli([c.file, '-i', c.inv ?? 'inv/good.yaml', '--syntax-check'], dir, { env: c.env });
    assert.equal(r.code, 4, r.stderr);
    assert.ok(r.stderr.includes(c.at + ':'), `expected ${c.at} in:\n${r.stderr}`);
    assert.match(r.stderr, c.says);
    assert.doesNotMatch(r.stderr, STACK);
    assert.match(r.stderr, /nothing was run/);
  });
}

test('a YAML key written twice is warned of where it is written and the last value used, as ansible-core\'s default DUPLICATE_YAML_DICT_KEY=warn; ignore says nothing', async () => {
  const d = fixture({ 'dup.yaml': '- hosts: localhost\n  gather_facts: false\n  tasks:\n    - debug: {msg: first}\n      debug: {msg: second}\n' });
  const r = await cli(['dup.yaml', '--json'], d);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /warning: \S*dup\.yaml:5:7: found a duplicate dict key \(debug\) \(first at line 4\): the last value is used/);
  const shown = r.events.find((e) => e.event === 'step_end' && e.module === 'debug');
  assert.ok(shown && shown.event === 'step_end' && JSON.stringify(shown).includes('second'), 'the last value runs');
  const quiet = await cli(['dup.yaml'], d, { env: { ANSIBLE_DUPLICATE_YAML_DICT_KEY: 'ignore' } });
  assert.equal(quiet.code, 0);
  assert.doesNotMatch(quiet.stderr, /duplicate dict key/);
});

test('rejects binary garbage as not YAML, with exit 4 and a position', async () => {
  const d = fixture({ 'garbage.yaml': Buffer.concat([Buffer.from([0, 0xff, 0xfe]), randomBytes(4096)]) });
  const r = await cli(['garbage.yaml', '--syntax-check'], d);
  assert.equal(r.code, 4);
  assert.match(r.stderr, /garbage\.yaml:1:1: error: not a YAML text file/);
  assert.doesNotMatch(r.stderr, STACK);
});

test('rejects a 50 MB file without reading it whole, with exit 4', async () => {
  const d = fixture({ 'x.txt': '' });
  const fd = openSync(join(d, 'huge.yaml'), 'w');
  const chunk = Buffer.alloc(1024 * 1024, '- hosts: all\n');
  for (let i = 0; i < 50; i++) writeSync(fd, chunk);
  closeSync(fd);
  const r = await cli(['huge.yaml', '--syntax-check'], d);
  assert.equal(r.code, 4);
  assert.match(r.stderr, /huge\.yaml:1:1: error: file is 50\.0 MiB/);
  assert.doesNotMatch(r.stderr, STACK);
});

test('an unknown inventory name is exit 4 and suggests the nearest one', async () => {
  const r = await cli([join(root, 'playbooks/site.yaml'), '-i', 'edgee', '--list-hosts'], root);
  assert.equal(r.code, 4);
  assert.match(r.stderr, /no such inventory[\s\S]*did you mean 'edge'/);
});

test('a bad command line is exit 5', async () => {
  const unknown = await cli(['playbooks/site.yaml', '--frobnicate'], root);
  assert.equal(unknown.code, 5);
  assert.match(unknown.stderr, /unknown option '--frobnicate'/);
  const forks = await cli(['playbooks/site.yaml', '-i', 'edge', '--forks', '0'], root);
  assert.equal(forks.code, 5);
  assert.match(forks.stderr, /--forks must be a positive integer/);
  const none = await cli(['-i', 'edge'], root);
  assert.equal(none.code, 5);
  const detailed = await cli(['playbooks/site.yaml', '-i', 'edge', '--detailed-exitcode'], root);
  assert.equal(detailed.code, 5);
});

test('every problem in a file is reported at once, not only the first', async () => {
  const d = fixture({ 'p.yaml': '- hosts: all\n  tasks:\n    - copyy: {dest: /x}\n    - shel: ls\n' });
  const r = await cli(['p.yaml', '--syntax-check'], d);
  assert.equal(r.code, 4);
  assert.match(r.stderr, /p\.yaml:3:7: error: unknown module 'copyy'/);
  assert.match(r.stderr, /p\.yaml:4:7: error: unknown module 'shel'/);
  assert.match(r.stderr, /2 problems found/);
});

test("a module Ansible's collections have, agri-play has not and no installed collection gives loads with a warning and fails where it runs; a name Ansible has not either is still exit 4", async () => {
  const d = fixture({
    'p.yaml': '- hosts: localhost\n  gather_facts: false\n  tasks:\n    - selinux: {state: disabled}\n      when: false\n    - community.general.ufw: {rule: allow}\n',
    'q.yaml': '- hosts: localhost\n  gather_facts: false\n  tasks:\n    - community.general.ufww: {rule: allow}\n',
  });
  // (the `ansible` package's collections, where installed, are not looked in: ansible-core's COLLECTIONS_SCAN_SYS_PATH)
  const r = await cli(['p.yaml', '-c', 'local', '--json'], d, { env: { ANSIBLE_COLLECTIONS_SCAN_SYS_PATH: 'false' } });
  assert.equal(r.code, 2, r.stdout + r.stderr);
  assert.match(r.stderr, /p\.yaml:4:7: .*module 'selinux' is Ansible's ansible\.posix\.selinux, which agri-play does not have: the task fails if it runs/);
  const ends = r.events.filter((e) => e.event === 'step_end');
  assert.deepEqual(ends.map((e) => e.status), ['skipped', 'failed']);
  assert.equal(ends[1].msg, "agri-play has no module 'community.general.ufw' (Ansible's community.general.ufw): this task cannot run here");
  const typo = await cli(['q.yaml', '--syntax-check'], d);
  assert.equal(typo.code, 4);
  assert.match(typo.stderr, /q\.yaml:4:7: error: unknown module 'community\.general\.ufww'/);
});
