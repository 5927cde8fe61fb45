// npm run play-diff [COUNT] [SEED] (or FILE.yaml) [--check] — differential fuzzing of the executor against ansible-core:
// generates COUNT random playbooks (blocks with rescue and always, when, loops, register,
// failed_when/changed_when, ignore_errors, until, run_once, handlers, meta, set_fact, assert,
// fail, command; play keywords serial, strategy, any_errors_fatal, max_fail_percentage,
// force_handlers) over three local hosts, runs each with ansible-playbook (its ansible.posix.json
// callback) and with agri-play --json, and prints the playbooks whose hosts' task outcomes
// (status, changed, a debug's or fail's message) or recaps differ. Each host runs on this
// machine (ansible_connection=local) in a scratch folder; the cases a run finds go to
// test/multihost by hand (npm run record:multihost records them).
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { stringify } from 'yaml';
import { agriOutcomes, ansibleOutcomes, difference, INVENTORY } from '../test/play-outcomes.js';
import { playbookOf } from './play-gen.js';
import { rng } from './rng.js';

// (npm run play-diff -- FILE.yaml: that playbook alone, as a found case is checked again; --check: both run in check mode;
// --tags=t1, --skip-tags=t2, --limit=h1,h3: both run with them)
const options = process.argv.slice(2).filter((a) => a === '--check' || /^--((skip-)?tags|limit)=/.test(a));
const argv = process.argv.slice(2).filter((a) => !options.includes(a));
const given = argv[0]?.endsWith('.yaml') ? argv[0] : undefined;
const count = given ? 1 : Number(argv[0] ?? 50);
const seed = Number(argv[1] ?? 1);
const r = rng(seed);
/** A case: the playbook, and the task files it includes (given a file: those beside it). */
interface Case {
  i: number;
  yaml: string;
  files: Record<string, string>;
}
const beside = (f: string): Record<string, string> => Object.fromEntries(readdirSync(dirname(f)).filter((n) => /^inc\d+\.yaml$/.test(n)).map((n) => [n, readFileSync(join(dirname(f), n), 'utf8')]));
const generated = (i: number): Case => {
  const { plays, files } = playbookOf(r);
  return { i, yaml: stringify(plays, { lineWidth: 0 }), files: Object.fromEntries(Object.entries(files).map(([n, t]) => [n, stringify(t, { lineWidth: 0 })])) };
};
const cases: Case[] = given ? [{ i: 0, yaml: readFileSync(given, 'utf8'), files: beside(given) }] : Array.from({ length: count }, (_, i) => generated(i));
const shown = (c: Case): string => [c.yaml, ...Object.entries(c.files).map(([n, t]) => `# ${n}\n${t}`)].join('\n');
const label = (i: number): string => (given ? given : `case ${i} (seed ${seed})`);
let same = 0;
const differing: string[] = [];
const one = async (c: Case): Promise<void> => {
  const dir = mkdtempSync(join(tmpdir(), 'agri-play-diff-'));
  try {
    writeFileSync(join(dir, 'inv.yaml'), INVENTORY);
    writeFileSync(join(dir, 'p.yaml'), c.yaml);
    for (const [n, t] of Object.entries(c.files)) writeFileSync(join(dir, n), t);
    const [a, b] = [await ansibleOutcomes(dir, options), await agriOutcomes(dir, options)];
    const d = difference(a, b);
    if (!d) same++;
    else differing.push(`--- ${label(c.i)}: ${d}\n${shown(c)}`);
  } catch (e) {
    differing.push(`--- ${label(c.i)}: could not compare: ${(e as Error).message.slice(0, 500)}\n${shown(c)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};
// two at a time (ansible-playbook's workers and agri-play share this machine's cores)
let next = 0;
await Promise.all([0, 1].map(async () => {
  while (next < cases.length) await one(cases[next++]);
}));
for (const d of differing) console.log(d);
console.log(`${same} of ${count} playbooks the same${given ? '' : ` (seed ${seed})`}`);
