import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { gzipSync } from 'node:zlib';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import type { Counts } from '../lib/report/index.js';
import { fixture, root } from './helpers.js';

/** The reference side of the compat tests: ansible-core running test/compat/*.yaml on a local host. */
export const COMPAT_DIR = join(root, 'test/compat');
export const EXPECTED = join(COMPAT_DIR, 'expected.json');
export const ANSIBLE = ['/usr/bin/ansible-playbook', '/usr/local/bin/ansible-playbook'].find((p) => existsSync(p));
export const KEYS: (keyof Counts)[] = ['ok', 'changed', 'unreachable', 'failed', 'skipped', 'rescued', 'ignored'];
/** The recaps, and for the playbooks of OUTPUT_BLOCKS the block of output each is about. */
export type Recorded = { ansible_core: string; recaps: Record<string, Record<string, number>>; outputs?: Record<string, string> };

/** get_url's downloads come from a loopback HTTP server. */
export const SENSORS = 'field,moisture\n1,0.31\n';
const LAST_MODIFIED = new Date('2026-01-01T00:00:00Z');
/**
 * get_url's other pages (test/compat/get_url_more.yaml): a checksums file, a file the server names,
 * one behind basic auth (asked for with a 401), one that answers If-Modified-Since, one gzip-encoded,
 * one that echoes a request header.
 */
const GET_URL_PAGES: Record<string, (req: IncomingMessage, res: ServerResponse) => void> = {
  '/SHA256SUMS': (_, res) => res.end(`${createHash('sha256').update('other').digest('hex')}  other.csv\n${createHash('sha256').update(SENSORS).digest('hex')} *./sensors.csv\n`),
  '/named': (_, res) => res.writeHead(200, { 'Content-Disposition': 'attachment; filename="field-7.csv"' }).end(SENSORS),
  '/private.csv': (req, res) => (req.headers.authorization === `Basic ${Buffer.from('farm:loam').toString('base64')}` ? res.end(SENSORS) : res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="farm"' }).end()),
  '/dated.csv': (req, res) => {
    const since = req.headers['if-modified-since'];
    if (since && new Date(since) >= LAST_MODIFIED) return res.writeHead(304).end();
    res.writeHead(200, { 'Last-Modified': LAST_MODIFIED.toUTCString() }).end(SENSORS);
  },
  // (with its length: ansible-core 2.14 decodes gzip from the raw socket, so a chunked one fails there)
  '/packed.csv': (_, res) => {
    const body = gzipSync(SENSORS);
    res.writeHead(200, { 'Content-Encoding': 'gzip', 'Content-Length': body.length }).end(body);
  },
  '/header': (req, res) => res.end(`zone=${String(req.headers['x-zone'])}\n`),
  // uri's cookies (test/compat/uri_cookies.yaml): several paths, a name set twice, one without a path; a redirect that sets one
  '/a/b/cookies': (_, res) =>
    res.writeHead(200, { 'Set-Cookie': ['zeta=1', 'alpha=2; Path=/', 'mid=3; Path=/a', 'alpha=4; Path=/', 'deflt=5', 'beta=6; Path=/a/b; HttpOnly'], 'Content-Length': 2 }).end('ok'),
  '/cookie-redirect': (_, res) => res.writeHead(302, { Location: '/a/b/cookies', 'Set-Cookie': 'redir=1; Path=/' }).end(),
  '/cookie-denied': (_, res) => res.writeHead(403, { 'Set-Cookie': 'no=1' }).end('no'),
};
export async function sensorServer(): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    if (req.url === '/sensors.csv') return res.end(SENSORS);
    if (req.url !== undefined && req.url in GET_URL_PAGES) return GET_URL_PAGES[req.url](req, res);
    // apt_key's url
    if (req.url === '/farm-key-a.asc') return res.end(readFileSync(join(COMPAT_DIR, 'files/farm-key-a.asc')));
    // uri's: a JSON document, an echo of the request, a redirect to the document
    if (req.url === '/sensors.json') return res.writeHead(200, { 'Content-Type': 'application/json', 'X-Farm': 'east' }).end(JSON.stringify({ field: 1, moisture: 0.31 }));
    if (req.url === '/moved') return res.writeHead(302, { Location: '/sensors.json' }).end();
    if (req.url === '/echo') {
      const parts: Buffer[] = [];
      req.on('data', (c: Buffer) => parts.push(c));
      return req.on('end', () => res.writeHead(201, { 'Content-Type': 'application/json' }).end(JSON.stringify({ method: req.method, type: req.headers['content-type'] ?? null, body: Buffer.concat(parts).toString('utf8') })));
    }
    res.writeHead(404).end('not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** The installed ansible-core's version (`2.14.18`), or undefined. */
export async function ansibleVersion(): Promise<string | undefined> {
  if (!ANSIBLE) return undefined;
  // (its home and local temp folder one of its own, removed after: ansible-core makes ~/.ansible and ~/.ansible/tmp at start)
  const tmp = mkdtempSync(join(tmpdir(), 'agri-ansible-version-'));
  try {
    const r = await execa(ANSIBLE, ['--version'], { reject: false, env: { HOME: tmp, ANSIBLE_LOCAL_TEMP: tmp } });
    return /core ([\d.]+)/.exec(String(r.stdout))?.[1];
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** Settings a compat playbook is about, given to both ansible-core and agri-play as ANSIBLE_* variables. */
export const COMPAT_ENV: Record<string, Record<string, string>> = { 'hash_merge.yaml': { ANSIBLE_HASH_BEHAVIOUR: 'merge' }, 'custom_stats.yaml': { ANSIBLE_SHOW_CUSTOM_STATS: 'yes' }, 'tags_selection.yaml': { ANSIBLE_RUN_TAGS: 'tagged', ANSIBLE_SKIP_TAGS: 'skipme' }, 'yaml_timestamps.yaml': { TZ: 'America/New_York' }, 'datetimes.yaml': { TZ: 'America/New_York' }, 'group_names.yaml': { ANSIBLE_TRANSFORM_INVALID_GROUP_CHARS: 'always' }, 'ansible_managed.yaml': { ANSIBLE_CONFIG: join(COMPAT_DIR, 'ansible_managed.cfg') }, 'shell_executable.yaml': { ANSIBLE_EXECUTABLE: '/bin/bash' }, 'gather_subset_cfg.yaml': { ANSIBLE_GATHER_SUBSET: '!all,network' } };

/**
 * Playbooks whose printed output is compared too, not only their recap: the block each prints
 * (ansible-core's recorded by record:compat), cut from the output by its function.
 */
export const OUTPUT_BLOCKS: Record<string, (stdout: string) => string> = { 'custom_stats.yaml': customStatsBlock };

/** The CUSTOM STATS block after the recap: its title line and the tab-indented lines (blank ones between). */
export function customStatsBlock(stdout: string): string {
  const lines = stdout.split('\n');
  const start = lines.findIndex((l) => l.startsWith('CUSTOM STATS:'));
  if (start < 0) return '';
  let end = start + 1;
  while (end < lines.length && (lines[end].startsWith('\t') || lines[end] === '')) end++;
  while (end > start + 1 && lines[end - 1] === '') end--;
  return lines.slice(start, end).join('\n');
}

/** The compat playbooks' vault password (vault.yaml's files were encrypted with it), as ansible-core takes one from the environment. */
export const VAULT_ENV = { ANSIBLE_VAULT_PASSWORD_FILE: join(COMPAT_DIR, 'vault-pass.txt') };

/**
 * Playbooks that change the machine itself (its host name, its firewall, apt's sources, its mounts): they run
 * in a mount and UTS namespace of their own (unshare, as root), /etc/hostname there a file of the
 * test's folder and /etc/apt an empty folder of it, bound over the real ones, and iptables' tables
 * those of a network namespace of its own, so nothing outside changes; local only (over sshd they would reach
 * the real machine).
 */
export const NAMESPACED = new Set(['mount.yaml', 'service_sysv.yaml', 'hostname.yaml', 'iptables.yaml', 'deb822_repository.yaml', 'facts_network.yaml', 'cron.yaml', 'locale_gen.yaml']);
export const canNamespace = (): boolean => process.getuid?.() === 0 && ['/usr/bin/unshare', '/bin/unshare'].some((p) => existsSync(p));
/** The ones that need a network namespace too (deb822_repository's key comes from the test's loopback server: it keeps the machine's). */
const NET = new Set(['iptables.yaml', 'facts_network.yaml']);
/**
 * What a namespaced playbook's namespaces start as (run in them before it): facts_network
 * reads a bridge with a veth port, fixed MAC addresses, a secondary and a labelled address and
 * default routes, /sys mounted again so its /sys/class/net is the namespace's; service_sysv writes
 * its init script into an /etc/init.d of its own, cron root's crontab into a spool of its own,
 * locale_gen its locales into copies of /etc/locale.gen and /usr/lib/locale.
 */
const NS_SETUP: Record<string, string> = {
  // (its init script in an /etc/init.d of its own)
  'service_sysv.yaml': 'mount -t tmpfs tmpfs /etc/init.d',
  // (root's crontab in a crontab spool of its own, as crontab(1) keeps it: this machine's is not touched)
  'cron.yaml': 'if [ -d /var/spool/cron/crontabs ]; then mount -t tmpfs -o mode=1730 tmpfs /var/spool/cron/crontabs && chgrp crontab /var/spool/cron/crontabs; fi',
  // (/etc/locale.gen and the generated locales in /usr/lib/locale copies of the machine's, in the test's folder)
  'locale_gen.yaml': 'cp -a /usr/lib/locale locale && mount --bind locale /usr/lib/locale && cp /etc/locale.gen locale.gen && mount --bind locale.gen /etc/locale.gen',
  'facts_network.yaml': [
    'mount -t sysfs sysfs /sys', 'ip link set lo up',
    'ip link add br0 address 02:00:00:00:00:b0 type bridge',
    'ip link add v-1 address 02:00:00:00:00:01 type veth peer name v.2 address 02:00:00:00:00:02',
    'ip link set v-1 master br0', 'ip link set br0 up', 'ip link set v-1 up', 'ip link set v.2 up',
    'ip addr add 10.9.0.1/24 dev br0', 'ip addr add 10.9.0.2/24 dev br0', 'ip addr add 10.9.0.3/24 dev br0 label br0:1',
    'ip addr add 10.8.0.1/16 brd 10.8.255.255 dev v.2', 'ip -6 addr add fd01::5/64 dev br0 nodad',
    'ip route add default via 10.9.0.254 dev br0', 'ip -6 route add default via fd01::1 dev br0',
  ].join(' && '),
};
/** How a compat playbook's command is run: in its namespaces (NAMESPACED), else as it is. */
export const namespaceFor = (dir: string, playbook: string): ((cmd: string[]) => string[]) | undefined => (NAMESPACED.has(playbook) ? (cmd) => inNamespace(dir, cmd, playbook) : undefined);

function inNamespace(dir: string, cmd: string[], playbook: string): string[] {
  writeFileSync(join(dir, 'etc-hostname'), 'compat-before\n');
  mkdirSync(join(dir, 'etc-apt', 'sources.list.d'), { recursive: true });
  const setup = NS_SETUP[playbook] ? `${NS_SETUP[playbook]} && ` : '';
  return ['unshare', '--mount', '--uts', ...(NET.has(playbook) ? ['--net'] : []), '--fork', '--', 'sh', '-c', `mount --bind "$0" /etc/hostname && mount --bind "$1" /etc/apt && shift && hostname compat-before && ${setup}exec "$@"`, join(dir, 'etc-hostname'), join(dir, 'etc-apt'), ...cmd];
}

/** ansible-core 2.15's deb822_repository, unchanged, which ansible-core 2.14 runs as a library module (the reference for agri-play's). */
export const LIBRARY_215 = join(root, 'test/third_party/ansible/library-2.15');

/** ansible-playbook's recap of one compat playbook. */
export async function ansibleRecap(playbook: string, httpUrl: string): Promise<Record<string, number>> {
  return recapLine(await ansibleOutput(playbook, httpUrl), 'h');
}

/** ansible-playbook's output (stdout, then stderr) of one compat playbook. */
export async function ansibleOutput(playbook: string, httpUrl: string): Promise<string> {
  const d = fixture({ 'inv.yaml': 'all:\n  hosts:\n    h: {ansible_connection: local, ansible_python_interpreter: /usr/bin/python3}\n' });
  const args = [ANSIBLE!, '-i', 'inv.yaml', join(COMPAT_DIR, playbook), '-e', `root=${d}`, '-e', `http=${httpUrl}`];
  const [cmd, ...rest] = namespaceFor(d, playbook)?.(args) ?? args;
  const r = await execa(cmd, rest, {
    cwd: d,
    reject: false,
    timeout: 600_000,
    env: { ANSIBLE_NOCOLOR: '1', ANSIBLE_LOCALHOST_WARNING: 'False', ANSIBLE_LOCAL_TEMP: join(d, '.ansible-local'), ANSIBLE_REMOTE_TEMP: join(d, '.ansible-remote'), ANSIBLE_RETRY_FILES_ENABLED: 'False', ANSIBLE_LIBRARY: LIBRARY_215, ANSIBLE_ASYNC_DIR: join(d, '.ansible_async'), ...VAULT_ENV, ...COMPAT_ENV[playbook] },
  });
  return `${String(r.stdout)}\n${String(r.stderr)}`;
}

/** The counts of a `HOST : ok=… changed=…` recap line, as ansible-playbook and agri-play print it. */
export function recapLine(output: string, host = 'localhost'): Record<string, number> {
  const line = new RegExp(`^${host}\\s+:\\s+(.*)$`, 'm').exec(output);
  if (!line) throw new Error(`no recap for ${host}:\n${output.slice(-3000)}`);
  return Object.fromEntries(KEYS.map((k) => [k, Number(new RegExp(`${k}=(\\d+)`).exec(line[1])![1])]));
}
