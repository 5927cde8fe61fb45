import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { cli, fixture, recapOf, stepEnds, root, STACK } from './helpers.js';

// Roles from other repositories: a git repository made here (role package with an Ansible-layout
// role and a JavaScript role written with defineRole), installed with npm through git+file, pinned
// by package-lock.json; and a role from the project's own roles/ folder.
const git = (cwd: string, ...args: string[]) => execa('git', args, { cwd, env: { GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' } });

const motd = (v: string) => `import { defineRole } from 'agri-play';
export default defineRole({
  name: 'motd',
  params: { type: 'object', properties: { motd_text: { type: 'string', minLength: 1 }, motd_mode: { anyOf: [{ const: '0644' }, { const: '0600' }] } }, required: ['motd_text'] },
  defaults: { motd_mode: '0644' },
  tasks: [{ name: 'motd (${v})', copy: { dest: '{{ out }}/motd', content: '{{ motd_text }} ${v}\\n', mode: '{{ motd_mode }}' } }],
});
`;

function rolePackage(api = '^0.1'): string {
  return fixture({
    'package.json': JSON.stringify({ name: '@acme/agri-roles', version: '1.0.0', type: 'module', 'agri-play': { api, roles: { greet: 'roles/greet', motd: 'motd.js', uptime: 'roles/uptime/role.ts' } } }, null, 2),
    // a TypeScript role as code, shipped as source: loaded without a build step
    'roles/uptime/role.ts': `import { defineRole, Type } from 'agri-play';
export default defineRole({
  name: 'uptime',
  params: Type.Object({ out: Type.String() }),
  tasks(t, { params, host }) {
    const w = t.copy({ dest: \`\${params.out}/uptime\`, content: \`up on \${host}\\n\` });
    const c = t.$\`cat \${params.out + '/uptime'}\`.changedWhen(() => false);
    t.debug({ msg: () => \`read: \${c.result.stdout}\` }, { when: () => !w.result.failed });
  },
});
`,
    'roles/greet/defaults/main.yaml': 'greeting: hello\n',
    'roles/greet/tasks/main.yaml': '- name: greet\n  copy: {dest: "{{ out }}/greet", content: "{{ greeting }} v1\\n"}\n',
    'motd.js': motd('v1'),
  });
}

const playbook = `- hosts: all
  roles:
    - local-role
    - "@acme/agri-roles/greet"
    - role: "@acme/agri-roles/motd"
      vars: {motd_text: welcome}
    - "@acme/agri-roles/uptime"
`;

async function project(repo: string) {
  const d = fixture({
    'package.json': JSON.stringify({ name: 'farm', version: '1.0.0', private: true }),
    'inv.yaml': 'all:\n  hosts:\n    edge-1: {ansible_connection: local}\n',
    'site.yaml': playbook,
    'roles/local-role/tasks/main.yaml': '- name: local\n  file: {path: "{{ out }}/local", state: touch, modification_time: preserve, access_time: preserve}\n',
  });
  const add = await cli(['roles', 'add', `git+file://${repo}#v1`], d, { timeoutMs: 120_000 });
  assert.equal(add.code, 0, add.stdout + add.stderr);
  linkAgriPlay(d);
  return { d, add };
}

/** The project depends on agri-play, as a real one does (role modules import defineRole from it); npm prunes the link. */
function linkAgriPlay(d: string): void {
  mkdirSync(join(d, 'node_modules'), { recursive: true });
  rmSync(join(d, 'node_modules', 'agri-play'), { force: true });
  symlinkSync(root, join(d, 'node_modules', 'agri-play'));
}

const run = (d: string, extra: string[] = []) => cli(['site.yaml', '-i', 'inv.yaml', '-e', `out=${d}`, '--json', ...extra], d, { timeoutMs: 60_000 });

test('role packages: git+file install pinned by the lockfile; an upstream tag move changes nothing until npm update', async () => {
  const repo = rolePackage();
  await git(repo, 'init', '-q');
  await git(repo, 'add', '.');
  await git(repo, 'commit', '-qm', 'v1');
  await git(repo, 'tag', 'v1');
  const first = (await git(repo, 'rev-parse', 'HEAD')).stdout.trim();
  const { d, add } = await project(repo);
  assert.match(add.stdout, /@acme\/agri-roles\/greet .* 1\.0\.0 +[0-9a-f]{40}/);

  const r1 = await run(d);
  assert.equal(r1.code, 0, r1.stdout + r1.stderr);
  assert.equal(readFileSync(join(d, 'greet'), 'utf8'), 'hello v1\n');
  assert.equal(readFileSync(join(d, 'motd'), 'utf8'), 'welcome v1\n');
  assert.equal(readFileSync(join(d, 'uptime'), 'utf8'), 'up on edge-1\n');
  assert.ok(stepEnds(r1.events).some((e) => e.msg === 'read: up on edge-1' && /roles\/uptime\/role\.ts:\d+$/.test(e.at)), 'the TS role\'s steps ran, located in its role.ts');
  assert.equal(recapOf(r1.events)['edge-1'].changed, 4);
  assert.equal(recapOf((await run(d)).events)['edge-1'].changed, 0, 'second run changed something');

  const list = await cli(['roles', 'list'], d);
  assert.match(list.stdout, new RegExp(`@acme/agri-roles/motd +git\\+file://\\S+#v1 +1\\.0\\.0 +${first}`));
  assert.match(list.stdout, /local-role +roles\/ \(this project\)/);
  const why = await cli(['roles', 'why', '@acme/agri-roles/motd'], d);
  assert.match(why.stdout, new RegExp(`TypeScript/JavaScript role[\\s\\S]*pins git\\+file://\\S+#${first}[\\s\\S]*API \\^0\\.1; this is 0\\.1\\.0`));

  // upstream moves the tag to a new commit: nothing changes here until npm update
  writeFileSync(join(repo, 'motd.js'), motd('v2'));
  await git(repo, 'commit', '-qam', 'v2');
  await git(repo, 'tag', '-f', 'v1');
  const moved = await run(d);
  assert.equal(recapOf(moved.events)['edge-1'].changed, 0, 'the moved tag leaked in without npm update');
  const update = await execa('npm', ['update', '@acme/agri-roles', '--no-audit', '--no-fund'], { cwd: d, reject: false });
  assert.equal(update.exitCode, 0, String(update.stderr));
  linkAgriPlay(d);
  const second = (await git(repo, 'rev-parse', 'HEAD')).stdout.trim();
  assert.match((await cli(['roles', 'list'], d)).stdout, new RegExp(`@acme/agri-roles/motd .*${second}`));
  const updated = await run(d);
  assert.equal(recapOf(updated.events)['edge-1'].changed, 1);
  assert.equal(readFileSync(join(d, 'motd'), 'utf8'), 'welcome v2\n');
});

test('role packages: wrong API range, no roles, a broken module, a bad parameter: exit 4 saying which, before anything runs', async () => {
  const repo = rolePackage('^9.0.0');
  await git(repo, 'init', '-q');
  await git(repo, 'add', '.');
  await git(repo, 'commit', '-qm', 'v1');
  await git(repo, 'tag', 'v1');
  const { d } = await project(repo);
  const wrong = await run(d);
  assert.equal(wrong.code, 4, wrong.stdout + wrong.stderr);
  assert.match(wrong.stderr, /site\.yaml:4:\d+.*@acme\/agri-roles@1\.0\.0 supports agri-play API \^9\.0\.0; this is agri-play 0\.1\.0/);
  assert.doesNotMatch(wrong.stderr, STACK);

  const pkg = join(d, 'node_modules/@acme/agri-roles');
  const manifest = JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8')) as Record<string, unknown>;
  writeFileSync(join(pkg, 'package.json'), JSON.stringify({ ...manifest, 'agri-play': { api: '^0.1', roles: { greet: 'roles/greet', motd: 'motd.js', uptime: 'roles/uptime/role.ts' } } }));
  writeFileSync(join(pkg, 'motd.js'), 'export default defineRole({ name: "motd", tasks: [ });\n');
  const broken = await run(d);
  assert.equal(broken.code, 4);
  assert.match(broken.stderr, /role '@acme\/agri-roles\/motd' \(@acme\/agri-roles@1\.0\.0\) does not load: .*(SyntaxError|Unexpected)/);

  writeFileSync(join(pkg, 'motd.js'), motd('v1'));
  const bad = await cli(['site.yaml', '-i', 'inv.yaml', '-e', `out=${d}`, '-e', 'motd_mode=0777'], d);
  assert.equal(bad.code, 4);
  assert.match(bad.stderr, /role @acme\/agri-roles\/motd: 'motd_mode' .* one of/);

  writeFileSync(join(pkg, 'package.json'), JSON.stringify({ ...manifest, 'agri-play': undefined }));
  const none = await run(d);
  assert.equal(none.code, 4);
  assert.match(none.stderr, /package @acme\/agri-roles@1\.0\.0 declares no agri-play roles/);
});
