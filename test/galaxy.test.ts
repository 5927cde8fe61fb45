import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { cli, fixture } from './helpers.js';

// Plain Ansible roles (no package.json), installed as ansible-galaxy does, from a git repository
// and a tarball served on loopback; pinned in roles.lock.json.
const git = (cwd: string, ...args: string[]) => execFileSync('git', ['-c', 'user.email=t@t', '-c', 'user.name=t', ...args], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();

function roleRepo(d: string): { url: string; commit: (msg: string) => string } {
  git(d, 'init', '-q', '--bare', 'ntp.git');
  const w = join(d, 'work');
  git(d, 'clone', '-q', join(d, 'ntp.git'), w);
  mkdirSync(join(w, 'tasks'), { recursive: true });
  mkdirSync(join(w, 'meta'), { recursive: true });
  writeFileSync(join(w, 'meta/main.yml'), 'galaxy_info: {author: farm}\ndependencies: []\n');
  const commit = (msg: string) => {
    writeFileSync(join(w, 'tasks/main.yml'), `- name: ntp role\n  debug: {msg: "${msg}"}\n`);
    git(w, 'add', '-A');
    git(w, 'commit', '-qm', msg);
    git(w, 'push', '-q', 'origin', 'HEAD:master');
    return git(w, 'rev-parse', 'HEAD');
  };
  return { url: `git+file://${join(d, 'ntp.git')}`, commit };
}

test('roles install: a plain Ansible role from git at a tag, pinned by commit in roles.lock.json, installed at the pin again; requirements.yml', async () => {
  const d = fixture({});
  const repo = roleRepo(d);
  const first = repo.commit('version one');
  git(join(d, 'work'), 'tag', 'v1');
  git(join(d, 'work'), 'push', '-q', 'origin', 'v1');
  const proj = join(d, 'proj');
  mkdirSync(proj);
  writeFileSync(join(proj, 'requirements.yml'), `roles:\n  - src: ${repo.url}\n    version: master\n    name: ntp\ncollections:\n  - community.general\n`);
  writeFileSync(join(proj, 'p.yaml'), '- hosts: localhost\n  gather_facts: false\n  roles: [ntp]\n');
  const r = await cli(['roles', 'install'], proj);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stderr, /collections are not installed .*community\.general/);
  const lock = () => JSON.parse(readFileSync(join(proj, 'roles.lock.json'), 'utf8')) as Record<string, { commit: string }>;
  assert.equal(lock().ntp.commit, first);
  assert.match((await cli(['p.yaml', '-v'], proj)).stdout, /ntp role => version one/);
  // the branch moves on; a fresh checkout installs the locked commit, not the new head
  repo.commit('version two');
  rmSync(join(proj, 'roles'), { recursive: true });
  assert.equal((await cli(['roles', 'install'], proj)).code, 0);
  assert.match((await cli(['p.yaml', '-v'], proj)).stdout, /ntp role => version one/);
  assert.match((await cli(['roles', 'install'], proj)).stdout, /ntp: installed .*as locked/);
  // ansible-galaxy's SRC,VERSION,NAME form, at a tag
  const tagged = await cli(['roles', 'install', `${repo.url},v1,ntp_tagged`], proj);
  assert.equal(tagged.code, 0, tagged.stderr);
  assert.ok(existsSync(join(proj, 'roles/ntp_tagged/tasks/main.yml')));
  assert.ok(!existsSync(join(proj, 'roles/ntp_tagged/.git')), 'the git metadata is not kept');
  // credentials in a source URL are never printed nor locked
  const secretUrl = `git+https://farmer:s3cret-token-42@127.0.0.1:1/ntp.git`;
  const withToken = await cli(['roles', 'install', `${secretUrl},v1,ntp_private`], proj);
  assert.notEqual(withToken.code, 0);
  assert.doesNotMatch(withToken.stdout + withToken.stderr, /s3cret-token-42/);
  assert.match(withToken.stderr, /https:\/\/\*\*\*\*\*\*\*\*@127\.0\.0\.1:1\/ntp\.git/);
  assert.doesNotMatch(readFileSync(join(proj, 'roles.lock.json'), 'utf8'), /s3cret/);
  // a Galaxy name needs galaxy.ansible.com: refused with what to do
  const named = await cli(['roles', 'install', 'geerlingguy.ntp'], proj);
  assert.notEqual(named.code, 0);
  assert.match(named.stderr, /Galaxy name needs galaxy\.ansible\.com; give the role's git URL/);
});

test('roles install: a Galaxy-style .tar.gz URL (top folder dropped), its sha256 locked and checked', async () => {
  const d = fixture({ 'src/ansible-role-chrony-1.0/tasks/main.yml': '- debug: {msg: chrony}\n' });
  execFileSync('tar', ['-czf', join(d, 'chrony.tar.gz'), '-C', join(d, 'src'), 'ansible-role-chrony-1.0']);
  let body = readFileSync(join(d, 'chrony.tar.gz'));
  const server = createServer((_q, s) => s.end(body)).listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/chrony.tar.gz`;
  try {
    const proj = join(d, 'proj');
    mkdirSync(proj);
    const r = await cli(['roles', 'install', `${url},,chrony`], proj);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(existsSync(join(proj, 'roles/chrony/tasks/main.yml')));
    // the archive changes behind the same URL: refused against the lock
    body = Buffer.concat([body, Buffer.alloc(1024)]);
    rmSync(join(proj, 'roles'), { recursive: true });
    const changed = await cli(['roles', 'install', `${url},,chrony`], proj);
    assert.notEqual(changed.code, 0);
    assert.match(changed.stderr, /is not the locked/);
  } finally {
    server.close();
  }
});
