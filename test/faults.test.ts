import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { execa } from 'execa';
import { bin, cli, fixture, recapOf } from './helpers.js';
import { killHard, SSHD, sshHost } from './sshd.js';

const skip = SSHD ? false : 'no OpenSSH sshd here';

test('sshd killed while transfers are in flight: unreachable (exit 3) with a recap and a complete journal, never a hang or exit 13', { skip }, async () => {
  const codes: number[] = [];
  for (let i = 0; i < 4; i++) {
    const { sshd, vars } = await sshHost();
    const d = fixture({ 'files/big.bin': Buffer.alloc(8 << 20, 'x') });
    mkdirSync(join(d, 'out'));
    writeFileSync(join(d, 'inv.yaml'), `all:\n  hosts:\n${[1, 2, 3].map((n) => `    h${n}: {${vars}}\n`).join('')}`);
    writeFileSync(join(d, 'p.yaml'), `- hosts: all\n  gather_facts: false\n  tasks:\n${[1, 2, 3, 4].map((n) => `    - copy: {src: big.bin, dest: "${d}/out/{{ inventory_hostname }}-${n}"}\n`).join('')}`);
    const run = execa('node', [bin, 'p.yaml', '-i', 'inv.yaml', '--json'], { cwd: d, reject: false, timeout: 120_000, env: { NO_COLOR: '1' } });
    setTimeout(() => killHard(sshd.pid), 150 + i * 150);
    const r = await run;
    codes.push(r.exitCode ?? -1);
    assert.ok(r.exitCode === 3 || r.exitCode === 0, `exit ${r.exitCode}\n${String(r.stdout).slice(-800)}\n${String(r.stderr).slice(-800)}`);
    const journal = readdirSync(join(d, '.agri-play/runs'))[0];
    const last = readFileSync(join(d, '.agri-play/runs', journal), 'utf8').trim().split('\n').pop()!;
    assert.equal(JSON.parse(last).event, 'recap', 'the journal ends with the recap');
    // no partial target file: every file there is whole
    for (const f of readdirSync(join(d, 'out')).filter((f) => !f.startsWith('.'))) assert.equal(readFileSync(join(d, 'out', f)).length, 8 << 20, f);
  }
  assert.ok(codes.includes(3), `the kill came after the run: ${codes}`);
});

/** The pids of the processes whose command line holds `marker` (a test's own sleep). */
const running = (marker: string): number[] =>
  execFileSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' })
    .split('\n')
    .filter((l) => l.includes(marker))
    .map((l) => Number(l.trim().split(' ')[0]));

test("a task's timeout ends its command's whole process tree: the run goes on at once, and nothing it started is left running", async () => {
  // (a shell that forks: killing it alone left `sleep` holding the output open, and the run waited for it)
  const marker = `sleep 600.${process.pid}`;
  const d = fixture({ 'inv.yaml': 'all:\n  hosts:\n    a: {ansible_connection: local}\n', 'p.yaml': `- hosts: all\n  gather_facts: false\n  tasks:\n    - shell: "${marker}; echo late"\n      timeout: 1\n      ignore_errors: true\n      register: r\n    - assert: {that: ["r is failed", "'expected time frame' in r.msg"]}\n` });
  try {
    // (bounded: the command would have taken ten minutes)
    const r = await execa('node', [bin, 'p.yaml', '-i', 'inv.yaml'], { cwd: d, reject: false, timeout: 300_000, env: { NO_COLOR: '1' } });
    assert.equal(r.timedOut, false, 'the run waited for the command it had timed out');
    assert.equal(r.exitCode, 0, `${r.stdout}\n${r.stderr}`);
    assert.match(r.stdout, /a\s+: ok=2 .* ignored=1/);
    assert.deepEqual(running(marker), [], 'processes of the timed-out command still running');
  } finally {
    for (const pid of running(marker)) process.kill(pid, 'SIGKILL');
  }
});

test('a command that leaves a background child holding its output ends when its shell has and the output went quiet, as ansible-core\'s run_command; its input is closed', async () => {
  const marker = `sleep 600.${process.pid}1`;
  const d = fixture({ 'inv.yaml': 'all:\n  hosts:\n    a: {ansible_connection: local}\n', 'p.yaml': `- hosts: all\n  gather_facts: false\n  tasks:\n    - shell: "${marker} & echo started"\n      register: r\n    - shell: cat\n      register: c\n    - assert: {that: ["r.stdout == 'started'", "c.rc == 0"]}\n` });
  try {
    // (bounded: the child would have held the output for ten minutes)
    const r = await execa('node', [bin, 'p.yaml', '-i', 'inv.yaml'], { cwd: d, reject: false, timeout: 300_000, env: { NO_COLOR: '1' } });
    assert.equal(r.timedOut, false, 'the run waited for the background child');
    assert.equal(r.exitCode, 0, `${r.stdout}\n${r.stderr}`);
  } finally {
    // (the child is the test's to end: a background job outlives its task, as the user asked)
    for (const pid of running(marker)) process.kill(pid, 'SIGKILL');
  }
});

test('--resume after a SIGKILL or an interrupt re-runs every host of that run (what it did is unknown); after a clean run, only the failed ones', async () => {
  const d = fixture({ 'inv.yaml': 'all:\n  hosts:\n    a: {ansible_connection: local}\n    b: {ansible_connection: local}\n' });
  writeFileSync(join(d, 'p.yaml'), `- hosts: all\n  gather_facts: false\n  tasks:\n    - command: sleep 3\n    - copy: {dest: "${d}/done-{{ inventory_hostname }}", content: ok}\n`);
  const run = execa('node', [bin, 'p.yaml', '-i', 'inv.yaml'], { cwd: d, reject: false, env: { NO_COLOR: '1' } });
  // killed once the journal shows steps started
  for (let t = 0; t < 100 && !(existsSync(join(d, '.agri-play/runs')) && readdirSync(join(d, '.agri-play/runs')).some((f) => readFileSync(join(d, '.agri-play/runs', f), 'utf8').includes('step_start'))); t++) await new Promise((r) => setTimeout(r, 100));
  process.kill(run.pid!, 'SIGKILL');
  await run;
  assert.ok(!existsSync(join(d, 'done-a')) && !existsSync(join(d, 'done-b')));
  const resumed = await cli(['p.yaml', '-i', 'inv.yaml', '--resume', '--json'], d, { timeoutMs: 60_000 });
  assert.equal(resumed.code, 0, resumed.stdout + resumed.stderr);
  assert.match(resumed.stderr, /--resume: a, b \(it was killed before its recap/);
  assert.deepEqual(Object.keys(recapOf(resumed.events)).sort(), ['a', 'b']);
  assert.ok(existsSync(join(d, 'done-a')) && existsSync(join(d, 'done-b')));
  const again = await cli(['p.yaml', '-i', 'inv.yaml', '--resume'], d);
  assert.equal(again.code, 0);
  assert.match(again.stdout, /nothing to resume/);
});

/** A tmpfs of our own (read-only or tiny), unmounted afterwards; undefined where mounting is not allowed. */
function tmpfs(dir: string, opts: string): (() => void) | undefined {
  mkdirSync(dir, { recursive: true });
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', opts, 'tmpfs', dir], { stdio: 'pipe' });
    return () => execFileSync('umount', [dir], { stdio: 'pipe' });
  } catch {
    return undefined;
  }
}

test('a read-only or full target filesystem fails the copy with the reason (local and over sshd), leaves nothing behind', async (t) => {
  const d = fixture({});
  const ro = tmpfs(join(d, 'ro'), 'ro,size=1m');
  const full = tmpfs(join(d, 'full'), 'size=64k');
  if (!ro || !full) return t.skip('mount is not allowed here');
  const ssh = SSHD ? await sshHost() : undefined;
  try {
    for (const host of ['ansible_connection: local', ...(ssh ? [ssh.vars] : [])]) {
      writeFileSync(join(d, 'inv.yaml'), `all:\n  hosts:\n    h: {${host}}\n`);
      writeFileSync(join(d, 'p.yaml'), `- hosts: all\n  gather_facts: false\n  tasks:\n    - copy: {dest: "${d}/ro/a.txt", content: "x"}\n      ignore_errors: true\n    - copy: {dest: "${d}/full/b.bin", content: "${'y'.repeat(200_000)}"}\n      ignore_errors: true\n    - copy: {dest: "${d}/full/c.txt", content: "${'z'.repeat(12_000)}"}\n`);
      // c.txt as it was, and the rest of the filesystem filled: the small file's write (its write,
      // mode and close sent together after the open, over SSH) fails after its open succeeded
      writeFileSync(join(d, 'full/c.txt'), 'old');
      try {
        for (;;) appendFileSync(join(d, 'full/filler'), Buffer.alloc(4096));
      } catch {
        // full
      }
      const r = await cli(['p.yaml', '-i', 'inv.yaml'], d, { timeoutMs: 60_000 });
      assert.equal(r.code, 2, r.stdout);
      assert.match(r.stdout, /cannot write .*ro\/a\.txt: read-only file system/i);
      assert.match(r.stdout, /cannot write .*full\/b\.bin: no space left on device/i);
      assert.match(r.stdout, /cannot write .*full\/c\.txt: no space left on device/i);
      assert.doesNotMatch(r.stdout, /internal error/);
      assert.deepEqual(readdirSync(join(d, 'full')).sort(), ['c.txt', 'filler'], 'no partial or temp file left');
      assert.equal(readFileSync(join(d, 'full/c.txt'), 'utf8'), 'old', 'the target as it was');
      rmSync(join(d, 'full/c.txt'));
      rmSync(join(d, 'full/filler'));
    }
  } finally {
    await ssh?.sshd.stop();
    ro();
    full();
  }
});

test('a second Ctrl-C cancels transfers in flight: exit 130 at once, with a recap that says interrupted', { skip }, async () => {
  const { sshd, vars } = await sshHost();
  try {
    const d = fixture({ 'files/big.bin': Buffer.alloc(64 << 20, 'z') });
    writeFileSync(join(d, 'inv.yaml'), `all:\n  hosts:\n    h: {${vars}}\n`);
    writeFileSync(join(d, 'p.yaml'), `- hosts: all\n  gather_facts: false\n  tasks:\n${[1, 2, 3, 4, 5, 6].map((n) => `    - copy: {src: big.bin, dest: "${d}/out-${n}"}\n`).join('')}`);
    const run = execa('node', [bin, 'p.yaml', '-i', 'inv.yaml', '--json'], { cwd: d, reject: false, timeout: 120_000, env: { NO_COLOR: '1' } });
    const journal = () => (existsSync(join(d, '.agri-play/runs')) ? readdirSync(join(d, '.agri-play/runs')).map((f) => readFileSync(join(d, '.agri-play/runs', f), 'utf8')).join('') : '');
    for (let t = 0; t < 200 && !journal().includes('step_start'); t++) await new Promise((r) => setTimeout(r, 50));
    const t0 = Date.now();
    process.kill(run.pid!, 'SIGINT');
    await new Promise((r) => setTimeout(r, 50));
    process.kill(run.pid!, 'SIGINT');
    const r = await run;
    assert.equal(r.exitCode, 130, String(r.stdout).slice(-500));
    assert.ok(Date.now() - t0 < 15_000, `took ${Date.now() - t0} ms after the second Ctrl-C`);
    const last = JSON.parse(journal().trim().split('\n').pop()!) as { event: string; status?: string };
    assert.deepEqual([last.event, last.status], ['recap', 'interrupted']);
  } finally {
    await sshd.stop();
  }
});

test('agri-play SIGKILLed mid-upload: the temp file beside the target (holding the data) is removed by the next run, even one that writes nothing there', { skip }, async () => {
  const { sshd, vars } = await sshHost();
  try {
    const d = fixture({ 'files/big.bin': Buffer.alloc(96 << 20, 's') });
    mkdirSync(join(d, 'out'));
    writeFileSync(join(d, 'inv.yaml'), `all:\n  hosts:\n    h: {${vars}}\n`);
    writeFileSync(join(d, 'p.yaml'), `- hosts: all\n  gather_facts: false\n  tasks:\n    - copy: {src: big.bin, dest: "${d}/out/big", mode: "0600"}\n`);
    writeFileSync(join(d, 'ping.yaml'), `- hosts: all\n  gather_facts: false\n  tasks:\n    - command: "true"\n      changed_when: false\n`);
    const temps = () => readdirSync(join(d, 'out')).filter((f) => /^\.big\.agri-[0-9a-f]+\.tmp$/.test(f));
    const run = execa('node', [bin, 'p.yaml', '-i', 'inv.yaml'], { cwd: d, reject: false, timeout: 120_000, env: { NO_COLOR: '1' } });
    for (let t = 0; t < 3000 && temps().length === 0 && run.exitCode === null; t++) await new Promise((r) => setTimeout(r, 5));
    process.kill(run.pid!, 'SIGKILL');
    await run;
    assert.equal(temps().length, 1, 'the kill came while the upload was in flight');
    assert.ok(!existsSync(join(d, 'out/big')), 'no partial target file');
    const notes = readdirSync(join(d, '.agri-play/state/temps'));
    assert.equal(notes.length, 1, 'the killed run left its notes');
    // a run that never touches out/big still removes what the killed one left on this host
    const r = await cli(['ping.yaml', '-i', 'inv.yaml'], d, { timeoutMs: 60_000 });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.deepEqual(temps(), []);
    assert.deepEqual(readdirSync(join(d, '.agri-play/state/temps')), [], 'nothing left open: no notes');
    // and the copy then converges
    const again = await cli(['p.yaml', '-i', 'inv.yaml'], d, { timeoutMs: 60_000 });
    assert.equal(again.code, 0, again.stdout);
    assert.equal(readFileSync(join(d, 'out/big')).length, 96 << 20);
    assert.deepEqual(temps(), []);
  } finally {
    await sshd.stop();
  }
});
