import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { startDoppler, type DopplerSim } from '../lib/lab/index.js';
import { DopplerClient, SecretError } from '../lib/vars/index.js';
import { CANARY, cli, fixture, recapOf, stepEnds } from './helpers.js';

let sim: DopplerSim;
let token: string;
before(async () => {
  sim = await startDoppler();
  token = sim.serviceToken('farm', 'prd');
  sim.set('farm', 'prd', 'HONEYCOMB_API_KEY', CANARY);
  sim.set('farm', 'prd', 'ROBUSTA_ACCOUNT_ID', 'acct-1234');
});
after(() => sim.close());

const env = (t = token) => ({ DOPPLER_TOKEN: t, DOPPLER_API_HOST: sim.url });
const inv = `all:\n  hosts:\n    edge-1: {ansible_connection: local}\n`;

const playbook = `
- hosts: all
  gather_facts: false
  tasks:
    - name: collector config with the Honeycomb key
      copy:
        dest: "{{ root }}/otel.yaml"
        content: |
          exporters:
            otlp:
              headers: {x-honeycomb-team: "{{ lookup('doppler', 'HONEYCOMB_API_KEY') }}"}
        mode: "0600"
    - name: a kubeconfig (generated here; in the platform Talos writes it)
      copy:
        dest: "{{ root }}/kubeconfig"
        content: "apiVersion: v1\\nusers: [{name: admin, user: {token: {{ lookup('doppler', 'HONEYCOMB_API_KEY') | b64encode }}}}]\\n"
        mode: "0600"
    - name: written back to Doppler
      doppler_secret:
        name: EDGE_KUBECONFIG
        value: "{{ lookup('file', root ~ '/kubeconfig') }}"
    - debug: msg="key is {{ lookup('doppler', 'HONEYCOMB_API_KEY') }}"
    - command: echo {{ lookup('doppler', 'HONEYCOMB_API_KEY') }}
      register: echoed
      changed_when: false
    - assert: {that: "echoed.stdout == lookup('doppler', 'HONEYCOMB_API_KEY')"}
`;

test('a Doppler secret templated into a file and a kubeconfig written back: idempotent, never shown', async () => {
  const d = fixture({ 'inv.yaml': inv, 'p.yaml': playbook });
  const args = ['p.yaml', '-i', 'inv.yaml', '-e', `root=${d}`, '-vvv', '--diff', '--json'];
  const first = await cli(args, d, { env: env() });
  assert.equal(first.code, 0, first.stdout);
  assert.ok(readFileSync(join(d, 'otel.yaml'), 'utf8').includes(CANARY), 'the file has the real value');
  assert.equal(sim.get('farm', 'prd', 'EDGE_KUBECONFIG'), readFileSync(join(d, 'kubeconfig'), 'utf8').replace(/\n$/, ''));
  assert.ok(first.stdout.includes('********'), 'the value was masked, not dropped');
  const second = await cli(args, d, { env: env() });
  assert.equal(second.code, 0);
  assert.equal(recapOf(second.events)['edge-1'].changed, 0);
  const downloads = sim.requests.filter((r) => r.path.endsWith('/download')).length;
  assert.ok(downloads <= 4, `one download per run per config (saw ${downloads} in two runs)`);
});

test('vars_from: doppler gives a play the config as variables', async () => {
  const d = fixture({ 'inv.yaml': inv, 'p.yaml': `- hosts: all\n  gather_facts: false\n  vars_from: doppler\n  tasks:\n    - assert: {that: ["ROBUSTA_ACCOUNT_ID == 'acct-1234'", "HONEYCOMB_API_KEY | length > 10"]}\n` });
  const r = await cli(['p.yaml', '-i', 'inv.yaml', '--json', '-vv'], d, { env: env() });
  assert.equal(r.code, 0, r.stdout);
});

test('Doppler problems are clear errors naming the secret, not its value', async () => {
  const d = fixture({ 'inv.yaml': inv, 'p.yaml': `- hosts: all\n  gather_facts: false\n  tasks:\n    - debug: msg="{{ lookup('doppler', 'ROBUSTA_SIGNING_KEY') }}"\n    - debug: msg=after\n` });
  const run = (e: Record<string, string>) => cli(['p.yaml', '-i', 'inv.yaml', '--json'], d, { env: e });
  const missing = await run({ DOPPLER_TOKEN: '', DOPPLER_API_HOST: sim.url });
  assert.equal(missing.code, 2);
  assert.match(stepEnds(missing.events)[0].msg ?? '', /ROBUSTA_SIGNING_KEY.*no Doppler token: set DOPPLER_TOKEN/);
  assert.equal(stepEnds(missing.events).length, 1, 'nothing else runs on that host');
  const wrong = await run(env('dp.st.prd.not-a-real-token'));
  assert.match(stepEnds(wrong.events)[0].msg ?? '', /Doppler rejected the token \(401/);
  const unknown = await run(env());
  assert.match(stepEnds(unknown.events)[0].msg ?? '', /no secret named ROBUSTA_SIGNING_KEY in Doppler/);
  const down = await run({ DOPPLER_TOKEN: token, DOPPLER_API_HOST: 'http://127.0.0.1:1' });
  assert.match(stepEnds(down.events)[0].msg ?? '', /Doppler is unreachable/);
  const p2 = join(d, 'p2.yaml');
  writeFileSync(p2, `- hosts: all\n  gather_facts: false\n  vars_from: doppler\n  tasks: [{debug: {msg: hi}}]\n`);
  const varsFrom = await cli(['p2.yaml', '-i', 'inv.yaml'], d, { env: env('dp.st.prd.nope') });
  assert.equal(varsFrom.code, 4);
  assert.match(varsFrom.stderr, /p2\.yaml:1:3: error: play 'play 1': vars_from: doppler: Doppler rejected the token/);
});

test('the client retries 429 and non-JSON 5xx like the Doppler CLI, then gives up clearly', async () => {
  const client = new DopplerClient({ token, apiHost: sim.url, backoffMs: 1 });
  sim.failNext(2, 500);
  assert.equal((await client.download())['ROBUSTA_ACCOUNT_ID'], 'acct-1234');
  const again = new DopplerClient({ token, apiHost: sim.url, backoffMs: 1, retries: 1 });
  sim.failNext(5, 429);
  await assert.rejects(again.download(), (e: Error) => e instanceof SecretError && /429/.test(e.message));
  sim.failNext(0, 500);
});

test('a read-only service token cannot write: doppler_secret fails with 403', async () => {
  const ro = sim.serviceToken('farm', 'prd', true);
  const d = fixture({ 'inv.yaml': inv, 'p.yaml': `- hosts: all\n  gather_facts: false\n  tasks:\n    - doppler_secret: {name: NEW_ONE, value: x-value-1}\n` });
  const r = await cli(['p.yaml', '-i', 'inv.yaml', '--json'], d, { env: env(ro) });
  assert.equal(r.code, 2);
  assert.match(stepEnds(r.events)[0].msg ?? '', /no access|write access/);
});

test('a token in a pip index URL never shows: not in the cmd or stdout pip returns, nor in the journal', async () => {
  const d = fixture({
    'inv.yaml': 'all:\n  hosts:\n    localhost: {ansible_connection: local}\n',
    // /bin/echo stands in for pip: it prints the command it was given, URL and all
    'play.yaml': `- hosts: localhost\n  gather_facts: false\n  tasks:\n    - pip: {name: agri-demo, executable: /bin/echo, extra_args: "--index-url https://farm:${CANARY}@pypi.invalid/simple"}\n      register: p\n    - debug: {msg: \"{{ p.cmd }} {{ p.stdout }}\"}\n`,
  });
  const r = await cli(['play.yaml', '-i', 'inv.yaml', '--json'], d);
  assert.equal(r.code, 0, r.stdout);
  const out = r.events.find((e) => e.event === 'step_end' && (e as { module?: string }).module === 'pip');
  // echo's "install" changes nothing pip lists: the step ran and is ok
  assert.equal((out as { status?: string } | undefined)?.status, 'ok');
  // both the cmd and what "pip" printed show the URL, the token masked
  assert.equal(r.stdout.match(/https:\/\/farm:\*+@pypi\.invalid/g)?.length, 2, r.stdout);
});

test('a password argument and credentials in a URL never show, whichever module gets them (get_url, uri, command)', async () => {
  // (basic auth asked for, as a server that wants it does: ansible-core's get_url sends the URL's credentials only when asked)
  const server = createServer((req, res) => (req.headers.authorization ? res.end('soil=loam\n') : res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="farm"' }).end('no auth\n')));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://farm:${CANARY}@127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const d = fixture({
      'inv.yaml': 'all:\n  hosts:\n    localhost: {ansible_connection: local}\n',
      'play.yaml': [
        '- hosts: localhost',
        '  gather_facts: false',
        '  tasks:',
        `    - get_url: {url: "${base}/soil.txt", dest: "{{ playbook_dir }}/soil.txt"}`,
        '      register: g',
        `    - uri: {url: "http://127.0.0.1:${(server.address() as AddressInfo).port}/x", url_username: farm, url_password: "${CANARY}", force_basic_auth: true, return_content: true}`,
        '      register: u',
        `    - command: echo ${base}/again`,
        '      register: c',
        '    - debug: {msg: "{{ g.url }} {{ u.content }} {{ c.cmd }} {{ c.stdout }}"}',
      ].join('\n') + '\n',
    });
    const r = await cli(['play.yaml', '-i', 'inv.yaml', '-v'], d);
    assert.equal(r.code, 0, r.stdout);
    assert.ok(!r.stdout.includes(CANARY) && !r.stderr.includes(CANARY), r.stdout);
    // the URL shows, its password masked: get_url's url, command's cmd and its stdout (cli() checks the journals too)
    assert.ok((r.stdout.match(/http:\/\/farm:\*+@127\.0\.0\.1/g)?.length ?? 0) >= 3, r.stdout);
    assert.match(r.stdout, /soil=loam/);
  } finally {
    server.close();
  }
});

test("the password lookup's password and a become password never show: the lookup keeps its password in a 0600 file and reads it back; sudo gets the become password only where it asks", async () => {
  const d = fixture({
    'inv.yaml': 'all:\n  hosts:\n    localhost: {ansible_connection: local}\n',
    'play.yaml': [
      '- hosts: localhost',
      '  gather_facts: false',
      '  tasks:',
      "    - set_fact: {first: \"{{ lookup('password', 'creds/farm length=24 chars=ascii_letters,digits') }}\"}",
      "    - set_fact: {again: \"{{ lookup('password', 'creds/farm length=24') }}\"}",
      "    - set_fact: {nothing: \"{{ lookup('password', '/dev/null length=8 chars=digits') }}\"}",
      '    - debug: {msg: "made {{ first }} read {{ again }} none {{ nothing }}"}',
      '    - assert: {that: ["first == again", "first | length == 24", "nothing is match(\'^[0-9]{8}$\')"]}',
      // as root sudo asks nothing: the password must not become the command's input
      '    - command: cat',
      '      args: {stdin: piped}',
      `      vars: {ansible_become: true, ansible_become_user: root, ansible_become_password: "${CANARY}"}`,
      '      register: c',
      '    - assert: {that: ["c.stdout == \'piped\'"]}',
    ].join('\n') + '\n',
  });
  const r = await cli(['play.yaml', '-i', 'inv.yaml', '-v'], d);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  const file = join(d, 'creds/farm');
  const made = readFileSync(file, 'utf8').trim();
  assert.match(made, /^[A-Za-z0-9]{24}$/);
  assert.equal(statSync(file).mode & 0o777, 0o600);
  // the debug line shows, every password in it masked (cli() checks the journals for the canary too)
  assert.match(r.stdout, /made \*+ read \*+ none \*+/);
  for (const out of [r.stdout, r.stderr]) assert.ok(!out.includes(made) && !out.includes(CANARY), out);
});

test("ansible.cfg's no_log (ANSIBLE_NO_LOG=1) hides every task's output unless the task, its block or its play says no_log: false", async () => {
  const d = fixture({
    'inv.yaml': 'all:\n  hosts:\n    h: {ansible_connection: local}\n',
    'p.yaml': '- hosts: all\n  gather_facts: false\n  tasks:\n    - debug: {msg: hidden-by-default}\n    - debug: {msg: shown-on-request}\n      no_log: false\n    - block:\n        - debug: {msg: shown-by-block}\n      no_log: false\n',
  });
  const on = await cli(['p.yaml', '-i', 'inv.yaml', '-v'], d, { env: { ANSIBLE_NO_LOG: '1' } });
  assert.equal(on.code, 0, on.stdout + on.stderr);
  assert.doesNotMatch(on.stdout, /hidden-by-default/);
  assert.match(on.stdout, /shown-on-request/);
  assert.match(on.stdout, /shown-by-block/);
  const off = await cli(['p.yaml', '-i', 'inv.yaml', '-v'], d);
  assert.match(off.stdout, /hidden-by-default/);
});

test("user's password never shows: a change to it is a field whose value is hidden, in --check --diff and its events (root's password, not changed)", async () => {
  const d = fixture({
    'inv.yaml': 'all:\n  hosts:\n    h: {ansible_connection: local}\n',
    'play.yaml': `- hosts: all\n  gather_facts: false\n  tasks:\n    - user: {name: root, password: "${CANARY}"}\n      register: u\n    - assert: {that: [u is changed, "u.password == 'NOT_LOGGING_PASSWORD'"]}\n`,
  });
  // (cli() fails on the canary in stdout, stderr and the journals)
  const r = await cli(['play.yaml', '-i', 'inv.yaml', '--check', '--diff', '--json'], d);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  const end = r.events.find((e) => e.event === 'step_end' && e.task.startsWith('user'));
  assert.ok(end?.event === 'step_end' && JSON.stringify(end.diff).includes('"path":"password","to":"(hidden)"'), JSON.stringify(end));
});
