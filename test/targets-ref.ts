// Ansible's own integration targets (test/third_party/ansible/targets, unchanged), run as
// ansible-test runs them: each as a role of a one-play playbook on localhost (facts gathered),
// its meta dependencies first, roles found through ANSIBLE_ROLES_PATH. test/targets.test.ts runs
// agri-play; scripts/record-targets.ts records ansible-core's recaps once.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { fixture, root } from './helpers.js';
import { recapLine } from './compat-ref.js';

export const TARGETS_DIR = join(root, 'test/third_party/ansible/targets');
export const TARGETS_EXPECTED = join(root, 'test/third_party/ansible/targets.expected.json');
/** The targets run (their dependencies are only loaded by them). */
export const TARGETS = ['blockinfile', 'lineinfile', 'replace'];

export async function targetRecap(cmd: string[], target: string): Promise<Record<string, number>> {
  const d = fixture({});
  writeFileSync(join(d, 'play.yaml'), `- hosts: localhost\n  gather_facts: true\n  roles: [${target}]\n`);
  const r = await execa(cmd[0], [...cmd.slice(1), 'play.yaml'], { cwd: d, reject: false, timeout: 600_000, env: { ANSIBLE_ROLES_PATH: TARGETS_DIR, ANSIBLE_NOCOLOR: '1', NO_COLOR: '1', ANSIBLE_LOCALHOST_WARNING: 'False' } });
  return recapLine(String(r.stdout));
}
