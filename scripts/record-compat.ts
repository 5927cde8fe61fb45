// npm run record:compat — runs every test/compat playbook under the installed ansible-core and
// records the recaps (and the output blocks OUTPUT_BLOCKS names) in test/compat/expected.json, which the compat tests compare against (so a
// test run needs no ansible-core, and a loaded machine does not pay ≈ 50 s per playbook).
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { ansibleOutput, ansibleVersion, COMPAT_DIR, EXPECTED, OUTPUT_BLOCKS, recapLine, sensorServer, type Recorded } from '../test/compat-ref.js';

const version = await ansibleVersion();
if (!version) {
  console.error('record:compat: ansible-playbook is not installed (apt-get install ansible-core)');
  process.exit(1);
}
const { server, url } = await sensorServer();
// --only FILE.yaml: record that playbook again, keep the others' recaps
const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined;
const kept = only ? (JSON.parse(readFileSync(EXPECTED, 'utf8')) as Recorded) : undefined;
if (kept && kept.ansible_core !== version) {
  console.error(`record:compat --only: the recaps were recorded with ansible-core ${kept.ansible_core}, this is ${version}: record them all`);
  process.exit(1);
}
const out: Recorded = { ansible_core: version, recaps: { ...kept?.recaps }, outputs: { ...kept?.outputs } };
for (const p of readdirSync(COMPAT_DIR).filter((f) => f.endsWith('.yaml') && (!only || f === only)).sort()) {
  const t0 = Date.now();
  const output = await ansibleOutput(p, url);
  out.recaps[p] = recapLine(output, 'h');
  if (OUTPUT_BLOCKS[p]) out.outputs![p] = OUTPUT_BLOCKS[p](output);
  console.log(`${p}: ${JSON.stringify(out.recaps[p])} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
}
server.close();
writeFileSync(EXPECTED, JSON.stringify(out, null, 1) + '\n');
console.log(`recorded ${Object.keys(out.recaps).length} recaps with ansible-core ${version} in ${EXPECTED}`);
