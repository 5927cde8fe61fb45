// npm run bench:rtt — serial round trips of an idempotent agri-play re-run on one fresh sshd host:
// the same 10-task playbook as bench:ssh, at 0 ms and at 100 ms RTT (a delay proxy on loopback);
// trips ≈ (t100 − t0) / 100 ms (best of 3 each, so load adds little). Raw ssh (one session, one
// script) for scale.
import { execFileSync } from 'node:child_process';
import { execa } from 'execa';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { delayProxy, keygen, SSHD, startSshd } from '../lib/lab/index.js';
import { packageRoot } from '../lib/source/index.js';

if (!SSHD) throw new Error('sshd is not installed: apt-get install openssh-server');
const dir = mkdtempSync(join(tmpdir(), 'agri-bench-rtt-'));
const key = keygen(dir, 'id_ed25519');
const tasks = readFileSync(join(packageRoot, 'bench', 'ssh.ts'), 'utf8');
writeFileSync(join(dir, 'p.yaml'), /const TASKS = `([\s\S]*?)`;/.exec(tasks)![1].replace(/\\\\n/g, '\\n'));
execFileSync('mkdir', ['-p', join(dir, 'templates'), join(dir, 'out')]);
writeFileSync(join(dir, 'templates/app.conf.j2'), 'host={{ inventory_hostname }}\nzone=east\n');
const sshd = await startSshd([key.pub]);
/** The best of n timings (the proxy lives in this process: each run is awaited, never blocking it). */
async function best(f: () => Promise<number>, n = 3): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) times.push(await f());
  return Math.min(...times);
}
try {
  const at = async (rtt: number) => {
    const proxy = rtt ? await delayProxy(sshd.port, rtt / 2) : undefined;
    const port = proxy?.port ?? sshd.port;
    writeFileSync(join(dir, 'inv.yaml'), `all:\n  children:\n    farm:\n      hosts:\n        h0: {ansible_host: 127.0.0.1, ansible_port: ${port}, ansible_user: root, ansible_ssh_private_key_file: ${key.priv}, ansible_ssh_known_hosts_file: ${join(dir, 'known_hosts')}}\n`);
    const agri = async () => {
      const t0 = performance.now();
      const r = await execa(process.execPath, [join(packageRoot, 'bin/agri-play.js'), 'p.yaml', '-i', 'inv.yaml', '-e', `root=${join(dir, 'out')}`, '--ssh-accept-new'], { cwd: dir, reject: false });
      if (r.exitCode !== 0) throw new Error(String(r.stdout) + String(r.stderr));
      return performance.now() - t0;
    };
    await agri(); // converge once; then time re-runs
    const t = await best(agri);
    const raw = await best(async () => {
      const t0 = performance.now();
      await execa('ssh', ['-p', String(port), '-i', key.priv, '-o', `UserKnownHostsFile=${join(dir, 'known_hosts')}`, '-o', 'StrictHostKeyChecking=accept-new', '-o', 'BatchMode=yes', 'root@127.0.0.1', 'true'], { reject: false });
      return performance.now() - t0;
    });
    await proxy?.close();
    return { t, raw };
  };
  const fast = await at(0);
  const slow = await at(100);
  console.log(`one host, idempotent 10-task re-run: ${fast.t.toFixed(0)} ms at 0 ms RTT, ${slow.t.toFixed(0)} ms at 100 ms RTT`);
  console.log(`serial round trips ≈ ${((slow.t - fast.t) / 100).toFixed(1)} (target ≤ 10); raw ssh running 'true' ≈ ${((slow.raw - fast.raw) / 100).toFixed(1)}`);
} finally {
  await sshd.stop();
  rmSync(dir, { recursive: true, force: true });
}
