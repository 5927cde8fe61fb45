import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { CANARY, cli, fixture, recapOf, stepEnds } from './helpers.js';

// Ansible Vault: values and files the canary is encrypted in (with the `ansible-vault` package, the
// same cipher ansible-vault writes: test/compat/vault.yaml holds files ansible-vault itself made and
// compares the run with ansible-core's). The canary must never show: not in output, events or journals.
const { Vault } = createRequire(import.meta.url)('ansible-vault') as { Vault: new (o: { password: string }) => { encryptSync(s: string, id?: string): string } };
const PASSWORD = 'vault-test-pw-1182';
const seal = (text: string, id?: string) => new Vault({ password: PASSWORD }).encryptSync(text, id as string);
const inline = (text: string, indent: string) => `!vault |\n${seal(text).split('\n').map((l) => indent + l).join('\n')}`;
const inv = 'all:\n  hosts:\n    h: {ansible_connection: local}\n';

/** A play whose `token` is the canary as an inline !vault value, with these tasks. */
const withToken = (tasks: string) => `
- hosts: all
  gather_facts: false
  vars:
    token: ${inline(CANARY, '      ')}
  tasks:${tasks}`;

function farm(): string {
  return fixture({
    'inv.yaml': inv,
    'pw.txt': `${PASSWORD}\n`,
    'wrong.txt': 'not-it\n',
    'pw-client.sh': `#!/bin/sh\n[ "$1" = --vault-id ] && [ "$2" = farm ] && echo ${PASSWORD}\n`,
    'secret.yml': seal(`vault_key: ${CANARY}\n`),
    'labelled.yml': seal(`labelled: ${CANARY}-l\n`, 'farm'),
    'p.yaml': withToken(`
    - debug: {var: token}
    - debug: {msg: "token is {{ token }}"}
    - assert: {that: "token | length == ${[...CANARY].length}"}
`),
    'files.yaml': `
- hosts: all
  gather_facts: false
  vars_files: [secret.yml]
  tasks:
    - include_vars: labelled.yml
    - debug: {msg: "{{ vault_key }} {{ labelled }}"}
    - copy: {content: "{{ vault_key }}", dest: "{{ root }}/key.txt"}
      diff: true
    - assert: {that: "labelled == vault_key ~ '-l'"}
`,
    'unused.yaml': withToken(`
    - debug: {msg: plain}
    - debug: {msg: "{{ token }}"}
`),
  });
}

test('vault: an inline !vault value is decrypted with --vault-password-file, and never printed', async () => {
  const d = farm();
  const r = await cli(['p.yaml', '-i', 'inv.yaml', '--vault-password-file', 'pw.txt', '--json'], d);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(recapOf(r.events).h.ok, 3);
  assert.ok(r.stdout.includes('********'), 'the value is shown masked');
});

test('vault: vaulted vars_files and include_vars files (a 1.2 vault id too), ANSIBLE_VAULT_PASSWORD_FILE, a -client script for --vault-id', async () => {
  const d = farm();
  chmodSync(join(d, 'pw-client.sh'), 0o755);
  const a = await cli(['files.yaml', '-i', 'inv.yaml', '-e', `root=${d}`, '--json', '--diff'], d, { env: { ANSIBLE_VAULT_PASSWORD_FILE: join(d, 'pw.txt') } });
  assert.equal(a.code, 0, a.stderr);
  assert.equal(readFileSync(join(d, 'key.txt'), 'utf8'), CANARY);
  const b = await cli(['files.yaml', '-i', 'inv.yaml', '-e', `root=${d}`, '--vault-id', 'farm@pw-client.sh', '--json'], d);
  assert.equal(b.code, 0, b.stderr);
  assert.deepEqual(stepEnds(b.events).map((e) => e.status), ['ok', 'ok', 'ok', 'ok']);
});

test('vault: without a secret a vaulted file is bad input (exit 4, file:line:col); an unused !vault value is no error, a used one fails its task', async () => {
  const d = farm();
  const a = await cli(['files.yaml', '-i', 'inv.yaml', '-e', `root=${d}`], d);
  assert.equal(a.code, 4);
  assert.match(a.stderr, /secret\.yml:1:1: error: Attempting to decrypt but no vault secrets found/);
  const b = await cli(['unused.yaml', '-i', 'inv.yaml', '--json'], d);
  assert.equal(b.code, 2);
  const ends = stepEnds(b.events);
  assert.equal(ends[0].status, 'ok');
  assert.equal(ends[1].status, 'failed');
  assert.match(String(ends[1].msg), /^Attempting to decrypt but no vault secrets found/);
  const c = await cli(['unused.yaml', '-i', 'inv.yaml', '--vault-password-file', 'wrong.txt', '--json'], d);
  assert.match(String(stepEnds(c.events)[1].msg), /^Decryption failed \(no vault secrets were found that could decrypt\)$/);
  const e = await cli(['unused.yaml', '-i', 'inv.yaml', '--vault-password-file', 'missing.txt'], d);
  assert.notEqual(e.code, 0);
  assert.match(e.stderr, /The vault password file .*missing\.txt was not found/);
});
