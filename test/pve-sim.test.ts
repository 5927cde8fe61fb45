import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { installPveSim } from '../lib/lab/proxmox/index.js';
import { servePveSim } from '../lib/lab/proxmox/serve.js';
import { fixture } from './helpers.js';

// asynchronous: the simulator that answers the Perl clients runs in this process
const run = (bin: string, argv: string[]) =>
  new Promise<{ code: number; stdout: string; stderr: string }>((resolve) =>
    execFile(join(bin, argv[0]), argv.slice(1), { encoding: 'utf8' }, (e, stdout, stderr) => resolve({ code: e ? Number(e.code) : 0, stdout, stderr })),
  );

test('pve-sim: the Perl clients of the served simulator answer as the Node programs do (output, message, exit code)', async (t) => {
  const dir = fixture({});
  const served = await servePveSim(join(dir, 'a'));
  if (!served) return t.skip('no perl here');
  try {
    const viaPerl = installPveSim(join(dir, 'a'), { node: 'pve-a' }, served.script);
    const viaNode = installPveSim(join(dir, 'b'), { node: 'pve-a' });
    const calls = [
      ['qm', 'create', '150', '--name', 'vm-a', '--description', 'node é', '--memory', '2048', '--net0', 'virtio,bridge=vmbr0', '--agent', '1'],
      ['qm', 'create', '151', '--name', 'vm-é'],
      ['qm', 'start', '150'],
      ['qm', 'list'],
      ['qm', 'set', '150', '--memory', '4096'],
      ['qm', 'config', '150'],
      ['pvesh', 'get', '/nodes', '--output-format', 'json'],
      ['qm', 'create', '150'],
      ['qm', 'frobnicate'],
      ['pvesm', 'path', 'local:iso/x.iso'],
    ];
    for (const argv of calls) {
      const [p, n] = [await run(viaPerl, argv), await run(viaNode, argv)];
      // generated values (MACs, UUIDs, times) differ between the two nodes; the shape must not
      const norm = (s: string) => s.replace(/[0-9A-F]{2}(:[0-9A-F]{2}){5}|[0-9a-f-]{36}|ctime=\d+|\/a\/|\/b\//g, '…');
      assert.deepEqual({ ...p, stdout: norm(p.stdout) }, { ...n, stdout: norm(n.stdout) }, argv.join(' '));
    }
    assert.equal((await run(viaPerl, ['qm', 'frobnicate'])).code, 255);
    assert.match((await run(viaPerl, ['qm', 'create', '151', '--name', 'vm-é'])).stderr, /name: value does not look like a valid DNS name/);
    const cfg = (await run(viaPerl, ['qm', 'config', '150'])).stdout;
    assert.match(cfg, /^memory: 4096$/m);
    assert.match(cfg, /^description: node é$/m);
  } finally {
    await served.close();
  }
});
