import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateSecrets, issue } from '../lib/connections/talos/pki.js';
import { TalosLab } from '../lib/lab/talos/index.js';
import { cli, failures, fixture, freePortOn, root, stepEnds, totalChanged } from './helpers.js';

// A 6-node Talos cluster (3 control planes, 3 workers) brought up from maintenance mode by the
// talos-cluster role, through the real gRPC stack, against simulated nodes (lib/lab/talos).
let lab: TalosLab;
let dir: string;
let port: number;
const ips = [11, 12, 13, 14, 15, 16].map((n) => `127.0.15.${n}`);

before(async () => {
  lab = new TalosLab(100);
  port = await freePortOn(ips);
  for (const ip of ips) await lab.boot(ip, port);
  dir = fixture({});
  const host = (name: string, ip: string) => `            ${name}: {ansible_host: ${ip}}\n`;
  writeFileSync(
    join(dir, 'inv.yaml'),
    `all:\n  vars: {talos_port: ${port}, ansible_connection: talos, talos_dir: ${join(dir, 'talos')}, cluster_name: lab-east, cp_group: cp, pod_cidr: 10.244.0.0/16, service_cidr: 10.96.0.0/12, talos_schematic: abc, talos_version: v1.11.3, kubernetes_version: v1.34.1, talos_wait: 30}\n  children:\n    cp:\n      vars: {node_role: controlplane}\n      hosts:\n${ips.slice(0, 3).map((ip, i) => host(`cp-${i + 1}`, ip)).join('')}    workers:\n      vars: {node_role: worker}\n      hosts:\n${ips.slice(3).map((ip, i) => host(`worker-${i + 1}`, ip)).join('')}`.replace(/^ {4}/gm, ''),
  );
  writeFileSync(join(dir, 'cluster.yaml'), '- hosts: all\n  gather_facts: false\n  roles: [talos-cluster]\n');
});
after(() => lab.stop());

const run = (extra: string[] = []) => cli(['cluster.yaml', '-i', 'inv.yaml', '--json', ...extra], dir, { timeoutMs: 90_000 });

test('talos: 6 nodes from maintenance to a bootstrapped cluster, once; re-run changes nothing; secrets never shown', async () => {
  const check = await run(['--check']);
  assert.equal(check.code, 0, failures(check));
  assert.equal(existsSync(join(dir, 'talos', 'secrets.yaml')), false, '--check wrote the secrets bundle');
  assert.ok([...lab.nodes.values()].every((n) => n.state === 'maintenance'));

  const first = await run();
  assert.equal(first.code, 0, failures(first));
  const nodes = [...lab.nodes.values()];
  assert.ok(nodes.every((n) => n.state === 'running' && n.applied === 1));
  const cluster = lab.clusters.get('lab-east')!;
  assert.equal(cluster.bootstraps, 1);
  const kc = join(dir, 'talos', 'kubeconfig');
  assert.equal(statSync(kc).mode & 0o777, 0o600);
  assert.equal(statSync(join(dir, 'talos', 'secrets.yaml')).mode & 0o777, 0o600);
  assert.match(readFileSync(kc, 'utf8'), /server: https:\/\/127\.0\.15\.11:6443/);
  const bundle = readFileSync(join(dir, 'talos', 'secrets.yaml'), 'utf8');

  const second = await run();
  assert.equal(second.code, 0, failures(second));
  assert.equal(totalChanged(second.events), 0, 'second run changed something');
  assert.equal(cluster.bootstraps, 1);
  assert.ok(nodes.every((n) => n.applied === 1), 'a config was applied again');
  assert.equal(readFileSync(join(dir, 'talos', 'secrets.yaml'), 'utf8'), bundle, 'the secrets bundle was regenerated');

  // no key material in any output or journal
  const keys = [...bundle.matchAll(/(?:key|secret|token): (\S{16,})/g)].map((m) => m[1]);
  const journals = readdirSync(join(dir, '.agri-play/runs')).map((f) => readFileSync(join(dir, '.agri-play/runs', f), 'utf8'));
  for (const k of keys) for (const text of [first.stdout, first.stderr, second.stdout, ...journals]) assert.ok(!text.includes(k), 'a secret of the bundle was printed');
  assert.ok(stepEnds(first.events).some((e) => e.task === 'bootstrap etcd once, on the first control plane' && e.status === 'changed'));
});

test('talos: two runs racing bootstrap one cluster once; a wrong CA is unreachable, clearly', async () => {
  const d2 = fixture({});
  const lab2 = new TalosLab(50);
  const ips2 = ['127.0.16.11', '127.0.16.12'];
  const p2 = await freePortOn(ips2);
  try {
    for (const ip of ips2) await lab2.boot(ip, p2);
    writeFileSync(join(d2, 'inv.yaml'), `all:\n  vars: {talos_port: ${p2}, ansible_connection: talos, talos_dir: ${join(d2, 'talos')}, cluster_name: race, cp_group: cp, node_role: controlplane, pod_cidr: 10.244.0.0/16, service_cidr: 10.96.0.0/12, talos_schematic: abc, talos_version: v1.11.3, kubernetes_version: v1.34.1, talos_wait: 30}\n  children:\n    cp:\n      hosts:\n        a: {ansible_host: ${ips2[0]}}\n        b: {ansible_host: ${ips2[1]}}\n`);
    writeFileSync(join(d2, 'cluster.yaml'), '- hosts: all\n  gather_facts: false\n  roles: [talos-cluster]\n');
    const setup = await cli(['cluster.yaml', '-i', 'inv.yaml', '--json', '--skip-tags', 'never', '-e', 'talos_wait=30'], d2, { timeoutMs: 90_000 });
    assert.equal(setup.code, 0, failures(setup));
    // a fresh cluster state: forget the bootstrap, then two runs race to bootstrap it
    const c = lab2.clusters.get('race')!;
    c.bootstrapped = false;
    c.bootstraps = 0;
    const [r1, r2] = await Promise.all([1, 2].map(() => cli(['cluster.yaml', '-i', 'inv.yaml', '--json'], d2, { timeoutMs: 90_000 })));
    assert.equal(r1.code, 0, failures(r1));
    assert.equal(r2.code, 0, failures(r2));
    assert.equal(c.bootstraps, 1, 'bootstrapped twice');

    // credentials of another cluster (another CA) for these nodes
    const other = await generateSecrets();
    const admin = await issue(other.certs.os, { subject: 'O=os:admin', client: true });
    const b64 = (t: string) => Buffer.from(t).toString('base64');
    writeFileSync(join(d2, 'other-talosconfig'), `context: race\ncontexts:\n  race: {endpoints: [${ips2[0]}], ca: ${other.certs.os.crt}, crt: ${b64(admin.crt)}, key: ${b64(admin.key)}}\n`);
    const wrong = await cli(['cluster.yaml', '-i', 'inv.yaml', '--json', '-e', 'talos_wait=2', '-e', `talosconfig=${join(d2, 'other-talosconfig')}`], d2, { timeoutMs: 90_000 });
    assert.equal(wrong.code, 3, failures(wrong));
    assert.match(failures(wrong), /talos 127\.0\.16\.11:\d+: .*(certificate|handshake)/i);
  } finally {
    await lab2.stop();
  }
});
