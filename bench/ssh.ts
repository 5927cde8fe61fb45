// npm run bench:ssh — the same idempotent 10-task playbook on 10 and 30 real sshd hosts (loopback),
// run by agri-play and by ansible-core (pipelining + ControlPersist, forks = hosts), plus a raw
// lower bound (one ssh session per host running one script). Then again at 20 ms RTT through a
// delay proxy. All figures come from one run (agri-play's re-run and --check: the median of three
// each); ratios are what to read.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { delayProxy, keygen, SSHD, startSshd, type Sshd } from '../lib/lab/index.js';
import { packageRoot } from '../lib/source/index.js';
import { median } from './median.js';

const TASKS = `- hosts: farm
  gather_facts: false
  tasks:
    - file: {path: "{{ root }}/{{ inventory_hostname }}", state: directory, mode: "0755"}
    - copy: {dest: "{{ root }}/{{ inventory_hostname }}/motd", content: "field {{ inventory_hostname }}\\n"}
    - copy: {dest: "{{ root }}/{{ inventory_hostname }}/zone.json", content: "{{ {'zone': 'east', 'id': 1} | to_json }}"}
    - template: {src: app.conf.j2, dest: "{{ root }}/{{ inventory_hostname }}/app.conf"}
    - lineinfile: {path: "{{ root }}/{{ inventory_hostname }}/hosts", line: "10.0.0.1 gateway", create: true}
    - lineinfile: {path: "{{ root }}/{{ inventory_hostname }}/hosts", regexp: "^10.0.0.2 ", line: "10.0.0.2 ntp"}
    - blockinfile: {path: "{{ root }}/{{ inventory_hostname }}/hosts", block: "10.0.0.3 collector"}
    - file: {path: "{{ root }}/{{ inventory_hostname }}/data", state: directory, mode: "0700"}
    - copy: {dest: "{{ root }}/{{ inventory_hostname }}/data/readme", content: "sensor data\\n", mode: "0600"}
    - command: {cmd: "touch stamp", chdir: "{{ root }}/{{ inventory_hostname }}", creates: "{{ root }}/{{ inventory_hostname }}/stamp"}
`;
const RAW = (root: string, h: string) =>
  `cd ${root}/${h} && stat -c '%n %a %s' . motd zone.json app.conf hosts data data/readme stamp && sha1sum motd zone.json app.conf hosts data/readme`;

// AGRI_BENCH_SKIP_ANSIBLE=1: agri-play and raw ssh only (to compare two agri-play builds quickly)
const ANSIBLE = process.env.AGRI_BENCH_SKIP_ANSIBLE ? undefined : ['/usr/bin/ansible-playbook', '/usr/local/bin/ansible-playbook'].find((p) => existsSync(p));

function time(cmd: string, args: string[], env: Record<string, string>, cwd: string): Promise<{ ms: number; out: string; code: number }> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const child = spawn(cmd, args, { cwd, env: { ...process.env, ...env } });
    let out = '';
    child.stdout.on('data', (b) => (out += b));
    child.stderr.on('data', (b) => (out += b));
    child.on('close', (code) => resolve({ ms: performance.now() - t0, out, code: code ?? -1 }));
  });
}

async function scenario(n: number, rttMs: number, servers: Sshd[], key: { priv: string }, dir: string): Promise<Record<string, number>> {
  const proxies = rttMs ? await Promise.all(servers.map((s) => delayProxy(s.port, rttMs / 2))) : [];
  const port = (i: number) => (rttMs ? proxies[i].port : servers[i].port);
  const hosts = servers.slice(0, n).map((_, i) => `        h${i}: {ansible_host: 127.0.0.1, ansible_port: ${port(i)}, ansible_user: root, ansible_ssh_private_key_file: ${key.priv}, ansible_python_interpreter: /usr/bin/python3}`);
  const inv = join(dir, `inv-${n}-${rttMs}.yaml`);
  writeFileSync(inv, `all:\n  children:\n    farm:\n      hosts:\n${hosts.join('\n')}\n`);
  // a file per scenario: its delay proxies' ports may be earlier scenarios' (other servers, other host keys)
  const known = join(dir, `known_hosts-${n}-${rttMs}`);
  const agri = (root: string, ...more: string[]) => time(process.execPath, [join(packageRoot, 'bin/agri-play.js'), 'p.yaml', '-i', inv, '-e', `root=${root}`, '--forks', String(n), '--ssh-accept-new', '--json', '-e', `ansible_ssh_known_hosts_file=${known}`, ...more], { HOME: dir, SSH_AUTH_SOCK: '' }, dir);
  const ansible = (root: string, ...more: string[]) => time(ANSIBLE!, ['-i', inv, 'p.yaml', '-e', `root=${root}`, '--forks', String(n), ...more], { ANSIBLE_CONFIG: join(dir, 'ansible.cfg'), HOME: dir, SSH_AUTH_SOCK: '' }, dir);
  const row: Record<string, number> = {};
  // (a folder per scenario: each one's first run converges hosts that have nothing yet)
  const roots = { agri: join(dir, 'out', `agri-${n}-${rttMs}`), ansible: join(dir, 'out', `ansible-${n}-${rttMs}`) };
  execFileSync('mkdir', ['-p', roots.agri, roots.ansible]);
  // the first run converges the hosts (every step changes: files written, folders made)
  row.agri_converge = (await agri(roots.agri)).ms;
  // the re-run and --check: the median of three each (one run of ≈ 1 s moves by ± 0.1 s on this machine)
  const reruns: number[] = [];
  let recap: { hosts: Record<string, { changed: number; round_trips: number }> } = { hosts: {} };
  for (let i = 0; i < 3; i++) {
    const again = await agri(roots.agri);
    recap = JSON.parse(again.out.trim().split('\n').at(-1)!) as typeof recap;
    if (Object.values(recap.hosts).some((c) => c.changed)) throw new Error('agri-play re-run changed something: ' + again.out.slice(-500));
    reruns.push(again.ms);
  }
  row.agri_rerun = median(reruns);
  const checks: number[] = [];
  for (let i = 0; i < 3; i++) checks.push((await agri(roots.agri, '--check')).ms);
  row.agri_check = median(checks);
  row.agri_ops = Math.max(...Object.values(recap.hosts).map((c) => c.round_trips));
  const raw = await Promise.all(
    servers.slice(0, n).map((_, i) => time('ssh', ['-p', String(port(i)), '-i', key.priv, '-o', `UserKnownHostsFile=${known}`, '-o', 'StrictHostKeyChecking=accept-new', '-o', 'BatchMode=yes', 'root@127.0.0.1', RAW(roots.agri, `h${i}`)], { HOME: dir }, dir)),
  );
  row.raw = Math.max(...raw.map((r) => r.ms));
  if (raw.some((r) => r.code !== 0)) throw new Error('raw ssh failed: ' + raw.find((r) => r.code)!.out);
  if (ANSIBLE) {
    await ansible(roots.ansible);
    const ar = await ansible(roots.ansible);
    if (!/changed=0 /.test(ar.out) || /changed=[1-9]/.test(ar.out)) throw new Error('ansible re-run changed something: ' + ar.out.slice(-800));
    row.ansible_rerun = ar.ms;
    row.ansible_check = (await ansible(roots.ansible, '--check')).ms;
  }
  await Promise.all(proxies.map((p) => p.close()));
  return row;
}

async function main(): Promise<void> {
  if (!SSHD) throw new Error('sshd is not installed: apt-get install openssh-server');
  const dir = mkdtempSync(join(tmpdir(), 'agri-bench-ssh-'));
  const key = keygen(dir, 'id_ed25519');
  writeFileSync(join(dir, 'p.yaml'), TASKS);
  execFileSync('mkdir', ['-p', join(dir, 'templates')]);
  writeFileSync(join(dir, 'templates/app.conf.j2'), 'host={{ inventory_hostname }}\nzone=east\n');
  writeFileSync(join(dir, 'ansible.cfg'), `[defaults]\nhost_key_checking = False\ngathering = explicit\ninterpreter_python = /usr/bin/python3\nstdout_callback = default\n[ssh_connection]\npipelining = True\nssh_args = -o ControlMaster=auto -o ControlPersist=60s -o UserKnownHostsFile=${join(dir, 'ansible_known_hosts')}\ncontrol_path_dir = ${join(dir, 'cp')}\n`);
  const servers = await Promise.all(Array.from({ length: 30 }, () => startSshd([key.pub])));
  const rows: [string, Record<string, number>][] = [];
  try {
    for (const [n, rtt] of [[10, 0], [30, 0], [10, 20], [30, 20]] as const) {
      process.stderr.write(`… ${n} hosts, ${rtt} ms RTT\n`);
      rows.push([`${n} hosts, ${rtt} ms RTT`, await scenario(n, rtt, servers, key, dir)]);
    }
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
    // what the hosts wrote (under dir/out) goes with the rest
    rmSync(dir, { recursive: true, force: true });
  }
  const f = (ms?: number) => (ms === undefined ? '   n/a' : `${(ms / 1000).toFixed(2)}s`.padStart(7));
  const x = (a?: number, b?: number) => (a === undefined || b === undefined ? '  n/a' : `${(a / b).toFixed(1)}×`.padStart(6));
  console.log(`\nidempotent 10-task playbook over real sshd (${ANSIBLE ? 'ansible-core ' + execFileSync(ANSIBLE, ['--version']).toString().split('\n')[0].replace(/^.*\[core /, '').replace(/\].*/, '') : 'ansible-core not installed'})`);
  console.log('scenario              agri converge  agri re-run  agri --check  raw ssh  ansible re-run  ansible --check  ansible/agri  agri/raw  agri ops/host');
  for (const [name, r] of rows) {
    console.log(`${name.padEnd(21)} ${f(r.agri_converge).padStart(14)} ${f(r.agri_rerun).padStart(11)} ${f(r.agri_check).padStart(13)} ${f(r.raw).padStart(8)} ${f(r.ansible_rerun).padStart(15)} ${f(r.ansible_check).padStart(16)} ${x(r.ansible_rerun, r.agri_rerun).padStart(13)} ${x(r.agri_rerun, r.raw).padStart(9)} ${String(r.agri_ops).padStart(14)}`);
  }
  const slow = rows.find(([n]) => n.startsWith('10 hosts, 20'))![1];
  const fast = rows.find(([n]) => n.startsWith('10 hosts, 0'))![1];
  const target = rows.find(([n]) => n.startsWith('30 hosts, 20'))![1];
  console.log(`\n30 hosts at 20 ms RTT: agri-play's idempotent re-run ${f(target.agri_rerun).trim()} (target ≤ 1.00s), --check ${f(target.agri_check).trim()}`);
  console.log(`serial round trips per host at 20 ms RTT (from the added wall time): ≈ ${((slow.agri_rerun - fast.agri_rerun) / 20).toFixed(1)} for the whole agri-play re-run (target ≤ 8), raw ssh ≈ ${((slow.raw - fast.raw) / 20).toFixed(1)}`);
}

await main();
