// A playbook folder's library/ modules (lib/modules/util/library.ts): what the README says of them
// beyond Ansible's own targets (test/targets.test.ts runs six of those): a module shadows a built-in
// of its short name but not `ansible.builtin.`, its facts become the host's but for the ones only
// the engine sets, and output that is no JSON is a MODULE FAILURE with what it printed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
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
