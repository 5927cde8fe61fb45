// npm run fuzz [SECONDS] — mutates the repo's own playbooks, inventories and roles and a set of
// hostile inputs (alias bombs, deep nesting, huge ranges, bad UTF-8, NUL bytes, Jinja errors,
// special files) for a bounded time, runs `agri-play --syntax-check / --list-tasks` on each (nothing
// is executed), and tallies the exit codes. A bad outcome: exit 1, a stack trace, a hang, or an
// exit 4 without a file:line:col. Test traffic: none (local files and child processes only).
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { packageRoot } from '../lib/source/index.js';
import { rng } from './rng.js';

const BIN = join(packageRoot, 'bin', 'agri-play.js');
const STACK = /^\s+at .+\(.+:\d+:\d+\)$|^\s+at file:\/\//m;
const POSITION = /:\d+:\d+: error:/;
const HANG_MS = 20_000;


const HOSTILE: Record<string, string | Buffer> = {
  'alias-bomb.yaml': 'a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\ng: [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n',
  'deep.yaml': '- hosts: all\n  vars:\n    x: ' + '['.repeat(5000) + ']'.repeat(5000) + '\n  tasks: []\n',
  'range.yaml': 'all:\n  hosts:\n    h[1:100000000]:\n',
  'bad-utf8.yaml': Buffer.concat([Buffer.from('- hosts: all\n  tasks:\n    - debug: {msg: "'), Buffer.from([0xff, 0xfe, 0xc3, 0x28]), Buffer.from('"}\n')]),
  'nul.yaml': '- hosts: all\n  tasks:\n    - debug: {msg: "a\0b"}\n',
  'jinja.yaml': '- hosts: all\n  tasks:\n    - debug: {msg: "{{ {{ }}"}\n    - debug: {msg: "{% for %}"}\n    - debug: {msg: "{{ x | nosuchfilter(( }}"}\n',
  'tabs.yaml': '- hosts: all\n\ttasks: []\n',
  'python-tag.yaml': '- hosts: all\n  vars: !!python/object/apply:os.system ["true"]\n  tasks: []\n',
  'long-key.yaml': `- hosts: all\n  ${'k'.repeat(100_000)}: 1\n`,
  'merge-loop.yaml': 'a: &a\n  <<: *a\n',
};

const TOKENS = [': ', '- ', '{{', '}}', '{%', '%}', '&a ', '*a', '!!binary ', '[', ']', '{', '}', '"', "'", '\n', '\t', '|', '>', '#', '\0', '\u00e9', 'include_tasks: x.yaml', 'import_playbook: ../../etc', 'roles: ["../../x"]', 'serial: banana', 'loop: "{{ range(10000000) }}"', '@', '`'];

function mutate(text: string, r: () => number): string {
  let s = text;
  const n = 1 + Math.floor(r() * 4);
  for (let i = 0; i < n; i++) {
    const at = Math.floor(r() * (s.length + 1));
    const k = r();
    if (k < 0.3) s = s.slice(0, at) + TOKENS[Math.floor(r() * TOKENS.length)] + s.slice(at);
    else if (k < 0.5) s = s.slice(0, at) + s.slice(at + 1 + Math.floor(r() * 20));
    else if (k < 0.65) {
      const lines = s.split('\n');
      const li = Math.floor(r() * lines.length);
      lines.splice(li, 0, lines[Math.floor(r() * lines.length)]);
      s = lines.join('\n');
    } else if (k < 0.8) s = s.slice(0, at) + String.fromCharCode(Math.floor(r() * 128)) + s.slice(at + 1);
    else {
      const lines = s.split('\n');
      lines.splice(Math.floor(r() * lines.length), 1);
      s = lines.join('\n');
    }
  }
  return s;
}

function seeds(): { name: string; text: string; kind: 'playbook' | 'inventory' | 'tasks' }[] {
  const out: { name: string; text: string; kind: 'playbook' | 'inventory' | 'tasks' }[] = [];
  const read = (dir: string, kind: 'playbook' | 'inventory' | 'tasks') => {
    if (!existsSync(dir)) return;
    for (const f of readdirSync(dir).filter((x) => /\.ya?ml$/.test(x))) out.push({ name: f, text: readFileSync(join(dir, f), 'utf8'), kind });
  };
  read(join(packageRoot, 'playbooks'), 'playbook');
  read(join(packageRoot, 'test/compat'), 'playbook');
  read(join(packageRoot, 'inventories'), 'inventory');
  for (const r of readdirSync(join(packageRoot, 'roles'))) read(join(packageRoot, 'roles', r, 'tasks'), 'tasks');
  return out;
}

export type Outcome = { code: number | 'hang'; bad?: string };

function runOnce(args: string[], cwd: string): Promise<{ code: number | 'hang'; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (out += b.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve({ code: 'hang', out });
    }, HANG_MS);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, out });
    });
  });
}

/** One case: a mutated (or hostile) file in a fresh folder, checked without running anything. */
async function one(seed: number, pool: ReturnType<typeof seeds>): Promise<Outcome & { seed: number; what: string }> {
  const r = rng(seed);
  const dir = mkdtempSync(join(tmpdir(), 'agri-fuzz-'));
  try {
    writeFileSync(join(dir, 'inv.yaml'), 'all:\n  hosts:\n    h: {ansible_connection: local}\n');
    writeFileSync(join(dir, 'p.yaml'), '- hosts: all\n  gather_facts: false\n  tasks:\n    - debug: {msg: hi}\n');
    let args: string[];
    let what: string;
    const hostile = Object.keys(HOSTILE);
    if (r() < 0.15) {
      const name = hostile[Math.floor(r() * hostile.length)];
      writeFileSync(join(dir, name), HOSTILE[name]);
      what = `hostile ${name}`;
      args = name === 'range.yaml' ? ['p.yaml', '-i', name, '--syntax-check'] : name === 'alias-bomb.yaml' ? ['p.yaml', '-i', 'inv.yaml', '-e', `@${name}`, '--syntax-check'] : [name, '-i', 'inv.yaml', '--syntax-check'];
    } else {
      const s = pool[Math.floor(r() * pool.length)];
      const text = mutate(s.text, r);
      what = `${s.kind} ${s.name} mutated`;
      if (s.kind === 'inventory') {
        writeFileSync(join(dir, 'm.yaml'), text);
        args = ['p.yaml', '-i', 'm.yaml', r() < 0.5 ? '--list-hosts' : '--syntax-check'];
      } else if (s.kind === 'tasks') {
        writeFileSync(join(dir, 'm.yaml'), text);
        writeFileSync(join(dir, 'p.yaml'), '- hosts: all\n  gather_facts: false\n  tasks:\n    - import_tasks: m.yaml\n');
        args = ['p.yaml', '-i', 'inv.yaml', '--syntax-check'];
      } else {
        writeFileSync(join(dir, 'm.yaml'), text);
        args = ['m.yaml', '-i', 'inv.yaml', r() < 0.5 ? '--list-tasks' : '--syntax-check'];
      }
    }
    const res = await runOnce(args, dir);
    let bad: string | undefined;
    if (res.code === 'hang') bad = 'hang';
    else if (res.code === 1) bad = 'exit 1';
    else if (STACK.test(res.out)) bad = 'stack trace';
    else if (res.code === 4 && !POSITION.test(res.out)) bad = 'exit 4 without file:line:col';
    else if (![0, 4, 5].includes(res.code)) bad = `exit ${res.code}`;
    return { seed, what, code: res.code, bad: bad && `${bad}: ${res.out.slice(0, 400)}` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs cases for `seconds` on `parallel` workers; returns the tally and the bad cases. */
export async function fuzz(seconds: number, parallel = 2, firstSeed = Date.now() % 1_000_000): Promise<{ tally: Record<string, number>; bad: { seed: number; what: string; bad: string }[]; cases: number }> {
  const pool = seeds();
  const end = Date.now() + seconds * 1000;
  const tally: Record<string, number> = {};
  const bad: { seed: number; what: string; bad: string }[] = [];
  let next = firstSeed;
  let cases = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (Date.now() < end) {
        const o = await one(next++, pool);
        cases++;
        tally[`exit ${o.code}`] = (tally[`exit ${o.code}`] ?? 0) + 1;
        if (o.bad) bad.push({ seed: o.seed, what: o.what, bad: o.bad });
      }
    }),
  );
  return { tally, bad, cases };
}

// run as a program (npm run fuzz; dist/ is a symlink, so compare real paths), not when a test imports it
if (process.argv[1] && realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url))) {
  const seconds = Number(process.argv[2] ?? 600);
  const r = await fuzz(seconds);
  console.log(`fuzz: ${r.cases} cases in ${seconds} s: ${Object.entries(r.tally).map(([k, v]) => `${k}: ${v}`).join(', ')}`);
  for (const b of r.bad) console.log(`BAD seed ${b.seed} (${b.what}): ${b.bad}`);
  console.log(`${r.cases - r.bad.length} passed, ${r.bad.length} failed`);
  process.exitCode = r.bad.length ? 1 : 0;
}
