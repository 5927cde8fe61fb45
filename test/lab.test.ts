import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pidAlive as alive, SSHD } from '../lib/lab/index.js';
import type { LabEvent } from '../lib/report/index.js';
import { cli, failures, fixture, recapOf, STACK, stepEnds, totalChanged } from './helpers.js';

// `agri-play lab`: the real site playbook (inventories/edge.yaml + cloud.yaml) against the whole
// simulated farm (lib/lab: Proxmox over sshd, Talos, Kubernetes API, charts, Doppler).
const skip = SSHD ? false : 'sshd is not installed (CI installs openssh-server)';

test('lab: one command plans, converges both sites and the mesh, and re-runs with changed=0 (no sshd needed)', async () => {
  const d = fixture({});
  // what a fresh machine without OpenSSH gets: the Proxmox host behind the in-process SSH server
  const r = await cli(['lab'], d, { timeoutMs: 240_000, env: { AGRI_LAB_SSH: 'builtin' } });
  assert.equal(r.code, 0, r.stdout.slice(-3000) + r.stderr);
  const recaps = [...r.stdout.matchAll(/PLAY RECAP[\s\S]*?(?=\n\n|\n\S+s ·|$)/g)].map((m) => m[0]);
  assert.equal(recaps.length, 3, 'check, converge, converge again');
  const changed = (text: string) => [...text.matchAll(/changed=(\d+)/g)].reduce((n, m) => n + Number(m[1]), 0);
  assert.ok(changed(recaps[1]) > 50, 'the converge changed the farm');
  assert.equal(changed(recaps[2]), 0, 'the second converge changed something');
  assert.match(r.stdout, /the lab is stopped/);
  const report = r.stdout.match(/Report of the converge .*: (\S+\.html)/)?.[1];
  assert.ok(report && existsSync(report), `no report written: ${report}`);
  for (const h of ['pve-east', 'talos-west', 'cloud-worker-3']) assert.ok(readFileSync(report, 'utf8').includes(h), `report lacks ${h}`);
});

test('lab --faults --json: a hung boot, a slow link and a failed helm install are recovered; events for machines', async () => {
  const d = fixture({});
  const r = await cli(['lab', '--faults', '--json'], d, { timeoutMs: 240_000 });
  assert.equal(r.code, 0, failures(r));
  const lab = r.events as unknown as LabEvent[];
  const start = lab.find((e) => e.event === 'lab_start');
  assert.equal(start?.event === 'lab_start' && start.faults.length, 3);
  assert.deepEqual(lab.filter((e) => e.event === 'lab_phase').map((e) => e.event === 'lab_phase' && e.phase), [1, 2, 3]);
  const recaps = r.events.filter((e) => e.event === 'recap');
  assert.equal(recaps.length, 3);
  // each of the 3 runs: the recap says what its printed step lines say, host by host (run_once counted once)
  let lines: Record<string, { ok: number; changed: number; failed: number; skipped: number }> = {};
  for (const e of r.events) {
    if (e.event === 'run_start') lines = {};
    if (e.event === 'step_end' && !e.run_once_copy) {
      const c = (lines[e.host] ??= { ok: 0, changed: 0, failed: 0, skipped: 0 });
      if (['ok', 'changed', 'ignored'].includes(e.status)) c.ok++;
      if (e.status === 'changed') c.changed++;
      if (e.status === 'failed') c.failed++;
      if (e.status === 'skipped') c.skipped++;
    }
    if (e.event === 'recap')
      for (const [h, c] of Object.entries(e.hosts)) assert.deepEqual({ ok: c.ok, changed: c.changed, failed: c.failed, skipped: c.skipped }, lines[h] ?? { ok: 0, changed: 0, failed: 0, skipped: 0 }, `recap of ${h}`);
  }
  const last = recaps[2];
  assert.ok(last.event === 'recap' && Object.values(last.hosts).every((c) => c.changed === 0 && c.failed === 0), 'the second converge changed something');
  const retried = r.events.filter((e) => e.event === 'retry');
  assert.ok(retried.some((e) => e.event === 'retry' && /etcdserver: request timed out/.test(e.msg ?? '')), 'the helm install did not fail once');
  assert.ok(retried.every((e) => e.event === 'retry' && !e.task.includes('{{')), 'retry names the task as shown');
  const end = lab.find((e) => e.event === 'lab_end');
  assert.ok(end?.event === 'lab_end' && end.code === 0 && end.report && existsSync(end.report), JSON.stringify(end));
});

test('lab up → site → re-run changed=0 → destroy → down: state and pids under .agri-play/lab, nothing left running', { skip }, async () => {
  const d = fixture({});
  const up = await cli(['lab', 'up'], d, { timeoutMs: 60_000 });
  assert.equal(up.code, 0, up.stdout + up.stderr);
  const lab = JSON.parse(readFileSync(join(d, '.agri-play/lab/lab.json'), 'utf8')) as { pid: number; env: Record<string, string>; children: number[] };
  assert.ok(lab.children.every(alive), 'the processes the lab started are running');
  const doppler = () => readFileSync(join(d, '.agri-play/lab/doppler.json'), 'utf8');
  assert.ok(alive(lab.pid));
  try {
    assert.match((await cli(['lab', 'status'], d)).stdout, new RegExp(`lab up \\(pid ${lab.pid}\\)`));
    const root = join(import.meta.dirname, '..', '..');
    const inv = ['-i', join(root, 'inventories/edge.yaml'), '-i', join(root, 'inventories/cloud.yaml'), '-i', join(d, '.agri-play/lab/lab.yaml'), '-e', `@${join(d, '.agri-play/lab/lab-vars.yaml')}`];
    // --check on the empty farm: a broken input fails at its step; what depends on would-be VMs says so
    const broken = await cli([join(root, 'playbooks/site.yaml'), ...inv, '--check', '--json', '-e', '{"cilium_values_files": ["missing-values.yaml"]}'], d, { timeoutMs: 180_000, env: lab.env });
    assert.equal(broken.code, 2, failures(broken));
    const failed = stepEnds(broken.events).filter((e) => e.status === 'failed');
    assert.ok(failed.length > 0 && failed.every((e) => e.module === 'helm_release' && /could not find values file 'missing-values.yaml'/.test(e.msg ?? '')), JSON.stringify(failed));
    const unknowable = stepEnds(broken.events).filter((e) => e.depends_on);
    assert.ok(unknowable.length > 0 && unknowable.every((e) => /would change/.test(e.note ?? '')), 'steps that depend on would-be machines name the dependency');
    // the edge's Proxmox host unreachable: its nodes and cluster are skipped with why, the cloud site converges
    writeFileSync(join(d, 'pve-down.yaml'), 'all:\n  hosts:\n    pve-east: {ansible_port: 1}\n');
    const down = await cli([join(root, 'playbooks/site.yaml'), ...inv, '-i', join(d, 'pve-down.yaml'), '--json'], d, { timeoutMs: 180_000, env: lab.env });
    assert.equal(down.code, 3, failures(down));
    const downRecap = recapOf(down.events);
    assert.ok(Object.values(downRecap).every((c) => c.failed === 0), failures(down));
    for (const h of ['edge-cp-1', 'edge-worker-3', 'talos-east']) assert.ok(stepEnds(down.events).some((e) => e.host === h && e.note === 'depends on unreachable host pve-east'), h);
    assert.ok(downRecap['talos-west'].changed > 0, 'the cloud site waited for the edge');
    const site = await cli(['lab', 'site', '--json'], d, { timeoutMs: 180_000 });
    assert.equal(site.code, 0, failures(site));
    assert.ok(recapOf(site.events)['talos-east'].changed > 0);
    const again = await cli(['lab', 'site', '--json'], d, { timeoutMs: 180_000 });
    assert.equal(totalChanged(again.events), 0, failures(again));
    for (const name of ['TALOS_EAST_KUBECONFIG', 'TALOS_WEST_TALOSCONFIG']) assert.ok(doppler().includes(name), `${name} not in Doppler`);
    const refuse = await cli([join(root, 'playbooks/destroy.yaml'), ...inv, '--json'], d, { timeoutMs: 60_000, env: lab.env });
    assert.equal(refuse.code, 2, 'destroy without confirm must refuse: ' + refuse.stdout.slice(-1500) + refuse.stderr);
    assert.ok(stepEnds(refuse.events).every((e) => e.play === 'confirm'), 'a refused destroy went on');
    const destroy = await cli([join(root, 'playbooks/destroy.yaml'), ...inv, '-e', 'confirm=talos-east,talos-west', '--json'], d, { timeoutMs: 120_000, env: lab.env });
    assert.equal(destroy.code, 0, failures(destroy));
    // releases first, then the VMs, then the Doppler entries
    const order = stepEnds(destroy.events).filter((e) => e.status === 'changed').map((e) => e.play);
    assert.deepEqual([...new Set(order)], ['Helm releases', 'VMs', 'Talos ISO', 'Doppler entries']);
    assert.ok(!doppler().includes('TALOS_EAST_KUBECONFIG'), 'the kubeconfig is still in Doppler');
    assert.ok(totalChanged(destroy.events) >= 12);
    for (const node of ['pve-east', 'pve-west']) {
      const pve = JSON.parse(readFileSync(join(d, '.agri-play/lab', node, 'pve-state.json'), 'utf8')) as { vms: object };
      assert.deepEqual(Object.keys(pve.vms), [], `VMs left on ${node} after destroy`);
    }
  } finally {
    const down = await cli(['lab', 'down'], d, { timeoutMs: 30_000 });
    assert.equal(down.code, 0, down.stdout + down.stderr);
  }
  assert.equal(alive(lab.pid), false, 'the lab process is still running');
  assert.deepEqual(lab.children.filter(alive), [], 'a process the lab started is still running');
  assert.equal(existsSync(join(d, '.agri-play/lab/lab.json')), false);
});

test('lab: bad input stops it with exit 4 and the problem, no report and no stack trace', async () => {
  const d = fixture({});
  const r = await cli(['lab', '-e', 'cilium_version=latest'], d, { timeoutMs: 60_000, env: { AGRI_LAB_SSH: 'builtin' } });
  assert.equal(r.code, 4, r.stdout + r.stderr);
  assert.match(r.stderr, /role cilium: 'cilium_version' .* must match/);
  assert.match(r.stdout, /stopped \(exit 4\) in [\d.]+s; the lab is stopped/);
  assert.doesNotMatch(r.stderr, STACK);
});
