// npm run record:targets — ansible-core's recap of each of Ansible's own integration targets kept
// in test/third_party/ansible/targets, recorded in targets.expected.json (test/targets.test.ts
// compares agri-play's recaps with it, so a test run needs no ansible-core).
import { writeFileSync } from 'node:fs';
import { ANSIBLE, ansibleVersion } from '../test/compat-ref.js';
import { targetRecap, TARGETS, TARGETS_EXPECTED } from '../test/targets-ref.js';

const version = await ansibleVersion();
if (!version) {
  console.error('record:targets: ansible-playbook is not installed (apt-get install ansible-core)');
  process.exit(1);
}
const recaps: Record<string, Record<string, number>> = {};
for (const t of TARGETS) recaps[t] = await targetRecap([ANSIBLE!], t);
writeFileSync(TARGETS_EXPECTED, JSON.stringify({ ansible_core: version, recaps }, null, 1) + '\n');
console.log(`recorded with ansible-core ${version}: ${JSON.stringify(recaps)}`);
