import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { main } from '../lib/cli/main.js';
import { bin, fixture, root } from './helpers.js';
import { caseName, INVENTORIES, INVENTORY_CLI_EXPECTED, KNOWN, MODES, type Printed } from './inventory-cli-ref.js';

// agri-play inventory prints what ansible-inventory prints (recorded: npm run record:inventory-cli)
const recorded = JSON.parse(readFileSync(INVENTORY_CLI_EXPECTED, 'utf8')) as { ansible_core: string; cases: Record<string, Printed> };

async function agri(args: string[], env: Record<string, string> = {}): Promise<Printed & { stderr: string }> {
  const lines: string[] = [];
  const errors: string[] = [];
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  try {
    const code = await main(['inventory', ...args], { color: false, line: (s) => lines.push(s), error: (s) => errors.push(s) }, root);
    return { stdout: lines.join('\n'), code, stderr: errors.join('\n') };
  } finally {
    for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
}

for (const c of INVENTORIES) {
  const modes = c.modes ?? MODES;
  test(`agri-play inventory -i ${caseName(c, [])} prints what ansible-inventory ${recorded.ansible_core} prints (${modes.map((m) => m.join(' ')).join(', ')})`, async () => {
    for (const mode of modes) {
      const name = caseName(c, mode);
      const expected = recorded.cases[name];
      assert.ok(expected, `${name}: not recorded (npm run record:inventory-cli)`);
      const [file, ...opts] = c.args;
      const got = await agri(['-i', file, ...opts, ...mode], c.env);
      if (KNOWN[name]) assert.notEqual(got.stdout, expected.stdout, `${name} is listed as differing (${KNOWN[name]}) but is the same: take it off the list`);
      else assert.deepEqual({ stdout: got.stdout, code: got.code }, expected, name);
    }
  });
}

test('agri-play inventory --host prints one host\'s variables; a pattern of several hosts, a --graph of no group and no mode are usage errors', async () => {
  const list = JSON.parse(recorded.cases[caseName({ args: ['inventories/edge.yaml'] }, ['--list'])].stdout) as { _meta: { hostvars: Record<string, unknown> } };
  const [host, vars] = Object.entries(list._meta.hostvars)[0];
  const one = await agri(['-i', 'inventories/edge.yaml', '--host', host]);
  assert.equal(one.code, 0);
  assert.deepEqual(JSON.parse(one.stdout), vars);
  assert.deepEqual(await agri(['-i', 'inventories/edge.yaml', '--host', 'all']), { stdout: '', stderr: 'agri-play: You must pass a single valid host to --host parameter', code: 5 });
  assert.deepEqual(await agri(['-i', 'inventories/edge.yaml', '--graph', 'nosuchgroup']), { stdout: '', stderr: 'agri-play: Pattern must be valid group name when using --graph', code: 5 });
  assert.equal((await agri(['-i', 'inventories/edge.yaml'])).code, 5);
});

test('agri-play inventory --graph --vars of a !vault value: hidden by the redactor with its secret, ansible-inventory\'s error without it', async () => {
  const vault = ['-i', 'test/inventory/cli/vault.yml', '--graph', '--vars'];
  const shown = await agri([...vault, '--vault-password-file', 'test/compat/vault-pass.txt']);
  assert.equal(shown.code, 0);
  assert.match(shown.stdout, /\{db_password = \*+\}/);
  assert.doesNotMatch(shown.stdout, /inventory-vault-canary/);
  const d = fixture({});
  const written = await agri([...vault, '--vault-password-file', 'test/compat/vault-pass.txt', '--output', join(d, 'graph.txt')]);
  assert.equal(written.code, 0);
  const file = readFileSync(join(d, 'graph.txt'), 'utf8');
  assert.match(file, /\{db_password = \*+\}/);
  assert.doesNotMatch(file, /inventory-vault-canary/);
  const refused = await agri(vault);
  assert.equal(refused.code, 5);
  assert.match(refused.stderr, /Attempting to decrypt but no vault secrets found/);
});

test('constructed: a keyed group whose key is a number is refused where it is written, in ansible-core\'s words; an inventory plugin agri-play has not is named', async () => {
  const int = await agri(['-i', 'test/inventory/cli/constructed-int', '--list']);
  assert.equal(int.code, 4);
  assert.match(int.stderr, /02-constructed\.yml:3:10: error: Invalid group name format, expected a string or a list of them or dictionary, got: <class 'int'>/);
  const other = await agri(['-i', 'test/inventory/cli/aws_ec2.yml', '--list']);
  assert.equal(other.code, 4);
  assert.match(other.stderr, /aws_ec2\.yml:1:9: error: inventory plugin 'amazon\.aws\.aws_ec2' is not one agri-play has/);
});

test('an INI [group:children] naming a group no section declares is refused in the ini plugin\'s words', async () => {
  const r = await agri(['-i', 'test/inventory/cli/undefined-child.ini', '--list']);
  assert.equal(r.code, 4);
  assert.match(r.stderr, /undefined-child\.ini:5:1: error: Section \[lb:children\] includes undefined group: undefined_child/);
});

test('a folder of inventories: a file no plugin reads is warned of and passed over, an inventory script is refused (agri-play runs none)', async () => {
  const folder = await agri(['-i', 'test/inventory/cli/folder', '--list']);
  assert.equal(folder.code, 0);
  assert.match(folder.stderr, /warning: \S*folder\/README:1:1: not an inventory, passed over/);
  const script = await agri(['-i', 'test/inventory/cli/folder-script', '--list']);
  assert.equal(script.code, 4);
  assert.match(script.stderr, /folder-script\/ec2\.sh:1:1: error: an inventory script: agri-play runs no inventory scripts/);
});

test('a YAML inventory whose host name is a number is refused where it is written, as ansible-core\'s yaml plugin refuses it (inventory_yaml\'s test_int_hostname.yml)', async () => {
  const r = await agri(['-i', 'test/third_party/ansible/targets/inventory_yaml/test_int_hostname.yml', '--list']);
  assert.equal(r.code, 4);
  assert.match(r.stderr, /test_int_hostname\.yml:5:9: error: Host pattern 1234 must be a string\. Enclose integers\/floats in quotation marks\./);
});

test("Ansible's inventory-invalid-group target: its runme.sh, unchanged, with agri-play as ansible-playbook (each force_valid_group_names' warning said, or not)", async () => {
  const d = mkdtempSync(join(tmpdir(), 'agri-invalid-group-'));
  try {
    cpSync(join(root, 'test/third_party/ansible/targets/inventory-invalid-group'), join(d, 'target'), { recursive: true });
    writeFileSync(join(d, 'ansible-playbook'), `#!/bin/sh\nexec '${process.execPath}' '${bin}' "$@"\n`, { mode: 0o755 });
    const r = await execa('bash', ['runme.sh'], { cwd: join(d, 'target'), env: { PATH: `${d}:${process.env.PATH}`, NO_COLOR: '1' }, reject: false });
    assert.equal(r.exitCode, 0, `${r.stdout}\n${r.stderr}`);
    // (grep -c: the never and always runs' warning once each, as ansible-core's Display says it once; the ignore and silently runs' lines, none of them a warning)
    const counts = r.stdout.trim().split('\n').map(Number);
    assert.deepEqual(counts.slice(0, 2), [1, 1], r.stdout);
    assert.ok(counts.length === 4 && counts[2] > 0 && counts[2] === counts[3], r.stdout);
  } finally {
    rmSync(d, { recursive: true, force: true });
  }
});
