import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { execa } from 'execa';
import { join } from 'node:path';
import { startDoppler, type DopplerSim } from '../lib/lab/index.js';
import { verifyHostKey } from '../lib/connections/ssh/known-hosts.js';
import { sshTarget, strayWord } from '../lib/connections/ssh/config.js';
import { secretForms } from '../lib/vars/redact.js';
import { spread } from '../lib/source/index.js';
import { bin, CANARY, cli, fixture, STACK } from './helpers.js';

/** The attack pass's findings (issue: hardening), each with the input that broke it. */
const LOCAL = 'all:\n  hosts:\n    h: {ansible_connection: local}\n';
const play = (tasks: string, head = '') => `- hosts: all\n  gather_facts: false\n${head}  tasks:\n${tasks}`;

async function refused(files: Record<string, string>, args: string[], pattern: RegExp, code = 4) {
  const d = fixture({ 'inv.yaml': LOCAL, ...files });
  const r = await cli(args, d, { timeoutMs: 30_000 });
  const out = r.stdout + r.stderr;
  assert.equal(r.code, code, out);
  assert.match(out, pattern);
  assert.doesNotMatch(out, STACK, 'no stack trace');
  return { d, out };
}

test('an alias bomb in vars_files is refused at its position, at once', async () => {
  const bomb = 'a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\ng: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\nh: [*g,*g,*g,*g,*g,*g,*g,*g,*g]\n';
  const t0 = Date.now();
  await refused({ 'bomb.yaml': bomb, 'p.yaml': play('    - debug: {msg: hi}\n', '  vars_files: [bomb.yaml]\n') }, ['p.yaml', '-i', 'inv.yaml'], /bomb\.yaml:\d+:\d+: error: aliases expand to more than 100000 values/);
  assert.ok(Date.now() - t0 < 20_000);
});

test('unbounded inputs are refused: -e @/dev/zero, import_tasks of a device or a folder, a FIFO inventory, a huge host range, range() of 10^8', async () => {
  await refused({ 'p.yaml': play('    - debug: {msg: hi}\n') }, ['p.yaml', '-i', 'inv.yaml', '-e', '@/dev/zero'], /\/dev\/zero is not a regular file/);
  await refused({ 'p.yaml': play('    - import_tasks: /dev/zero\n') }, ['p.yaml', '-i', 'inv.yaml'], /\/dev\/zero is not a regular file/);
  await refused({ 'p.yaml': play('    - import_tasks: sub\n'), 'sub/x.yaml': '- debug: {msg: hi}\n' }, ['p.yaml', '-i', 'inv.yaml'], /sub is a folder, not a YAML file/);
  const d = fixture({ 'p.yaml': play('    - debug: {msg: hi}\n') });
  execFileSync('mkfifo', [join(d, 'inv.yaml')]);
  const r = await cli(['p.yaml', '-i', 'inv.yaml'], d, { timeoutMs: 30_000 });
  assert.equal(r.code, 4, r.stdout + r.stderr);
  assert.match(r.stderr, /inv\.yaml is not a regular file/);
  await refused({ 'inv.yaml': 'all:\n  hosts:\n    h[1:100000000]: {ansible_connection: local}\n', 'p.yaml': play('    - debug: {msg: hi}\n') }, ['p.yaml', '-i', 'inv.yaml'], /more than 100000 hosts/);
  await refused({ 'p.yaml': play('    - debug: {msg: "{{ range(100000000) | list | length }}"}\n') }, ['p.yaml', '-i', 'inv.yaml'], /range\(100000000\) is more than 1000000 items/, 2);
});

test('bad input never shows a stack trace: a non-mapping argument_specs option, a folder as playbook, serial: banana, -vv on exit 4', async () => {
  await refused(
    { 'roles/r/tasks/main.yml': '- debug: {msg: hi}\n', 'roles/r/meta/argument_specs.yml': 'argument_specs:\n  main:\n    options:\n      port: 5\n', 'p.yaml': '- hosts: all\n  roles: [r]\n' },
    ['p.yaml', '-i', 'inv.yaml'],
    /argument_specs\.yml:4:\d+: error: argument_specs option 'port' must be a mapping/,
  );
  await refused({ 'pb/x.yaml': '' }, ['pb', '-i', 'inv.yaml'], /pb is a folder, not a YAML file/);
  await refused({ 'p.yaml': '- hosts: all\n  serial: banana\n  tasks:\n    - debug: {msg: hi}\n' }, ['p.yaml', '-i', 'inv.yaml'], /p\.yaml:2:\d+: error: .*serial/);
  await refused({ 'p.yaml': play('    - debug: {msg: "{{ 1 + }}"}\n') }, ['p.yaml', '-i', 'inv.yaml', '-vv'], /template error/);
});

test('a folder that cannot be made (under /proc, where Node\'s recursive mkdir spins forever) is an error, not a hang: --state-dir, a file task, copy, the fact cache', async () => {
  await refused({ 'p.yaml': play('    - debug: {msg: hi}\n') }, ['p.yaml', '-i', 'inv.yaml', '--state-dir', '/proc/agri-nope/state'], /--state-dir \/proc\/agri-nope\/state cannot be made: ENOENT/, 5);
  const d = fixture({ 'inv.yaml': LOCAL, 'p.yaml': play('    - file: {path: /proc/agri-nope/x, state: directory}\n      ignore_errors: true\n    - copy: {dest: /proc/agri-nope/x/y, content: a}\n      ignore_errors: true\n    - setup:\n') });
  const r = await cli(['p.yaml', '-i', 'inv.yaml'], d, { timeoutMs: 60_000, env: { ANSIBLE_CACHE_PLUGIN: 'jsonfile', ANSIBLE_CACHE_PLUGIN_CONNECTION: '/proc/agri-nope/cache' } });
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /ok=3 .*ignored=2/);
  assert.match(r.stdout + r.stderr, /\[WARNING\]: error in 'jsonfile' cache plugin while trying to write to '\/proc\/agri-nope\/cache\/ansible_factsh': ENOENT/);
  assert.doesNotMatch(r.stdout + r.stderr, STACK);
});

test("a role name with a path is looked for under each roles folder, then the playbook's, as ansible-core's (an unknown one refused); a folder that is no role is not an empty role", async () => {
  await refused({ 'p.yaml': '- hosts: all\n  roles: ["../../evilrole"]\n' }, ['p.yaml', '-i', 'inv.yaml'], /the role '\.\.\/\.\.\/evilrole' was not found in /);
  const d = fixture({ 'inv.yaml': LOCAL, 'shared/common/tasks/main.yml': '- debug: {msg: from-common}\n', 'play/p.yaml': '- hosts: all\n  gather_facts: false\n  roles: ["../shared/common"]\n' });
  const r = await cli(['play/p.yaml', '-i', 'inv.yaml'], d);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /from-common/);
  await refused({ 'roles/empty/README.md': 'x', 'p.yaml': '- hosts: all\n  roles: [empty]\n' }, ['p.yaml', '-i', 'inv.yaml'], /roles\/empty is not a role/);
});

test('state files are the owner’s: .agri-play 0700, journals 0600', async () => {
  const d = fixture({ 'inv.yaml': LOCAL, 'p.yaml': play('    - debug: {msg: hi}\n') });
  mkdirSync(join(d, '.agri-play'), { mode: 0o755 });
  const r = await cli(['p.yaml', '-i', 'inv.yaml'], d);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.equal(statSync(join(d, '.agri-play')).mode & 0o777, 0o700);
  assert.equal(statSync(join(d, '.agri-play/runs')).mode & 0o777, 0o700);
  for (const f of readdirSync(join(d, '.agri-play/runs'))) assert.equal(statSync(join(d, '.agri-play/runs', f)).mode & 0o777, 0o600, f);
});

test('roles add refuses options posing as package specs', async () => {
  const d = fixture({ 'package.json': '{"name": "site", "version": "1.0.0"}' });
  const r = await cli(['roles', 'add', '--registry=http://127.0.0.1:1'], d);
  assert.equal(r.code, 5, r.stdout + r.stderr);
  assert.match(r.stderr, /roles add takes package specs, not options/);
});

test('a host key of another type for a known host is a changed key, even with accept-new', () => {
  const d = fixture({});
  const file = join(d, 'known_hosts');
  const blob = (type: string, fill: number) => {
    const t = Buffer.from(type);
    const len = Buffer.alloc(4);
    len.writeUInt32BE(t.length);
    return Buffer.concat([len, t, Buffer.alloc(32, fill)]);
  };
  writeFileSync(file, `[127.0.0.1]:2222 ssh-ed25519 ${blob('ssh-ed25519', 1).toString('base64')}\n`);
  const v = verifyHostKey([file], '127.0.0.1', 2222, blob('ecdsa-sha2-nistp256', 2), true);
  assert.equal(v.ok, false);
  assert.equal(!v.ok && v.reason, 'changed');
  assert.ok(verifyHostKey([file], '127.0.0.1', 2222, blob('ssh-ed25519', 1), true).ok);
});

test("a word of the ssh arguments that is no option is ssh's host to reach: the target says so (the delegate_to target's bad common args), options and their arguments are not", () => {
  assert.equal(strayWord(['-C -o ControlMaster=auto -o "ControlPersist 60s"', '-tt -vvv -p 22 -i/k -J jump:2222', undefined]), undefined);
  assert.equal(strayWord(['-o StrictHostKeyChecking=no', 'MEEEEE -o X=1']), 'MEEEEE');
  assert.equal(strayWord(['-l']), undefined);
  assert.equal(sshTarget('h', { ansible_host: '127.0.0.1', ansible_ssh_common_args: 'MEEEE' }, { home: tmpdir() }).stray, 'MEEEE');
  assert.equal(sshTarget('h', { ansible_host: '127.0.0.1', ansible_ssh_extra_args: '-o UserKnownHostsFile=/dev/null' }, { home: tmpdir() }).stray, undefined);
});

let sim: DopplerSim;
let token: string;
const QUOTED = `${CANARY}-with-"quotes"-and-'ticks'`;
before(async () => {
  sim = await startDoppler();
  token = sim.serviceToken('farm', 'prd');
  sim.set('farm', 'prd', 'QUOTED_SECRET', QUOTED);
  sim.set('farm', 'prd', 'TINY', 'q7');
});
after(() => sim.close());

test('every form of a secret is masked: JSON-escaped at any depth, URL-encoded, shell-quoted, derived by a filter, env lookups of secret names, short values', async () => {
  const d = fixture({
    'inv.yaml': LOCAL,
    'p.yaml': play(`    - set_fact:
        s: "{{ lookup('doppler', 'QUOTED_SECRET') }}"
        tiny: "{{ lookup('doppler', 'TINY') }}"
    - debug: {msg: "{{ s | to_json }} {{ s | to_json | to_json }} {{ s | urlencode }} {{ s | quote }} {{ s | upper }} {{ s | b64encode }}"}
    - debug: {msg: "{{ {'v': s} | to_nice_json }} {{ [s] }}"}
    - debug: {msg: "{{ lookup('env', 'AGRI_TEST_API_TOKEN') }} {{ lookup('env', 'AGRI_TEST_API_TOKEN') | lower }}"}
    - debug: {msg: "{{ {'tiny': tiny} | to_json }}"}
    - copy: {dest: "{{ playbook_dir }}/out.json", content: "{{ {'s': s, 't': tiny} | to_json }}"}
      notify: never run
    - fail: {msg: "failed with {{ s | to_json }} and {{ s | upper }}"}
      ignore_errors: true
    - copy: {dest: "{{ playbook_dir }}/big.txt", content: "{{ s * 40000 }}"}
    - command: sleep {{ pause | default(0) }}
    - fail: {msg: "really failed with {{ s | b64encode }}"}
  handlers:
    - name: never run
      debug: {msg: "{{ s }}"}
`),
  });
  const env = { DOPPLER_TOKEN: token, DOPPLER_API_HOST: sim.url, AGRI_TEST_API_TOKEN: 'Env-Secret-Value-42' };
  const controllerTmp = () => new Set(readdirSync(tmpdir()));
  const tmpBefore = controllerTmp();
  const r = await cli(['p.yaml', '-i', 'inv.yaml', '-vv', '--json', '--diff'], d, { env });
  assert.equal(r.code, 2, r.stdout + r.stderr);
  assert.ok(readdirSync(join(d, '.agri-play/state')).some((f) => f.startsWith('handlers-')), 'the handler was saved');
  // killed while it sleeps: nothing it wrote so far (journal, notes, temp files) holds a secret in clear
  const killed = execa('node', [bin, 'p.yaml', '-i', 'inv.yaml', '-vv', '--json', '--diff', '-e', 'pause=30'], { cwd: d, reject: false, env });
  const first = new Set(readdirSync(join(d, '.agri-play/runs')));
  const sleeping = () => readdirSync(join(d, '.agri-play/runs')).some((f) => !first.has(f) && readFileSync(join(d, '.agri-play/runs', f), 'utf8').includes('"module":"command"'));
  for (let t = 0; t < 600 && !sleeping(); t++) await new Promise((res) => setTimeout(res, 50));
  assert.ok(sleeping(), 'the second run reached its sleep');
  killed.kill('SIGKILL');
  const k = await killed;
  const rep = await cli(['report', '-o', 'run.html'], d);
  assert.equal(rep.code, 0, rep.stderr);
  const newTmp = [...controllerTmp()].filter((f) => !tmpBefore.has(f) && /agri/.test(f));
  const outputs = [r.stdout, r.stderr, String(k.stdout), String(k.stderr), rep.stdout, readFileSync(join(d, 'run.html'), 'utf8'), ...(await readAll(join(d, '.agri-play'))), ...(await readAll(...newTmp.map((f) => join(tmpdir(), f))))];
  assert.ok(outputs.length >= 9, 'journals, the handler file and the report were read');
  const forms = [...secretForms(QUOTED), QUOTED.toUpperCase(), 'Env-Secret-Value-42', 'env-secret-value-42', '"q7"', "'q7'"];
  for (const text of outputs) for (const f of forms) assert.ok(!text.includes(f), `a form of a secret leaked: ${JSON.stringify(f.slice(0, 30))}`);
  assert.ok(r.stdout.includes('********'), 'masked');
  assert.ok(readFileSync(join(d, 'big.txt'), 'utf8').startsWith(QUOTED), 'the target file holds the value');
});

/** The text of every file under these paths (folders walked), for the canary scans. */
async function readAll(...paths: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const p of paths) {
    const st = statSync(p, { throwIfNoEntry: false });
    if (st?.isDirectory()) for (const e of readdirSync(p)) out.push(...(await readAll(join(p, e))));
    else if (st?.isFile()) out.push(readFileSync(p, 'utf8'));
  }
  return out;
}

test('a host whose Proxmox host is unreachable is skipped with why (agri_depends_on), not failed on the kubeconfig it never got; the other site runs', async () => {
  const inv = `all:
  children:
    east:
      vars: {agri_depends_on: "{{ pve_host }}", pve_host: pve-east}
      hosts:
        pve-east: {ansible_connection: ssh, ansible_host: 127.0.0.1, ansible_port: 1}
        east-node: {ansible_connection: local}
        talos-east: {ansible_connection: kube, kubeconfig: /nonexistent/kubeconfig, agri_depends_on: [pve-east, east-node]}
    west:
      hosts:
        west-node: {ansible_connection: local}
`;
  const d = fixture({ 'inv.yaml': inv });
  writeFileSync(join(d, 'p.yaml'), `- hosts: pve-east\n  gather_facts: false\n  tasks:\n    - command: "true"\n- hosts: east-node:west-node\n  gather_facts: false\n  tasks:\n    - {name: "node {{ inventory_hostname }}", command: "true"}\n    - command: "true"\n- hosts: talos-east\n  gather_facts: false\n  tasks:\n    - kubernetes.core.k8s_info: {kind: Namespace}\n`);
  const r = await cli(['p.yaml', '-i', 'inv.yaml', '--json'], d, { timeoutMs: 60_000 });
  assert.equal(r.code, 3, r.stdout);
  const recap = r.events.find((e) => e.event === 'recap');
  assert.ok(recap?.event === 'recap');
  assert.deepEqual([recap.hosts['pve-east'].unreachable, recap.hosts['east-node'].skipped, recap.hosts['talos-east'].skipped, recap.hosts['west-node'].ok], [1, 1, 1, 2]);
  assert.ok(Object.values(recap.hosts).every((c) => c.failed === 0));
  const why = r.events.flatMap((e) => (e.event === 'step_end' && e.status === 'skipped' ? [`${e.host}: ${e.task}: ${e.note}`] : []));
  assert.deepEqual(why.sort(), ['east-node: node east-node: depends on unreachable host pve-east', 'talos-east: kubernetes.core.k8s_info: depends on unreachable host pve-east']);
  const text = await cli(['p.yaml', '-i', 'inv.yaml'], d, { timeoutMs: 60_000 });
  assert.match(text.stdout, /skipped: \[talos-east\] kubernetes\.core\.k8s_info — depends on unreachable host pve-east/);
  assert.doesNotMatch(text.stdout, /ENOENT/);
});

test("gathered facts hold the host's environment; values of secret-looking names in it are never shown, with or without a secret store", async () => {
  const d = fixture({
    'inv.yaml': LOCAL,
    'p.yaml': `- hosts: all
  tasks:
    - debug: {msg: "{{ ansible_env.AGRI_FACT_API_TOKEN }} {{ ansible_facts.env.AGRI_FACT_API_TOKEN | upper }} {{ ansible_env.AGRI_FACT_PLAIN }}"}
`,
  });
  const r = await cli(['p.yaml', '-i', 'inv.yaml', '-vv', '--json'], d, { env: { AGRI_FACT_API_TOKEN: CANARY, AGRI_FACT_PLAIN: 'plain-visible-value' } });
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /plain-visible-value/, 'the environment is gathered');
  assert.ok(r.stdout.includes('********'), 'the secret-looking value shows masked');
});

test("a value given as uri's url_password or Authorization header is a secret from then on: masked wherever it would show, also in check mode", async () => {
  const d = fixture({
    'inv.yaml': LOCAL,
    'p.yaml': `- hosts: all
  gather_facts: false
  vars:
    pw: "${CANARY}"
    token: "Bearer ${CANARY}-token"
  tasks:
    - uri: {url: "http://127.0.0.1:9/x", url_username: farm, url_password: "{{ pw }}", headers: {Authorization: "{{ token }}"}, timeout: 2}
      register: r
      ignore_errors: true
    - debug: {msg: "{{ pw }} {{ token }} {{ r }}"}
`,
  });
  for (const extra of [[], ['--check']]) {
    // cli() fails the test if the canary shows in stdout, stderr or a journal
    const r = await cli(['p.yaml', '-i', 'inv.yaml', '-vv', '--json', ...extra], d);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.ok(r.stdout.includes('********'), 'the debug shows the values masked');
  }
});

test("a step's result built with spread() keeps a __proto__ key as a key, as a literal's spread does (Object.assign would set the prototype)", () => {
  // a module's data parsed from JSON (a uri body, a file's content) may carry the key
  const data = JSON.parse('{"__proto__": {"polluted": true}, "status": 200}') as Record<string, unknown>;
  const out = spread({ changed: false }, data);
  assert.deepEqual(Object.keys(out), ['changed', '__proto__', 'status']);
  assert.equal(Object.getPrototypeOf(out), Object.prototype);
  assert.equal((out as { polluted?: unknown }).polluted, undefined);
});

test("ssh settings: a host's variables, then ansible.cfg's remote_user/remote_port/private_key_file (-u), then ~/.ssh/config, as ansible-core's ssh plugin puts them before it on ssh's command line", () => {
  const home = mkdtempSync(join(tmpdir(), 'agri-sshconf-'));
  try {
    mkdirSync(join(home, '.ssh'));
    for (const k of ['conf_key', 'cfg_key']) writeFileSync(join(home, k), 'x');
    writeFileSync(join(home, '.ssh', 'config'), `Host h\n  User confuser\n  Port 2200\n  IdentityFile ${join(home, 'conf_key')}\n`);
    const conf = sshTarget('h', {}, { home });
    assert.deepEqual([conf.user, conf.port, conf.keyFiles[0]], ['confuser', 2200, join(home, 'conf_key')]);
    const cfg = sshTarget('h', {}, { home, user: 'cfguser', port: 2222, keyFile: join(home, 'cfg_key') });
    assert.deepEqual([cfg.user, cfg.port, cfg.keyFiles.slice(0, 2)], ['cfguser', 2222, [join(home, 'cfg_key'), join(home, 'conf_key')]]);
    const host = sshTarget('h', { ansible_user: 'varuser', ansible_port: 2022 }, { home, user: 'cfguser', port: 2222 });
    assert.deepEqual([host.user, host.port], ['varuser', 2022]);
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});
