import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { cli, fixture, root } from './helpers.js';

// Each platform role's typed parameters are checked for every host before anything runs:
// a bad value is exit 4 naming the role, the parameter and the rule.
const bad: [role: string, extra: string, rule: RegExp][] = [
  ['cilium', 'cluster_id=300', /role cilium: 'cluster_id' .* at most 255/],
  ['cilium', 'cilium_version=latest', /role cilium: 'cilium_version' .* must match/],
  ['clustermesh', 'clustermesh_nodeport=80', /role clustermesh: 'clustermesh_nodeport' .* at least 30000/],
  ['otel-collector', 'otel_mode=sidecar', /role otel-collector: 'otel_mode' .* one of/],
  ['rook-ceph', 'ceph_mon_count=0', /role rook-ceph: 'ceph_mon_count' .* at least 1/],
  ['ollama', 'ollama_gpu=maybe', /role ollama: 'ollama_gpu' .* must be bool/],
  ['metrics-server', 'metrics_server_replicas=0', /role metrics-server: 'metrics_server_replicas' .* at least 1/],
  ['gateway-api-crds', 'gateway_api_version=1.1', /role gateway-api-crds: 'gateway_api_version' .* must match/],
  ['kubelet-serving-cert-approver', 'cert_approver_version=main', /role kubelet-serving-cert-approver: 'cert_approver_version' .* must match/],
  ['doppler-secrets', 'doppler_secrets_state=gone', /role doppler-secrets: 'doppler_secrets_state' .* one of/],
];

test('platform roles: every role has a README and typed params; bad values are exit 4 before anything runs', async () => {
  for (const r of readdirSync(join(root, 'roles'))) {
    const files = readdirSync(join(root, 'roles', r), { recursive: true }).map(String);
    assert.ok(files.includes('README.md'), `${r} has no README`);
    // typed parameters: meta/argument_specs.yaml, or the TypeBox params of a TypeScript role
    if (r !== 'talos-iso') assert.ok(files.includes(join('meta', 'argument_specs.yaml')) || files.includes('role.ts'), `${r} has no typed parameters`);
  }
  const d = fixture({});
  const site = join(root, 'playbooks/site.yaml');
  const inv = ['-i', join(root, 'inventories/edge.yaml'), '-i', join(root, 'inventories/cloud.yaml')];
  const good = await cli([site, ...inv, '--list-tasks'], d);
  assert.equal(good.code, 0, good.stderr);
  for (const [role, extra, rule] of bad) {
    const r = await cli([site, ...inv, '-e', extra, '--list-tasks'], d);
    assert.equal(r.code, 4, `${role} ${extra}: ${r.stderr}`);
    assert.match(r.stderr, rule);
  }
});

test("a role entry's tags reach its meta dependencies (they run inside it), as ansible-core's dep chain: --tags x runs the dependency, its handler too; --tags own only the dependency's tagged task", async () => {
  const d = fixture({
    'roles/a/meta/main.yml': 'dependencies: [d]\n',
    'roles/a/tasks/main.yml': '- debug: msg=A\n  notify: hd\n  changed_when: true\n',
    'roles/d/tasks/main.yml': '- debug: msg=D\n- debug: msg=D2\n  tags: [own]\n',
    'roles/d/handlers/main.yml': '- name: hd\n  debug: msg=HD\n',
    'p.yml': '- hosts: localhost\n  gather_facts: false\n  roles:\n    - {role: a, tags: [x]}\n  tasks:\n    - debug: msg=T\n',
  });
  // (ansible-core 2.14.18 showed D, D2, A, HD for --tags x and D2 for --tags own, checked by hand on 3 Dec; not recorded by a script)
  const shown = async (tags: string) => [...(await cli(['p.yml', '-i', 'localhost,', '-c', 'local', '--tags', tags], d)).stdout.matchAll(/=> (\w+)/g)].map((m) => m[1]);
  assert.deepEqual(await shown('x'), ['D', 'D2', 'A', 'HD']);
  assert.deepEqual(await shown('own'), ['D2']);
});

test('a role whose tasks import a file that includes the same role from another of its files loads (no cycle: include_role is resolved when reached), as under ansible-core', async () => {
  const d = fixture({
    'roles/a/tasks/main.yml': '- import_tasks: other.yml\n',
    'roles/a/tasks/other.yml': '- include_role:\n    name: a\n    tasks_from: ours.yml\n',
    'roles/a/tasks/ours.yml': '- debug: msg=OURS\n',
    'p.yml': '- hosts: localhost\n  gather_facts: false\n  roles: [a]\n',
  });
  // (ansible-core 2.14.18 runs it, ok=1, checked by hand on 3 Dec; its special_vars target has this shape, include_parent_role_vars)
  const r = await cli(['p.yml', '-i', 'localhost,', '-c', 'local'], d);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.deepEqual([...r.stdout.matchAll(/=> (\w+)/g)].map((m) => m[1]), ['OURS']);
  assert.match(r.stdout, /localhost : ok=1 +changed=0/);
});
