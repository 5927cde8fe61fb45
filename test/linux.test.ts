import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CANARY, cli, failures, fixture, recapOf } from './helpers.js';
import { SSHD, sshHost, type Sshd } from './sshd.js';

// Linux modules from the ansible.posix collection and the ones that need the host's own tools
// (package manager, init scripts), as Ansible-style playbooks (register + assert), run on a local
// host and over a real sshd. ansible-core lacks ansible.posix, so there is no recap to compare.
let sshd: Sshd | undefined;
let sshVars = '';
before(async () => {
  if (!SSHD) return;
  ({ sshd, vars: sshVars } = await sshHost());
});
after(() => sshd?.stop());

const ROOT = userInfo().uid === 0;
const DPKG = existsSync('/usr/bin/dpkg-query');

/** Runs an Ansible-style playbook on a local host, then over ssh; both must pass with the same recap. */
async function both(playbook: string, extra: Record<string, string> = {}) {
  const recaps = [];
  for (const vars of ['ansible_connection: local', ...(sshVars ? [sshVars] : [])]) {
    const d = fixture({ 'inv.yaml': `all:\n  hosts:\n    h: {${vars}}\n`, 'p.yaml': playbook });
    const r = await cli(['p.yaml', '-i', 'inv.yaml', '-e', `root=${d}`, ...Object.entries(extra).flatMap(([k, v]) => ['-e', `${k}=${v}`]), '--json'], d, { timeoutMs: 120_000 });
    assert.equal(r.code, 0, `${vars.split(',')[0]}: ${failures(r)}`);
    recaps.push(recapOf(r.events).h);
  }
  if (recaps.length === 2) assert.deepEqual({ ...recaps[1], round_trips: 0 }, { ...recaps[0], round_trips: 0 }, 'local and ssh differ');
  return recaps[0];
}

const KEY1 = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIG0bmgf6/b8JRcTf1VNxKsy2h6mBvSTmF9fyYlqsX1Jk ops@farm';
const KEY2 = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJ4Kq1nMfH2ev9vAOoXxj3WzW5jT8fQG0tQk3Q8dC3pA ci@farm';

test('authorized_key: added once, exclusive, removed; file 0600', async () => {
  await both(`- hosts: all
  gather_facts: false
  tasks:
    - authorized_key: {user: "{{ ansible_user | default('root') }}", key: "${KEY1}", path: "{{ root }}/ak", manage_dir: false}
      register: k1
    - authorized_key: {user: "{{ ansible_user | default('root') }}", key: "${KEY1}", path: "{{ root }}/ak", manage_dir: false}
      register: k2
    - authorized_key: {user: "{{ ansible_user | default('root') }}", key: "${KEY2}", path: "{{ root }}/ak", manage_dir: false, exclusive: true}
      register: k3
    - command: cat {{ root }}/ak
      register: ak
      changed_when: false
    - stat: {path: "{{ root }}/ak"}
      register: st
    - authorized_key: {user: "{{ ansible_user | default('root') }}", key: "${KEY2}", path: "{{ root }}/ak", state: absent}
      register: k4
    - authorized_key: {user: "{{ ansible_user | default('root') }}", key: "${KEY2}", path: "{{ root }}/none", state: absent}
      register: k5
    - assert:
        that:
          - k1 is changed and k2 is not changed and k3 is changed
          - "'ci@farm' in ak.stdout and 'ops@farm' not in ak.stdout"
          - st.stat.mode == '0600'
          - k4 is changed and k5 is not changed
`);
});

test('authorized_key: a key list from an http URL, fetched by the host (a loopback server)', async () => {
  const server = createServer((_req, res) => res.end(`${KEY1}\n${KEY2}\n`));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    await both(`- hosts: all
  gather_facts: false
  tasks:
    - authorized_key: {user: "{{ ansible_user | default('root') }}", key: "{{ keys_url }}", path: "{{ root }}/ak", manage_dir: false}
      register: k1
    - authorized_key: {user: "{{ ansible_user | default('root') }}", key: "{{ keys_url }}", path: "{{ root }}/ak", manage_dir: false}
      register: k2
    - command: cat {{ root }}/ak
      register: ak
      changed_when: false
    - assert:
        that:
          - k1 is changed and k2 is not changed
          - "'ops@farm' in ak.stdout_lines[0] and 'ci@farm' in ak.stdout_lines[1]"
`, { keys_url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/keys` });
  } finally {
    server.close();
  }
});

test('sysctl: the file edited once, changed value, removed; the running value read with sysctl_set and left as it is when it is the one asked', async () => {
  const swappiness = readFileSync('/proc/sys/vm/swappiness', 'utf8').trim();
  await both(`- hosts: all
  gather_facts: false
  tasks:
    - sysctl: {name: vm.swappiness, value: "10", sysctl_file: "{{ root }}/99-farm.conf", reload: false}
      register: s1
    - sysctl: {name: vm.swappiness, value: "10", sysctl_file: "{{ root }}/99-farm.conf", reload: false}
      register: s2
    - sysctl: {name: vm.swappiness, value: "20", sysctl_file: "{{ root }}/99-farm.conf", reload: false}
      register: s3
    - command: cat {{ root }}/99-farm.conf
      register: conf
      changed_when: false
    - sysctl: {name: vm.swappiness, state: absent, sysctl_file: "{{ root }}/99-farm.conf", reload: false}
      register: s4
    - sysctl: {name: vm.swappiness, value: "{{ now }}", sysctl_file: "{{ root }}/98-now.conf", sysctl_set: true, reload: false}
      check_mode: true
      register: s5
    - stat: {path: "{{ root }}/98-now.conf"}
      register: now_conf
    # the running value as it is: only the file is to change (ansible.posix's result is \`changed\` only)
    - sysctl: {name: vm.swappiness, value: "{{ now }}", sysctl_file: "{{ root }}/98-now.conf", sysctl_set: true, reload: false}
      register: s6
    - assert:
        that:
          - s1 is changed and s2 is not changed and s3 is changed and s4 is changed
          - conf.stdout == 'vm.swappiness=20'
          - s5 is changed and not now_conf.stat.exists
          - s6 is changed
          - s6.running is not defined
`, { now: swappiness });
});

test('mount: fstab entry as asked, nothing mounted in check mode, removed', async () => {
  await both(`- hosts: all
  gather_facts: false
  tasks:
    - mount: {path: /mnt/agri-scratch, src: tmpfs, fstype: tmpfs, opts: "size=1m", state: mounted, fstab: "{{ root }}/fstab"}
      check_mode: true
      register: m0
    - stat: {path: "{{ root }}/fstab"}
      register: st0
    - mount: {path: /mnt/agri-scratch, src: tmpfs, fstype: tmpfs, opts: "size=1m", state: present, fstab: "{{ root }}/fstab"}
      register: m1
    - mount: {path: /mnt/agri-scratch, src: tmpfs, fstype: tmpfs, opts: "size=1m", state: present, fstab: "{{ root }}/fstab"}
      register: m2
    - command: cat {{ root }}/fstab
      register: fstab
      changed_when: false
    - mount: {path: /mnt/agri-scratch, state: absent, fstab: "{{ root }}/fstab"}
      register: m3
    - assert:
        that:
          - m0 is changed and not st0.stat.exists
          - m1 is changed and m2 is not changed and m3 is changed
          - fstab.stdout == 'tmpfs /mnt/agri-scratch tmpfs size=1m 0 0'
`);
});

test('package: installed ones are ok, absent ones stay absent, a package apt does not know fails (in check mode too, as ansible-core)', { skip: DPKG ? false : 'no dpkg on this machine' }, async () => {
  await both(`- hosts: all
  gather_facts: false
  tasks:
    - package: {name: [coreutils, dpkg]}
      register: p1
    - package: {name: agri-play-no-such-package, state: absent}
      register: p2
    - package: {name: agri-play-no-such-package}
      check_mode: true
      register: p3
      ignore_errors: true
    - apt: {name: agri-play-no-such-package}
      register: p4
      ignore_errors: true
    - assert:
        that:
          - p1 is not changed and p1.manager == 'apt'
          - p2 is not changed
          - p3 is failed and p3.msg == "No package matching 'agri-play-no-such-package' is available"
          - p4 is failed and 'agri-play-no-such-package' in p4.msg
`);
});

test('service: a SysV service started once, stopped, its process gone (systemd where it runs)', { skip: ROOT && existsSync('/etc/init.d') && !existsSync('/run/systemd/system') ? false : 'needs root and SysV init scripts (no systemd running)' }, async () => {
  const name = `agri-svc-${process.pid}`;
  const pidfile = `/tmp/${name}.pid`;
  const script = `/etc/init.d/${name}`;
  writeFileSync(
    script,
    `#!/bin/sh\n### BEGIN INIT INFO\n# Provides: ${name}\n# Required-Start:\n# Required-Stop:\n# Default-Start: 2 3 4 5\n# Default-Stop: 0 1 6\n# Short-Description: agri-play test service\n### END INIT INFO\nP=${pidfile}\nrunning() { [ -f $P ] && kill -0 $(cat $P) 2>/dev/null; }\ncase "$1" in\n  start) running || { nohup sleep 600 >/dev/null 2>&1 & echo $! > $P; } ;;\n  stop) running && kill $(cat $P); rm -f $P ;;\n  restart) $0 stop; $0 start ;;\n  status) running ;  [ $? -eq 0 ] && exit 0; exit 3 ;;\n  *) exit 2 ;;\nesac\n`,
    { mode: 0o755 },
  );
  try {
    await both(`- hosts: all
  gather_facts: false
  tasks:
    - service: {name: ${name}, state: started}
      register: s1
    - service: {name: ${name}, state: started}
      register: s2
    - command: cat ${pidfile}
      register: pid
      changed_when: false
    - service: {name: ${name}, state: stopped}
      register: s3
    - systemd: {name: ${name}, state: started}
      register: s6
      ignore_errors: true
    - service: {name: ${name}, state: stopped}
      register: s4
    - service: {name: agri-play-no-such-service, state: started}
      register: s5
      ignore_errors: true
    - assert:
        that:
          - s1 is changed and s1.state == 'started'
          - s2 is not changed
          - s3 is changed and s4 is not changed
          - s5 is failed and 'Could not find the requested service' in s5.msg
          - s6 is failed and s6.msg.startswith('System has not been booted with systemd')
`);
    assert.equal(existsSync(pidfile), false, 'the stopped service left its pid file');
  } finally {
    if (existsSync(pidfile)) {
      try {
        process.kill(Number(readFileSync(pidfile, 'utf8')), 'SIGTERM');
      } catch {
        /* already gone */
      }
      rmSync(pidfile, { force: true });
    }
    rmSync(script, { force: true });
  }
});

test('debconf: an answer of type password never reaches the output, events or journal (-vvv), though the result holds it as ansible-core returns it', { skip: existsSync('/usr/bin/debconf-set-selections') ? false : 'no debconf here' }, async () => {
  const d = fixture({});
  // (a debconf database of the test's own: the machine's stays as it is)
  const play = `- hosts: localhost\n  gather_facts: false\n  environment: {DEBCONF_DB_REPLACE: "File{{ '{' }}${d}/debconf.dat{{ '}' }}"}\n  tasks:\n    - debconf: {name: agri-test, question: agri-test/code, vtype: password, value: "${CANARY}"}\n      register: r\n    - assert: {that: ["r is changed", "r.current['agri-test/code'] | length > 0"]}\n    - debconf: {name: agri-test}\n`;
  writeFileSync(`${d}/p.yaml`, play);
  const r = await cli(['p.yaml', '-vvv', '--json'], d);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.equal(recapOf(r.events).localhost.changed, 1);
  // (cli() fails the test had the canary reached stdout, stderr or a journal)
});
