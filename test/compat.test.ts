import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { execa } from 'execa';
import type { Counts } from '../lib/report/index.js';
import { cli, fixture, recapOf, root } from './helpers.js';
import { SSHD, sshHost, type Sshd } from './sshd.js';

// Ansible-style module tests (register + assert, as Ansible's own integration tests are written),
// run by agri-play on a local host and by ansible-core when installed:
// the recaps must be the same.
const dir = join(root, 'test/compat');
const playbooks = readdirSync(dir).filter((f) => f.endsWith('.yaml'));
const ANSIBLE = ['/usr/bin/ansible-playbook', '/usr/local/bin/ansible-playbook'].find((p) => existsSync(p));
const KEYS: (keyof Counts)[] = ['ok', 'changed', 'unreachable', 'failed', 'skipped', 'rescued', 'ignored'];

// the same playbooks over SSH to a real sshd: every module must behave the same on either connection
let sshd: Sshd | undefined;
let sshVars = '';
// get_url's downloads come from a loopback HTTP server
const SENSORS = 'field,moisture\n1,0.31\n';
let http: Server;
let httpUrl = '';
before(async () => {
  http = createServer((req, res) => (req.url === '/sensors.csv' ? res.end(SENSORS) : res.writeHead(404).end('not found')));
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  httpUrl = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  if (!SSHD) return;
  ({ sshd, vars: sshVars } = await sshHost());
});
after(async () => {
  http.close();
  await sshd?.stop();
});

async function agri(playbook: string, hostVars: string): Promise<Record<string, number>> {
  const d = fixture({ 'inv.yaml': `all:\n  hosts:\n    h: {${hostVars}}\n` });
  const r = await cli([join(dir, playbook), '-i', 'inv.yaml', '-e', `root=${d}`, '-e', `http=${httpUrl}`, '--json'], d, {});
  const c = recapOf(r.events).h;
  return Object.fromEntries(KEYS.map((k) => [k, c[k]]));
}

async function ansible(playbook: string): Promise<Record<string, number>> {
  const d = fixture({ 'inv.yaml': 'all:\n  hosts:\n    h: {ansible_connection: local, ansible_python_interpreter: /usr/bin/python3}\n' });
  const r = await execa(ANSIBLE!, ['-i', 'inv.yaml', join(dir, playbook), '-e', `root=${d}`, '-e', `http=${httpUrl}`], {
    cwd: d,
    reject: false,
    timeout: 300_000,
    env: { ANSIBLE_NOCOLOR: '1', ANSIBLE_LOCALHOST_WARNING: 'False', ANSIBLE_LOCAL_TEMP: join(d, '.ansible-local'), ANSIBLE_REMOTE_TEMP: join(d, '.ansible-remote'), ANSIBLE_RETRY_FILES_ENABLED: 'False' },
  });
  const line = /^h\s+:\s+(.*)$/m.exec(String(r.stdout));
  assert.ok(line, `no recap from ansible-playbook:\n${r.stdout}\n${r.stderr}`);
  return Object.fromEntries(KEYS.map((k) => [k, Number(new RegExp(`${k}=(\\d+)`).exec(line[1])![1])]));
}

for (const p of playbooks) {
  test(`compat ${p}: passes on agri-play, same recap${ANSIBLE ? ' as under ansible-core' : ''}`, async () => {
    const local = await agri(p, 'ansible_connection: local');
    assert.equal(local.failed, 0, `${p} failed on agri-play`);
    if (sshd) assert.deepEqual(await agri(p, sshVars), local, 'agri-play over ssh and local differ');
    if (ANSIBLE) assert.deepEqual(local, await ansible(p), 'agri-play and ansible-core recaps differ');
  });
}
