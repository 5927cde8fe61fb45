// npm run record:reboot — ansible-core's recaps of test/reboot/play.yaml (--check, then a run) on a
// sandboxed host, recorded in test/reboot/expected.json (test/reboot.test.ts compares agri-play's).
import { writeFileSync } from 'node:fs';
import { ANSIBLE, ansibleVersion } from '../test/compat-ref.js';
import { REBOOT_EXPECTED, rebootLocal, rebootRun } from '../test/reboot-ref.js';

const version = await ansibleVersion();
if (!version) {
  console.error('record:reboot: ansible-playbook is not installed (apt-get install ansible-core)');
  process.exit(1);
}
const r = await rebootRun([ANSIBLE!]);
const local = { run: await rebootLocal([ANSIBLE!], false), check: await rebootLocal([ANSIBLE!], true) };
writeFileSync(REBOOT_EXPECTED, JSON.stringify({ ansible_core: version, recaps: r.recaps, local }, null, 1) + '\n');
console.log(JSON.stringify(r.recaps));
console.log(r.outputs[1].slice(-2500));
