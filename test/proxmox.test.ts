import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { readState, startPveHost, type PveHost } from '../lib/lab/proxmox/index.js';
import { cli, failures, fixture, recapOf, root, stepEnds, totalChanged } from './helpers.js';
import { keygen, SSHD } from './sshd.js';

// The site's VM plan (inventories/edge.yaml + cloud.yaml, role proxmox-vms) against the
// simulated Proxmox VE node (lib/lab/proxmox), reached over SSH through a real sshd.
const skip = SSHD ? false : 'sshd is not installed (CI installs openssh-server)';
let pve: PveHost;
let dir: string;
let overlay: string;

before(async () => {
  if (skip) return;
  dir = fixture({});
  const k = keygen(dir, 'client');
  pve = await startPveHost(join(dir, 'pve'), [k.pub], { networks: { '1500': '127.0.15.', '2000': '127.0.20.' }, agentDelayMs: 50 });
  writeFileSync(join(dir, 'known_hosts'), pve.sshd.knownHostsLine + '\n');
  const reach = `{ansible_host: 127.0.0.1, ansible_port: ${pve.sshd.port}, ansible_user: ${userInfo().username}, ansible_ssh_private_key_file: ${k.priv}, ansible_ssh_known_hosts_file: ${join(dir, 'known_hosts')}}`;
  // both sites' PVE hosts are the one simulated node `pve` (as in the seed platform)
  overlay = join(dir, 'lab-pve.yaml');
  writeFileSync(overlay, `all:\n  hosts:\n    pve-east: ${reach}\n    pve-west: ${reach}\n`);
});
after(() => pve?.stop());

const inv = () => ['-i', join(root, 'inventories/edge.yaml'), '-i', join(root, 'inventories/cloud.yaml'), '-i', overlay];
const site = (extra: string[] = []) => cli([join(root, 'playbooks/vms.yaml'), ...inv(), '--json', ...extra], dir, { timeoutMs: 90_000 });
const vms = () => readState(join(dir, 'pve')).vms;

test('proxmox: 12 VMs from nothing, started, addressed; re-run changes nothing; memory change touches one VM; shrink refused; destroy twice', { skip }, async () => {
  const check = await site(['--check']);
  assert.equal(check.code, 0, failures(check));
  assert.equal(Object.keys(vms()).length, 0, '--check created VMs');

  const first = await site();
  assert.equal(first.code, 0, failures(first));
  const all = vms();
  assert.equal(Object.keys(all).length, 12);
  const cp = all[1501].config;
  assert.equal(cp.name, 'edge-cp-1');
  assert.equal(cp.cores, 8);
  assert.equal(cp.memory, '32768');
  assert.match(String(cp.net0), /^virtio=BC:24:11:[0-9A-F:]+,bridge=vmbr0,tag=1500$/);
  assert.equal(all[1504].config.memory, '65536', 'workers get the worker memory, not the control plane one');
  assert.match(String(all[1504].config.virtio1), /size=128G/);
  assert.match(String(all[2004].config.virtio1), /size=64G/);
  assert.equal(all[1501].config.virtio1, undefined, 'control planes have no data disk');
  assert.ok(Object.values(all).every((v) => v.status === 'running'));
  const ips = stepEnds(first.events).filter((e) => e.task === 'reach the node at its address');
  assert.equal(ips.length, 12);

  const second = await site();
  assert.equal(second.code, 0, failures(second));
  assert.equal(totalChanged(second.events), 0, 'second run changed something');

  const bigger = await site(['--limit', 'edge-worker-2', '-e', 'vm_memory_mib=98304']);
  assert.equal(bigger.code, 0, failures(bigger));
  const changed = stepEnds(bigger.events).filter((e) => e.status === 'changed');
  assert.deepEqual(changed.map((e) => e.host), ['edge-worker-2']);
  assert.equal(vms()[1505].pending.memory, '98304', 'memory of a running VM waits for a power cycle');
  assert.equal(recapOf(bigger.events)['edge-worker-2'].changed, 1);
  // the change waits in the config file's [PENDING] section, which the next check reads: nothing to do
  assert.match(readFileSync(join(dir, 'pve', 'etc-pve', 'qemu-server', '1505.conf'), 'utf8'), /\n\[PENDING\]\nmemory: 98304\n/);
  const biggerAgain = await site(['--limit', 'edge-worker-2', '-e', 'vm_memory_mib=98304']);
  assert.equal(biggerAgain.code, 0, failures(biggerAgain));
  assert.equal(totalChanged(biggerAgain.events), 0, 'the pending memory was read as the VM\'s');

  const shrink = await site(['--limit', 'cloud-worker-1', '-e', 'vm_data_disk_gb=32']);
  assert.equal(shrink.code, 2);
  assert.match(shrink.stdout, /virtio1 is 64 GiB; the desired 32 GiB would shrink it/);
  assert.match(String(vms()[2004].config.virtio1), /size=64G/);

  const destroy = () => cli([join(root, 'playbooks/destroy.yaml'), ...inv(), '--json', '-e', 'confirm=talos-east', '--limit', 'edge:pve-east', '--skip-tags', 'doppler'], dir, { timeoutMs: 90_000 });
  const refused = await cli([join(root, 'playbooks/destroy.yaml'), ...inv(), '--limit', 'edge'], dir);
  assert.equal(refused.code, 2);
  assert.match(refused.stdout, /refusing to destroy talos-east: add -e confirm=talos-east/);
  const gone = await destroy();
  assert.equal(gone.code, 0, failures(gone));
  assert.deepEqual(Object.keys(vms()).map(Number).sort(), [2001, 2002, 2003, 2004, 2005, 2006], 'destroy removed exactly the edge VMs');
  const again = await destroy();
  assert.equal(totalChanged(again.events), 0);
});

test('proxmox: a bad VLAN or vmid in the inventory is exit 4 before anything runs', { skip }, async () => {
  const bad = fixture({ 'bad.yaml': 'all:\n  children:\n    edge_cp:\n      hosts:\n        edge-cp-1: { vmid: 42 }\n    edge:\n      vars: { vlan: 5000 }\n' });
  const r = await cli([join(root, 'playbooks/site.yaml'), ...inv(), '-i', join(bad, 'bad.yaml')], dir);
  assert.equal(r.code, 4, r.stdout + r.stderr);
  assert.match(r.stderr, /bad\.yaml:5:\d+.*vmid/);
  assert.match(r.stderr, /bad\.yaml:7:\d+.*vlan/);
  assert.equal(Object.keys(vms()).filter((id) => id === '42').length, 0);
});

test('proxmox: an ISO with a checksum is downloaded once, kept, and fetched again when its sha256 differs', { skip }, async () => {
  const url = 'https://factory.example/metal-amd64.iso';
  // the simulated download-url writes this placeholder (the lab has no network)
  const sum = createHash('sha256').update(`SIMULATED ISO (agri-play lab, no network): ${url}\n`).digest('hex');
  const pb = fixture({ 'iso.yaml': `- hosts: pve-east\n  gather_facts: false\n  tasks:\n    - proxmox_iso: { url: "${url}", filename: t.iso, checksum: "${sum}" }\n` });
  const run = (extra: string[] = []) => cli([join(pb, 'iso.yaml'), '-i', overlay, '--json', ...extra], dir, { timeoutMs: 60_000 });
  const iso = join(dir, 'pve', 'storage', 'local', 'template', 'iso', 't.iso');
  const first = await run();
  assert.equal(first.code, 0, failures(first));
  assert.equal(totalChanged(first.events), 1);
  assert.equal(totalChanged((await run()).events), 0, 'a present ISO with the right sha256 was fetched again');
  writeFileSync(iso, 'a truncated download\n');
  const check = await run(['--check', '--diff']);
  assert.equal(check.code, 0, failures(check));
  assert.equal(totalChanged(check.events), 1);
  assert.match(check.stdout, new RegExp(`sha256.*${sum}`));
  assert.equal(readFileSync(iso, 'utf8'), 'a truncated download\n', '--check changed the ISO');
  assert.equal(totalChanged((await run()).events), 1);
  assert.equal(createHash('sha256').update(readFileSync(iso)).digest('hex'), sum);
  assert.equal(totalChanged((await run()).events), 0);
});
