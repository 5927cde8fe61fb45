// Ansible's apt module (ansible-core 2.14's apt.py) over apt-get, apt-cache and dpkg-query: one
// remote script reads the cache's age and each package's status, installed version, candidate
// and providers; apt-get changes only what differs. `package` on a Debian host comes here too.
import { ModuleFailure, type Diff, type ModuleCtx, type ResultData } from '../types.js';
import { fnmatch } from '../../source/splitter.js';

export interface AptArgs {
  name?: string | string[];
  state?: string;
  update_cache?: boolean;
  cache_valid_time?: number;
  purge?: boolean;
  default_release?: string;
  install_recommends?: boolean;
  force?: boolean;
  upgrade?: string | boolean;
  dpkg_options?: string;
  deb?: string;
  autoremove?: boolean;
  autoclean?: boolean;
  only_upgrade?: boolean;
  fail_on_autoremove?: boolean;
  allow_unauthenticated?: boolean;
  allow_downgrade?: boolean;
  allow_change_held_packages?: boolean;
  clean?: boolean;
  policy_rc_d?: number;
}

/** apt-get's line when it would do nothing (apt.py's APT_GET_ZERO). */
const APT_GET_ZERO = '\n0 upgraded, 0 newly installed, 0 to remove';
const ENV = { DEBIAN_FRONTEND: 'noninteractive', DEBIAN_PRIORITY: 'critical', LANG: 'C', LC_ALL: 'C', LC_MESSAGES: 'C', LC_CTYPE: 'C' };
const SAFE = /^[A-Za-z0-9][A-Za-z0-9+._:=~*<>-]*$/;
const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

interface PkgStatus {
  installed?: string;
  configFiles: boolean;
  candidate?: string;
  known: boolean;
  providers: string[];
  installedProviders: string[];
  /** Installed as another package's dependency (apt-mark showauto). */
  auto?: boolean;
}

/** The cache's mtime and each package's status, in one round trip. */
async function query(ctx: ModuleCtx, names: string[]): Promise<{ mtime: number; pkgs: Map<string, PkgStatus> }> {
  const script = [
    's=/var/lib/apt/periodic/update-success-stamp; [ -e "$s" ] || s=/var/lib/apt/lists; echo "mtime|$(stat -c %Y "$s" 2>/dev/null || echo 0)"',
    `for p in ${names.map(q).join(' ')}; do`,
    `  echo "status|$p|$(dpkg-query -W -f='\${Status}|\${Version}' "$p" 2>/dev/null | head -1)"`,
    `  apt-cache policy "$p" 2>/dev/null | awk -v p="$p" '/^[^ ]/ { k=1 } /Candidate:/ { print "cand|" p "|" $2 }  END { if (k) print "known|" p }'`,
    `  for v in $(apt-cache showpkg "$p" 2>/dev/null | awk '/^Reverse Provides:/ { f=1; next } f && NF { print $1 }' | sort -u); do`,
    `    echo "prov|$p|$v|$(dpkg-query -W -f='\${Status}' "$v" 2>/dev/null)"`,
    '  done',
    'done',
    // (those installed as another's dependency: an install task marks them manual, as apt.py's mark_installed_manually)
    ...(names.length ? [`echo "auto||$(apt-mark showauto ${names.map(q).join(' ')} 2>/dev/null | tr '\\n' ' ')"`] : []),
  ].join('\n');
  // a read: shared by the steps on the host until something changes it (it keeps the file cache too)
  const r = await ctx.shared(`apt-status\0${names.join(' ')}`, (exec) => exec({ shell: script }, { signal: ctx.signal }));
  const pkgs = new Map<string, PkgStatus>(names.map((n) => [n, { configFiles: false, known: false, providers: [], installedProviders: [] }]));
  let mtime = 0;
  for (const line of r.stdout.split('\n')) {
    const [kind, name, a, b] = line.split('|');
    const p = pkgs.get(name);
    if (kind === 'mtime') mtime = Number(name) || 0;
    if (kind === 'auto') for (const n of (a ?? '').split(' ')) if (pkgs.has(n)) pkgs.get(n)!.auto = true;
    if (!p) continue;
    if (kind === 'status' && a?.endsWith('ok installed')) p.installed = b;
    if (kind === 'status' && a?.endsWith('ok config-files')) p.configFiles = true;
    if (kind === 'cand' && a && a !== '(none)') p.candidate = a;
    if (kind === 'known') p.known = true;
    if (kind === 'prov') (p.providers.push(a), b?.endsWith('ok installed') && p.installedProviders.push(a));
  }
  return { mtime, pkgs };
}

/** `name`, `name=version` (a glob) or `name>=version`, as apt.py's package_split. */
function split(spec: string): { name: string; cmp?: '=' | '>='; version?: string } {
  const m = /^([^=<>]+?)(>=|=)(.+)$/.exec(spec);
  return m ? { name: m[1].trim(), cmp: m[2] as '=' | '>=', version: m[3].trim() } : { name: spec.trim() };
}

function specs(a: AptArgs): string[] {
  const list = a.name === undefined ? [] : Array.isArray(a.name) ? a.name : a.name.split(',');
  const out = list.map((s) => s.trim()).filter((s) => s && s !== '*');
  for (const s of out) {
    if (!SAFE.test(s)) throw new ModuleFailure(`not a package name: ${JSON.stringify(s)}`);
    if ((s.match(/=/g) ?? []).length > 1 && !s.includes('>=')) throw new ModuleFailure(`invalid package spec: ${s}`);
  }
  return out;
}

/** What apt-get would be asked for: the install/remove list (apt.py's install() and remove()). */
function plan(a: AptArgs, state: string, pkgs: Map<string, PkgStatus>, deferUnknown: boolean): string[] {
  const todo: string[] = [];
  for (const spec of specs(a)) {
    const { name, cmp, version } = split(spec);
    const p = pkgs.get(name)!;
    if (state === 'absent') {
      if (p.installed !== undefined || (a.purge && p.configFiles)) todo.push(name);
      continue;
    }
    if (state === 'build-dep') {
      todo.push(name);
      continue;
    }
    if (p.installed === undefined) {
      if (a.only_upgrade) continue;
      // (one dpkg knows of but no source offers, `un` in its status, is not in python-apt's cache either: KeyError there)
      if (!p.known || !p.candidate) {
        if (p.providers.length === 1 && p.installedProviders.length === 1) continue;
        if (p.providers.length) todo.push(name);
        else if (deferUnknown) todo.push(spec);
        else throw new ModuleFailure(`No package matching '${name}' is available`);
        continue;
      }
      todo.push(version ? `${name}=${version}` : name);
      continue;
    }
    if (cmp === '=' && !fnmatch(version!).test(p.installed)) todo.push(`${name}=${version}`);
    else if (state === 'latest' && p.candidate && p.candidate !== p.installed && (!version || fnmatch(version).test(p.candidate))) todo.push(name);
  }
  return todo;
}

function normState(s: string | undefined): string {
  return s === 'installed' ? 'present' : s === 'removed' ? 'absent' : (s ?? 'present');
}

function upgradeMode(u: AptArgs['upgrade']): string | undefined {
  if (u === undefined || u === false || u === 'no') return undefined;
  return u === true ? 'yes' : u;
}

function dpkgOptions(a: AptArgs): string[] {
  return (a.dpkg_options ?? 'force-confdef,force-confold').split(',').filter(Boolean).flatMap((o) => ['-o', `Dpkg::Options::=--${o.trim()}`]);
}

/** apt-get's arguments for an install, remove, upgrade or cleanup, as apt.py builds them. */
function aptGet(a: AptArgs, op: string[], simulate: boolean): string[] {
  return [
    'apt-get',
    '-y',
    ...dpkgOptions(a),
    ...(a.only_upgrade && op[0] === 'install' ? ['--only-upgrade'] : []),
    ...(a.force ? ['--force-yes'] : []),
    ...(a.autoremove && op[0] !== 'autoremove' ? ['--auto-remove'] : []),
    ...(a.fail_on_autoremove ? ['--no-remove'] : []),
    ...(simulate ? ['--simulate'] : []),
    ...op,
    ...(a.default_release ? ['-t', a.default_release] : []),
    ...(a.install_recommends === false ? ['-o', 'APT::Install-Recommends=no'] : a.install_recommends === true ? ['-o', 'APT::Install-Recommends=yes'] : []),
    ...(a.allow_unauthenticated ? ['--allow-unauthenticated'] : []),
    ...(a.allow_downgrade ? ['--allow-downgrades'] : []),
    ...(a.allow_change_held_packages ? ['--allow-change-held-packages'] : []),
  ];
}

function upgradeOp(mode: string): string[] {
  return mode === 'dist' || mode === 'full' ? ['dist-upgrade'] : mode === 'yes' ? ['upgrade', '--with-new-pkgs'] : ['upgrade'];
}

async function runApt(ctx: ModuleCtx, a: AptArgs, argv: string[]): Promise<{ stdout: string; stderr: string }> {
  const policy = a.policy_rc_d !== undefined;
  if (policy) await ctx.exec({ shell: `printf '#!/bin/sh\\nexit %d\\n' ${a.policy_rc_d} > /usr/sbin/policy-rc.d && chmod 0755 /usr/sbin/policy-rc.d` }, { signal: ctx.signal });
  try {
    const r = await ctx.exec(argv, { signal: ctx.signal, env: ENV });
    if (r.rc !== 0) throw new ModuleFailure(`'${argv.join(' ')}' failed: ${r.stderr}`, { stdout: r.stdout, stderr: r.stderr, rc: r.rc });
    return { stdout: r.stdout, stderr: r.stderr };
  } finally {
    if (policy) await ctx.exec(['rm', '-f', '/usr/sbin/policy-rc.d'], { signal: ctx.signal });
  }
}

const lines = (s: string) => (s ? s.replace(/\n$/, '').split('\n') : []);
const output = (o: { stdout: string; stderr: string }): ResultData => ({ stdout: o.stdout, stderr: o.stderr, stdout_lines: lines(o.stdout), stderr_lines: lines(o.stderr) });

/** What apt would change (check) — the cache, packages, an upgrade or a cleanup. */
export async function aptCheck(ctx: ModuleCtx, a: AptArgs): Promise<Diff> {
  const state = normState(a.state);
  const list = specs(a);
  const mode = upgradeMode(a.upgrade);
  // (a package given as an empty list is given, as AnsibleModule's required_one_of counts it: nothing to install)
  const named = a.name !== undefined && a.name !== null;
  if (!named && !mode && !a.deb && !a.autoremove && !a.update_cache && !a.clean && !a.autoclean)
    throw new ModuleFailure('one of the following is required: autoremove, deb, package, update_cache, upgrade');
  if ([named, Boolean(mode), Boolean(a.deb)].filter(Boolean).length > 1) throw new ModuleFailure('parameters are mutually exclusive: deb|package|upgrade');
  if (a.deb && state !== 'present') throw new ModuleFailure('deb only supports state=present');
  const names = list.map((s) => split(s).name);
  const { mtime, pkgs } = await query(ctx, names);
  const staleCache = Boolean(a.update_cache || a.cache_valid_time) && !(mtime + (a.cache_valid_time ?? 0) >= ctx.now());
  const data: ResultData = { cache_updated: staleCache && Boolean(ctx.checkMode), cache_update_time: mtime };
  const fields = staleCache ? [{ path: 'cache', from: mtime, to: 'updated' }] : [];
  if (a.clean) return { kind: 'modify', target: 'apt cache', fields: [{ path: 'clean', to: true }], data };
  if (mode || a.deb || (!list.length && (a.autoremove || a.autoclean))) {
    const probe = mode ? upgradeOp(mode) : a.deb ? ['install', a.deb] : [a.autoremove ? 'autoremove' : 'autoclean'];
    const o = await runApt(ctx, a, aptGet(a, probe, true));
    const would = !`\n${o.stdout}`.includes(APT_GET_ZERO) && !(probe[0] === 'autoclean' && !/^Del /m.test(o.stdout));
    if (!would && !staleCache) return { kind: 'ok', why: `apt-get ${probe[0]}: nothing to do`, data };
    return { kind: 'modify', target: probe.join(' '), fields: [...fields, ...(would ? [{ path: probe[0], to: 'done' }] : [])], data: { ...data, op: probe, would } };
  }
  if (!list.length) return staleCache ? { kind: 'modify', target: 'apt cache', fields, data: { ...data, cache_updated: true } } : { kind: 'ok', why: 'the apt cache is fresh', data };
  const todo = plan(a, state, pkgs, staleCache && !ctx.checkMode);
  if (!todo.length && !(staleCache && !ctx.checkMode)) {
    // apt.py marks an install task's packages manual, outside check mode, whether or not it installed them (changed: false)
    const auto = marksManual(state) && !ctx.checkMode ? names.filter((n) => pkgs.get(n)?.auto) : [];
    if (auto.length) return { kind: 'modify', target: auto.join(' '), fields: auto.map((n) => ({ path: n, from: 'auto', to: 'manual' })), data: { ...data, todo: [] } };
    return { kind: 'ok', why: `${state === 'absent' ? 'not installed' : 'installed'}: ${list.join(', ')}`, data };
  }
  const op = state === 'absent' ? 'remove' : state === 'build-dep' ? 'build-dep' : 'install';
  return { kind: state === 'absent' ? 'remove' : 'create', target: todo.join(' '), fields: [...fields, ...todo.map((p) => ({ path: p, to: op === 'remove' ? 'absent' : 'installed' }))], data: { ...data, todo } };
}

/** Updates the cache if it is stale, then does what check found (again, on the new cache). */
export async function aptApply(ctx: ModuleCtx, a: AptArgs, diff: Exclude<Diff, { kind: 'ok' }>): Promise<ResultData> {
  const before = diff.data?.cache_update_time as number;
  let updated = false;
  let time = before;
  if (diff.fields?.some((f) => f.path === 'cache')) {
    await runApt(ctx, a, ['apt-get', 'update']);
    time = (await query(ctx, [])).mtime;
    updated = time !== before;
  }
  const cache = { cache_updated: updated, cache_update_time: time };
  if (a.clean) return { changed: true, ...output(await runApt(ctx, a, ['apt-get', 'clean'])) };
  const op = diff.data?.op as string[] | undefined;
  if (op) {
    const o = await runApt(ctx, a, aptGet(a, op, false));
    return { changed: !`\n${o.stdout}`.includes(APT_GET_ZERO), ...output(o), ...cache };
  }
  const state = normState(a.state);
  const list = specs(a);
  if (!list.length) return { changed: updated, ...cache };
  const names = list.map((s) => split(s).name);
  const todo = plan(a, state, (await query(ctx, names)).pkgs, false);
  const markManual = () => (marksManual(state) ? ctx.exec(['apt-mark', 'manual', ...names], { signal: ctx.signal, env: ENV }) : undefined);
  if (!todo.length) {
    await markManual();
    return { changed: false, ...cache };
  }
  const argv = state === 'absent' ? ['apt-get', '-q', '-y', ...dpkgOptions(a), ...(a.purge ? ['--purge'] : []), ...(a.autoremove ? ['--auto-remove'] : []), 'remove', ...todo] : aptGet(a, [state === 'build-dep' ? 'build-dep' : 'install', ...todo], false);
  const o = await runApt(ctx, a, argv);
  await markManual();
  return { changed: state === 'build-dep' ? !`\n${o.stdout}`.includes(APT_GET_ZERO) : true, ...output(o), ...cache };
}

/** Whether the state is an install (apt.py's install(), not build-dep): its packages are marked manual after it. */
const marksManual = (state: string): boolean => state !== 'absent' && state !== 'build-dep';
