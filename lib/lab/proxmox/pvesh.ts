import { createHash } from 'node:crypto';
import { existsSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkVmid, parseOptions } from './config.js';
import { effective, type Out } from './qm.js';
import { PveError, bootDiskBytes, digestOf, simDirs, simPid, viewState, withState, type PveState } from './state.js';

/** Sorted keys, one line: what `--output-format json` prints. */
function sortedJson(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) => (x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => a.localeCompare(b))) : x));
}

function format(data: unknown, fmt: string | undefined): Out {
  if (fmt === 'json') return { stdout: sortedJson(data) + '\n' };
  if (fmt === 'json-pretty') return { stdout: JSON.stringify(JSON.parse(sortedJson(data)), null, 4) + '\n' };
  if (Array.isArray(data)) return { stdout: data.map((d) => (typeof d === 'object' ? Object.entries(d as object).map(([k, v]) => `${k}: ${v}`).join('\n') : String(d))).join('\n\n') + '\n' };
  if (data && typeof data === 'object') return { stdout: Object.entries(data).map(([k, v]) => `${k}: ${v}`).join('\n') + '\n' };
  return { stdout: `${data ?? ''}\n` };
}

function vmSummary(s: PveState, id: string) {
  const vm = s.vms[id];
  const c = vm.status === 'running' ? vm.config : effective(vm);
  const running = vm.status === 'running';
  return {
    vmid: Number(id),
    name: c.name ?? `VM ${id}`,
    status: vm.status,
    maxmem: Number(c.memory ?? 512) * 1024 ** 2,
    mem: running ? Math.round(Number(c.memory ?? 512) * 1024 ** 2 * 0.4) : 0,
    maxdisk: bootDiskBytes(c),
    disk: 0,
    cpus: Number(c.cores ?? 1) * Number(c.sockets ?? 1),
    cpu: running ? 0.02 : 0,
    uptime: running ? Math.floor((Date.now() - (vm.startedAt ?? Date.now())) / 1000) : 0,
    ...(running ? { pid: simPid(id) } : {}),
    netin: 0,
    netout: 0,
    diskread: 0,
    diskwrite: 0,
    template: 0,
    ...(c.tags ? { tags: c.tags } : {}),
  };
}

function isoList(dir: string, node: string) {
  const d = simDirs(dir).iso;
  return readdirSync(d)
    .filter((f) => !f.startsWith('.'))
    .map((f) => ({ volid: `local:iso/${f}`, format: 'iso', content: 'iso', size: statSync(join(d, f)).size, ctime: Math.floor(statSync(join(d, f)).mtimeMs / 1000), node }));
}

function get(dir: string, s: PveState, path: string, o: Record<string, string>): unknown {
  const parts = path.split('/').filter(Boolean);
  const noHandler = () => new PveError(`No 'get' handler defined for '${path}'`);
  if (path === '/nodes') return [{ node: s.node, status: 'online', type: 'node', id: `node/${s.node}`, maxcpu: 64, maxmem: 256 * 1024 ** 3, uptime: 86400 }];
  if (path === '/version') return { release: '9.0', repoid: 'sim', version: '9.0.10' };
  if (path === '/cluster/nextid') {
    if (o.vmid) {
      if (s.vms[o.vmid]) throw new PveError(`VM ${o.vmid} already exists`);
      return o.vmid;
    }
    let n = 100;
    while (s.vms[n]) n++;
    return String(n);
  }
  if (path === '/cluster/resources') {
    const vms = Object.keys(s.vms).map((id) => ({ id: `qemu/${id}`, type: 'qemu', node: s.node, ...vmSummary(s, id) }));
    if (o.type === 'vm') return vms;
    return [...vms, { id: `node/${s.node}`, type: 'node', node: s.node, status: 'online' }, { id: `storage/${s.node}/local`, type: 'storage', node: s.node, storage: 'local', status: 'available' }];
  }
  if (parts[0] !== 'nodes' || !parts[1]) throw noHandler();
  if (parts[1] !== s.node) throw new PveError(`hostname lookup '${parts[1]}' failed - failed to get address info for: ${parts[1]}: Name or service not known`);
  const rest = parts.slice(2);
  if (rest[0] === 'storage') {
    if (rest.length === 1) return ['local', 'local-lvm'].map((id) => ({ storage: id, type: id === 'local' ? 'dir' : 'lvmthin', content: id === 'local' ? 'iso,vztmpl,backup' : 'images,rootdir', active: 1, enabled: 1, total: 1e12, used: 1e11, avail: 9e11 }));
    if (rest[1] === 'local' && rest[2] === 'content') return isoList(dir, s.node).filter(() => !o.content || o.content === 'iso');
    throw noHandler();
  }
  if (rest[0] !== 'qemu') throw noHandler();
  if (rest.length === 1) return Object.keys(s.vms).map((id) => vmSummary(s, id));
  const vmid = checkVmid('get', rest[1]);
  const vm = s.vms[vmid];
  if (!vm) throw new PveError(`Configuration file 'nodes/${s.node}/qemu-server/${vmid}.conf' does not exist`);
  const tail = rest.slice(2).join('/');
  if (tail === 'config') {
    const c = o.current === '1' ? vm.config : effective(vm);
    return { ...c, digest: digestOf(vm.config) };
  }
  if (tail === 'pending')
    return Object.keys({ ...vm.config, ...vm.pending })
      .sort()
      .map((key) => {
        const p = vm.pending[key];
        return { key, ...(key in vm.config ? { value: vm.config[key] } : {}), ...(p === '__delete__' ? { delete: 1 } : p !== undefined ? { pending: p } : {}) };
      });
  if (tail === 'status/current') return { ...vmSummary(s, String(vmid)), qmpstatus: vm.status, agent: /^(1|enabled=1)/.test(String(effective(vm).agent ?? '')) ? 1 : 0, ha: { managed: 0 } };
  throw noHandler();
}

/** `create …/storage/local/download-url`: the lab has no network, so the "download" is a labelled placeholder file. */
function downloadUrl(dir: string, s: PveState, o: Record<string, string>): string {
  if (o.content !== 'iso') throw new PveError(`400 Parameter verification failed.\ncontent: value '${o.content ?? ''}' does not have a value in the enumeration 'iso, vztmpl, import'`);
  if (!o.filename || !/^[\w.-]+\.iso$/.test(o.filename)) throw new PveError(`400 Parameter verification failed.\nfilename: invalid format - value does not look like a valid iso file name`);
  if (!o.url) throw new PveError('400 Parameter verification failed.\nurl: property is missing and it is not optional');
  const data = Buffer.from(`SIMULATED ISO (agri-play lab, no network): ${o.url}\n`);
  if (o.checksum) {
    const got = createHash(o['checksum-algorithm'] ?? 'sha256').update(data).digest('hex');
    if (got !== o.checksum.toLowerCase()) throw new PveError(`TASK ERROR: checksum mismatch: got '${got}' != expect '${o.checksum}'`);
  }
  const target = join(simDirs(dir).iso, o.filename);
  if (existsSync(target)) throw new PveError(`TASK ERROR: refusing to override existing file '${target}'`);
  writeFileSync(target, data);
  return `UPID:${s.node}:0000${process.pid.toString(16).toUpperCase()}:download:${o.filename}:root@pam:`;
}

export function pvesh(dir: string, argv: string[]): Out {
  const [verb, path, ...rest] = argv;
  if (!verb || !path) throw new PveError('400 not enough arguments\nUSAGE: pvesh <COMMAND> <api_path> [OPTIONS]');
  const o = parseOptions(verb, rest);
  const fmt = o['output-format'];
  delete o['output-format'];
  delete o.noproxy;
  if (verb === 'get' || verb === 'ls') return viewState(dir, (s) => format(get(dir, s, path, o), fmt));
  return withState(dir, (s) => {
    if (verb === 'create' && /^\/nodes\/[^/]+\/storage\/local\/download-url$/.test(path)) return format(downloadUrl(dir, s, o), fmt);
    const del = /^\/nodes\/[^/]+\/storage\/local\/content\/local:iso\/(.+)$/.exec(path);
    if (verb === 'delete' && del) {
      const f = join(simDirs(dir).iso, del[1]);
      if (!existsSync(f)) throw new PveError(`volume 'local:iso/${del[1]}' does not exist`);
      rmSync(f);
      return { stdout: '' };
    }
    throw new PveError(`No '${verb}' handler defined for '${path}'`);
  });
}

/** `pvesm path VOLID`: where a volume lives on the node's filesystem. */
export function pvesm(dir: string, argv: string[]): Out {
  const [verb, volid] = argv;
  const m = /^local:iso\/(.+)$/.exec(volid ?? '');
  if (verb === 'path' && m) return { stdout: join(simDirs(dir).iso, m[1]) + '\n' };
  if (verb === 'path') throw new PveError(`unable to parse volume ID '${volid ?? ''}'`);
  throw new PveError(`400 unknown command 'pvesm ${verb ?? ''}'`);
}
