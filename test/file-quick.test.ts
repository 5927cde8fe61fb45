// The file module's check of a directory (state=directory, no times, no recursion) reads the run's
// own stat and the host's /etc/passwd and /etc/group: over SSH no command runs for it (each one
// cost the host a session, a shell and stat processes), with the same result as the probe's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryConnection, type Connection, type ExecResult } from '../lib/connections/index.js';
import { runOnHost } from './helpers.js';

/** A host with its folders and files in memory; each command it is asked to run is noted and answered by the probe's words for /srv/app. */
class Host extends MemoryConnection implements Connection {
  readonly commands: string[] = [];
  override async exec(cmd: string[] | { shell: string }): Promise<ExecResult> {
    const shell = Array.isArray(cmd) ? cmd.join(' ') : cmd.shell;
    this.commands.push(shell);
    // what fs-node.ts's script prints for a folder owned by uid 0, gid 0 (named by the host's NSS)
    return { rc: 0, stdout: '@@\nl|directory|750|0|0|root|root|4096\nL|directory|2|2049:12|1.5|1.5\n', stderr: '', cmd: shell };
  }
}

const PLAY = `- hosts: all
  gather_facts: false
  tasks:
    - file: {path: /srv/app, state: directory, mode: "0750"}
      register: r
    - copy: {dest: /srv/result.json, content: "{{ r | to_json }}"}
`;

async function run(host: Host): Promise<Record<string, unknown>> {
  assert.equal(await runOnHost(PLAY, host), 0);
  return JSON.parse(String(await host.readFile('/srv/result.json'))) as Record<string, unknown>;
}

test("file: a folder that is as asked is checked with no command where /etc/passwd and /etc/group name its ids; the result is the probe's", async () => {
  const named = new Host(['/srv'], { '/etc/passwd': 'root:x:0:0:root:/root:/bin/bash\n', '/etc/group': 'root:x:0:\n' });
  await named.mkdir('/srv/app', '0750');
  const quick = await run(named);
  assert.deepEqual(named.commands.filter((c) => c.includes('/srv/app')), [], 'no probe of the folder ran');
  // the same folder where the files name no one: the probe (a command) answers, with the same result
  const unnamed = new Host(['/srv'], { '/etc/passwd': 'daemon:x:1:1::/:/bin/false\n', '/etc/group': 'daemon:x:1:\n' });
  await unnamed.mkdir('/srv/app', '0750');
  const probed = await run(unnamed);
  assert.equal(unnamed.commands.filter((c) => c.startsWith('p=/srv/app;')).length, 1, unnamed.commands.join('\n'));
  const shown = ({ changed, path, state, mode, owner, group, uid, gid }: Record<string, unknown>) => ({ changed, path, state, mode, owner, group, uid, gid });
  assert.deepEqual(shown(quick), { changed: false, path: '/srv/app', state: 'directory', mode: '0750', owner: 'root', group: 'root', uid: 0, gid: 0 });
  assert.deepEqual(shown(probed), shown(quick));
});
