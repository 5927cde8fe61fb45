// npm run record:targets — ansible-core's recap of each of Ansible's own integration targets kept
// in test/third_party/ansible/targets, recorded in targets.expected.json (test/targets.test.ts
// compares agri-play's recaps with it, so a test run needs no ansible-core).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { ANSIBLE, ansibleVersion } from '../test/compat-ref.js';
import { targetRecap, TARGETS, TARGETS_EXPECTED } from '../test/targets-ref.js';
import { runKey, scriptRun, SCRIPT_RUNS, type ScriptResult } from '../test/scripts-ref.js';

const version = await ansibleVersion();
if (!version) {
  console.error('record:targets: ansible-playbook is not installed (apt-get install ansible-core)');
  process.exit(1);
}
// --missing: keep what is recorded (same ansible-core), record only what is not
const old = process.argv.includes('--missing') && existsSync(TARGETS_EXPECTED) ? (JSON.parse(readFileSync(TARGETS_EXPECTED, 'utf8')) as { ansible_core: string; recaps: Record<string, Record<string, number>>; scripts?: Record<string, ScriptResult> }) : undefined;
const keep = old?.ansible_core === version ? old : undefined;
const recaps: Record<string, Record<string, number>> = {};
for (const t of TARGETS) recaps[t] = keep?.recaps[t] ?? (await targetRecap([ANSIBLE!], t));
const scripts: Record<string, ScriptResult> = {};
for (const r of SCRIPT_RUNS) scripts[runKey(r)] = keep?.scripts?.[runKey(r)] ?? (await scriptRun([ANSIBLE!], r));
writeFileSync(TARGETS_EXPECTED, JSON.stringify({ ansible_core: version, recaps, scripts }, null, 1) + '\n');
console.log(`recorded with ansible-core ${version}: ${JSON.stringify(recaps)}`);
