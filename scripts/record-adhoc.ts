// npm run record:adhoc — ansible-core's `ansible` ad hoc command on each case of test/adhoc-ref.ts:
// its stdout, exit code and the files it writes, in test/adhoc/expected.json.
import { writeFileSync } from 'node:fs';
import { ansibleVersion } from '../test/compat-ref.js';
import { ADHOC_CASES, ADHOC_EXPECTED, adhocRun, caseKey, type AdhocOutput } from '../test/adhoc-ref.js';

const version = await ansibleVersion();
if (!version) {
  console.error('record:adhoc: ansible-core is not installed (apt-get install ansible-core)');
  process.exit(1);
}
const cases: Record<string, AdhocOutput> = {};
for (const c of ADHOC_CASES) cases[caseKey(c)] = await adhocRun(['ansible'], c);
writeFileSync(ADHOC_EXPECTED, JSON.stringify({ ansible_core: version, cases }, null, 1) + '\n');
console.log(`recorded ${Object.keys(cases).length} ad hoc runs with ansible-core ${version}`);
