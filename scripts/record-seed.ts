// npm run record:seed — runs the platform's two seed playbooks (test/third_party/seed-ansible)
// under the installed ansible-core against the lab's Kubernetes API and chart repository, twice
// each, and records the recaps in test/third_party/seed.expected.json (test/seed.test.ts compares
// agri-play's against them). Needs ansible (kubernetes.core), python3-kubernetes and helm on PATH
// (the pinned one is added).
import { writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { kubeTools } from '../lib/connections/index.js';
import { ANSIBLE, ansibleVersion } from '../test/compat-ref.js';
import { SEED_EXPECTED, seedRecaps } from '../test/seed-ref.js';

const version = await ansibleVersion();
if (!version) {
  console.error('record:seed: ansible-playbook is not installed (apt-get install ansible python3-kubernetes)');
  process.exit(1);
}
const helm = (await kubeTools()).helm;
const recaps = await seedRecaps([ANSIBLE!], { PATH: `${process.env.PATH}:${dirname(helm)}` });
writeFileSync(SEED_EXPECTED, JSON.stringify({ ansible_core: version, recaps }, null, 1) + '\n');
console.log(`recorded with ansible-core ${version}: ${JSON.stringify(recaps)}`);
