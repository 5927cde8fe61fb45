// async tasks the controller runs (lib/run/async-task.ts): a background job (poll: 0) nothing asks
// about still ends before the run does, its result in the host's results file as ansible-core's
// async_wrapper writes it (the module's JSON), with no secret in it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CANARY, assertNoCanary, cli, fixture } from './helpers.js';

test('async poll: 0 on a library module: the run waits for the job; its results file holds its result, the secret argument it echoes redacted, and async_status of a later run reads it', async () => {
  const d = fixture({
    'inv.yaml': 'all:\n  hosts:\n    h: {ansible_connection: local, ansible_python_interpreter: /usr/bin/python3}\n',
    // (a WANT_JSON module that takes two seconds, then answers with its password argument)
    'library/echo_secret.py': '#!/usr/bin/python3\n# WANT_JSON\nimport json, sys, time\nargs = json.load(open(sys.argv[1]))\ntime.sleep(2)\nprint(json.dumps({"changed": True, "got": args["password"]}))\n',
    'p.yaml': `- hosts: all\n  gather_facts: false\n  tasks:\n    - echo_secret: {password: "${CANARY}"}\n      async: 30\n      poll: 0\n      register: j\n    - copy: {content: "{{ j.ansible_job_id }}", dest: "{{ playbook_dir }}/jid"}\n`,
  });
  const r = await cli(['p.yaml', '-i', 'inv.yaml', '--json'], d, { env: { ANSIBLE_ASYNC_DIR: join(d, 'async') } });
  assert.equal(r.code, 0, r.stdout);
  // the run ended after the job did (its two seconds; the rest of the run takes a fraction of that)
  const recap = r.events.find((e) => e.event === 'recap');
  assert.ok(recap?.event === 'recap' && recap.duration_ms >= 2000, JSON.stringify(recap));
  const jid = readFileSync(join(d, 'jid'), 'utf8');
  assert.match(jid, /^j\d+\.\d+$/);
  const text = readFileSync(join(d, 'async', jid), 'utf8');
  assertNoCanary(`results file ${jid}`, text);
  const result = JSON.parse(text) as Record<string, unknown>;
  assert.equal(result.changed, true, text);
  assert.equal(typeof result.got, 'string', text);
  // a later run knows the job by its results file only (ansible-core's JSON, as async_wrapper writes it)
  writeFileSync(join(d, 'status.yaml'), `- hosts: all\n  gather_facts: false\n  tasks:\n    - async_status: {jid: "${jid}"}\n      register: s\n    - assert: {that: [s.finished == 1, s is changed, s.got is defined, s.results_file.endswith('${jid}')]}\n`);
  const later = await cli(['status.yaml', '-i', 'inv.yaml'], d, { env: { ANSIBLE_ASYNC_DIR: join(d, 'async') } });
  assert.equal(later.code, 0, later.stdout);
});
