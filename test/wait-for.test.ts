import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { MemoryConnection, type Connection, type ExecResult } from '../lib/connections/index.js';
import { runOnHost } from './helpers.js';

/** A remote host (not the controller): its files in memory, its commands answered by `answer`. */
class RemoteHost extends MemoryConnection implements Connection {
  readonly commands: string[] = [];
  constructor(private readonly answer: (shell: string) => number) {
    super();
    // (reached over SSH, say: not the controller)
    Object.defineProperty(this, 'kind', { value: 'ssh' });
  }
  override async exec(cmd: string[] | { shell: string }): Promise<ExecResult> {
    const shell = Array.isArray(cmd) ? cmd.join(' ') : cmd.shell;
    this.commands.push(shell);
    return { rc: this.answer(shell), stdout: '', stderr: '', cmd: shell };
  }
}

test("wait_for's port is connected to by the host, as ansible-core's module does (its 127.0.0.1 is the host itself), not by the controller", async () => {
  // a port the controller listens on: a probe made from the controller would find it open
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  try {
    const open = new RemoteHost((shell) => (shell.includes('create_connection') ? 0 : 1));
    assert.equal(await runOnHost(`- hosts: all\n  gather_facts: false\n  tasks:\n    - wait_for: {port: 7443, timeout: 2}\n`, open), 0);
    assert.ok(open.commands.some((c) => c.includes('h=127.0.0.1; p=7443')), open.commands.join('\n'));
    // the controller's open port is closed on the host: state=started times out there
    const closed = new RemoteHost(() => 1);
    assert.notEqual(await runOnHost(`- hosts: all\n  gather_facts: false\n  tasks:\n    - wait_for: {port: ${port}, timeout: 1, sleep: 0.2}\n`, closed), 0);
    assert.ok(closed.commands.some((c) => c.includes(`p=${port}`)));
  } finally {
    server.close();
  }
});
