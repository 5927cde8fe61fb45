// npm run bench:plan — plan and run a 30-task playbook over 100 / 1,000 / 10,000 synthetic hosts
// on in-memory connections (no disk, no network): the engine's own cost, and the engine alone (debug
// steps). Each size runs in its own process so peak memory is its own.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MemoryConnection } from '../lib/connections/index.js';
import { loadInventories } from '../lib/inventory/index.js';
import { loadPlaybook } from '../lib/playbook/index.js';
import { buildPlan } from '../lib/plan/index.js';
import { runPlan } from '../lib/run/index.js';
import { Redactor } from '../lib/vars/index.js';

/** Playbooks of one task shape, 30 times: shapes every playbook has, each alone. */
const SHAPES: Record<string, (i: number) => string> = {
  // the engine alone: variables, gates, lockstep, events, results; no host I/O
  debug: (i) => `    - debug: {msg: "{{ zone }} ${i}"}`,
  // a folder that is already there
  file: () => `    - file: {path: "/srv/{{ inventory_hostname }}", state: directory}`,
  // a loop of three items
  loop: (i) => `    - debug: {msg: "{{ item }} ${i}"}\n      loop: [a, b, c]`,
  // the same file written once, then 29 times unchanged
  'copy-again': () => `    - copy: {dest: "/srv/{{ inventory_hostname }}/f", content: "zone={{ zone }}\\n"}`,
};

/**
 * The 30 tasks: `mixed` (copy, lineinfile, set_fact, command: modules and the engine), or one of
 * SHAPES.
 */
function playbookYaml(strategy: string, mix: string): string {
  const tasks: string[] = [];
  for (let i = 0; i < 30; i++) {
    const kind = i % 5;
    if (mix !== 'mixed') {
      tasks.push(SHAPES[mix](i));
      continue;
    }
    if (kind === 0) tasks.push(`    - copy: {dest: "/srv/{{ inventory_hostname }}/d${i}", content: "n=${i}\\n", mode: "0640"}`);
    if (kind === 1) tasks.push(`    - copy: {dest: "/srv/{{ inventory_hostname }}/f${i}", content: "zone={{ zone }} n=${i}\\n"}`);
    if (kind === 2) tasks.push(`    - lineinfile: {path: "/srv/{{ inventory_hostname }}/f${i - 1}", line: "x=${i}"}`);
    if (kind === 3) tasks.push(`    - set_fact: {v${i}: "{{ zone }}-${i}"}`);
    if (kind === 4) tasks.push(`    - command: {cmd: "true", creates: "/srv/{{ inventory_hostname }}/d${i - 4}"}`);
  }
  return `- hosts: all\n  gather_facts: false\n  strategy: ${strategy}\n  tasks:\n${tasks.join('\n')}\n`;
}

/** A real host's user and group names (only root owns the bench's files). */
const ETC = { '/etc/passwd': 'root:x:0:0:root:/root:/bin/bash\n', '/etc/group': 'root:x:0:\n' };

/** (read once: process.env is a slow getter, and the bench measures the engine) */
const debug = Boolean(process.env.BENCH_DEBUG);

async function one(n: number, strategy: string, mix: string): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'agri-bench-'));
  // the bench leaves nothing behind in /tmp
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  const hosts = Array.from({ length: n }, (_, i) => `        h${i}: {zone: z${i % 7}}`).join('\n');
  writeFileSync(join(dir, 'inv.yaml'), `all:\n  children:\n    farm:\n      hosts:\n${hosts}\n`);
  writeFileSync(join(dir, 'p.yaml'), playbookYaml(strategy, mix));
  const t0 = performance.now();
  const inv = loadInventories([join(dir, 'inv.yaml')]);
  const pb = loadPlaybook(join(dir, 'p.yaml'));
  const plan = buildPlan(pb, inv, { tags: [], skipTags: [], extraVars: {} });
  const tPlan = performance.now();
  let changed = 0;
  const summary = await runPlan(plan, inv, {
    check: false, diff: false, forks: 50, verbosity: 0, extraVars: {}, playbook: 'p.yaml', playbookDir: dir,
    inventorySources: [join(dir, 'inv.yaml')], stateDir: '', redactor: new Redactor(),
    emit: (e) => {
      if (e.event === 'step_end' && e.changed) changed++;
      if (debug && e.event === 'step_end' && e.status === 'failed') console.error(e.host, e.task, e.msg);
    },
    // Each host starts with its /srv/<host> folder: `file` runs shell scripts (as ansible-core's
    // module does its os calls), which an in-memory host has no shell for. And with the
    // /etc/passwd and /etc/group every real host has: they name a written file's owner and group.
    connect: async (host) => new MemoryConnection([`/srv/${host}`], ETC),
  });
  const tRun = performance.now();
  const rss = process.resourceUsage().maxRSS / 1024;
  if (summary.exitCode !== 0) throw new Error(`bench run failed: exit ${summary.exitCode}`);
  process.stdout.write(JSON.stringify({ hosts: n, strategy, mix, steps: plan.stepCount, plan_ms: Math.round(tPlan - t0), run_ms: Math.round(tRun - tPlan), total_ms: Math.round(tRun - t0), peak_mib: Math.round(rss), changed }) + '\n');
}

const arg = process.argv[2];
if (arg) await one(Number(arg), process.argv[3] ?? 'linear', process.argv[4] ?? 'mixed');
else {
  const self = fileURLToPath(import.meta.url);
  // linear (Ansible's default: every host does a task before any does the next) and free (each host at its own pace)
  // (and the engine alone, 10,000 hosts of debug steps: what the target leaves once modules are free)
  // (and the common task shapes alone, 10,000 hosts linear)
  const runs = [...[100, 1000, 10000].flatMap((n) => ['linear', 'free'].map((s) => [n, s, 'mixed'] as const)), ...Object.keys(SHAPES).map((m) => [10000, 'linear', m] as const)];
  const rows = runs.map(([n, s, m]) => JSON.parse(execFileSync(process.execPath, [self, String(n), s, m], { encoding: 'utf8' })) as Record<string, number | string>);
  console.log('hosts    strategy  tasks        steps     plan ms   run ms   total ms   peak MiB   ms/1k steps');
  for (const r of rows) console.log(`${String(r.hosts).padEnd(8)} ${String(r.strategy).padEnd(9)} ${String(r.mix).padEnd(12)} ${String(r.steps).padEnd(9)} ${String(r.plan_ms).padEnd(9)} ${String(r.run_ms).padEnd(8)} ${String(r.total_ms).padEnd(10)} ${String(r.peak_mib).padEnd(10)} ${((Number(r.total_ms) / Number(r.steps)) * 1000).toFixed(1)}`);
  const at = (n: number, s: string) => rows.find((r) => r.hosts === n && r.strategy === s && r.mix === 'mixed')!;
  for (const s of ['linear', 'free']) {
    const big = at(10000, s);
    console.log(`\n10,000 hosts, ${s}: ${(Number(big.total_ms) / 1000).toFixed(2)} s (target < 2 s), ${big.peak_mib} MiB peak (target < 1024); growth 1k→10k: time ×${(Number(big.total_ms) / Number(at(1000, s).total_ms)).toFixed(1)}, steps ×${(Number(big.steps) / Number(at(1000, s).steps)).toFixed(0)}`);
  }
  const engine = rows.find((r) => r.mix === 'debug')!;
  console.log(`\nthe engine alone (10,000 hosts × 30 debug steps, linear): run ${(Number(engine.run_ms) / 1000).toFixed(2)} s, ${((Number(engine.run_ms) * 1000) / Number(engine.steps)).toFixed(1)} µs per step (the 2 s target leaves ≈ 6 µs per step for everything)`);
}
