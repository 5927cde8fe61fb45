// npm run record:multihost — runs each test/multihost playbook (over three local hosts) under the
// installed ansible-core and records each host's task outcomes and the recap in
// test/multihost/expected.json, which test/multihost.test.ts compares agri-play's against.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ansibleVersion } from '../test/compat-ref.js';
import { ansibleOutcomes, INVENTORY, MULTIHOST, optionsOf, type Outcomes } from '../test/play-outcomes.js';

const version = await ansibleVersion();
if (!version) {
  console.error('record:multihost: ansible-playbook is not installed (apt-get install ansible-core)');
  process.exit(1);
}
const out: { ansible_core: string; cases: Record<string, Outcomes> } = { ansible_core: version, cases: {} };
// (the task files the cases include, inc_*.yaml, go beside each)
const included = readdirSync(MULTIHOST).filter((f) => f.startsWith('inc_'));
for (const p of readdirSync(MULTIHOST).filter((f) => f.endsWith('.yaml') && !f.startsWith('inc_')).sort()) {
  const dir = mkdtempSync(join(tmpdir(), 'agri-multihost-'));
  try {
    writeFileSync(join(dir, 'inv.yaml'), INVENTORY);
    writeFileSync(join(dir, 'p.yaml'), readFileSync(join(MULTIHOST, p)));
    for (const f of included) writeFileSync(join(dir, f), readFileSync(join(MULTIHOST, f)));
    out.cases[p] = await ansibleOutcomes(dir, optionsOf(p));
    console.log(`${p}: ${JSON.stringify(out.cases[p].recap)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
writeFileSync(join(MULTIHOST, 'expected.json'), JSON.stringify(out, null, 1) + '\n');
console.log(`recorded ${Object.keys(out.cases).length} playbooks with ansible-core ${version}`);
