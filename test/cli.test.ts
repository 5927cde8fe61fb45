import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { findSpec, loadModule, specNames } from '../lib/modules/index.js';
import { builtinModules } from '../lib/modules/all.js';
import { writeCodeCache } from '../lib/source/code-cache.js';
import { cli, failures, fixture, recapOf, root, stepEnds } from './helpers.js';
import { HAVE_SUDO } from './sshd.js';

test('--version prints the package version', async () => {
  const r = await cli(['--version'], root);
  assert.equal(r.code, 0);
  assert.equal(r.stdout.trim(), JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version);
});

test('site.yaml -i edge --list-hosts lists the edge hosts without touching them', async () => {
  const r = await cli(['playbooks/site.yaml', '-i', 'edge', '--list-hosts'], root);
  assert.equal(r.code, 0, r.stderr);
  for (const h of ['edge-cp-1', 'edge-cp-2', 'edge-cp-3', 'edge-worker-1', 'edge-worker-2', 'edge-worker-3']) assert.match(r.stdout, new RegExp(`^    ${h}$`, 'm'));
  assert.match(r.stdout, /hosts \(6\)/);
});

test('site.yaml preflight passes on edge and cloud together', async () => {
  const r = await cli(['playbooks/site.yaml', '-i', 'edge', '-i', 'cloud', '--tags', 'preflight', '--json', '--state-dir', join(root, '.agri-play/test')], root);
  assert.equal(r.code, 0, r.stdout);
  // (the roles' argument spec steps are tagged always, as ansible-core's: they run on their hosts too)
  const ran = new Set(r.events.flatMap((e) => (e.event === 'step_end' && e.status === 'ok' && !/^Validating arguments against arg spec/.test(String(e.task)) ? [e.host] : [])));
  assert.equal(ran.size, 12, 'every node host ran the preflight');
  assert.ok(Object.values(recapOf(r.events)).every((c) => c.failed === 0));
});

test('--list-tasks, --syntax-check and --graph stop before running anything', async () => {
  const list = await cli(['playbooks/site.yaml', '-i', 'edge', '--list-tasks'], root);
  assert.match(list.stdout, /cluster name and id are valid for Cilium Cluster Mesh/);
  const syntax = await cli(['playbooks/example.yaml', '-i', 'local', '--syntax-check'], root);
  assert.equal(syntax.code, 0);
  assert.match(syntax.stdout, /playbook: playbooks\/example\.yaml/);
  const mermaid = await cli(['playbooks/example.yaml', '-i', 'local', '--graph', 'mermaid-steps'], root);
  assert.match(mermaid.stdout, /^flowchart TD/);
  assert.match(mermaid.stdout, /field-1: a folder per field/);
  // the default is the play-level view: one node per play, edges where a play waits
  const plays = await cli(['playbooks/site.yaml', '-i', 'edge', '-i', 'cloud', '--graph', 'mermaid'], root);
  const nodes = plays.stdout.split('\n').filter((l) => /^ {2}play\d+\["/.test(l));
  assert.ok(nodes.length >= 8 && nodes.length < 20, plays.stdout);
  assert.match(plays.stdout, /play\d+ --> play\d+/);
  const tasks = await cli(['playbooks/site.yaml', '-i', 'edge', '--list-tasks'], root);
  assert.match(tasks.stdout, /^ {6}talos-iso : Talos ISO \{\{ talos_iso \}\}\tTAGS: \[\]$/m, 'role prefix as in Ansible');
  const dot = await cli(['playbooks/example.yaml', '-i', 'local', '--graph', 'dot'], root);
  assert.match(dot.stdout, /^digraph agri_play \{/);
});

test('every file in lib/modules is registered, alphabetized, with FQCN aliases', async () => {
  const files = readdirSync(join(root, 'lib/modules')).filter((f) => f.endsWith('.ts') && !['all.ts', 'ansible-names.ts', 'catalog.ts', 'index.ts', 'registry.ts', 'types.ts'].includes(f)).map((f) => f.replace(/\.ts$/, ''));
  const names = builtinModules.map((m) => m.name);
  assert.deepEqual([...names].sort(), names, 'registry is alphabetized');
  assert.deepEqual([...files].sort(), [...names].sort());
  for (const n of names) {
    assert.equal((await loadModule(`ansible.builtin.${n}`))?.name, n);
    assert.equal((await loadModule(`ansible.legacy.${n}`))?.name, n);
    assert.ok((await loadModule(n))!.description.length > 10, `${n} has a description`);
  }
});

test('the load reads the modules\' catalog, not the modules: --syntax-check imports no module, and the catalog is the registry', async () => {
  for (const n of specNames()) {
    const m = (await loadModule(n))!;
    const spec = findSpec(n)!;
    assert.deepEqual({ name: spec.name, kind: spec.kind, aliases: spec.aliases, freeForm: spec.freeForm }, { name: m.name, kind: m.kind, aliases: m.aliases, freeForm: m.freeForm }, n);
    assert.deepEqual(spec.args, JSON.parse(JSON.stringify(m.args)), `${n}: its schema`);
  }
  assert.equal(specNames().length, new Set(specNames()).size);
  // every ES module the CLI imports, as Node's resolve hook sees it
  const d = fixture({
    'hook.mjs': "import { appendFileSync } from 'node:fs';\nexport async function resolve(s, c, next) { const r = await next(s, c); appendFileSync(process.env.AGRI_LOAD_LOG, r.url + '\\n'); return r; }\n",
    'register.mjs': "import { register } from 'node:module';\nregister('./hook.mjs', import.meta.url);\n",
  });
  const log = join(d, 'loaded.txt');
  writeFileSync(log, '');
  const r = await cli(['playbooks/site.yaml', '-i', 'edge', '--syntax-check'], root, { env: { AGRI_LOAD_LOG: log, NODE_OPTIONS: `--import ${join(d, 'register.mjs')}` } });
  assert.equal(r.code, 0, r.stderr);
  // the CLI runs the bundle: a chunk it loads stands for the compiled files the build put in it
  const chunks = JSON.parse(readFileSync(join(root, 'dist/bundle/chunks.json'), 'utf8')) as Record<string, string[]>;
  const urls = readFileSync(log, 'utf8').split('\n').filter(Boolean);
  assert.ok(urls.some((u) => u.endsWith('/bundle/main.js')), 'the CLI runs the bundle');
  const loaded = urls.flatMap((u) => chunks[u.replace(/^.*\/bundle\//, '')] ?? [u]).filter((u) => u.includes('lib/modules/'));
  assert.ok(loaded.some((u) => u.endsWith('lib/modules/catalog.js')), loaded.join('\n'));
  // (a chunk's files are named from the build's folder, lib/…; a compiled file's URL has a path before it)
  assert.deepEqual(loaded.filter((u) => /(^|\/)lib\/modules\/(all|copy|helm_release|template)\.js$/.test(u)), [], 'no module implementation is loaded');
  // and a run loads the modules its tasks name, not the others (all of them took ≈ 30 ms to load)
  const p = fixture({ 'p.yaml': '- hosts: localhost\n  gather_facts: false\n  tasks:\n    - debug: {msg: hi}\n    - ansible.builtin.copy: {dest: "{{ playbook_dir }}/out.txt", content: "x"}\n' });
  writeFileSync(log, '');
  const run = await cli(['p.yaml', '-c', 'local'], p, { env: { AGRI_LOAD_LOG: log, NODE_OPTIONS: `--import ${join(d, 'register.mjs')}` } });
  assert.equal(run.code, 0, run.stdout + run.stderr);
  const ran = readFileSync(log, 'utf8').split('\n').filter(Boolean).flatMap((u) => chunks[u.replace(/^.*\/bundle\//, '')] ?? [u]);
  const mods = ran.map((u) => /(?:^|\/)lib\/modules\/(\w+)\.js$/.exec(u)?.[1]).filter((m): m is string => m !== undefined && !['catalog', 'index', 'registry', 'types'].includes(m));
  // (copy runs file's attribute handling for what it wrote, as ansible-core's copy calls file)
  assert.deepEqual([...new Set(mods)].sort(), ['copy', 'debug', 'file'], ran.filter((u) => u.includes('lib/modules/')).join('\n'));
});

test("the built-in validators load with the V8 code cache the build made beside each; a cache V8 refuses (another Node's, or damaged) is passed over", () => {
  const dir = join(root, 'dist/lib/source/validators');
  const files = readdirSync(dir).filter((f) => f.endsWith('.cjs'));
  assert.ok(files.length > 100, `${files.length} validators`);
  assert.deepEqual(files.filter((f) => !existsSync(join(dir, `${f}.v8`))), [], 'each has its cache');
  // in a fresh process each (V8 keeps what one process compiled, and would not look at the cache again)
  const load = (file: string, value: unknown): string =>
    execFileSync(process.execPath, ['--input-type=module', '-e', `import { loadCached } from ${JSON.stringify(join(root, 'dist/lib/source/code-cache.js'))}; const used = {}; const v = loadCached(${JSON.stringify(file)}, used); console.log(used.cache, v(${JSON.stringify(value)}));`], { encoding: 'utf8' }).trim();
  assert.match(load(join(dir, files[0]), {}), /^used (true|false)$/);
  // one written now: used; then damaged: the same answers, compiled without it
  const d = fixture({ 'v.cjs': "module.exports = (x) => typeof x === 'object' && x !== null && 'a' in x;\n" });
  writeCodeCache(join(d, 'v.cjs'), (v: (x: unknown) => boolean) => v({ a: 1 }));
  assert.equal(load(join(d, 'v.cjs'), { a: 1 }), 'used true');
  writeFileSync(join(d, 'v.cjs.v8'), 'not a code cache');
  assert.equal(load(join(d, 'v.cjs'), { a: 1 }), 'refused true');
  assert.equal(load(join(d, 'v.cjs'), { b: 1 }), 'refused false');
  rmSync(join(d, 'v.cjs.v8'));
  assert.equal(load(join(d, 'v.cjs'), { a: 1 }), 'none true');
  // a role's parameter validator: written with its cache; a cache missing or refused is made again by the next run
  const roles = join(d, 'validators');
  const check = (value: unknown): string =>
    execFileSync(process.execPath, ['--input-type=module', '-e', `import { cacheValidators, validate } from ${JSON.stringify(join(root, 'dist/lib/source/validate.js'))}; cacheValidators(${JSON.stringify(roles)}); console.log(validate({ type: 'object', properties: { port_from_test: { type: 'integer' } } }, ${JSON.stringify(value)}, 'p').length);`], { encoding: 'utf8' }).trim();
  const caches = () => readdirSync(roles).filter((f) => f.endsWith('.cjs.v8'));
  assert.equal(check({ port_from_test: 1 }), '0');
  assert.equal(caches().length, 1);
  const cache = join(roles, caches()[0]);
  rmSync(cache);
  assert.equal(check({ port_from_test: 'x' }), '1');
  assert.ok(existsSync(cache), 'made again');
  writeFileSync(cache, 'not a code cache');
  assert.equal(check({ port_from_test: 2 }), '0');
  assert.notEqual(readFileSync(cache, 'utf8'), 'not a code cache', 'made again');
});

test('a condition YAML read as a mapping runs as ansible-core answers it (true with keys) and the load warns where it is', async () => {
  const d = fixture({
    'inv.yaml': 'all:\n  hosts:\n    h: {ansible_connection: local}\n',
    'p.yaml': `- hosts: all
  gather_facts: false
  vars:
    rules: {when: {season: spring}, that: {a: b}}
  tasks:
    - debug: {msg: ran}
      when:
        - result is search('a: b')
    - set_fact: {until: {a: b}}
      vars:
        when: {a: b}
    - assert:
        that:
          - rules.when.season == 'spring'
`,
  });
  const r = await cli(['p.yaml', '-i', 'inv.yaml', '--json'], d);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /warning: \S*p\.yaml:8:\d+: this condition is a mapping, not an expression .*\(quote the condition\)/);
  // variables, facts and module arguments named when/that/until are data, not conditions
  assert.equal(r.stderr.match(/this condition is a mapping/g)?.length, 1, r.stderr);
  assert.deepEqual(recapOf(r.events).h, { ...recapOf(r.events).h, ok: 3, failed: 0 });
});

test('several playbooks run one after the other, each with its recap, until one does not end ok (as ansible-playbook)', async () => {
  const d = fixture({
    'a.yaml': '- hosts: localhost\n  gather_facts: false\n  tasks:\n    - copy: {dest: "{{ playbook_dir }}/a.txt", content: a}\n',
    'b.yaml': '- hosts: localhost\n  gather_facts: false\n  tasks:\n    - fail: {msg: b fails}\n',
    'c.yaml': '- hosts: localhost\n  gather_facts: false\n  tasks:\n    - copy: {dest: "{{ playbook_dir }}/c.txt", content: c}\n',
  });
  const ok = await cli(['a.yaml', 'c.yaml'], d);
  assert.equal(ok.code, 0, ok.stdout);
  assert.equal((ok.stdout.match(/PLAY RECAP/g) ?? []).length, 2, 'a recap for each');
  assert.equal(readFileSync(join(d, 'c.txt'), 'utf8'), 'c');
  const stopped = await cli(['b.yaml', 'a.yaml'], d);
  assert.equal(stopped.code, 2);
  assert.equal((stopped.stdout.match(/PLAY RECAP/g) ?? []).length, 1, 'the failed one ends the command');
});

test('several playbooks in one command go on from each other as ansible-playbook a.yml b.yml: facts, registered values, include_vars, add_host, the counts so far', async () => {
  const d = fixture({
    'inv.yaml': 'all:\n  hosts:\n    field: {ansible_connection: local}\n',
    'a.yml': '- hosts: all\n  gather_facts: false\n  tasks:\n    - set_fact: {one: 1}\n    - command: echo hi\n      register: said\n    - add_host: {name: extra1, groups: late, ansible_connection: local}\n    - include_vars: {file: v.yml}\n',
    'v.yml': 'from_file: true\n',
    'sub/b.yml': "- hosts: field\n  gather_facts: false\n  tasks:\n    - assert:\n        that: [one == 1, \"said.stdout == 'hi'\", \"'extra1' in groups['late']\", from_file]\n- hosts: late\n  gather_facts: false\n  tasks:\n    - debug: {msg: '{{ inventory_hostname }}'}\n",
  });
  const r = await cli(['-i', 'inv.yaml', 'a.yml', 'sub/b.yml', '--json'], d);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  const recaps = r.events.flatMap((e) => (e.event === 'recap' ? [e.hosts] : []));
  assert.equal(recaps.length, 2);
  // each playbook's recap, the second with the first's counts in it (ansible-core's stats are the command's)
  assert.deepEqual([recaps[0].field.ok, recaps[0].field.changed], [4, 2]);
  assert.deepEqual([recaps[1].field.ok, recaps[1].field.changed, recaps[1].extra1.ok], [5, 2, 1]);
});

test('the PLAY RECAP lists its hosts sorted by name, as ansible-core does, and only hosts a task counted for', async () => {
  const d = fixture({
    'inv.yaml': 'all:\n  hosts:\n    zeta: {ansible_connection: local}\n    alpha: {ansible_connection: local}\n    mid: {ansible_connection: local}\n',
    'p.yaml': '- hosts: all\n  gather_facts: false\n  tasks:\n    - debug: {msg: hi}\n',
    // (serial: 1 and end_play: the batches after the first, alpha's and mid's, never start)
    'once.yaml': '- hosts: all\n  gather_facts: false\n  serial: 1\n  tasks:\n    - debug: {msg: once}\n    - meta: end_play\n',
  });
  const r = await cli(['p.yaml', '-i', 'inv.yaml'], d);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  const rows = (r.stdout.split('PLAY RECAP')[1] ?? '').split('\n').filter((l) => / : ok=/.test(l)).map((l) => l.split(' ')[0]);
  assert.deepEqual(rows, ['alpha', 'mid', 'zeta']);
  const once = await cli(['once.yaml', '-i', 'inv.yaml', '--json'], d);
  assert.equal(once.code, 0, once.stderr);
  assert.deepEqual(Object.keys(recapOf(once.events)), ['zeta']);
});

test("debug's var= form shows the variable and its value at the default verbosity (undefined: ansible-core's words), a secret's value hidden", async () => {
  const d = fixture({
    'inv.yaml': 'all:\n  hosts:\n    h: {ansible_connection: local, zone: north}\n',
    'p.yaml': "- hosts: all\n  gather_facts: false\n  vars: {pw: \"{{ lookup('password', '/dev/null') }}\"}\n  tasks:\n    - debug: var=zone\n    - debug: var=not_here\n    - debug: var=pw\n",
  });
  const r = await cli(['p.yaml', '-i', 'inv.yaml'], d);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /ok: \[h\] debug => \{"zone":"north"\}/);
  assert.match(r.stdout, /ok: \[h\] debug => \{"not_here":"VARIABLE IS NOT DEFINED!"\}/);
  assert.match(r.stdout, /ok: \[h\] debug => \{"pw":"\*+"\}/);
});

test("-e as ansible-core's load_extra_vars reads it: key=value words, JSON/YAML, @file; other words are parse_kv's _raw_params; a path without @ is refused", async () => {
  const d = fixture({
    'vars.yml': 'from_file: 1\n',
    'p.yaml': '- hosts: localhost\n  gather_facts: false\n  tasks:\n    - assert: {that: ["a == \'1\'", "b.c == 2", "from_file == 1", "_raw_params == \'x: 1 y\'"]}\n',
  });
  const r = await cli(['p.yaml', '-e', 'a=1', '-e', '{"b": {"c": 2}}', '-e', '@vars.yml', '-e', 'x: 1 y'], d);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  const path = await cli(['p.yaml', '-e', './vars.yml'], d);
  assert.equal(path.code, 5, path.stderr);
  assert.match(path.stderr, /prepend the extra-vars file name with '@'/);
});

test("a play's variable, or its role's default or var, named as a keyword or a template global is warned of, as ansible-core 2.14 warns (Ansible's var_reserved target)", async () => {
  const d = fixture({
    'roles/r1/defaults/main.yml': 'port: 1\nfine: 2\n',
    'roles/r1/tasks/main.yml': '- debug: {msg: "{{ port }} {{ fine }}"}\n',
    'p.yml': '- hosts: localhost\n  gather_facts: false\n  vars:\n    lipsum: jinja2 uses me internally\n    mine: 1\n  roles: [r1]\n',
  });
  const r = await cli(['p.yml'], d);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stderr, /warning: .*p\.yml:4:5: Found variable using reserved name: lipsum/);
  assert.match(r.stderr, /warning: .*roles\/r1:1:1: Found variable using reserved name: port/);
  assert.equal(r.stderr.match(/reserved name/g)?.length, 2, r.stderr);
});

test("-b, --become-user, --become-method and ansible.cfg's [privilege_escalation] are the become keywords' defaults, as ansible-playbook's (a play's keyword wins)", { skip: !HAVE_SUDO && 'sudo is not installed (CI installs it)' }, async () => {
  const play = (become = '') => `- hosts: localhost\n  gather_facts: false\n${become}  tasks:\n    - command: id -un\n      register: who\n    - copy: {dest: "{{ playbook_dir }}/who", content: "{{ who.stdout }}"}\n      become: false\n`;
  const d = fixture({ 'p.yml': play(), 'own.yml': play('  become: false\n'), 'cfg/ansible.cfg': '[privilege_escalation]\nbecome = True\nbecome_user = nobody\n', 'cfg/p.yml': play() });
  const who = (dir: string) => readFileSync(join(dir, 'who'), 'utf8');
  let r = await cli(['p.yml', '-b', '--become-user', 'nobody'], d);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.equal(who(d), 'nobody');
  r = await cli(['own.yml', '-b', '--become-user', 'nobody'], d);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.equal(who(d), 'root', "the play's become: false wins over -b");
  r = await cli(['p.yml'], join(d, 'cfg'));
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.equal(who(join(d, 'cfg')), 'nobody', "ansible.cfg's become and become_user");
  assert.doesNotMatch(r.stderr, /privilege_escalation/, 'not named as an ignored setting');
  r = await cli(['p.yml', '-b', '--become-method', 'doas'], d);
  assert.equal(r.code, 5, r.stdout + r.stderr);
  assert.match(r.stderr, /become method 'doas' is not supported/);
});

test("debug's msg shows a value as Python shows it: a whole float in a list stays 1.0 (ansible-core's output)", async () => {
  const d = fixture({ 'p.yaml': '- hosts: localhost\n  gather_facts: false\n  tasks:\n    - set_fact: {x: "{{ [1.0] }}"}\n    - debug: {msg: "{{ x }}"}\n    - debug: {msg: "{{ [0.5 | round, -1.5 | round] }}"}\n' });
  const r = await cli(['p.yaml', '--json'], d);
  assert.equal(r.code, 0, failures(r));
  assert.deepEqual(stepEnds(r.events).filter((e) => e.module === 'debug').map((e) => e.msg), ['[1.0]', '[0.0, -2.0]']);
});
