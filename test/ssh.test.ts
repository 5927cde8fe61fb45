import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { startSshServer } from '../lib/lab/index.js';
import { Protocol, SFTP } from '../lib/source/vendor/ssh2.js';
import '../lib/connections/ssh/client.js';
import { coalesceWrites } from '../lib/connections/ssh/coalesce.js';
import { Writable } from 'node:stream';
import { createServer, type AddressInfo } from 'node:net';
import { bin, cli, fixture, recapOf, STACK, stepEnds } from './helpers.js';
import { descendants, HAVE_SUDO, keygen, killHard, SSHD, startSshd, type Sshd } from './sshd.js';

const comm = (pid: number) => {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '';
  }
};

const skip = SSHD ? false : 'sshd is not installed (CI installs openssh-server)';
let home: string;
let key: { priv: string; pub: string };
let a: Sshd;
let b: Sshd;
const servers: Sshd[] = [];

before(async () => {
  if (skip) return;
  home = fixture({ '.ssh/.keep': '' });
  key = keygen(join(home, '.ssh'), 'id_ed25519');
  a = await startSshd([key.pub]);
  b = await startSshd([key.pub]);
  servers.push(a, b);
  writeFileSync(join(home, '.ssh/known_hosts'), `${a.knownHostsLine}\n${b.knownHostsLine}\n`);
});
after(async () => {
  await Promise.all(servers.map((s) => s.stop()));
});

const host = (name: string, s: Sshd | { port: number }, extra = '') => `        ${name}: {ansible_host: 127.0.0.1, ansible_port: ${s.port}, ansible_connection: ssh${extra}}\n`;
const inventory = (hosts: string) => `all:\n  children:\n    farm:\n      hosts:\n${hosts}`;
const run = (args: string[], cwd: string, timeoutMs = 60_000) => cli(args, cwd, { env: { HOME: home, SSH_AUTH_SOCK: '' }, timeoutMs });

const converge = `
- hosts: farm
  gather_facts: false
  tasks:
    - file: {path: "{{ root }}/{{ inventory_hostname }}", state: directory, mode: "0750"}
    - copy: {dest: "{{ root }}/{{ inventory_hostname }}/motd", content: "hi {{ inventory_hostname }}\\n", mode: "0640"}
    - template: {src: t.j2, dest: "{{ root }}/{{ inventory_hostname }}/app.conf"}
    - lineinfile: {path: "{{ root }}/{{ inventory_hostname }}/hosts", line: "10.1.1.1 gw", create: true}
    - blockinfile: {path: "{{ root }}/{{ inventory_hostname }}/hosts", block: "10.1.1.2 ntp"}
    - command: touch stamp
      args: {chdir: "{{ root }}/{{ inventory_hostname }}", creates: "{{ root }}/{{ inventory_hostname }}/stamp"}
    - stat: {path: "{{ root }}/{{ inventory_hostname }}/motd"}
      register: st
    - assert: {that: ["st.stat.exists", "st.stat.mode == '0640'"]}
`;

test("ssh: the round trips sign-first and pipelining save are taken from the ssh2 its connections use (the vendor bundle's classes are the ones wrapped)", () => {
  // (ssh2's own methods keep their names; the wrappers are anonymous: a wrap of another copy of
  // ssh2, such as the package's files required by path, leaves these as they were)
  const proto = Protocol.prototype as Record<string, (...a: unknown[]) => unknown>;
  const sftp = SFTP.prototype as Record<string, (...a: unknown[]) => unknown>;
  assert.deepEqual([proto.authPK.name, proto.service.name, sftp._init.name], ['', '', '']);
});

test("ssh: what ssh2 writes in one callback leaves in one write (a writev), in order; the next callback's in another", async () => {
  const writes: string[][] = [];
  const sock = new Writable({
    writev(chunks, cb) {
      writes.push(chunks.map((c) => String(c.chunk)));
      cb();
    },
    write(chunk, _enc, cb) {
      writes.push([String(chunk)]);
      cb();
    },
  });
  coalesceWrites(sock);
  for (const packet of ['kexinit', 'ecdh_init', 'newkeys']) sock.write(Buffer.from(packet));
  await new Promise((resolve) => setImmediate(resolve));
  sock.write(Buffer.from('service_request'));
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(writes, [['kexinit', 'ecdh_init', 'newkeys'], ['service_request']]);
});

test('ssh: converges two real sshd hosts, then changes nothing; --check first creates nothing', { skip }, async () => {
  const d = fixture({ 'inv.yaml': inventory(host('east', a) + host('west', b)), 'p.yaml': converge, 'templates/t.j2': 'name={{ inventory_hostname }}\n' });
  const args = ['p.yaml', '-i', 'inv.yaml', '-e', `root=${d}/out`, '--json'];
  const check = await run([...args, '--check'], d);
  assert.equal(check.code, 0, check.stdout + check.stderr);
  assert.equal(existsSync(join(d, 'out')), false);
  const first = await run(args, d);
  assert.equal(first.code, 0, first.stdout);
  for (const c of Object.values(recapOf(first.events))) assert.equal(c.changed, 6);
  assert.equal(readFileSync(join(d, 'out/west/app.conf'), 'utf8'), 'name=west\n');
  const second = await run(args, d);
  for (const c of Object.values(recapOf(second.events))) assert.deepEqual([c.changed, c.failed, c.unreachable], [0, 0, 0]);
  assert.ok(recapOf(second.events).east.round_trips > 0);
});

test('ssh: a host whose sshd has no SFTP subsystem converges the same through commands (ansible-core falls back to piped), then changes nothing', { skip }, async () => {
  const bare = await startSshd([key.pub], { sftp: false });
  servers.push(bare);
  writeFileSync(join(home, '.ssh/known_hosts'), `${bare.knownHostsLine}\n`, { flag: 'a' });
  const d = fixture({ 'inv.yaml': inventory(host('bare', bare)), 'p.yaml': converge, 'templates/t.j2': 'name={{ inventory_hostname }}\n' });
  const args = ['p.yaml', '-i', 'inv.yaml', '-e', `root=${d}/out`, '--json'];
  const first = await run(args, d);
  assert.equal(first.code, 0, first.stdout);
  assert.equal(recapOf(first.events).bare.changed, 6);
  assert.equal(readFileSync(join(d, 'out/bare/app.conf'), 'utf8'), 'name=bare\n');
  assert.equal(statSync(join(d, 'out/bare/motd')).mode & 0o7777, 0o640);
  const second = await run(args, d);
  assert.deepEqual([recapOf(second.events).bare.changed, recapOf(second.events).bare.failed], [0, 0]);
});

test('ssh: a closed port is unreachable (exit 3), other hosts finish', { skip }, async () => {
  const d = fixture({ 'inv.yaml': inventory(host('up', a) + host('down', { port: 1 })), 'p.yaml': `- hosts: farm\n  gather_facts: false\n  tasks:\n    - command: "true"\n    - command: "true"\n` });
  const r = await run(['p.yaml', '-i', 'inv.yaml', '--json'], d);
  assert.equal(r.code, 3);
  const recap = recapOf(r.events);
  assert.deepEqual([recap.down.unreachable, recap.down.failed, recap.up.ok], [1, 0, 2]);
  assert.match(stepEnds(r.events).find((e) => e.status === 'unreachable')?.msg ?? '', /ssh root@127\.0\.0\.1:1: .*(ECONNREFUSED|refused)/);
});

test('ssh: a key the server does not accept is unreachable with an authentication message', { skip }, async () => {
  const other = keygen(fixture({ x: '' }), 'other');
  const d = fixture({ 'inv.yaml': inventory(host('h', a, `, ansible_ssh_private_key_file: ${other.priv}`)), 'p.yaml': `- hosts: farm\n  gather_facts: false\n  tasks: [{command: "true"}]\n` });
  // HOME without the accepted key, so only the wrong key is offered
  const r = await cli(['p.yaml', '-i', 'inv.yaml', '--json', '-e', `ansible_ssh_known_hosts_file=${join(home, '.ssh/known_hosts')}`], d, { env: { HOME: d, SSH_AUTH_SOCK: '' } });
  assert.equal(r.code, 3);
  assert.match(stepEnds(r.events)[0].msg ?? '', /authentication failed/);
});

test('ssh: unknown host key refused; --ssh-accept-new records it; a changed key is always refused', { skip }, async () => {
  const kh = join(fixture({ x: '' }), 'known_hosts');
  const d = fixture({ 'inv.yaml': inventory(host('h', a, `, ansible_ssh_known_hosts_file: ${kh}`)), 'p.yaml': `- hosts: farm\n  gather_facts: false\n  tasks: [{command: "true"}]\n` });
  const unknown = await run(['p.yaml', '-i', 'inv.yaml', '--json'], d);
  assert.equal(unknown.code, 3);
  assert.match(stepEnds(unknown.events)[0].msg ?? '', /host key of \[127\.0\.0\.1\]:\d+ is unknown .*--ssh-accept-new/);
  const accepted = await run(['p.yaml', '-i', 'inv.yaml', '--json', '--ssh-accept-new'], d);
  assert.equal(accepted.code, 0);
  assert.equal(readFileSync(kh, 'utf8').trim(), a.knownHostsLine);
  // the same name now presents another key (b's host key recorded for a's port)
  writeFileSync(kh, a.knownHostsLine.replace(/\S+$/, b.knownHostsLine.split(' ')[2]) + '\n');
  const changed = await run(['p.yaml', '-i', 'inv.yaml', '--json', '--ssh-accept-new'], d);
  assert.equal(changed.code, 3);
  assert.match(stepEnds(changed.events)[0].msg ?? '', /has CHANGED/);
});

test("ssh: under StrictHostKeyChecking=no (host_key_checking = False) a changed host key connects by key only, as OpenSSH's client: the old key kept, password logins off", { skip }, async () => {
  const kh = join(fixture({ x: '' }), 'known_hosts');
  // a's name with b's key: a changed key
  const stale = a.knownHostsLine.replace(/\S+$/, b.knownHostsLine.split(' ')[2]) + '\n';
  writeFileSync(kh, stale);
  const p = `- hosts: farm\n  gather_facts: false\n  tasks: [{command: "true"}]\n`;
  const d = fixture({ 'inv.yaml': inventory(host('h', a, `, ansible_ssh_known_hosts_file: ${kh}`)), 'p.yaml': p });
  // ANSIBLE_HOST_KEY_CHECKING=False: a key login goes through; known_hosts keeps the old key
  const off = await cli(['p.yaml', '-i', 'inv.yaml', '--json'], d, { env: { HOME: home, SSH_AUTH_SOCK: '', ANSIBLE_HOST_KEY_CHECKING: 'False' }, timeoutMs: 60_000 });
  assert.equal(off.code, 0, off.stdout + off.stderr);
  assert.equal(readFileSync(kh, 'utf8'), stale);
  // the host's own `-o StrictHostKeyChecking=no`, and a password login only (a home without keys): refused, in OpenSSH's reason
  const bare = fixture({ '.ssh/.keep': '' });
  const pw = fixture({ 'inv.yaml': inventory(host('h', a, `, ansible_ssh_known_hosts_file: ${kh}, ansible_password: not-sent, ansible_ssh_common_args: "-o StrictHostKeyChecking=no"`)), 'p.yaml': p });
  const refused = await cli(['p.yaml', '-i', 'inv.yaml', '--json'], pw, { env: { HOME: bare, SSH_AUTH_SOCK: '' }, timeoutMs: 60_000 });
  assert.equal(refused.code, 3);
  assert.match(stepEnds(refused.events)[0].msg ?? '', /password authentication is disabled: the host key has changed/);
  // accept-new (and host_key_checking's default) still refuse it
  const strict = await cli(['p.yaml', '-i', 'inv.yaml', '--json'], d, { env: { HOME: home, SSH_AUTH_SOCK: '', ANSIBLE_HOST_KEY_CHECKING: 'True' }, timeoutMs: 60_000 });
  assert.equal(strict.code, 3);
  assert.match(stepEnds(strict.events)[0].msg ?? '', /has CHANGED/);
});

test("ssh: the ssh arguments' -o options are ansible-core's command line's: UserKnownHostsFile and StrictHostKeyChecking from ansible_ssh_common_args, ansible.cfg's ssh_args (ANSIBLE_SSH_ARGS) below them", { skip }, async () => {
  // (a home of its own: the login key, no known_hosts)
  const own = fixture({ '.ssh/.keep': '' });
  writeFileSync(join(own, '.ssh/id_ed25519'), readFileSync(key.priv), { mode: 0o600 });
  const runAt = (cwd: string, env: Record<string, string> = {}) => cli(['p.yaml', '-i', 'inv.yaml', '--json'], cwd, { env: { HOME: own, SSH_AUTH_SOCK: '', ...env }, timeoutMs: 60_000 });
  const kh = join(fixture({ x: '' }), 'known_hosts');
  const p = `- hosts: farm\n  gather_facts: false\n  tasks: [{command: "true"}]\n`;
  // without them, the unknown key is refused
  assert.equal((await runAt(fixture({ 'inv.yaml': inventory(host('h', b)), 'p.yaml': p }))).code, 3);
  // StrictHostKeyChecking=no: the unknown key is taken and kept in the UserKnownHostsFile named first (not ~/.ssh/known_hosts)
  const common = fixture({ 'inv.yaml': inventory(host('h', a, `, ansible_ssh_common_args: "-o UserKnownHostsFile=${kh} -o StrictHostKeyChecking=no -o UserKnownHostsFile=/nowhere"`)), 'p.yaml': p });
  assert.equal((await runAt(common)).code, 0);
  assert.equal(readFileSync(kh, 'utf8').trim(), a.knownHostsLine);
  assert.equal(existsSync(join(own, '.ssh', 'known_hosts')), false);
  // ANSIBLE_SSH_ARGS (`-oName=value`, `-o "Name value"`): /dev/null keeps no key; the host's own StrictHostKeyChecking=yes comes after and does not win
  const cfg = fixture({ 'inv.yaml': inventory(host('h', b, ', ansible_ssh_common_args: "-o StrictHostKeyChecking=yes"')), 'p.yaml': p });
  assert.equal((await runAt(cfg, { ANSIBLE_SSH_ARGS: '-C -o ControlMaster=auto -oStrictHostKeyChecking=no -o "UserKnownHostsFile /dev/null"' })).code, 0);
  assert.equal(existsSync(join(own, '.ssh', 'known_hosts')), false);
});

test('ssh: values with shell metacharacters are quoted: nothing executes', { skip }, async () => {
  const d = fixture({ 'inv.yaml': inventory(host('h', a)) });
  const pwned = join(d, 'pwned');
  const evil = [`$(touch ${pwned})`, `\`touch ${pwned}\``, `; touch ${pwned};`, `a\ntouch ${pwned}`, `'"; touch ${pwned}; echo "'`, 'ünï-çødé ✓'];
  const p = `- hosts: farm\n  gather_facts: false\n  vars:\n    evil: ${JSON.stringify(evil)}\n  tasks:\n    - file: {path: "{{ root }}", state: directory}\n${evil
    .map(
      (_, i) => `    - copy: {dest: "{{ root }}/f{{ evil[${i}] | regex_replace('/', '_') }}", content: "{{ evil[${i}] }}"}
    - command: {argv: [printf, "%s", "{{ evil[${i}] }}"]}
      changed_when: false
      register: out${i}
    - assert: {that: "out${i}.stdout == evil[${i}]"}
    - lineinfile: {path: "{{ root }}/lines", line: "{{ evil[${i}] | replace('\\n', ' ') }}", create: true}
    - file: {path: "{{ root }}/d{{ evil[${i}] | regex_replace('/', '_') }}", state: directory}`,
    )
    .join('\n')}\n`;
  writeFileSync(join(d, 'p.yaml'), p);
  const r = await run(['p.yaml', '-i', 'inv.yaml', '-e', `root=${d}/out`, '--json'], d);
  assert.equal(r.code, 0, r.stdout);
  assert.equal(existsSync(pwned), false, 'an injected command ran');
  assert.equal(readFileSync(join(d, 'out', `f${evil[5]}`), 'utf8'), evil[5]);
  const again = await run(['p.yaml', '-i', 'inv.yaml', '-e', `root=${d}/out`, '--json'], d);
  assert.equal(recapOf(again.events).h.changed, 0);
});

test('ssh: sshd killed mid-run makes that host unreachable; the other host finishes', { skip }, async () => {
  const victim = await startSshd([key.pub]);
  servers.push(victim);
  const kh = join(home, '.ssh/known_hosts');
  writeFileSync(kh, readFileSync(kh, 'utf8') + victim.knownHostsLine + '\n');
  const d = fixture({ 'inv.yaml': inventory(host('victim', victim) + host('survivor', b)), 'p.yaml': `- hosts: farm\n  gather_facts: false\n  tasks:\n    - command: sleep 1.5\n    - copy: {dest: "{{ root }}/{{ inventory_hostname }}", content: "done"}\n` });
  const child = execa('node', [bin, 'p.yaml', '-i', 'inv.yaml', '-e', `root=${d}`, '--json'], { cwd: d, reject: false, env: { HOME: home, SSH_AUTH_SOCK: '', NO_COLOR: '1' }, timeout: 60_000 });
  // kill the server and every session it forked once the remote command is running, as a crash would
  const deadline = Date.now() + 30_000;
  while (!descendants(victim.pid).some((p) => comm(p) === 'sleep') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  killHard(victim.pid);
  const r = await child;
  assert.equal(r.exitCode, 3, String(r.stdout));
  const events = String(r.stdout).split('\n').filter(Boolean).map((l) => JSON.parse(l));
  const recap = recapOf(events);
  assert.equal(recap.victim.unreachable, 1);
  assert.equal(recap.survivor.changed, 2);
  assert.equal(readFileSync(join(d, 'survivor'), 'utf8'), 'done');
});

test('ssh: a host behind a jump host (ProxyJump via -J)', { skip }, async () => {
  const d = fixture({ 'inv.yaml': inventory(host('inner', b, `, ansible_ssh_common_args: "-J root@127.0.0.1:${a.port}"`)), 'p.yaml': `- hosts: farm\n  gather_facts: false\n  tasks:\n    - command: hostname\n      register: h\n    - copy: {dest: "{{ root }}/through-jump", content: "{{ h.rc }}"}\n` });
  const r = await run(['p.yaml', '-i', 'inv.yaml', '-e', `root=${d}`, '--json'], d);
  assert.equal(r.code, 0, r.stdout);
  assert.equal(readFileSync(join(d, 'through-jump'), 'utf8'), '0');
});

test('ssh: become runs commands through sudo as another user', { skip: skip || (!HAVE_SUDO && 'sudo is not installed (CI installs it)') }, async () => {
  const d = fixture({ 'inv.yaml': inventory(host('h', a)), 'p.yaml': `- hosts: farm\n  gather_facts: false\n  tasks:\n    - command: id -un\n      become: true\n      become_user: nobody\n      register: who\n    - assert: {that: "who.stdout == 'nobody'"}\n` });
  const r = await run(['p.yaml', '-i', 'inv.yaml', '--json'], d);
  assert.equal(r.code, 0, r.stdout);
});

test('ssh: become_method su runs commands as su USER -c', { skip }, async () => {
  const d = fixture({ 'inv.yaml': inventory(host('h', a)), 'p.yaml': `- hosts: farm\n  gather_facts: false\n  become: true\n  become_method: su\n  tasks:\n    - shell: id -un; echo "$HOME"\n      register: who\n    - command: id -un\n      become_user: nobody\n      register: nobody\n      ignore_errors: true\n    - command: id -un\n      become_user: nobody\n      become_flags: -s /bin/sh\n      register: shell\n    - assert: {that: ["who.stdout_lines[0] == 'root'", "nobody is failed and 'not available' in nobody.stdout + nobody.stderr", "shell.stdout == 'nobody'"]}\n` });
  const r = await run(['p.yaml', '-i', 'inv.yaml', '--json'], d);
  assert.equal(r.code, 0, r.stdout);
});

test('ssh: a 100 MB file is copied intact, and re-checked without sending it back', { skip }, async () => {
  const d = fixture({ 'inv.yaml': inventory(host('h', a)) });
  const big = randomBytes(100 * 1024 * 1024);
  writeFileSync(join(d, 'big.bin'), big);
  writeFileSync(join(d, 'p.yaml'), `- hosts: farm\n  gather_facts: false\n  tasks:\n    - file: {path: "{{ root }}", state: directory}\n    - copy: {src: "${join(d, 'big.bin')}", dest: "{{ root }}/copy.bin"}\n`);
  const args = ['p.yaml', '-i', 'inv.yaml', '-e', `root=${d}/out`, '--json'];
  const first = await run(args, d, 120_000);
  assert.equal(first.code, 0, first.stdout);
  const sum = (b: Buffer) => createHash('sha1').update(b).digest('hex');
  assert.equal(sum(readFileSync(join(d, 'out/copy.bin'))), sum(big));
  const second = await run(args, d, 120_000);
  assert.equal(recapOf(second.events).h.changed, 0);
});

test('ssh: 50 hosts at once on one connection each', { skip }, async () => {
  const names = Array.from({ length: 50 }, (_, i) => `n${i}`);
  const d = fixture({ 'inv.yaml': inventory(names.map((n, i) => host(n, i % 2 ? a : b)).join('')), 'p.yaml': `- hosts: farm\n  gather_facts: false\n  tasks:\n    - copy: {dest: "{{ root }}/{{ inventory_hostname }}", content: "{{ inventory_hostname }}"}\n    - stat: {path: "{{ root }}/{{ inventory_hostname }}"}\n      register: c\n    - assert: {that: "c.stat.size == inventory_hostname | length"}\n` });
  const r = await run(['p.yaml', '-i', 'inv.yaml', '-e', `root=${d}`, '--json', '--forks', '50'], d, 120_000);
  assert.equal(r.code, 0, r.stdout.slice(-2000));
  const recap = recapOf(r.events);
  assert.equal(Object.keys(recap).length, 50);
  assert.ok(Object.values(recap).every((c) => c.ok === 3 && c.changed === 1));
});

test('ssh: the in-process SSH server (the lab where OpenSSH is missing) converges the same playbook, then changes nothing; other keys refused', async () => {
  const h = fixture({ '.ssh/.keep': '' });
  const k = keygen(join(h, '.ssh'), 'id_ed25519');
  const other = keygen(h, 'other');
  const s = await startSshServer([k.pub]);
  try {
    writeFileSync(join(h, '.ssh/known_hosts'), `${s.knownHostsLine}\n`);
    const d = fixture({ 'inv.yaml': inventory(host('inproc', s)), 'p.yaml': converge, 'templates/t.j2': 'name={{ inventory_hostname }}\n' });
    const go = (extra: string[] = []) => cli(['p.yaml', '-i', 'inv.yaml', '-e', `root=${d}/out`, '--json', ...extra], d, { env: { HOME: h, SSH_AUTH_SOCK: '' } });
    const first = await go();
    assert.equal(first.code, 0, first.stdout);
    assert.equal(recapOf(first.events).inproc.changed, 6);
    assert.equal(readFileSync(join(d, 'out/inproc/motd'), 'utf8'), 'hi inproc\n');
    assert.equal(statSync(join(d, 'out/inproc/motd')).mode & 0o777, 0o640);
    const second = await go();
    assert.deepEqual([recapOf(second.events).inproc.changed, recapOf(second.events).inproc.failed], [0, 0]);
    // a server that knows only another key refuses ours
    const strict = await startSshServer([other.pub]);
    try {
      writeFileSync(join(h, '.ssh/known_hosts'), `${strict.knownHostsLine}\n`);
      writeFileSync(join(d, 'inv.yaml'), inventory(host('inproc', strict)));
      const refused = await go();
      assert.equal(refused.code, 3, refused.stdout);
      assert.match(stepEnds(refused.events)[0].msg ?? '', /authentication/i);
    } finally {
      await strict.stop();
    }
  } finally {
    await s.stop();
  }
});

test('ssh: a server that accepts and then says nothing is unreachable after ansible_timeout, not a crash (ssh2 errors twice)', async () => {
  // accepts, then silence (a stalled link): the handshake times out, then ssh2 also reports the lost connection
  const silent = createServer((sock) => void setTimeout(() => sock.destroy(), 3000));
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  try {
    const port = (silent.address() as AddressInfo).port;
    const d = fixture({ 'inv.yaml': inventory(host('mute', { port }, ', ansible_timeout: 1')), 'p.yaml': '- hosts: farm\n  gather_facts: false\n  tasks:\n    - command: "true"\n' });
    const r = await cli(['p.yaml', '-i', 'inv.yaml', '--json'], d, { env: { HOME: d, SSH_AUTH_SOCK: '' } });
    assert.equal(r.code, 3, r.stdout + r.stderr);
    assert.match(stepEnds(r.events)[0].msg ?? '', /timed out after 1s|Connection lost/);
    assert.doesNotMatch(r.stderr, STACK);
  } finally {
    silent.close();
  }
});

test('ssh: ignore_unreachable lets the host go on, counted ok and ignored as ansible-core counts it', async () => {
  const d = fixture({ 'inv.yaml': inventory(host('gone', { port: 1 })), 'p.yaml': '- hosts: farm\n  gather_facts: false\n  tasks:\n    - command: "true"\n      ignore_unreachable: true\n    - debug: msg=after\n' });
  const r = await cli(['p.yaml', '-i', 'inv.yaml', '--json'], d, { env: { HOME: d, SSH_AUTH_SOCK: '' } });
  assert.equal(r.code, 0, r.stdout + r.stderr);
  const c = recapOf(r.events).gone;
  assert.deepEqual([c.ok, c.unreachable, c.ignored], [2, 0, 1]);
  assert.match(stepEnds(r.events)[0].msg ?? '', /127\.0\.0\.1:1/);
});

test('ssh: a 300 KB file is read back in pipelined chunks: the re-run sees it unchanged', { skip }, async () => {
  const big = Array.from({ length: 6000 }, (_, i) => `line ${i} ${'x'.repeat(40)}`).join('\n') + '\n';
  const d = fixture({ 'inv.yaml': inventory(host('east', a)), 'files/big.txt': big, 'p.yaml': '- hosts: farm\n  gather_facts: false\n  tasks:\n    - copy: {src: big.txt, dest: "{{ root }}/big.txt"}\n' });
  const args = ['p.yaml', '-i', 'inv.yaml', '-e', `root=${d}`, '--json'];
  assert.equal(recapOf((await run(args, d)).events).east.changed, 1);
  assert.equal(readFileSync(join(d, 'big.txt'), 'utf8'), big);
  const again = await run(args, d);
  assert.equal(recapOf(again.events).east.changed, 0, 'the read-back differed');
});
