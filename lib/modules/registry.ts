import type { Module } from './types.js';
import type packageModule from './package.js';
import { findSpec } from './catalog.js';
import { collectionModule } from './util/collection-modules.js';
import { libraryModule } from './util/library.js';

/**
 * The built-in modules, each imported when a run first needs it: a run loads the few its tasks
 * use (the 77 modules and their schemas took ≈ 30 ms to load). By a module's own name, as the
 * catalog names it (lib/modules/catalog.ts: every alias and FQCN leads to it); all.ts has them
 * all, for the build's catalog and `agri-play doc`.
 */
const FILES: Record<string, () => Promise<{ default: Module }>> = {
  acl: () => import('./acl.js'),
  add_host: () => import('./add_host.js'),
  apt: () => import('./apt.js'),
  apt_key: () => import('./apt_key.js'),
  apt_repository: () => import('./apt_repository.js'),
  assert: () => import('./assert.js'),
  async_status: () => import('./async_status.js'),
  authorized_key: () => import('./authorized_key.js'),
  blockinfile: () => import('./blockinfile.js'),
  command: () => import('./command.js'),
  copy: () => import('./copy.js'),
  cron: () => import('./cron.js'),
  deb822_repository: () => import('./deb822_repository.js'),
  debconf: () => import('./debconf.js'),
  debug: () => import('./debug.js'),
  expect: () => import('./expect.js'),
  dpkg_selections: () => import('./dpkg_selections.js'),
  doppler_secret: () => import('./doppler_secret.js'),
  fail: () => import('./fail.js'),
  fetch: () => import('./fetch.js'),
  file: () => import('./file.js'),
  find: () => import('./find.js'),
  get_url: () => import('./get_url.js'),
  getent: () => import('./getent.js'),
  git: () => import('./git.js'),
  group: () => import('./group.js'),
  group_by: () => import('./group_by.js'),
  include_vars: () => import('./include_vars.js'),
  ini_file: () => import('./ini_file.js'),
  iptables: () => import('./iptables.js'),
  helm_release: () => import('./helm_release.js'),
  helm_repository: () => import('./helm_repository.js'),
  hostname: () => import('./hostname.js'),
  htpasswd: () => import('./htpasswd.js'),
  kernel_blacklist: () => import('./kernel_blacklist.js'),
  known_hosts: () => import('./known_hosts.js'),
  kube_info: () => import('./kube_info.js'),
  kube_manifest: () => import('./kube_manifest.js'),
  kube_namespace: () => import('./kube_namespace.js'),
  kube_secret: () => import('./kube_secret.js'),
  kube_wait: () => import('./kube_wait.js'),
  lineinfile: () => import('./lineinfile.js'),
  locale_gen: () => import('./locale_gen.js'),
  mount: () => import('./mount.js'),
  package_facts: () => import('./package_facts.js'),
  pamd: () => import('./pamd.js'),
  pam_limits: () => import('./pam_limits.js'),
  patch: () => import('./patch.js'),
  pause: () => import('./pause.js'),
  ping: () => import('./ping.js'),
  pip: () => import('./pip.js'),
  package: () => import('./package.js'),
  proxmox_iso: () => import('./proxmox_iso.js'),
  proxmox_vm: () => import('./proxmox_vm.js'),
  proxmox_vm_ip: () => import('./proxmox_vm_ip.js'),
  raw: () => import('./raw.js'),
  reboot: () => import('./reboot.js'),
  replace: () => import('./replace.js'),
  rpm_key: () => import('./rpm_key.js'),
  script: () => import('./script.js'),
  service: () => import('./service.js'),
  service_facts: () => import('./service_facts.js'),
  set_fact: () => import('./set_fact.js'),
  set_stats: () => import('./set_stats.js'),
  setup: () => import('./setup.js'),
  assemble: () => import('./assemble.js'),
  gather_facts: () => import('./gather_facts.js'),
  shell: () => import('./shell.js'),
  slurp: () => import('./slurp.js'),
  stat: () => import('./stat.js'),
  sysctl: () => import('./sysctl.js'),
  systemd_service: () => import('./systemd_service.js'),
  talos_bootstrap: () => import('./talos_bootstrap.js'),
  talos_config: () => import('./talos_config.js'),
  talos_health: () => import('./talos_health.js'),
  talos_kubeconfig: () => import('./talos_kubeconfig.js'),
  talos_reset: () => import('./talos_reset.js'),
  talos_secrets: () => import('./talos_secrets.js'),
  talos_upgrade: () => import('./talos_upgrade.js'),
  talos_wipe_disks: () => import('./talos_wipe_disks.js'),
  template: () => import('./template.js'),
  timezone: () => import('./timezone.js'),
  tempfile: () => import('./tempfile.js'),
  unarchive: () => import('./unarchive.js'),
  uri: () => import('./uri.js'),
  user: () => import('./user.js'),
  wait_for: () => import('./wait_for.js'),
  wait_for_connection: () => import('./wait_for_connection.js'),
  x509_ca: () => import('./x509_ca.js'),
  validate_argument_spec: () => import('./validate_argument_spec.js'),
  yum_repository: () => import('./yum_repository.js'),
};

/** `package` bound to one manager (yum on a Debian host fails, as under ansible-core). */
export function packageAs(pkg: typeof packageModule, name: string): Module {
  return { ...pkg, name, check: (ctx, a: typeof pkg.args.static) => pkg.check(ctx, { ...a, use: a.use ?? name }) } as Module;
}
const PACKAGE_AS = new Set(['dnf', 'yum', 'apk']);

const loaded = new Map<string, Module>();
const loading = new Map<string, Promise<Module>>();

/**
 * A module by its name or an Ansible FQCN alias (ansible.builtin.copy), if it is loaded (the run
 * loads its plan's modules before it starts: loadModules; a name it could not know, an include's
 * or a templated one, goes through loadModule).
 */
export function findModule(name: string): Module | undefined {
  // a library/ folder's module first, as ansible.legacy finds it (not under ansible.builtin.)
  const lib = name.startsWith('ansible.builtin.') ? undefined : libraryModule(name);
  if (lib) return lib;
  const own = findSpec(name)?.name;
  return own === undefined ? undefined : (loaded.get(own) ?? collectionModule(name));
}

/** A module by its name, imported if it is not yet; undefined for a name no module has. */
export function loadModule(name: string): Promise<Module | undefined> {
  const found = findModule(name);
  if (found) return Promise.resolve(found);
  // (the catalog's name of the module: its file's, or a package manager's name for `package`)
  const own = findSpec(name)?.name;
  if (own === undefined) return Promise.resolve(undefined);
  const file = PACKAGE_AS.has(own) ? 'package' : own;
  if (!Object.hasOwn(FILES, file)) return Promise.resolve(undefined);
  let p = loading.get(own);
  if (!p) {
    p = FILES[file]().then(({ default: m }) => {
      const mod = PACKAGE_AS.has(own) ? packageAs(m as typeof packageModule, own) : m;
      loaded.set(own, mod);
      return mod;
    });
    loading.set(own, p);
  }
  return p;
}

/** The modules of these names, loaded (names no module has are passed over). */
export async function loadModules(names: Iterable<string>): Promise<void> {
  await Promise.all([...new Set(names)].map((n) => loadModule(n)));
}
