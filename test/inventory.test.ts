import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expandRange, inventoryVars, loadInventories, readVarDir, selectHosts } from '../lib/inventory/index.js';
import type { Problem } from '../lib/source/index.js';
import { cli, failures, fixture, root } from './helpers.js';
import { renderText } from '../lib/vars/index.js';

test('expands numeric, zero-padded, lettered and stepped ranges', () => {
  assert.deepEqual(expandRange('cp-[1:3]'), ['cp-1', 'cp-2', 'cp-3']);
  assert.deepEqual(expandRange('node[08:10]'), ['node08', 'node09', 'node10']);
  assert.deepEqual(expandRange('rack-[a:c]'), ['rack-a', 'rack-b', 'rack-c']);
  assert.deepEqual(expandRange('n[0:6:3]'), ['n0', 'n3', 'n6']);
  assert.deepEqual(expandRange('r[a:b]-[1:2]'), ['ra-1', 'ra-2', 'rb-1', 'rb-2']);
  assert.ok('error' in (expandRange('n[3:1]') as object));
  assert.ok('error' in (expandRange('n[1:x]') as object));
});

const site = () =>
  fixture({
    'inv/edge.yaml': `
all:
  vars: {where: all, tier: base}
  children:
    edge:
      vars: {where: edge}
      children:
        cp:
          hosts:
            edge-cp-[1:3]: {}
        workers:
          hosts:
            edge-w-1: {where: host}
            edge-w-2: {}
    gpu:
      hosts:
        edge-w-2: {}
`,
    'inv/cloud.yaml': `all:\n  children:\n    cloud:\n      hosts: {cloud-cp-1: {}}\n    gpu:\n      hosts: {cloud-cp-1: {}}\n`,
    'inv/group_vars/all.yaml': 'from_group_vars: yes\n',
    'inv/group_vars/workers/main.yaml': 'role: worker\n',
    'inv/group_vars/workers/extra.yml': 'disk: vdb\n',
    'inv/host_vars/edge-w-2.yaml': 'where: host_vars\n',
  });

test('merges several inventories, group_vars and host_vars (files and folders)', () => {
  const d = site();
  const inv = loadInventories([join(d, 'inv/edge.yaml'), join(d, 'inv/cloud.yaml')]);
  assert.deepEqual([...inv.hosts.keys()], ['edge-cp-1', 'edge-cp-2', 'edge-cp-3', 'edge-w-1', 'edge-w-2', 'cloud-cp-1']);
  const w2 = inventoryVars(inv, inv.hosts.get('edge-w-2')!);
  assert.deepEqual([w2.where, w2.role, w2.disk, w2.tier, w2.from_group_vars], ['host_vars', 'worker', 'vdb', 'base', true]);
  assert.equal(inventoryVars(inv, inv.hosts.get('edge-w-1')!).where, 'host');
  assert.equal(inventoryVars(inv, inv.hosts.get('edge-cp-1')!).where, 'edge', 'child group beats all');
  assert.deepEqual(inv.hosts.get('edge-w-2')!.groups, ['all', 'edge', 'gpu', 'workers']);
});

test('host patterns: groups, hosts, globs, regex, union, intersection, exclusion, subscripts', () => {
  const d = site();
  const inv = loadInventories([join(d, 'inv/edge.yaml'), join(d, 'inv/cloud.yaml')]);
  const sel = (p: string) => selectHosts(inv, p).hosts;
  assert.equal(sel('all').length, 6);
  assert.equal(sel('*').length, 6);
  assert.deepEqual(sel('edge:&gpu'), ['edge-w-2']);
  assert.deepEqual(sel('edge:!cp'), ['edge-w-1', 'edge-w-2']);
  assert.deepEqual(sel('cp,cloud'), ['edge-cp-1', 'edge-cp-2', 'edge-cp-3', 'cloud-cp-1']);
  assert.deepEqual(sel('*-cp-*:!edge-cp-2'), ['edge-cp-1', 'edge-cp-3', 'cloud-cp-1']);
  assert.deepEqual(sel('~edge-w-\\d'), ['edge-w-1', 'edge-w-2']);
  assert.deepEqual(sel('cp[0]'), ['edge-cp-1']);
  // as ansible-core: the end is included, [1:] runs to the last, ~regex may hold a character class
  assert.deepEqual(sel('cp[1:3]'), ['edge-cp-2', 'edge-cp-3']);
  assert.deepEqual(sel('cp[0:1]'), ['edge-cp-1', 'edge-cp-2']);
  assert.deepEqual(sel('cp[1:]'), ['edge-cp-2', 'edge-cp-3']);
  assert.deepEqual(sel('cp[-1]'), ['edge-cp-3']);
  assert.deepEqual(sel('cp[0:0]:cloud'), ['edge-cp-1', 'cloud-cp-1']);
  assert.deepEqual(sel('~edge-cp-[12]'), ['edge-cp-1', 'edge-cp-2']);
  assert.deepEqual(sel('edge-w-1'), ['edge-w-1']);
  const bad = selectHosts(inv, 'edge:&gpuu');
  assert.deepEqual(bad.unknown, [{ term: 'gpuu', hint: "did you mean 'gpu'?" }]);
});

test('an empty inventory file loads (as Ansible allows)', () => {
  const d = fixture({ 'empty.yaml': '' });
  const inv = loadInventories([join(d, 'empty.yaml')]);
  assert.equal(inv.hosts.size, 0);
});

test('the edge inventory has a PVE host, three control planes and three workers', () => {
  const inv = loadInventories([join(process.cwd(), 'inventories/edge.yaml')]);
  const sel = (p: string) => selectHosts(inv, p).hosts;
  assert.deepEqual(sel('proxmox'), ['pve-east']);
  assert.deepEqual(sel('edge:&controlplane'), ['edge-cp-1', 'edge-cp-2', 'edge-cp-3']);
  assert.deepEqual(sel('edge:&workers'), ['edge-worker-1', 'edge-worker-2', 'edge-worker-3']);
  const w = inventoryVars(inv, inv.hosts.get('edge-worker-1')!);
  const c = inventoryVars(inv, inv.hosts.get('edge-cp-1')!);
  assert.notEqual(w.vm_memory_mib, undefined);
  assert.equal(c.vm_data_disk_gb, undefined, 'control planes carry no Ceph disk');
  assert.deepEqual([w.cluster_name, w.cluster_id, w.talos_version], ['talos-east', 1, 'v1.11.3']);
});

test('an INI inventory loads as ansible-core reads it: every host, its merged variables (Python literal values) and every group equal ansible-inventory --list (recorded: npm run record:ini)', () => {
  const dir = join(root, 'test', 'inventory');
  const expected = JSON.parse(readFileSync(join(dir, 'farm.expected.json'), 'utf8')) as Record<string, { hosts?: string[]; children?: string[]; hostvars?: Record<string, Record<string, unknown>> }>;
  const inv = loadInventories([join(dir, 'farm.ini')]);
  const hostvars = expected._meta.hostvars!;
  assert.deepEqual([...inv.hosts.keys()].sort(), Object.keys(hostvars).sort());
  for (const [h, vars] of Object.entries(hostvars)) assert.deepEqual(inventoryVars(inv, inv.hosts.get(h)!), vars, h);
  for (const [g, body] of Object.entries(expected)) {
    if (g === '_meta' || !body.hosts) continue;
    const direct = inv.groups.get(g)!.hosts;
    assert.deepEqual([...direct].sort(), [...body.hosts].sort(), `group ${g}`);
  }
  assert.deepEqual([...inv.groups.get('edge')!.children].sort(), ['cp', 'workers']);
});

test('inline vars, group_vars/ and host_vars/ beside the inventory and beside the playbook merge as ansible-core merges them (ansible-inventory --playbook-dir --list, recorded: npm run record:layers)', () => {
  const dir = join(root, 'test', 'inventory');
  const expected = JSON.parse(readFileSync(join(dir, 'layers.expected.json'), 'utf8')) as { _meta: { hostvars: Record<string, Record<string, unknown>> } };
  const inv = loadInventories([join(dir, 'layers', 'inv', 'hosts.yml')]);
  const problems: Problem[] = [];
  readVarDir(inv, join(dir, 'layers', 'pb'), true, problems);
  assert.deepEqual(problems, []);
  const hostvars = expected._meta.hostvars;
  assert.deepEqual([...inv.hosts.keys()].sort(), Object.keys(hostvars).sort());
  // (same-depth groups in code-point order, `Web` before `app_x` before `web`; ansible_group_priority first; a group_vars file of no group passed over)
  for (const [h, vars] of Object.entries(hostvars)) assert.deepEqual(inventoryVars(inv, inv.hosts.get(h)!), vars, h);
  assert.equal(inv.groups.has('nosuchgroup'), false);
});

test('a run takes group_vars/ and host_vars/ beside its playbook over those beside its inventory (the same values as ansible-inventory --playbook-dir)', async () => {
  const dir = join(root, 'test', 'inventory');
  const expected = JSON.parse(readFileSync(join(dir, 'layers.expected.json'), 'utf8')) as { _meta: { hostvars: Record<string, Record<string, unknown>> } };
  const d = fixture({ 'inv/hosts.yml': readFileSync(join(dir, 'layers', 'inv', 'hosts.yml'), 'utf8') });
  cpSync(join(dir, 'layers', 'inv'), join(d, 'inv'), { recursive: true });
  cpSync(join(dir, 'layers', 'pb'), join(d, 'pb'), { recursive: true });
  writeFileSync(join(d, 'pb', 'site.yml'), '- hosts: all\n  gather_facts: false\n  connection: local\n  tasks:\n    - debug: {msg: "{{ [a, b, c, d, i | default(None), j | default(None), m | default(None), n, o | default(None)] | to_json }}"}\n');
  const r = await cli(['pb/site.yml', '-i', 'inv/hosts.yml', '--json'], d);
  assert.equal(r.code, 0, failures(r));
  for (const [h, v] of Object.entries(expected._meta.hostvars)) {
    const shown = r.events.find((e) => e.event === 'step_end' && e.host === h && e.module === 'debug');
    const want = [v.a, v.b, v.c, v.d, v.i ?? null, v.j ?? null, v.m ?? null, v.n, v.o ?? null];
    assert.deepEqual(JSON.parse(String(shown?.event === 'step_end' ? shown.msg : null)), want, h);
  }
});

test('host patterns select the hosts ansible-core selects, in the order its plays run them (ansible --list-hosts and a playbook over farm.ini, recorded: npm run record:patterns)', () => {
  const dir = join(root, 'test', 'inventory');
  const expected = JSON.parse(readFileSync(join(dir, 'patterns.expected.json'), 'utf8')) as { patterns: Record<string, string[]>; order: Record<string, string[]>; order_yaml: Record<string, string[]> };
  const inv = loadInventories([join(dir, 'farm.ini')]);
  for (const [pattern, hosts] of Object.entries(expected.patterns)) assert.deepEqual(selectHosts(inv, pattern).hosts.slice().sort(), hosts.slice().sort(), pattern);
  // the order a play runs them in: the terms' order, a group's hosts level by level (ansible-core's Group.get_hosts)
  for (const [pattern, hosts] of Object.entries(expected.order)) assert.deepEqual(selectHosts(inv, pattern).hosts, hosts, `${pattern} (order)`);
  // a YAML inventory's hosts and groups in the order its keys are written (children before hosts there)
  const yaml = loadInventories([join(dir, 'order.yaml')]);
  for (const [pattern, hosts] of Object.entries(expected.order_yaml)) assert.deepEqual(selectHosts(yaml, pattern).hosts, hosts, `${pattern} (order.yaml)`);
});

test('a whole-valued float in a YAML or INI inventory stays a float (ansible -m debug prints 1.0-float for both)', () => {
  const d = fixture({ 'inv.yaml': 'all:\n  hosts:\n    h1: {ratio: 1.0, n: 1}\n', 'inv.ini': 'h2 ratio=1.0 n=1\n' });
  const inv = loadInventories([join(d, 'inv.yaml'), join(d, 'inv.ini')]);
  for (const h of ['h1', 'h2']) {
    const v = inventoryVars(inv, inv.hosts.get(h)!);
    assert.equal(renderText('{{ ratio }}-{{ ratio | type_debug }} {{ n }}-{{ n | type_debug }}', v), '1.0-float 1-int', h);
  }
});
