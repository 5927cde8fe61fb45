import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { execa } from 'execa';
import { assertNoCanary, bin, CANARY, cli, failures, fixture, journals } from './helpers.js';

// vars_prompt as ansible-core 2.14's do_var_prompt: asked at a terminal; without one (CI) not asked,
// with ansible-core's warning, the default taken (or None); -e gives the value and nothing is asked;
// the answer is text, a play variable (over `vars:`), hashed with `encrypt`, never templated with `unsafe`.
const play = (prompts: string, tasks: string) => `- hosts: localhost\n  gather_facts: false\n  vars: {v1: from_vars}\n  vars_prompt:\n${prompts}  tasks:\n${tasks}`;

test('vars_prompt without a terminal: the default (as text), None without one, -e over both; encrypt and unsafe', async () => {
  const prompts = [
    '    - {name: v1, prompt: "first?", default: 5}',
    '    - {name: v2, prompt: "second?"}',
    '    - {name: v3, prompt: "third?", default: dflt}',
    '    - {name: v4, prompt: "pass?", default: secret, encrypt: sha512_crypt, salt: abcdefgh}',
    '    - {name: v5, prompt: "raw?", default: "{{ nope }}", unsafe: true}',
    '',
  ].join('\n');
  const tasks = "    - assert: {that: [\"v1 == '5'\", \"v2 == 'None'\", \"v3 == 'given'\", \"v4 == 'secret' | password_hash('sha512', 'abcdefgh')\", \"v4.startswith('$6$')\", \"v5 == '{' ~ '{ nope }' ~ '}'\"]}\n";
  const d = fixture({ 'p.yaml': play(prompts, tasks) });
  const r = await cli(['p.yaml', '-e', 'v3=given'], d);
  assert.equal(r.code, 0, failures(r));
  assert.match(r.stderr, /not prompting for 'v1' as we are not in interactive mode/);
  assert.doesNotMatch(r.stderr, /not prompting for 'v3'/, '-e gives it: not asked');
});

test('vars_prompt at a terminal (a pty made by script(1)): typed answers, confirm asks twice, an empty answer takes the default, a private answer is never printed', async (t) => {
  const which = await execa('sh', ['-c', 'command -v script'], { reject: false });
  if (which.exitCode !== 0) return t.skip('script(1) is not installed');
  const prompts = ['    - {name: v1, prompt: "first?", private: false}', `    - {name: v2, prompt: "secret?", confirm: true}`, '    - {name: v3, prompt: "third?", default: dflt}', ''].join('\n');
  const tasks = `    - assert: {that: ["v1 == 'typed'", "v2 == '${CANARY}'", "v3 == 'dflt'"]}\n    - debug: {msg: "v2 is {{ v2 }}"}\n`;
  const d = fixture({ 'p.yaml': play(prompts, tasks) });
  // each answer once its prompt is shown: script(1) passes what it reads to the pty as typed
  const child = execa('script', ['-qec', `node ${bin} p.yaml`, '/dev/null'], { cwd: d, reject: false, timeout: 600_000, env: { NO_COLOR: '1' } });
  let seen = '';
  const answers: [RegExp, string][] = [[/first\?: /, 'typed'], [/secret\?: /, CANARY], [/confirm secret\?: /, CANARY], [/third\? \[dflt\]: /, '']];
  child.stdout!.on('data', (b: Buffer) => {
    seen += b.toString();
    while (answers.length && answers[0][0].test(seen)) {
      seen = seen.replace(answers[0][0], '');
      child.stdin!.write(`${answers.shift()![1]}\n`);
    }
  });
  const r = await child;
  const out = String(r.stdout);
  assert.equal(r.exitCode, 0, out);
  assert.match(out, /v2 is \*+/);
  assertNoCanary('the terminal', out);
  for (const j of journals(d)) assertNoCanary(j, readFileSync(j, 'utf8'));
});
