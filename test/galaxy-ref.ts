// Public Galaxy roles (test/third_party/galaxy/roles, unchanged) converged on a sandboxed Debian
// host over ssh (test/sandbox.ts): --check on the fresh host, a converge, a second converge, each
// recap compared with ansible-core's (recorded by `npm run record:galaxy`).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { root } from './helpers.js';
import { recapLine } from './compat-ref.js';
import { inSandbox, SANDBOX_ENV } from './sandbox.js';
import type { Served } from './served.js';
import type { FileChanges } from './sandbox-files.js';

export const GALAXY_DIR = join(root, 'test/third_party/galaxy');
export const GALAXY_EXPECTED = join(GALAXY_DIR, 'galaxy.expected.json');

/** Each role, with the play vars a user of it would set (none where its defaults suit Debian). */
export const GALAXY_ROLES: Record<string, Record<string, unknown>> = {
  'dev-sec.ssh-hardening': {},
  // (its sysctl part off: the kernel's parameters outside net.* are not a sandbox's own, they are the machine's)
  'devsec.os_hardening': { os_sysctl_enabled: false },
  'geerlingguy.apache': {},
  // the port the test's own sshd listens on, as a user keeps their ssh port open
  'geerlingguy.firewall': { firewall_allowed_tcp_ports: ['22', '2222', '80'] },
  'geerlingguy.git': {},
  'geerlingguy.haproxy': {},
  'geerlingguy.java': {},
  'geerlingguy.memcached': {},
  'geerlingguy.nginx': {},
  'geerlingguy.ntp': { ntp_timezone: 'Europe/Berlin' },
  'geerlingguy.pip': {},
  'geerlingguy.postfix': {},
  'geerlingguy.redis': {},
  'geerlingguy.security': {},
  'jnv.unattended-upgrades': {},
  'willshersystems.sshd': {},
  // (its README's job, and one at reboot and one removed)
  'robertdebock.cron': { cron_jobs: [{ name: 'my_job', minute: '*/10', hour: 23, day: '1-15', job: 'ls -l', user: 'root' }, { name: 'irrigation check', special_time: 'reboot', job: '/usr/local/bin/check-valves' }, { name: 'old job', job: 'true', state: 'absent' }] },
  // (its README's example playbook but for the keys made on the controller and the one downloaded)
  'robertdebock.users': {
    users_groups: [{ name: 'robertdb', gid: 1024 }, { name: 'users' }, { name: 'notgroup', state: 'absent' }, { name: 'systemgroup', system: true }, { name: 'mywheel', sudo_options: 'ALL=(ALL) NOPASSWD: ALL' }],
    users: [
      { name: 'root', cron_allow: true, unauthorized_keys: ['ssh-rsa XYZYX54321'] },
      { name: 'robertdb', comment: 'Robert de Bock', uid: 1024, group: 'robertdb', groups: ['users'], cron_allow: true, sudo_options: 'ALL=(ALL) NOPASSWD: ALL', authorized_keys: ['ssh-rsa ABC123'], expires: -1, password_validity_days: 9 },
      { name: 'robert.d.b', comment: 'Robert de Bock with dots in username', uid: 1025, group: 'robertdb', groups: ['users'], cron_allow: true, sudo_options: 'ALL=(ALL) ALL', authorized_keys: ['ssh-rsa ABC123'], expires: -1, password_validity_days: 9 },
      { name: 'notuser', state: 'absent' },
      { name: 'multiplekeys', authorized_keys: ['ssh-rsa ABC1234', 'ssh-rsa ABC12345'] },
      { name: 'passuser', password: '$6$mysecretsalt$qJbapG68nyRab3gxvKWPUcs2g3t0oMHSHMnSKecYNpSi3CuZm.GbBqXO8BE6EI6P1JUefhA0qvD7b5LSh./PU1', update_password: 'on_create' },
      { name: 'systemuser', system: true },
      { name: 'multisudo', sudo_options: ['ALL= NOPASSWD: /usr/bin/systemctl restart httpd', 'ALL= NOPASSWD: /usr/bin/systemctl start httpd'] },
    ],
  },
  // (rules as its README's example; no service started: the kernel's audit is the machine's, which a sandbox may not drive)
  'robertdebock.auditd': { auditd_start_service: false, auditd_rules: [{ file: '/etc/passwd', permissions: ['write', 'attribute_change'], keyname: 'passwd_changes' }, { syscalls: ['mount', 'umount2'], arch: 'b64', keyname: 'mounts' }] },
  // (its README's examples: a path with options and scripts, several paths)
  'nickhammond.logrotate': {
    logrotate_scripts: [
      { name: 'irrigation', path: '/var/log/irrigation/*.log', options: ['daily', 'rotate 7', 'missingok', 'compress', 'delaycompress'], scripts: { postrotate: 'systemctl reload irrigation >/dev/null 2>&1 || true' } },
      { name: 'sensors', paths: ['/var/log/sensors/*.log', '/srv/sensors/log/*.log'], options: ['weekly', 'size 25M'] },
    ],
  },
  // (ntp — Debian's ntpsec — with a server and a pool on loopback and a key: nothing is reached, the sandbox has no network)
  'linux-system-roles.timesync': { timesync_ntp_provider: 'ntp', timesync_ntp_servers: [{ hostname: '127.0.0.1', iburst: true, key: 'SHA1 HEX:1234567890ABCDEF' }, { hostname: 'pool.farm.test', pool: true }], timesync_max_distance: 4 },
  // (sudoers as the role's own test of a rewritten file and an included one writes them)
  'linux-system-roles.sudo': {
    sudo_sudoers_files: [
      { path: '/etc/sudoers', defaults: ['!visiblepw', 'env_reset', { secure_path: ['/sbin', '/bin', '/usr/sbin', '/usr/bin'] }], user_specifications: [{ users: ['root'], hosts: ['ALL'], operators: ['ALL'], commands: ['ALL'] }], include_directories: ['/etc/sudoers.d'] },
      { path: '/etc/sudoers.d/farm', user_specifications: [{ users: ['%farmers'], hosts: ['ALL'], operators: ['root'], tags: ['NOPASSWD'], commands: ['/usr/bin/systemctl restart irrigation'] }] },
    ],
  },
  // (a user's ~/.ssh/config too, besides the machine's ssh_config)
  'linux-system-roles.ssh': { ssh_user: 'root', ssh_ForwardAgent: 'no', ssh: { Compression: true, Host: [{ Condition: 'farm-*', User: 'agri', Port: 2222 }] } },
  'singleplatform-eng.users': {
    groups_to_create: [{ name: 'farmers', gid: 3001 }],
    users: [
      { username: 'alice', name: 'Alice Farmer', uid: 2001, groups: ['farmers'], profile: 'export CROP=wheat', ssh_key: ['ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIIBxrR7Uo5pWPXDMT63P60GwNmyTQU3KOpNF0JQ+L9OY alice@farm'] },
      { username: 'bob', uid: 2002, generate_ssh_key: true, shell: '/bin/sh' },
    ],
    users_deleted: [{ username: 'games', remove: true }],
  },
  // (one export of a folder it makes; the server is not started where the kernel has no nfsd, under either)
  'geerlingguy.nfs': { nfs_exports: ['/srv/fields *(rw,sync,no_subtree_check)'] },
  // (no daemons started: freshclam has no network in a sandbox, and clamd no signatures without it)
  'geerlingguy.clamav': { clamav_daemon_state: 'stopped', clamav_daemon_enabled: false, clamav_freshclam_daemon_state: 'stopped', clamav_freshclam_daemon_enabled: false },
  // (its test mode, which runs no swapon: swap is the machine's, not a sandbox's; the machine's own swappiness, 60, which a sandbox's sysctl would set for the machine)
  'geerlingguy.swap': { swap_test_mode: true, swap_file_size_mb: '16', swap_swappiness: '60' },
  // (its README's example: a jail's settings over the defaults)
  'robertdebock.fail2ban': { fail2ban_loglevel: 'INFO', fail2ban_bantime: 600, fail2ban_ignoreips: ['127.0.0.1/8', '10.0.0.0/8'], fail2ban_jail_configuration: [{ option: 'enabled', value: 'true', section: 'sshd' }] },
  'geerlingguy.samba': {},
  // (PHP-FPM with the cache extensions, not its whole default list: no compiler, IMAP, GD; FPM as the web server its handler restarts, as behind nginx)
  'geerlingguy.php': { php_packages: ['php8.2-common', 'php8.2-cli', 'php8.2-fpm', 'php8.2-opcache', 'php8.2-apcu'], php_webserver_daemon: 'php8.2-fpm', php_memory_limit: '512M', php_date_timezone: 'Europe/Berlin' },
  // (its default version, 1.7.7: downloaded — served to the sandbox —, unpacked, built with gcc and make, installed)
  'geerlingguy.daemonize': {},
  // (the package and its renewal cron job; no certificate asked for: that needs Let's Encrypt)
  'geerlingguy.certbot': { certbot_auto_renew_options: '--quiet --no-self-upgrade' },
  // (its README's example: weekly, 4 kept, compressed)
  'robertdebock.logrotate': { logrotate_frequency: 'weekly', logrotate_keep: 4, logrotate_compress: true },
  'robertdebock.locale': { locale_lang: 'C.UTF-8' },
  'robertdebock.bootstrap': {},
  // (the host's name changed in the sandbox's own UTS namespace; no reboot: a sandbox is no machine)
  'robertdebock.hostname': { hostname: 'field-7', hostname_reboot: false },
  'robertdebock.ca_certificates': {},
  'robertdebock.buildtools': {},
  'robertdebock.at': {},
  // (its README's example)
  'robertdebock.environment': { environment_map: { FARM_ZONE: 'east', http_proxy: 'http://proxy.farm.test:3128', PATH: '$PATH:/opt/farm/bin' } },
  'weareinteractive.environment': { environment_config: { FARM_ZONE: 'east', LC_ALL: 'C.UTF-8' } },
  'weareinteractive.sudo': {
    sudo_defaults: [{ defaults: 'env_reset' }, { name: 'alice', defaults: '!requiretty' }],
    sudo_users: [{ name: '%farmers', nopasswd: true }, { name: 'alice', commands: ['/bin/ls', '/bin/df'] }, { name: 'bob', commands: '/usr/bin/systemctl status *', hosts: '127.0.0.1' }],
  },
  // (its admin user's password in an htpasswd file: community.general's htpasswd)
  'geerlingguy.munin': { munin_admin_password: 'soil-moisture' },
  // (its README's files in /etc/rsyslog.d, one validated by rsyslogd; its forwarding to the default remote is configuration only)
  'robertdebock.rsyslog': { rsyslog_rsyslog_d_files: [{ name: '10-irrigation', content: 'local3.* /var/log/irrigation.log\n', validate: true }, { name: '20-sensors', content: 'local4.* /var/log/sensors.log\n' }, { name: '30-old', state: 'absent' }] },
  // (its README's example of a file in /etc/dnsmasq.d, each checked by `dnsmasq --test`; the machine's resolver left alone)
  'oefenweb.dnsmasq': { dnsmasq_dnsmasq_conf: ['listen-address=127.0.0.1\nbind-interfaces\n'], dnsmasq_dnsmasq_d_files_present: { 'farm-hosts': ['address=/sensors.farm.test/10.1.2.3', 'address=/valves.farm.test/10.1.2.4'] }, dnsmasq_dnsmasq_d_files_absent: { old: [] } },
  'robertdebock.httpd': {},
  // (root's login by key only, the sandbox's sshd's port kept, as a user keeps theirs open)
  'robertdebock.openssh': { openssh_permit_root_login: 'prohibit-password', openssh_port: 22 },
  'robertdebock.squid': {},
  // (its README's HAProxy example, on the sandbox's own interface, installed from Debian's package rather than built from git)
  'oefenweb.keepalived': {
    keepalived_install_method: 'native',
    keepalived_options: [{ name: 'log-detail' }],
    keepalived_vrrp_scripts: { chk_haproxy: { script: '/usr/bin/pgrep haproxy', weight: 2, interval: 1 } },
    keepalived_vrrp_instances: { VI_1: { interface: 'eth0', state: 'MASTER', priority: 101, virtual_router_id: 51, authentication: { auth_type: 'PASS', auth_pass: '4Apr3C*d' }, virtual_ipaddresses: ['10.0.0.10/24 dev eth0 label eth0:1'], track_interfaces: ['eth0 weight 10'], track_scripts: ['chk_haproxy'], raw_options: ['dont_track_primary'] } },
  },
  // (two locales generated through community.general's locale_gen, one removed, the default set; Debian has no language packs)
  'oefenweb.locales': { locales_present: ['en_US.UTF-8', 'de_DE.UTF-8'], locales_absent: ['pt_BR'], locales_default: { lang: 'de_DE.UTF-8', lc_time: 'en_US.UTF-8' } },
  // (listening on loopback, allowed from it, as its defaults)
  'oefenweb.tinyproxy': { tinyproxy_port: 8888 },
  // (its README's plugins: one linked, one with its settings)
  'geerlingguy.munin-node': { munin_node_allowed_cidrs: ['10.0.0.0/8'], munin_node_plugins: [{ name: 'uptime' }, { name: 'if_eth0', plugin: 'if_' }], munin_node_config: { ps_test: { 'env.regex': 'bash', 'env.name': 'bash' } } },
  // (one jailed user, as its README's example; the binaries every Debian host has, and one without its libraries, as its README's list)
  'geerlingguy.ssh-chroot-jail': {
    ssh_chroot_jail_users: [{ name: 'foo', home: '/home/foo', shell: '/bin/bash' }],
    ssh_chroot_bins: ['/bin/cp', '/bin/sh', '/bin/bash', '/bin/ls', '/bin/rm', '/bin/cat', '/bin/grep', '/bin/sed', '/usr/bin/tail', '/usr/bin/head', '/usr/bin/wc', '/usr/bin/id', '/usr/bin/whoami', { bin: '/usr/bin/which', l2chroot: false }],
  },
};

export const PASSES = ['check', 'converge', 'reconverge'] as const;
export type Recaps = Record<(typeof PASSES)[number], Record<string, number>>;
/** What ansible-core's run of a role recorded: each pass's recap, the tasks that failed in --check, and the files as the converge left them. */
export interface Recorded {
  recaps: Recaps;
  checkFailed: string[];
  files: FileChanges;
}

/** The tasks ansible-playbook printed as failed (`fatal:`, or `failed:` for a loop's item, under `TASK [role : name]` or `RUNNING HANDLER [role : name]`), by name. */
export function ansibleFailedTasks(output: string): string[] {
  const out: string[] = [];
  let task = '';
  for (const line of output.split('\n')) {
    const t = /^(?:TASK|RUNNING HANDLER) \[(?:[^\]:]+ : )?(.*)\] \**$/.exec(line);
    if (t) task = t[1];
    else if (/^(fatal|failed): \[/.test(line) && !out.includes(task)) out.push(task);
  }
  return out;
}

/**
 * What roles download from the internet, which a sandbox cannot reach, served to it under the name
 * they use (test/served.ts): geerlingguy.daemonize's source archive from GitHub (test/third_party/daemonize).
 */
const SERVED: Record<string, Served> = {
  'geerlingguy.daemonize': { name: 'github.com', files: () => ({ '/bmc/daemonize/archive/release-1.7.7.tar.gz': readFileSync(join(root, 'test/third_party/daemonize/release-1.7.7.tar.gz')) }) },
};

/** The three recaps of one role under `cmd` (ansible-playbook or agri-play), in a fresh sandbox, and the files as the converge left them. */
export async function galaxyRun(cmd: string[], role: string): Promise<{ recaps: Recaps; outputs: string[]; files: FileChanges }> {
  return inSandbox(async (d, sb) => {
    writeFileSync(join(d, 'play.yaml'), `- hosts: all\n  become: true\n  vars: ${JSON.stringify(GALAXY_ROLES[role])}\n  roles: [${role}]\n`);
    const recaps = {} as Recaps;
    const outputs: string[] = [];
    let files: FileChanges = {};
    for (const pass of PASSES) {
      const args = [...cmd.slice(1), '-i', 'inventory.yaml', 'play.yaml', ...(pass === 'check' ? ['--check'] : [])];
      const r = await execa(cmd[0], args, { cwd: d, reject: false, timeout: 600_000, env: { ...SANDBOX_ENV, ANSIBLE_ROLES_PATH: join(GALAXY_DIR, 'roles') } });
      outputs.push(`${String(r.stdout)}\n${String(r.stderr)}`);
      try {
        recaps[pass] = recapLine(String(r.stdout), 'sandbox');
      } catch {
        throw new Error(`${pass}: ${outputs.at(-1)!.slice(-3000)}`);
      }
      if (pass === 'converge') files = sb.changes();
    }
    return { recaps, outputs, files };
  }, SERVED[role]);
}
