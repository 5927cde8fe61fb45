import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { cli, fixture, recapOf, root, stepEnds } from './helpers.js';

/** A user's site repo with agri-play installed as a dependency, and a TypeScript role in roles/motd/role.ts. */
function siteRepo(role: string) {
  const d = fixture({
    'package.json': '{"name": "site", "version": "1.0.0", "type": "module"}',
    'inv.yaml': 'all:\n  hosts:\n    a: {ansible_connection: local, motd_text: hello}\n    b: {ansible_connection: local, motd_text: bye, motd_extra: true}\n',
    'site.yaml': '- hosts: all\n  gather_facts: false\n  roles:\n    - role: motd\n      motd_dir: "{{ playbook_dir }}/out"\n',
    'roles/motd/role.ts': role,
  });
  mkdirSync(join(d, 'node_modules'));
  symlinkSync(root, join(d, 'node_modules', 'agri-play'));
  return d;
}

const ROLE = `import { defineRole, Type } from 'agri-play';

export default defineRole({
  name: 'motd',
  params: Type.Object({ motd_dir: Type.String(), motd_text: Type.String() }),
  tasks(t, ctx) {
    const dir = \`\${ctx.params.motd_dir}/\${ctx.host}\`;
    t.file({ path: dir, state: 'directory', mode: '0755' });
    const w = t.copy({ dest: \`\${dir}/motd\`, content: \`\${ctx.params.motd_text}\\n\` }, { name: \`motd for \${ctx.host}\` });
    const c = t.$\`cat \${dir + '/motd'}\`.changedWhen(() => false);
    t.copy({ dest: \`\${dir}/seen\`, content: () => \`saw \${c.result.stdout}\\n\` }, { when: () => c.result.exitCode === 0 && !w.result.failed });
    if (ctx.vars.motd_extra) t.$\`touch \${dir + '/extra file'}\`.creates(\`\${dir}/extra file\`);
    t.$\`echo never\`.unless('true');
  },
});
`;

test('a TypeScript role is code: per-host plan-time logic, typed module calls, zx-style commands with guards, run-time handles; steps located at their t.… call', async () => {
  const d = siteRepo(ROLE);
  const r = await cli(['site.yaml', '-i', 'inv.yaml', '--json'], d, { timeoutMs: 60_000 });
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.equal(readFileSync(join(d, 'out/a/seen'), 'utf8'), 'saw hello\n');
  assert.equal(readFileSync(join(d, 'out/b/seen'), 'utf8'), 'saw bye\n');
  assert.equal(readFileSync(join(d, 'out/b/extra file'), 'utf8'), '', 'the interpolation was quoted as one word');
  const ends = stepEnds(r.events);
  assert.equal(ends.filter((e) => e.host === 'a').length, 5, 'host a has no extra step');
  assert.equal(ends.filter((e) => e.host === 'b').length, 6, 'host b has the extra step');
  const motd = ends.find((e) => e.task === 'motd for a')!;
  assert.match(motd.at, /roles\/motd\/role\.ts:9$/, `position: ${motd.at}`);
  assert.equal(ends.find((e) => e.task === 'echo never' && e.host === 'a')?.status, 'ok', 'unless: the guard held');
  const again = await cli(['site.yaml', '-i', 'inv.yaml', '--json'], d, { timeoutMs: 60_000 });
  assert.equal(again.code, 0);
  for (const [h, c] of Object.entries(recapOf(again.events))) assert.equal(c.changed, 0, `${h} changed on the re-run`);
  const check = await cli(['site.yaml', '-i', 'inv.yaml', '--check'], d, { timeoutMs: 60_000 });
  assert.equal(check.code, 0, check.stdout);
});

test('agri-play check: a misspelt module argument is a type error naming the argument and the role file line; a wrong parameter is exit 4 before the run', async () => {
  const d = siteRepo(ROLE.replace("mode: '0755'", "mod: '0755'"));
  const r = await cli(['check'], d, { timeoutMs: 120_000 });
  assert.equal(r.code, 4, r.stdout + r.stderr);
  assert.match(r.stderr, /roles\/motd\/role\.ts\(8,\d+\): error TS\d+: .*'mod' does not exist/);
  const run = await cli(['site.yaml', '-i', 'inv.yaml'], d);
  assert.equal(run.code, 4, run.stdout + run.stderr);
  assert.match(run.stderr, /role\.ts:8:\d+: error: unknown argument 'mod'/);
  const good = siteRepo(ROLE);
  const ok = await cli(['check'], good, { timeoutMs: 120_000 });
  assert.equal(ok.code, 0, ok.stdout + ok.stderr);
  assert.match(ok.stdout, /roles\/motd\/role\.ts: no type errors/);
});

test('agri-play new role NAME scaffolds a TypeScript role that type-checks and runs (its test playbook, --check then for real)', async () => {
  const d = fixture({ 'package.json': '{"name": "site", "version": "1.0.0", "type": "module"}' });
  mkdirSync(join(d, 'node_modules'));
  symlinkSync(root, join(d, 'node_modules', 'agri-play'));
  const made = await cli(['new', 'role', 'crop-notes'], d);
  assert.equal(made.code, 0, made.stderr);
  assert.equal((await cli(['new', 'role', 'crop-notes'], d)).code, 5, 'an existing role is not overwritten');
  const check = await cli(['check'], d, { timeoutMs: 120_000 });
  assert.equal(check.code, 0, check.stdout + check.stderr);
  const dry = await cli(['roles/crop-notes/tests/test.yaml', '--check'], d);
  assert.equal(dry.code, 0, dry.stdout + dry.stderr);
  assert.match(dry.stdout, /would change|changed: \[localhost\] crop-notes file/);
  const real = await cli(['roles/crop-notes/tests/test.yaml'], d);
  assert.equal(real.code, 0, real.stdout + real.stderr);
  assert.equal(readFileSync(join(d, 'roles/crop-notes/tests/out/crop-notes.txt'), 'utf8'), 'managed by agri-play on localhost\n');
});

test('a role importing the bundled package and an engine from the compiled files share one state: run-time variables, lookups, ModuleFailure', async () => {
  const bundled = (await import(join(root, 'dist/bundle/index.js'))) as typeof import('../lib/index.js');
  const { callRuntimeFn, registerRuntimeFn } = await import('../lib/vars/runtime-fns.js');
  const { addLookup } = await import('../lib/vars/index.js');
  const { ModuleFailure } = await import('../lib/modules/types.js');
  assert.notEqual(bundled.ModuleFailure, ModuleFailure, 'two copies of the code');
  // a role's run-time function reads the step's variables the engine set
  const id = registerRuntimeFn(() => bundled.stepVars().zone);
  assert.equal(callRuntimeFn(id, { zone: 'east' }), 'east');
  // a role's secret() finds the doppler plugin the engine registered
  addLookup('doppler', (terms) => terms.map((t) => `value-of-${String(t)}`));
  assert.equal(bundled.secret('FIELD_TOKEN')(), 'value-of-FIELD_TOKEN');
  // a module's failure from the role's copy is the engine's ModuleFailure (a failed step, not a crash)
  assert.ok(new bundled.ModuleFailure('no such crop') instanceof ModuleFailure);
  assert.ok(!(new Error('bug') instanceof ModuleFailure));
});
