import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bin } from './helpers.js';
import { GALAXY_EXPECTED, GALAXY_ROLES, galaxyRun, type Recorded } from './galaxy-ref.js';
import { SANDBOX_DEBS, sandboxUnavailable } from './sandbox.js';
import { DPKG, type FileChanges } from './sandbox-files.js';

// Public Galaxy roles, unchanged, on a sandboxed Debian host over ssh: --check on the fresh host,
// a converge, a second converge, each recap against ansible-core's (recorded by npm run
// record:galaxy in the same kind of sandbox).
const recorded = existsSync(GALAXY_EXPECTED) ? (JSON.parse(readFileSync(GALAXY_EXPECTED, 'utf8')) as { roles: Record<string, Recorded> }).roles : {};
const unavailable = sandboxUnavailable() ?? (existsSync(join(SANDBOX_DEBS, 'Packages')) ? undefined : `no local apt repository at ${SANDBOX_DEBS} (bash scripts/sandbox-debs.sh makes it)`);

/**
 * Where agri-play's recap is not ansible-core's by design, and by how much: a converge whose
 * handler failed leaves it owed, and agri-play runs it first next time (ansible-core forgets it).
 */
const KNOWN: Record<string, { pass: 'converge' | 'reconverge'; delta: Record<string, number>; shows: RegExp }> = {
  'geerlingguy.security': { pass: 'reconverge', delta: { failed: 1 }, shows: /running handlers left pending by the last run: sandbox: .*reload systemd/ },
  // (its handler Run augenrules runs again, changed, and notifies Load rules, which fails again)
  'robertdebock.auditd': { pass: 'reconverge', delta: { ok: 1, changed: 1, failed: 1 }, shows: /running handlers left pending by the last run: sandbox: .*Load rules/ },
};

/** The roles whose --check recap is ansible-core's exactly (the README counts them). */
const CHECK_EXACT = new Set(['dev-sec.ssh-hardening', 'devsec.os_hardening', 'geerlingguy.apache', 'geerlingguy.firewall', 'geerlingguy.git', 'geerlingguy.java', 'geerlingguy.pip', 'jnv.unattended-upgrades', 'singleplatform-eng.users', 'weareinteractive.environment', 'weareinteractive.sudo', 'willshersystems.sshd', 'linux-system-roles.ssh', 'linux-system-roles.sudo', 'linux-system-roles.timesync', 'nickhammond.logrotate', 'robertdebock.auditd', 'robertdebock.cron', 'geerlingguy.swap', 'geerlingguy.clamav', 'geerlingguy.samba', 'geerlingguy.certbot', 'robertdebock.logrotate', 'robertdebock.locale', 'robertdebock.bootstrap', 'robertdebock.hostname', 'robertdebock.ca_certificates', 'robertdebock.buildtools', 'robertdebock.at', 'robertdebock.environment', 'geerlingguy.munin', 'oefenweb.locales', 'robertdebock.openssh']);

/**
 * --check: a task of a rescue that ansible-core's check failed only because the task it rescues
 * failed first (a service of a package not installed yet), which agri-play shows as would-change
 * with that dependency, so the rescue does not run: the task it rescues is looked for instead.
 */
const RESCUE_IN_CHECK: Record<string, Record<string, string>> = { 'robertdebock.rsyslog': { 'Fail with journal output': 'Start and enable rsyslog service' } };

/**
 * Files a role's converge leaves different from one run to the next, under either tool: a daemon's
 * own data or pid, stamped with the time or made at random (a key, a swap file's UUID), a build's
 * log, the CA the test serves a download with (made for each run).
 */
const FILE_NOISE: Record<string, RegExp[]> = {
  'geerlingguy.redis': [/^\/var\/lib\/redis\/dump\.rdb$/],
  'geerlingguy.samba': [/^\/var\/lib\/samba\/(private\/(passdb|secrets)|account_policy)\.tdb$/],
  'geerlingguy.clamav': [/^\/var\/lib\/clamav\/freshclam\.dat$/],
  'geerlingguy.swap': [/^\/swapfile$/],
  'geerlingguy.daemonize': [/^\/etc\/ssl\/certs\/ca-certificates\.crt$/, /\/config\.log$/],
  // (the cache squid's daemon writes once it has started: its index and the index's next copy)
  'robertdebock.squid': [/^\/var\/spool\/squid\/swap\.state(\.new)?$/],
  'geerlingguy.postfix': [/^\/etc\/aliases\.db$/, /^\/var\/lib\/postfix\/master\.lock$/, /^\/var\/spool\/postfix\/pid\/master\.pid$/],
  'singleplatform-eng.users': [/^\/home\/bob\/\.ssh\/id_rsa(\.pub)?$/],
  // (its admin's password hash, salted at random: test/compat/htpasswd.yaml compares the module's files)
  'geerlingguy.munin': [/^\/etc\/munin\/munin-htpasswd$/],
};

/**
 * Packages the converge installed in other versions than the recording's (another Debian point
 * release in the sandbox's repository): they install other files, so the files are not compared
 * (the same packages installed or removed are asked all the same).
 */
function otherVersions(got: FileChanges, want: FileChanges): string[] {
  // (an entry is `STATUS VERSION`, or `removed`)
  const parts = (v: string): [string, string] => (v === 'removed' ? [v, ''] : [v.slice(0, v.lastIndexOf(' ')), v.slice(v.lastIndexOf(' ') + 1)]);
  return Object.keys(want).flatMap((k) => {
    if (!k.startsWith(DPKG) || got[k] === undefined) return [];
    const [[status, version], [recordedStatus, recorded]] = [parts(got[k]), parts(want[k])];
    return status === recordedStatus && version !== recorded ? [`${k.slice(DPKG.length)} ${version} (recorded: ${recorded})`] : [];
  });
}

/** The files the converge left (made, changed, removed: mode, owner, content) are those ansible-core's left. */
function sameFiles(role: string, got: FileChanges, want: FileChanges): void {
  const noise = FILE_NOISE[role] ?? [];
  const paths = [...new Set([...Object.keys(want), ...Object.keys(got)])].filter((p) => !noise.some((n) => n.test(p))).sort();
  const differ = paths.filter((p) => got[p] !== want[p]).map((p) => `${p}: ${got[p] ?? 'not changed'}; ansible-core's: ${want[p] ?? 'not changed'}`);
  assert.deepEqual(differ, [], `the converge's files differ from ansible-core's:\n${differ.join('\n')}`);
}

/** Group k of n of the roles: the roles are run by four test files, so that no file holds the whole (slow, apt-bound) set. */
export const galaxyGroup = (k: number, n = 4): string[] => Object.keys(GALAXY_ROLES).filter((_, i) => i % n === k);

/**
 * A pass's recap is ansible-core's; if not, the message says what went wrong first (a CI log
 * shows a message's first lines): both recaps, each failed or unreachable step with the two
 * lines after it, then the output's end.
 */
function same(pass: string, got: Record<string, number>, want: Record<string, number>, out: string): void {
  const lines = out.split('\n');
  const bad = lines.flatMap((l, i) => (/^(failed|fatal|unreachable|error)\b/i.test(l) ? lines.slice(i, i + 3) : []));
  assert.deepEqual(got, want, [`${pass}: ${JSON.stringify(got)}, ansible-core's ${JSON.stringify(want)}`, ...bad, "--- the output's end:", out.slice(-3000)].join('\n'));
}

/** One role's test: --check, converge and a second converge as under ansible-core. */
export function galaxyCase(role: string): void {
  test(`Galaxy role ${role}: --check, converge (its files too) and a second converge as under ansible-core`, { skip: unavailable }, async (t) => {
    const want = recorded[role];
    assert.ok(want, `${role} has no recorded ansible-core result: npm run record:galaxy ${role}`);
    const got = await galaxyRun(['node', bin], role);
    const [check, converge, reconverge] = got.outputs;
    const known = KNOWN[role];
    const expect = (pass: 'converge' | 'reconverge') => {
      if (known?.pass !== pass) return want.recaps[pass];
      assert.match(pass === 'converge' ? converge : reconverge, known.shows);
      return Object.fromEntries(Object.entries(want.recaps[pass]).map(([k, v]) => [k, v + (known.delta[k] ?? 0)]));
    };
    same('converge', got.recaps.converge, expect('converge'), converge);
    assert.ok(want.files, `${role} has no recorded files of ansible-core's converge: npm run record:galaxy ${role}`);
    const versions = otherVersions(got.files, want.files);
    if (versions.length) t.diagnostic(`other package versions than ansible-core's files were recorded with (${versions.join(', ')}): the files are not compared (npm run record:galaxy ${role})`);
    else sameFiles(role, got.files, want.files);
    same('second converge', got.recaps.reconverge, expect('reconverge'), reconverge);
    // --check: ansible-core's recap, but where ansible-core failed a task only because an earlier
    // one would have installed its package (a service, a config file of that package): agri-play
    // reports that task as would-change with the dependency, as its README says
    if (CHECK_EXACT.has(role)) return same('--check', got.recaps.check, want.recaps.check, check);
    if (JSON.stringify(got.recaps.check) === JSON.stringify(want.recaps.check)) return;
    assert.ok(want.checkFailed.length, `--check: ${JSON.stringify(got.recaps.check)} is not ansible-core's ${JSON.stringify(want.recaps.check)}:\n${check.slice(-4000)}`);
    for (const failed of want.checkFailed) {
      const task = RESCUE_IN_CHECK[role]?.[failed] ?? failed;
      const line = check.split('\n').find((l) => l.startsWith(`would change: [sandbox] ${task} — would change (depends on: `) || l.startsWith(`failed: [sandbox] ${task}`));
      assert.ok(line, `--check: ansible-core failed '${task}'; agri-play shows neither the failure nor what it depends on:\n${check.slice(-4000)}`);
    }
    assert.ok(got.recaps.check.failed <= want.recaps.check.failed, `--check failed more than under ansible-core:\n${check.slice(-4000)}`);
  });
}
