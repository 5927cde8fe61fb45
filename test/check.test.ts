import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { cli, fixture, recapOf, stepEnds } from './helpers.js';

/**
 * --check never hides a failure: a step is reported as unknowable only when its failure depends
 * on a would-be change (the same path, package, registered result), with that dependency named;
 * any other failure is a failure in check mode too (exit 2), as the real run will have it.
 */
const LOCAL = 'all:\n  hosts:\n    h: {ansible_connection: local}\n';

test('--check: an earlier change does not hide a genuine failure (missing template, undefined variable): exit 2', async () => {
  const d = fixture({
    'inv.yaml': LOCAL,
    'p.yaml': `- hosts: all
  gather_facts: false
  tasks:
    - name: an earlier change
      copy: {dest: "{{ playbook_dir }}/a.conf", content: "new"}
    - name: template with missing src
      template: {src: nosuch.j2, dest: "{{ playbook_dir }}/b.conf"}
`,
  });
  const r = await cli(['p.yaml', '-i', 'inv.yaml', '--check', '--json'], d);
  assert.equal(r.code, 2, r.stdout);
  const [, tpl] = stepEnds(r.events);
  assert.equal(tpl.status, 'failed');
  assert.match(tpl.msg ?? '', /^Could not find or access 'nosuch.j2'\nSearched in:\n\t.*\/templates\/nosuch.j2\n/);
  assert.equal(recapOf(r.events).h.failed, 1);

  const u = fixture({ 'inv.yaml': LOCAL, 'p.yaml': `- hosts: all\n  gather_facts: false\n  tasks:\n    - copy: {dest: "{{ playbook_dir }}/a.conf", content: "new"}\n    - debug: {msg: "{{ not_defined_anywhere }}"}\n` });
  const r2 = await cli(['p.yaml', '-i', 'inv.yaml', '--check', '--json'], u);
  assert.equal(r2.code, 2, r2.stdout);
  assert.match(stepEnds(r2.events)[1].msg ?? '', /'not_defined_anywhere' is undefined/);
});

test('--check: steps that read what an earlier step would change say what they depend on; unrelated failures stay failures', async () => {
  const d = fixture({
    'inv.yaml': LOCAL,
    'p.yaml': `- hosts: all
  gather_facts: false
  tasks:
    - name: write the config
      copy: {dest: "{{ playbook_dir }}/app.conf", content: "port=1\\n"}
    - name: edit the config
      lineinfile: {path: "{{ playbook_dir }}/app.conf", line: "debug=0", create: false}
    - name: edit another file
      lineinfile: {path: "{{ playbook_dir }}/other.conf", line: "x", create: false}
      ignore_errors: true
    - name: run a command
      shell: echo hi
      register: out
    - name: reads the skipped command's result
      debug: {msg: "{{ out.stdout_lines | length }} {{ out.rc }}"}
      when: out.stdout.find('hi') == -1
    - name: uses a value the command would have produced
      file: {path: "{{ playbook_dir }}/{{ out.stdout_lines[0] }}", state: touch}
`,
  });
  const r = await cli(['p.yaml', '-i', 'inv.yaml', '--check', '--json'], d);
  const ends = stepEnds(r.events);
  const by = (name: string) => ends.find((e) => e.task === name)!;
  assert.equal(by('write the config').status, 'changed');
  const edit = by('edit the config');
  assert.equal(edit.status, 'changed', JSON.stringify(edit));
  assert.match(edit.note ?? '', /depends on: path .*\/app\.conf would change in step 'write the config'/);
  assert.deepEqual(edit.depends_on, { step: by('write the config').id, resource: `path ${join(d, 'app.conf')}` });
  assert.equal(by('edit another file').status, 'ignored', 'a failure no earlier change explains is a failure');
  // ansible-core's result of a command skipped in check mode: the keys a condition reads
  assert.equal(by('run a command').status, 'skipped');
  assert.equal(by("reads the skipped command's result").status, 'ok');
  assert.match(by("reads the skipped command's result").msg ?? '', /^0 0$/);
  const uses = by('uses a value the command would have produced');
  assert.equal(uses.status, 'changed', JSON.stringify(uses));
  assert.equal(uses.depends_on?.resource, 'register out');
  assert.equal(r.code, 0, r.stdout);
  assert.ok(!existsSync(join(d, 'app.conf')), 'check mode changed nothing');
});

test('--check: check_mode per task (false runs for real, true only checks) and ansible_check_mode', async () => {
  const d = fixture({
    'inv.yaml': LOCAL,
    'p.yaml': `- hosts: all
  gather_facts: false
  tasks:
    - copy: {dest: "{{ playbook_dir }}/real", content: "{{ ansible_check_mode }}"}
      check_mode: false
    - copy: {dest: "{{ playbook_dir }}/never", content: x}
      check_mode: true
`,
  });
  const r = await cli(['p.yaml', '-i', 'inv.yaml', '--check'], d);
  assert.equal(r.code, 0, r.stdout);
  assert.ok(existsSync(join(d, 'real')) && !existsSync(join(d, 'never')));
  const r2 = await cli(['p.yaml', '-i', 'inv.yaml'], d);
  assert.equal(r2.code, 0, r2.stdout);
  assert.ok(!existsSync(join(d, 'never')), 'check_mode: true changes nothing in a real run');
});

/**
 * A package this machine's apt offers and has not installed (Debian's `hello` first), or none: a
 * name apt does not know fails in check mode as ansible-core's apt does, so it cannot stand in.
 */
function notInstalled(): string | undefined {
  const r = spawnSync('sh', ['-c', "for p in hello cowsay sl figlet; do apt-cache policy \"$p\" 2>/dev/null | grep -q 'Candidate: [0-9]' && ! dpkg -s \"$p\" >/dev/null 2>&1 && { echo \"$p\"; exit 0; }; done"], { encoding: 'utf8' });
  return r.stdout.trim() || undefined;
}

test('--check: a service of a package that would be installed depends on it; a missing service nothing installs fails', async (t) => {
  const pkg = notInstalled();
  if (!pkg) return t.skip('apt offers none of hello, cowsay, sl, figlet here that is not installed');
  const d = fixture({
    'inv.yaml': LOCAL,
    'p.yaml': `- hosts: all
  gather_facts: false
  tasks:
    - name: install it
      package: {name: ${pkg}, state: present}
    - name: start it
      service: {name: ${pkg}, state: started}
    - name: start something nobody installs
      service: {name: agri-play-other-missing, state: started}
`,
  });
  const r = await cli(['p.yaml', '-i', 'inv.yaml', '--check', '--json'], d, { timeoutMs: 120_000 });
  const ends = stepEnds(r.events);
  const by = (name: string) => ends.find((e) => e.task === name)!;
  assert.equal(by('install it').status, 'changed', JSON.stringify(by('install it')));
  assert.equal(by('start it').status, 'changed', JSON.stringify(by('start it')));
  assert.equal(by('start it').depends_on?.resource, `package ${pkg}`);
  assert.equal(by('start something nobody installs').status, 'failed', JSON.stringify(by('start something nobody installs')));
  assert.equal(r.code, 2);
});

test('--check: what a looped step would change counts item by item (a later step on one of its paths names it)', async () => {
  const d = fixture({
    'inv.yaml': LOCAL,
    'p.yaml': `- hosts: all
  gather_facts: false
  tasks:
    - name: write both
      copy: {dest: "{{ playbook_dir }}/{{ item }}.conf", content: "x\\n"}
      loop: [a, b]
    - name: edit b
      lineinfile: {path: "{{ playbook_dir }}/b.conf", line: "y", create: false}
`,
  });
  const r = await cli(['p.yaml', '-i', 'inv.yaml', '--check', '--json'], d);
  assert.equal(r.code, 0, r.stdout);
  const edit = stepEnds(r.events).find((e) => e.task === 'edit b')!;
  assert.equal(edit.depends_on?.resource, `path ${join(d, 'b.conf')}`, JSON.stringify(edit));
});
