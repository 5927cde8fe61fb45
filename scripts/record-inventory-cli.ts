// npm run record:inventory-cli — ansible-inventory's output for every inventory and way of
// printing it that test/inventory-cli-ref.ts lists, in test/inventory/cli.expected.json.
import { writeFileSync } from 'node:fs';
import { execa } from 'execa';
import { root } from '../test/helpers.js';
import { ansibleVersion } from '../test/compat-ref.js';
import { caseName, INVENTORIES, INVENTORY_CLI_EXPECTED, MODES, type Printed } from '../test/inventory-cli-ref.js';

const version = await ansibleVersion();
if (!version) {
  console.error('record:inventory-cli: ansible-core is not installed (apt-get install ansible-core)');
  process.exit(1);
}
const cases: Record<string, Printed> = {};
for (const c of INVENTORIES)
  for (const mode of c.modes ?? MODES) {
    const [file, ...opts] = c.args;
    const r = await execa('ansible-inventory', ['-i', file, ...opts, ...mode], { cwd: root, reject: false, env: { ANSIBLE_NOCOLOR: '1', ...c.env } });
    cases[caseName(c, mode)] = { stdout: String(r.stdout), code: r.exitCode ?? -1 };
  }
writeFileSync(INVENTORY_CLI_EXPECTED, JSON.stringify({ ansible_core: version, cases }, null, 1) + '\n');
console.log(`recorded ${Object.keys(cases).length} outputs with ansible-core ${version}`);
