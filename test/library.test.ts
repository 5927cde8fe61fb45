// A playbook folder's library/ modules (lib/modules/util/library.ts): what the README says of them
// beyond Ansible's own targets (test/targets.test.ts runs six of those): a module shadows a built-in
// of its short name but not `ansible.builtin.`, its facts become the host's but for the ones only
// the engine sets, and output that is no JSON is a MODULE FAILURE with what it printed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { discoverInterpreter } from '../lib/modules/index.js';
import { cli, fixture } from './helpers.js';

test("library/ modules: a built-in's short name is shadowed, ansible.builtin. is not; facts but the interpreter ones are the host's; no JSON is MODULE FAILURE", async () => {
  const d = fixture({
    // old style (no WANT_JSON, no module_utils): its arguments as key=value words in a file
    'library/ping.sh': '#!/bin/sh\n. "$1"\necho "{\\"ping\\": \\"mine $data\\"}"\n',
    'library/facts.py':
      '#!/usr/bin/python\n# WANT_JSON\nimport json, sys\nargs = json.load(open(sys.argv[1]))\n' +
      'print(json.dumps({"changed": False, "ansible_facts": {"test_fact": args["value"], "discovered_interpreter_bogus": "x", "ansible_bogus_interpreter": "x"}}))\n',
    'library/noise.sh': '#!/bin/sh\necho not json\necho oops >&2\nexit 3\n',
    'p.yaml': `- hosts: localhost
  gather_facts: false
  tasks:
    - ping: {data: hello}
      register: mine
    - ansible.builtin.ping:
      register: builtin
    - facts: {value: from_module}
      register: facts
    - noise:
      register: bad
      ignore_errors: true
    - assert:
        that:
          - mine.ping == 'mine hello'
          - builtin.ping == 'pong'
          - test_fact == 'from_module'
          - discovered_interpreter_bogus is not defined
          - ansible_bogus_interpreter is not defined
          - "facts.ansible_facts == {'test_fact': 'from_module'}"
          - bad is failed
          - "bad.msg.startswith('MODULE FAILURE')"
          - bad.module_stdout == 'not json'
          - bad.module_stderr == 'oops'
          - bad.rc == 3
`,
  });
  const r = await cli(['p.yaml', '--json'], d);
  assert.equal(r.code, 0, r.stdout + r.stderr);
});

test('interpreter discovery: a host whose ansible_python_interpreter is auto* is asked once, its first Python module result carries the fact, its library modules run under it', async () => {
  const d = fixture({
    'library/echo.py': '#!/usr/bin/python\n# WANT_JSON\nimport json, sys\nprint(json.dumps({"changed": False, "exe": sys.executable}))\n',
    'p.yaml': `- hosts: localhost
  gather_facts: false
  vars:
    ansible_python_interpreter: auto_silent
  tasks:
    - debug: {msg: "no module: no discovery"}
      register: dbg
    - ping:
      register: first
    - echo:
      register: second
    - meta: clear_facts
    - echo:
      register: third
    - assert:
        that:
          - dbg.ansible_facts is not defined
          - first.ansible_facts.discovered_interpreter_python is match('/')
          - first.warnings is not defined
          - second.ansible_facts is not defined
          - second.exe == first.ansible_facts.discovered_interpreter_python
          - third.ansible_facts.discovered_interpreter_python == first.ansible_facts.discovered_interpreter_python
          - discovered_interpreter_python == first.ansible_facts.discovered_interpreter_python
`,
  });
  const r = await cli(['p.yaml'], d);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /ok=5 +changed=0/);
});

test("interpreter discovery's choice and words are ansible-core 2.14's: the platform's Python, auto_legacy's /usr/bin/python, the fallback's warnings", () => {
  const out = (found: string[], id: string, version: string, like = '') => `Linux\n${found.map((f) => `py_found=${f}`).join('\n')}\nos_id=${id}\nos_like=${like}\nos_version=${version}\n`;
  const debian = out(['/usr/bin/python3.11', '/usr/bin/python3', '/usr/bin/python'], 'debian', '12');
  assert.deepEqual(discoverInterpreter(debian, 'auto', 'h'), { python: '/usr/bin/python3', warnings: [], deprecations: [] });
  const legacy = discoverInterpreter(debian, 'auto_legacy', 'h');
  assert.equal(legacy.python, '/usr/bin/python');
  assert.match(legacy.deprecations[0].msg, /^Distribution debian 12 on host h should use \/usr\/bin\/python3, but is using \/usr\/bin\/python for backward compatibility/);
  assert.deepEqual(discoverInterpreter(debian, 'auto_legacy_silent', 'h').deprecations, []);
  // a distribution of no known family: the first Python found, with the warning (not under _silent)
  const other = discoverInterpreter(out(['/usr/bin/python3.10', '/usr/bin/python3'], 'nixos', '23.05'), 'auto', 'h');
  assert.equal(other.python, '/usr/bin/python3.10');
  assert.match(other.warnings[0], /^Platform linux on host h is using the discovered Python interpreter at \/usr\/bin\/python3.10, but future installation/);
  assert.deepEqual(discoverInterpreter(out(['/usr/bin/python3.10'], 'nixos', '23.05'), 'auto_silent', 'h').warnings, []);
  // an ID_LIKE family's map (Linux Mint is like ubuntu), its platform Python missing: the first found, and why
  const mint = discoverInterpreter(out(['/usr/bin/python3.11'], 'linuxmint', '21', 'ubuntu debian'), 'auto', 'h');
  assert.equal(mint.python, '/usr/bin/python3.11');
  assert.match(mint.warnings[0], /^Distribution linuxmint 21 on host h should use \/usr\/bin\/python3, but is using \/usr\/bin\/python3.11, since the discovered platform python interpreter was not present/);
  assert.deepEqual(discoverInterpreter('Linux\nos_id=debian\n', 'auto', 'h').python, '/usr/bin/python');
});
