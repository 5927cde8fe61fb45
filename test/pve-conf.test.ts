import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { effective, vmConf } from '../lib/lab/proxmox/index.js';
import { parseVmConf } from '../lib/modules/util/pve.js';
import { root } from './helpers.js';

// qemu-server's own parser test files (test/third_party/qemu-server): what `qm config` shows of them
const upstream = (dir: string, name: string) => readFileSync(join(root, 'test/third_party/qemu-server', dir, name), 'utf8');

test('pve-conf: the main section only, without snapshot or special sections', () => {
  const c = parseVmConf(upstream('parse-config-input', 'cloudinit-snapshot.conf'));
  assert.equal(c.name, 'deb1223', 'not the [special:cloudinit] name');
  assert.equal(c.numa, '0', 'not the [cloudinit] snapshot value');
  assert.equal(c.ipconfig0, 'ip6=dhcp');
  assert.equal(c.snaptime, undefined);
  assert.equal(Object.keys(c).length, 18);
  // qemu-server's parse-then-write of the file keeps the main section as it was
  assert.deepEqual(parseVmConf(upstream('parse-config-expected', 'cloudinit-snapshot.conf')), c);
  assert.deepEqual(parseVmConf(upstream('parse-config-input', 'fleecing-section.conf')).name, 'deb1223');
  assert.equal(parseVmConf(upstream('parse-config-input', 'fleecing-section.conf'))['fleecing-images'], undefined);
});

test('pve-conf: pending values shown over the current ones; a repeated [PENDING] keeps its last copy', () => {
  const c = parseVmConf(upstream('parse-config-input', 'duplicate-sections.conf'));
  assert.equal(c.vga, 'qxl');
  assert.equal(c.bios, undefined, 'the first [PENDING] is replaced by the second');
  assert.equal(c.name, 'deb122');
  assert.deepEqual(parseVmConf(upstream('parse-config-expected', 'duplicate-sections.conf')), c);
});

test('pve-conf: the description is the comment lines at the top', () => {
  const c = parseVmConf(upstream('parse-config-input', 'locked.conf'));
  assert.equal(c.description, ' locked');
  assert.equal(c.lock, 'backup');
});

test("pve-conf: the lab's files read back as the simulated qm config shows the VM", () => {
  const vm = {
    config: { name: 'edge-cp-1', cores: 2, memory: '4096', description: 'site: edge\nnode é 1', net1: 'virtio=BC:24:11:00:00:01,bridge=vmbr0', agent: '1' },
    pending: { memory: '8192', net1: '__delete__', cores: 4 },
    status: 'running' as const,
  };
  const text = vmConf(vm);
  assert.match(text, /^#site%3A edge\n#node %C3%A9 1\n/, 'description encoded as PVE::Tools::encode_text does');
  assert.match(text, /\n\n\[PENDING\]\ncores: 4\ndelete: net1\nmemory: 8192\n$/);
  const want = Object.fromEntries(Object.entries(effective(vm)).map(([k, v]) => [k, String(v)]));
  assert.deepEqual(parseVmConf(text), want);
});
