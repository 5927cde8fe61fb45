import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateSecrets, issue } from '../lib/connections/talos/pki.js';
import { kubeApiAtBootstrap, startDoppler, type KubeSim } from '../lib/lab/index.js';
import { TalosLab } from '../lib/lab/talos/index.js';
import { cli, failures, fixture, freePortOn, stepEnds, totalChanged } from './helpers.js';

// A 6-node Talos cluster (3 control planes, 3 workers) brought up from maintenance mode by the
// talos-cluster role, through the real gRPC stack, against simulated nodes (lib/lab/talos).
let lab: TalosLab;
let dir: string;
let port: number;
const apis = new Map<string, KubeSim>();
const ips = [11, 12, 13, 14, 15, 16].map((n) => `127.0.15.${n}`);

before(async () => {
  // each cluster gets its (simulated) Kubernetes API when bootstrapped, as in the lab
  lab = new TalosLab(100, { bootstrap: kubeApiAtBootstrap(apis, () => [...lab.nodes.values()]).hook });
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
after(async () => {
  await lab.stop();
  await Promise.all([...apis.values()].map((a) => a.close()));
});

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
  const ready = stepEnds(first.events).find((e) => e.task === 'Kubernetes API of lab-east ready' && e.host === 'cp-1');
  assert.equal(ready?.status, 'ok', 'the Kubernetes API was not checked');
  assert.ok(apis.get('lab-east')!.requests.some((r) => r.path === '/readyz' && r.status === 200));
});

test('talos: two runs racing bootstrap one cluster once; a wrong CA is unreachable, clearly', async () => {
  const d2 = fixture({});
  const apis2 = new Map<string, KubeSim>();
  const lab2: TalosLab = new TalosLab(50, { bootstrap: kubeApiAtBootstrap(apis2, () => [...lab2.nodes.values()]).hook });
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
    await Promise.all([...apis2.values()].map((a) => a.close()));
  }
});

test('talos: upgrade one node at a time; data disks wiped only where named; reset only for the hosts named', async () => {
  writeFileSync(
    join(dir, 'upgrade.yaml'),
    `- hosts: workers\n  gather_facts: false\n  serial: 1\n  vars: {talosconfig: "{{ talos_dir }}/talosconfig"}\n  tasks:\n    - talos_upgrade: {image: "factory.talos.dev/metal-installer/abc:{{ to }}", wait: 30}\n`,
  );
  const up = await cli(['upgrade.yaml', '-i', 'inv.yaml', '--json', '-e', 'to=v1.11.5'], dir, { timeoutMs: 90_000 });
  assert.equal(up.code, 0, failures(up));
  const workers = [...lab.nodes.values()].filter((n) => n.type === 'worker');
  assert.deepEqual(workers.map((n) => n.version), ['v1.11.5', 'v1.11.5', 'v1.11.5']);
  assert.equal(totalChanged(up.events), 3);
  const again = await cli(['upgrade.yaml', '-i', 'inv.yaml', '--json', '-e', 'to=v1.11.5'], dir, { timeoutMs: 90_000 });
  assert.equal(totalChanged(again.events), 0, failures(again));

  // Ceph data disks: wiped only where named, the node keeps its config; the install disk is refused
  writeFileSync(join(dir, 'wipe.yaml'), `- hosts: workers\n  gather_facts: false\n  vars: {talosconfig: "{{ talos_dir }}/talosconfig"}\n  tasks:\n    - talos_wipe_disks: {disks: "{{ ceph_wipe_disks[inventory_hostname] }}", wait: 30}\n      when: inventory_hostname in (ceph_wipe_disks | default({}))\n`);
  const w1 = [...lab.nodes.values()].find((n) => n.ip === ips[3])!;
  const wipe = await cli(['wipe.yaml', '-i', 'inv.yaml', '--json', '-e', '{"ceph_wipe_disks": {"worker-1": ["/dev/vdb"]}}'], dir, { timeoutMs: 90_000 });
  assert.equal(wipe.code, 0, failures(wipe));
  assert.deepEqual(workers.map((n) => n.wiped), [['/dev/vdb'], [], []]);
  assert.equal(w1.state, 'running', 'the node did not come back configured');
  assert.equal(totalChanged((await cli(['wipe.yaml', '-i', 'inv.yaml', '--json'], dir)).events), 0, 'wiped without being asked');
  const system = await cli(['wipe.yaml', '-i', 'inv.yaml', '--json', '-e', '{"ceph_wipe_disks": {"worker-2": ["/dev/vda"]}}'], dir);
  assert.equal(system.code, 2);
  assert.match(stepEnds(system.events).find((e) => e.status === 'failed')?.msg ?? '', /refusing to wipe \/dev\/vda: it is the install disk/);

  writeFileSync(join(dir, 'reset.yaml'), `- hosts: worker-3\n  gather_facts: false\n  vars: {talosconfig: "{{ talos_dir }}/talosconfig"}\n  tasks:\n    - talos_reset: {graceful: false, wait: 30}\n`);
  const refused = await cli(['reset.yaml', '-i', 'inv.yaml', '--json'], dir);
  assert.equal(refused.code, 2);
  assert.match(stepEnds(refused.events)[0].msg ?? '', /refusing to reset worker-3: add -e talos_reset_confirm=worker-3/);
  const w3 = [...lab.nodes.values()].find((n) => n.ip === ips[5])!;
  assert.equal(w3.state, 'running', 'a refused reset touched the node');
  const reset = await cli(['reset.yaml', '-i', 'inv.yaml', '--json', '-e', 'talos_reset_confirm=worker-3'], dir, { timeoutMs: 90_000 });
  assert.equal(reset.code, 0, failures(reset));
  assert.equal(w3.state, 'maintenance');
  const twice = await cli(['reset.yaml', '-i', 'inv.yaml', '--json', '-e', 'talos_reset_confirm=worker-3'], dir, { timeoutMs: 90_000 });
  assert.equal(totalChanged(twice.events), 0, failures(twice));
});

test('talos: the secrets bundle kept in Doppler: uploaded once, restored from there, never regenerated; a second bundle refused', async () => {
  const doppler = await startDoppler();
  try {
    const d = fixture({
      'inv.yaml': 'all:\n  hosts:\n    ctl: {ansible_connection: local}\n',
      'p.yaml': `- hosts: all\n  gather_facts: false\n  tasks:\n    - talos_secrets: {dir: "{{ out }}/talos", cluster_name: lab, endpoints: [127.0.0.1], doppler_secret: LAB_TALOS_SECRETS}\n`,
    });
    const go = () => cli(['p.yaml', '-i', 'inv.yaml', '-e', `out=${d}`, '--json', '--diff', '-v'], d, { env: { DOPPLER_TOKEN: doppler.serviceToken('farm', 'prd'), DOPPLER_API_HOST: doppler.url } });
    const first = await go();
    assert.equal(first.code, 0, failures(first));
    const bundle = readFileSync(join(d, 'talos/secrets.yaml'), 'utf8');
    assert.equal(doppler.get('farm', 'prd', 'LAB_TALOS_SECRETS'), bundle);
    assert.equal(totalChanged((await go()).events), 0);
    rmSync(join(d, 'talos'), { recursive: true });
    const restored = await go();
    assert.equal(restored.code, 0, failures(restored));
    assert.equal(readFileSync(join(d, 'talos/secrets.yaml'), 'utf8'), bundle, 'regenerated instead of restored from Doppler');
    const key = bundle.match(/secret: (\S{16,})/)![1];
    for (const r of [first, restored]) assert.ok(!r.stdout.includes(key), 'bundle material printed');
    writeFileSync(join(d, 'talos/secrets.yaml'), bundle.replace(key, 'x'.repeat(key.length)));
    const two = await go();
    assert.equal(two.code, 2);
    assert.match(stepEnds(two.events)[0].msg ?? '', /differs from Doppler's LAB_TALOS_SECRETS: two bundles/);
  } finally {
    doppler.close();
  }
});
