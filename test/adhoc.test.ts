// agri-play adhoc prints what ansible's ad hoc command prints (its minimal and oneline callbacks, --tree,
// --list-hosts), case by case (test/adhoc-ref.ts; recorded: npm run record:adhoc).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { bin } from './helpers.js';
import { ADHOC_CASES, ADHOC_DIR, ADHOC_EXPECTED, adhocRun, caseKey, type AdhocOutput } from './adhoc-ref.js';

const recorded = JSON.parse(readFileSync(ADHOC_EXPECTED, 'utf8')) as { ansible_core: string; cases: Record<string, AdhocOutput> };
const agri = [process.execPath, bin, 'adhoc'];

test(`agri-play adhoc: ${ADHOC_CASES.length} command lines print what ansible ${recorded.ansible_core} prints, and exit as it does`, async () => {
  for (const c of ADHOC_CASES) {
    const want = recorded.cases[caseKey(c)];
    assert.ok(want, `${caseKey(c)}: not recorded (npm run record:adhoc)`);
    const got = await adhocRun(agri, c);
    if (c.refused) assert.ok([1, 4, 5].includes(want.rc) && [4, 5].includes(got.rc) && got.stdout === '', `${caseKey(c)}: ansible exits ${want.rc}, agri-play ${got.rc}`);
    else assert.deepEqual(got, want, caseKey(c));
  }
});

test('agri-play adhoc never prints a secret: a token from the environment is hidden in its output, its --json events and its --tree files', async () => {
  const canary = 'canary-4f1d9a7e-adhoc';
  const d = mkdtempSync(join(tmpdir(), 'agri-adhoc-secret-'));
  try {
    const args = ['h1', '-i', join(ADHOC_DIR, 'inv.ini'), '-m', 'debug', '-a', "msg={{ lookup('env', 'FARM_API_TOKEN') }}"];
    const env = { FARM_API_TOKEN: canary, NO_COLOR: '1' };
    const plain = await execa(agri[0], [...agri.slice(1), ...args, '-t', join(d, 'tree')], { cwd: d, reject: false, env });
    const json = await execa(agri[0], [...agri.slice(1), ...args, '--json'], { cwd: d, reject: false, env });
    assert.equal(plain.exitCode, 0, plain.stderr);
    assert.match(plain.stdout, /^h1 \| SUCCESS => \{\n {4}"msg": "[^"]+"\n\}$/);
    for (const text of [plain.stdout, plain.stderr, json.stdout, json.stderr, readFileSync(join(d, 'tree', 'h1'), 'utf8')]) assert.ok(!text.includes(canary), `the secret was printed: ${text}`);
  } finally {
    rmSync(d, { recursive: true, force: true });
  }
});

test('agri-play adhoc: bad input is refused with no stack trace and no made-up place (an unknown module: exit 4; a command with no -a: exit 5)', async () => {
  const unknown = await execa(agri[0], [...agri.slice(1), 'localhost', '-m', 'pingg'], { reject: false, env: { NO_COLOR: '1' } });
  assert.equal(unknown.exitCode, 4);
  assert.match(unknown.stderr, /^error: unknown module 'pingg'\n {2}hint: did you mean 'ping'\?/m);
  assert.doesNotMatch(unknown.stderr, /__adhoc_playbook__|\n\s+at /);
  const noArgs = await execa(agri[0], [...agri.slice(1), 'localhost', '-m', 'shell'], { reject: false });
  assert.equal(noArgs.exitCode, 5);
  assert.equal(noArgs.stderr, 'agri-play: No argument passed to shell module');
  const help = await execa(agri[0], [...agri.slice(1), '--help'], { reject: false });
  assert.equal(help.exitCode, 0);
  assert.match(help.stdout, /^Usage: agri-play adhoc PATTERN -i INVENTORY \[-m MODULE\] \[-a ARGS\]/);
});
