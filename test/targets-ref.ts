// Ansible's own integration targets (test/third_party/ansible/targets, unchanged), run as
// ansible-test runs them: each as a role of a one-play playbook on localhost (facts gathered),
// its meta dependencies first, roles found through ANSIBLE_ROLES_PATH. test/targets.test.ts runs
// agri-play; scripts/record-targets.ts records ansible-core's recaps once.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { execa } from 'execa';
import { fixture, root } from './helpers.js';
import { recapLine } from './compat-ref.js';
import { inSandbox, SANDBOX_ENV } from './sandbox.js';
import type { Served } from './served.js';

export const TARGETS_DIR = join(root, 'test/third_party/ansible/targets');
export const TARGETS_EXPECTED = join(root, 'test/third_party/ansible/targets.expected.json');
/** The targets run (their dependencies are only loaded by them). */
export const TARGETS = [
  ...['add_host', 'authorized_key', 'assemble', 'blockinfile', 'changed_when', 'command_nonexisting', 'command_shell', 'copy', 'facts_d', 'failed_when', 'file', 'filter_urls', 'filter_urlsplit', 'find', 'getent', 'ignore_errors', 'include_vars', 'ini_file', 'known_hosts', 'lineinfile', 'loops', 'replace', 'script', 'stat', 'tempfile', 'templating', 'var_inheritance'],
  ...['groupby_filter', 'include_import_tasks_nested', 'loop-until', 'ping', 'slurp', 'special_vars', 'split', 'task_ordering', 'test_files', 'test_mathstuff', 'undefined', 'debconf', 'wait_for', 'group', 'test_uri', 'yaml_parsing', 'binary', 'wait_for_connection'],
  // (their library/ modules: WANT_JSON, old style, one with no extension, and AnsibleModule ones)
  // (in a network namespace of its own: it adds an address to the default route's interface, and a bridge)
  'facts_linux_network', 'package_facts',
  // (in a network namespace of its own too: it makes and deletes an iptables chain)
  'iptables',
  // (its tasks set ansible_python_interpreter to auto, auto_legacy, auto_silent: discovered on the first module step)
  'interpreter_discovery_python',
  // (on a sandboxed host over ssh: it adds, changes and removes users; its `local` runs libuser's luseradd)
  'user',
  // (on a sandboxed host too: become by sudo and su from root to a user it makes, copy and fetch as that user)
  'become',
  // (community.general's, on a sandboxed host: it sets the host's time zone and hardware clock)
  'timezone',
  // (community.general's, on a sandboxed host: it generates and removes locales)
  'locale_gen',
  // (a script target's role, fetch_tests, as its runme.sh runs it: as it is, then with -b; on a sandboxed host: it adds a user)
  'fetch', 'fetch -b',
  // (community.general's: a PAM service file in /tmp)
  'pamd',
  // (community.general's: a limits.conf in /tmp; and its flattened lookup's with_community.general.flattened)
  'pam_limits', 'lookup_flattened',
  // (community.general's: a modprobe blacklist file in its temp folder)
  'kernel_blacklist',
  // (community.general's: a password file in its temp folder; its `pip` of passlib finds the one ansible-core's Debian package brings)
  'htpasswd',
  // (ansible.posix's: patches applied and reversed in its output folder)
  'patch',
  // (ansible.posix's, on a sandboxed host: it adds a user and a group whose ACL entries it sets)
  'acl',
  // (on a sandboxed host: it removes and reinstalls zip and unzip, adds a user, and downloads a
  // tarball from releases.ansible.com, which test/served.ts serves to the sandbox)
  'unarchive',
  // (ansible.posix's, on a sandboxed host: it writes /etc/sysctl.conf and sets net.ipv4.ip_forward, which is the sandbox's own network namespace's)
  'sysctl',
  ...['argspec', 'dict_transformations', 'embedded_module', 'module_utils_ansible_release', 'old_style_modules_posix', 'want_json_modules_posix'],
  // (on a sandboxed host: it stats ~/.ansible_async, where its jobs' files stay)
  'async', 'async_fail',
  // (its setup_pexpect's pip finds the python3-pexpect CI installs: PIP_BREAK_SYSTEM_PACKAGES as for htpasswd)
  'expect',
  ...['config', 'csvfile', 'dict', 'env', 'file', 'first_found', 'indexed_items', 'items', 'lines', 'list', 'nested', 'pipe', 'random_choice', 'sequence', 'subelements', 'template', 'together', 'vars', 'varnames'].map((l) => `lookup_${l}`),
];
/** Targets that need the controller's ansible-core (CI installs it): library modules that import ansible.module_utils, the config lookup's setting definitions. */
export const NEEDS_MODULE_UTILS = new Set(['argspec', 'dict_transformations', 'module_utils_ansible_release', 'lookup_config']);

/** Targets of a collection, found (with the targets they depend on) in that collection's copy. */
const GENERAL = join(root, 'test/third_party/community.general/targets');
const ROLES_PATH: Record<string, string> = { ini_file: GENERAL, htpasswd: GENERAL, kernel_blacklist: GENERAL, locale_gen: GENERAL, timezone: GENERAL, pamd: GENERAL, pam_limits: GENERAL, lookup_flattened: GENERAL, authorized_key: join(root, 'test/third_party/ansible.posix/targets'), sysctl: join(root, 'test/third_party/ansible.posix/targets'), patch: join(root, 'test/third_party/ansible.posix/targets'), acl: join(root, 'test/third_party/ansible.posix/targets'), fetch: `${join(TARGETS_DIR, 'fetch/roles')}:${TARGETS_DIR}` };
/** The role a target runs as, when it is not the target itself: a script target's (fetch's run_fetch_tests.yml runs fetch_tests). */
const ROLE: Record<string, string> = { fetch: 'fetch_tests' };
/** A TARGETS entry is the target's name, then the ansible-playbook arguments its runme.sh adds to a run (`fetch -b`). */
export const targetOf = (entry: string): string => entry.split(' ')[0];
/** Whose target it is, as the tests name it: Ansible's own unless it is a collection's. */
export const ORIGIN: Record<string, string> = { ini_file: "community.general's (stable-6)", htpasswd: "community.general's (stable-6)", kernel_blacklist: "community.general's (stable-6)", locale_gen: "community.general's (stable-6)", timezone: "community.general's (stable-6)", pamd: "community.general's (stable-6)", pam_limits: "community.general's (stable-6)", lookup_flattened: "community.general's (stable-6)", authorized_key: "ansible.posix's (1.5.4)", sysctl: "ansible.posix's (1.5.4)", patch: "ansible.posix's (1.5.4)", acl: "ansible.posix's (1.5.4)" };

/**
 * What a target leaves on the machine outside its temp folder (ansible-test's throw-away
 * container would not keep it), removed before it runs so each run starts as the first, and after: `file`
 * makes users and groups its handlers remove only in part (its user and group test2 stay) and paths in /tmp;
 * `copy` makes link targets in /tmp and an empty folder in its own files/ (git keeps no empty
 * folder), and copies root's ~/.ssh/authorized_keys (the file ansible-test's ssh access gives it);
 * a run stopped half-way leaves its user's sudoers file (its next run would find it there).
 */
const LEFTOVERS: Record<string, string> = {
  copy: `rm -rf /tmp/ansible-test-abs-link /tmp/ansible-test-abs-link-dir /tmp/ansible-test-link-dir /tmp/worldwritable /etc/sudoers.d/tmp_ansible_test_user /usr/local/etc/sudoers.d/tmp_ansible_test_user ${join(TARGETS_DIR, 'copy/files/subdir/subdira')}; userdel -r tmp_ansible_test_user; mkdir -p -m 0700 ~/.ssh; [ -e ~/.ssh/authorized_keys ] || : > ~/.ssh/authorized_keys; true`,
  pamd: 'rm -f /tmp/pamd_file',
  pam_limits: 'rm -f /tmp/limits.conf',
  file: 'for u in test1 test2 test_uid nonexistent tmp_ansible_test_user; do userdel -r "$u"; done; for g in test1 test2 test_gid nonexistent1 nonexistent; do groupdel "$g"; done; rm -rf /tmp/worldwritable /tmp/nonexistent /tmp/touch_check_mode_test /tmp/ghost; true',
};

/**
 * Cases agri-play does not pass, with why (the README lists them): the task (path under targets/)
 * that fails instead. Each is an assertion at the end of its target, so the recap is ansible-core's
 * with that task failed instead of ok.
 */
/**
 * Targets whose temp folder (setup_remote_tmp_dir's, Python's and mktemp's TMPDIR) is on tmpfs, not
 * on the machine's /tmp: `file` sets the chattr attribute A and expects `+A` on a file that has it
 * to change nothing, which holds where the file system sets no other flag; on ext4 every file also
 * has `e` (extents), so `+A` is a change under ansible-core too and its own assertion fails. Its
 * recorded recap is from a tmpfs folder (Linux ≥ 6.0 keeps A there), where the attribute cases run.
 */
const TMPFS: Record<string, boolean> = { file: true };

/**
 * A target's environment beyond ansible-test's: htpasswd's `pip` of passlib runs pip as ansible-test's
 * containers let it, where Debian 12's pip refuses any install into the system's Python (PEP 668) —
 * passlib is there already (ansible-core's Debian package brings it), so nothing is installed.
 */
const TARGET_ENV: Record<string, Record<string, string>> = { htpasswd: { PIP_BREAK_SYSTEM_PACKAGES: '1' }, expect: { PIP_BREAK_SYSTEM_PACKAGES: '1' } };

/**
 * Targets that change the machine's network (aliases `destructive`, `needs/privileged`; iptables'
 * chain): run in a network and mount namespace of their own (as root, with unshare); for
 * facts_linux_network, /sys mounted again so its /sys/class/net is the namespace's, and a veth pair
 * with the default route standing in for the machine's interface.
 */
export const LOOPBACK = 'ip link set lo up';
export const NETNS: Record<string, string> = {
  facts_linux_network: 'mount -t sysfs sysfs /sys && ip link set lo up && ip link add e0 type veth peer name e1 && ip addr add 10.7.0.2/24 dev e0 && ip link set e0 up && ip link set e1 up && ip route add default via 10.7.0.1 dev e0',
  iptables: LOOPBACK,
};
/** A command run in a target's namespaces (NETNS), else as it is. */
const inNetns = (target: string, argv: string[]): string[] => (NETNS[target] ? inNamespaces(NETNS[target], argv) : argv);

/**
 * A command in a network and mount namespace of its own (as root), after `setup` there (its loopback
 * up: LOOPBACK); with `pid`, in a pid namespace too: what `setup` started there (a daemon) ends with the command.
 */
export const inNamespaces = (setup: string, argv: string[], pid = false): string[] => ['unshare', '--net', '--mount', ...(pid ? ['--pid', '--mount-proc'] : []), '--fork', '--', 'sh', '-c', `${setup} && exec "$@"`, 'sh', ...argv];

export const KNOWN: Record<string, { at: string; why: string }[]> = {
  loops: [
    {
      at: 'loops/tasks/main.yml:405',
      why: "issue 64169's second case: ansible-core templates a fact's value again each time it is read (a set_fact of `{{ hostvars[...][item.value] }}` holding 'foo{{ version_64169 }}' reads as 'foo1.0'), unless the value came through a lookup; agri-play templates a value once, when it is set",
    },
  ],
};

/**
 * Targets a task of which fails under ansible-core too, on this platform (the recorded recap has it
 * failed): agri-play's run must fail that task, and only it. locale_gen's C.UTF-8 case: Debian 12's
 * /etc/locale.gen does not list C.UTF-8 (glibc builds it in), so the module's is_available refuses it.
 */
export const FAILS_UNDER_ANSIBLE: Record<string, { at: string; why: string }[]> = {
  locale_gen: [{ at: 'locale_gen/tasks/basic.yml:11', why: "Debian 12's /etc/locale.gen does not list C.UTF-8: the module refuses it as not available, under ansible-core too" }],
};

/** The tasks agri-play reported failed (not ignored), as `path:line` under targets/. */
export function failedTasks(stdout: string): string[] {
  return [...stdout.matchAll(/^failed: \[[^\]]+\] .*\((\/[^)]+:\d+)\)$/gm)].map((m) => m[1].replace(/^.*\/targets\//, ''));
}

export async function targetRecap(cmd: string[], target: string): Promise<Record<string, number>> {
  const { stdout, host } = await targetRun(cmd, target);
  return recapLine(stdout, host);
}

/**
 * Targets that change the whole system (aliases `destructive`: users, their homes, the shadow file):
 * run over ssh on a throw-away sandboxed host (test/sandbox.ts), as the Galaxy roles are, its
 * recap under the host name `sandbox`.
 */
/**
 * The targets whose runs add or remove the machine's users and groups (the user and group modules,
 * setup_nobody, setup_test_user, the group target's gidget.py picking a free gid): each holds the
 * accounts lock while it runs. The others run beside the compat tests and the Galaxy roles' sandboxes.
 */
export const ACCOUNTS = new Set(['authorized_key', 'copy', 'file', 'slurp', 'group', 'user', 'become', 'fetch', 'acl', 'unarchive', 'template', 'remote_tmp', 'omit', 'keyword_inheritance']);
export const SANDBOXED = new Set(['user', 'become', 'timezone', 'locale_gen', 'fetch', 'sysctl', 'acl', 'unarchive', 'async']);

/** A small .tar.gz of one text file, made with tar. */
function tarGz(): Buffer {
  const d = mkdtempSync(join(tmpdir(), 'agri-targz-'));
  try {
    writeFileSync(join(d, 'README'), 'a stand-in for the release archive\n');
    return execFileSync('tar', ['czf', '-', '-C', d, 'README']);
  } finally {
    rmSync(d, { recursive: true, force: true });
  }
}

/**
 * What sandboxed targets download from the internet (unarchive's test_download: a release tarball
 * from releases.ansible.com), served to the sandbox under that name by test/served.ts: a stand-in
 * archive, as the task only asserts it was unpacked.
 */
const SERVED: Record<string, Served> = {
  unarchive: { name: 'releases.ansible.com', files: () => ({ '/ansible/ansible-latest.tar.gz': tarGz() }) },
};

async function sandboxRun(cmd: string[], entry: string): Promise<{ stdout: string; host: string }> {
  const [target, ...args] = entry.split(' ');
  return inSandbox(async (d) => {
    writeFileSync(join(d, 'play.yaml'), `- hosts: sandbox\n  gather_facts: true\n  roles: [${ROLE[target] ?? target}]\n`);
    mkdirSync(join(d, 'output'));
    const r = await execa(cmd[0], [...cmd.slice(1), '-i', 'inventory.yaml', 'play.yaml', '-e', `output_dir=${join(d, 'output')}`, ...args], { cwd: d, reject: false, timeout: 600_000, env: { ...SANDBOX_ENV, ANSIBLE_ROLES_PATH: ROLES_PATH[target] ?? TARGETS_DIR } });
    return { stdout: String(r.stdout), host: 'sandbox' };
  }, SERVED[target]);
}

/** The ad hoc command of the tool under test: `ansible` beside ansible-playbook, or `agri-play adhoc`. */
export const adhocTool = (cmd: string[]): string[] => (basename(cmd[0]) === 'ansible-playbook' ? [join(dirname(cmd[0]), 'ansible'), ...cmd.slice(1)] : [...cmd, 'adhoc']);

/**
 * A bin folder in `dir` where `ansible-playbook` and `ansible` are the tool under test (`ansible`: its
 * ad hoc command), so a task that runs them runs it; returns the PATH with that folder first.
 */
export function toolsOnPath(dir: string, cmd: string[]): string {
  mkdirSync(join(dir, 'bin'));
  const wrapper = (tool: string[]) => `#!/bin/sh\nexec ${tool.map((w) => `'${w}'`).join(' ')} "$@"\n`;
  writeFileSync(join(dir, 'bin', 'ansible-playbook'), wrapper(cmd), { mode: 0o755 });
  writeFileSync(join(dir, 'bin', 'ansible'), wrapper(adhocTool(cmd)), { mode: 0o755 });
  return `${join(dir, 'bin')}:${process.env.PATH ?? ''}`;
}

export async function targetRun(cmd: string[], target: string): Promise<{ stdout: string; host: string }> {
  if (SANDBOXED.has(targetOf(target))) return sandboxRun(cmd, target);
  const d = fixture({});
  writeFileSync(join(d, 'play.yaml'), `- hosts: localhost\n  gather_facts: true\n  roles: [${target}]\n`);
  if (LEFTOVERS[target]) await execa('sh', ['-c', LEFTOVERS[target]], { reject: false, stdio: 'ignore' });
  // ansible-test gives every target an output_dir (the variable and OUTPUT_DIR)
  mkdirSync(join(d, 'output'));
  // every run has a temp folder of its own (its async jobs' files too: not in the machine's ~/.ansible_async), removed after it: a target whose play ends with
  // `meta: end_play` (lineinfile) never runs setup_remote_tmp_dir's cleanup handler, under
  // ansible-core either, and left a /tmp/ansible.*.test folder behind at every test run
  const tmp = mkdtempSync(TMPFS[target] && existsSync('/dev/shm') ? '/dev/shm/agri-target-' : join(tmpdir(), 'agri-target-'));
  try {
    const [bin, ...args] = inNetns(target, [...cmd, 'play.yaml', '-e', `output_dir=${join(d, 'output')}`]);
    // (a task that runs `ansible` or `ansible-playbook` runs the tool under test: argspec's)
    const r = await execa(bin, args, { cwd: d, reject: false, timeout: 600_000, env: { ...TARGET_ENV[target], PATH: toolsOnPath(tmp, cmd), ANSIBLE_ROLES_PATH: ROLES_PATH[target] ?? TARGETS_DIR, OUTPUT_DIR: join(d, 'output'), ANSIBLE_NOCOLOR: '1', NO_COLOR: '1', ANSIBLE_LOCALHOST_WARNING: 'False', TMPDIR: tmp, ANSIBLE_ASYNC_DIR: join(tmp, '.ansible_async') } });
    return { stdout: String(r.stdout), host: 'localhost' };
  } finally {
    // what the run left running from its temp folder (wait_for's async web server, for 120 s) is ended
    await execa('pkill', ['-KILL', '-f', '--', `${tmp}/`], { reject: false, stdio: 'ignore' });
    rmSync(tmp, { recursive: true, force: true });
    // (and after it: a test run leaves nothing of a target's outside its folders either)
    if (LEFTOVERS[target]) await execa('sh', ['-c', LEFTOVERS[target]], { reject: false, stdio: 'ignore' });
  }
}
