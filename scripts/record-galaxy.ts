// npm run record:galaxy — ansible-core's recaps (--check, converge, second converge) of each
// Galaxy role in test/third_party/galaxy, each in a fresh sandboxed host, recorded in
// galaxy.expected.json with the files each converge left (test/galaxy-case.ts compares agri-play's
// with them). Roles named on the command line are recorded again, the others kept.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { ANSIBLE, ansibleVersion } from '../test/compat-ref.js';
import { ansibleFailedTasks, GALAXY_EXPECTED, GALAXY_ROLES, galaxyRun, type Recorded } from '../test/galaxy-ref.js';

const version = await ansibleVersion();
if (!version) {
  console.error('record:galaxy: ansible-playbook is not installed (apt-get install ansible-core)');
  process.exit(1);
}
const only = process.argv.slice(2);
const old = existsSync(GALAXY_EXPECTED) ? (JSON.parse(readFileSync(GALAXY_EXPECTED, 'utf8')) as { ansible_core: string; roles: Record<string, Recorded> }) : undefined;
const keep = old?.ansible_core === version ? old.roles : {};
const roles: Record<string, Recorded> = {};
for (const role of Object.keys(GALAXY_ROLES)) {
  if (keep[role] && only.length && !only.includes(role)) roles[role] = keep[role];
  else {
    const r = await galaxyRun([ANSIBLE!], role);
    roles[role] = { recaps: r.recaps, checkFailed: ansibleFailedTasks(r.outputs[0]), files: r.files };
    console.log(role, JSON.stringify(r.recaps), `${Object.keys(r.files).length} files`);
  }
}
writeFileSync(GALAXY_EXPECTED, JSON.stringify({ ansible_core: version, roles }, null, 1) + '\n');
