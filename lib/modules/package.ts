import { Type } from '../source/vendor/typebox.js';
import { spread } from '../source/index.js';
import { defineModule, ModuleFailure, type ModuleCtx } from './types.js';
import { aptApply, aptCheck } from './util/apt.js';
import { runOk } from './util/run.js';

const Args = Type.Object(
  {
    name: Type.Union([Type.String(), Type.Array(Type.String())], { description: 'Package name(s); a comma-separated string works too.' }),
    state: Type.Optional(Type.Union([Type.Literal('present'), Type.Literal('installed'), Type.Literal('latest'), Type.Literal('absent'), Type.Literal('removed')])),
    update_cache: Type.Optional(Type.Boolean({ description: 'Refresh the package index first (apt-get update, dnf makecache, apk update).' })),
    use: Type.Optional(Type.String({ description: "The manager to use ('auto': the host's own)." })),
    // passed to the manager's own module, as Ansible's package passes them (apt's and dnf's)
    cache_valid_time: Type.Optional(Type.Integer()),
    install_recommends: Type.Optional(Type.Boolean()),
    allow_downgrade: Type.Optional(Type.Boolean()),
    enablerepo: Type.Optional(Type.Union([Type.String(), Type.Array(Type.String())])),
    disablerepo: Type.Optional(Type.Union([Type.String(), Type.Array(Type.String())])),
  },
  { additionalProperties: false },
);

type Manager = 'apt' | 'dnf' | 'apk';
type Other = Exclude<Manager, 'apt'>;

/** How each package manager answers "installed?", "can it be upgraded?", and installs/removes. */
const MANAGERS: Record<Other, { installed(names: string[]): string; upgradable(names: string[]): string; install(names: string[]): string[]; remove(names: string[]): string[]; update: string[] }> = {
  dnf: {
    installed: (n) => `for p in ${n.join(' ')}; do rpm -q "$p" >/dev/null 2>&1 && echo "$p"; done; true`,
    upgradable: (n) => `dnf -q check-update ${n.join(' ')} 2>/dev/null | awk 'NF == 3 { sub(/\\..*/, "", $1); print $1 }'; true`,
    install: (n) => ['dnf', 'install', '-y', '-q', ...n],
    remove: (n) => ['dnf', 'remove', '-y', '-q', ...n],
    update: ['dnf', 'makecache', '-q'],
  },
  apk: {
    installed: (n) => `for p in ${n.join(' ')}; do apk info -e "$p" >/dev/null 2>&1 && echo "$p"; done; true`,
    upgradable: (n) => `apk version -l '<' ${n.join(' ')} 2>/dev/null | awk 'NR > 1 { sub(/-[0-9].*/, "", $1); print $1 }'; true`,
    install: (n) => ['apk', 'add', '-q', ...n],
    remove: (n) => ['apk', 'del', '-q', ...n],
    update: ['apk', 'update', '-q'],
  },
};

/** The first manager the host has (apt, dnf or yum, apk). */
const PROBES: [Manager, string][] = [['apt', 'apt-get'], ['dnf', 'dnf'], ['dnf', 'yum'], ['apk', 'apk']];

/**
 * Which manager the host has (one shared read per host until something changes it: the file cache
 * and the other package steps keep theirs), then, for dnf/yum and apk, which of the packages it has.
 */
async function query(ctx: ModuleCtx, list: string[], use?: string): Promise<{ manager: Manager; installed: Set<string> }> {
  const probes = use && use !== 'auto' ? PROBES.filter(([m, bin]) => bin === use || m === use) : PROBES;
  if (!probes.length) throw new ModuleFailure(`Could not find a module for ${use}.`);
  const script = [...probes.map(([m, bin]) => `if command -v ${bin} >/dev/null 2>&1; then echo ${m}; exit 0; fi`), 'echo none'].join('\n');
  const found = (await ctx.shared(`pkg-manager\0${use ?? ''}`, (exec) => exec({ shell: script }, { signal: ctx.signal }))).stdout.trim();
  if (found === 'none' || !found) throw new ModuleFailure(use && use !== 'auto' ? `Failed to find required executable ${probes[0][1]}` : 'no supported package manager on this host (apt, dnf/yum, apk)');
  const manager = found as Manager;
  if (manager === 'apt') return { manager, installed: new Set() };
  const r = await ctx.shared(`pkg-installed\0${manager}\0${list.join(' ')}`, (exec) => exec({ shell: MANAGERS[manager].installed(list) }, { signal: ctx.signal }));
  return { manager, installed: new Set(r.stdout.split('\n').filter(Boolean)) };
}

const SAFE = /^[A-Za-z0-9][A-Za-z0-9+._:=~-]*$/;
const names = (n: string | string[]) => (Array.isArray(n) ? n : n.split(',')).map((s) => s.trim()).filter(Boolean);

export default defineModule({
  name: 'package',
  kind: 'state',
  description: "Packages present, latest or absent through the host's own manager (apt, dnf/yum or apk, detected); only the packages that differ are installed or removed.",
  args: Args,
  aliases: { pkg: 'name' },
  async check(ctx, a) {
    const list = names(a.name);
    const bad = list.find((p) => !SAFE.test(p));
    if (bad) throw new ModuleFailure(`not a package name: ${JSON.stringify(bad)}`);
    const { manager: mgr, installed } = await query(ctx, list, a.use);
    if (mgr === 'apt') {
      if (a.enablerepo !== undefined || a.disablerepo !== undefined) throw new ModuleFailure(`Unsupported parameters for (apt) module: ${a.enablerepo !== undefined ? 'enablerepo' : 'disablerepo'}`);
      const d = await aptCheck(ctx, a);
      return spread(d, { data: spread(d.data, { manager: 'apt' }) }) as typeof d;
    }
    const m = MANAGERS[mgr];
    const state = a.state === 'installed' ? 'present' : a.state === 'removed' ? 'absent' : (a.state ?? 'present');
    const data = { manager: mgr, installed: [...installed] };
    if (state === 'absent') {
      const gone = list.filter((p) => installed.has(p));
      return gone.length ? { kind: 'remove', target: gone.join(' '), fields: gone.map((p) => ({ path: p, from: 'installed', to: 'absent' })), data: { ...data, todo: gone } } : { kind: 'ok', why: `not installed: ${list.join(', ')}`, data };
    }
    const missing = list.filter((p) => !installed.has(p));
    const stale = state === 'latest' ? (await runOk(ctx, { shell: m.upgradable(list.filter((p) => installed.has(p))) })).split('\n').filter(Boolean) : [];
    const todo = [...missing, ...stale];
    if (!todo.length) return { kind: 'ok', why: `installed${state === 'latest' ? ' and up to date' : ''}: ${list.join(', ')}`, data };
    return { kind: missing.length ? 'create' : 'modify', target: todo.join(' '), fields: [...missing.map((p) => ({ path: p, to: 'installed' })), ...stale.map((p) => ({ path: p, from: 'installed', to: 'latest' }))], data: { ...data, todo } };
  },
  async apply(ctx, a, diff) {
    const { manager, todo } = diff.data as { manager: Manager; todo: string[] };
    if (manager === 'apt') return aptApply(ctx, a, diff);
    const m = MANAGERS[manager];
    const env = { DEBIAN_FRONTEND: 'noninteractive' };
    if (a.update_cache) await runOk(ctx, m.update, { env });
    await runOk(ctx, diff.kind === 'remove' ? m.remove(todo) : m.install(todo), { env });
    return { manager, changed_packages: todo };
  },
});
