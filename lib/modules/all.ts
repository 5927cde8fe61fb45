import type { Module } from './types.js';
import acl from './acl.js';
import add_host from './add_host.js';
import apt from './apt.js';
import apt_key from './apt_key.js';
import apt_repository from './apt_repository.js';
import assert from './assert.js';
import async_status from './async_status.js';
import authorized_key from './authorized_key.js';
import blockinfile from './blockinfile.js';
import command from './command.js';
import copy from './copy.js';
import cron from './cron.js';
import deb822_repository from './deb822_repository.js';
import debconf from './debconf.js';
import dpkg_selections from './dpkg_selections.js';
import expect from './expect.js';
import debug from './debug.js';
import doppler_secret from './doppler_secret.js';
import fail from './fail.js';
import fetch from './fetch.js';
import file from './file.js';
import find from './find.js';
import get_url from './get_url.js';
import getent from './getent.js';
import git from './git.js';
import group from './group.js';
import group_by from './group_by.js';
import include_vars from './include_vars.js';
import htpasswd from './htpasswd.js';
import kernel_blacklist from './kernel_blacklist.js';
import locale_gen from './locale_gen.js';
import ini_file from './ini_file.js';
import iptables from './iptables.js';
import helm_release from './helm_release.js';
import helm_repository from './helm_repository.js';
import hostname from './hostname.js';
import known_hosts from './known_hosts.js';
import kube_info from './kube_info.js';
import kube_manifest from './kube_manifest.js';
import kube_namespace from './kube_namespace.js';
import kube_secret from './kube_secret.js';
import kube_wait from './kube_wait.js';
import lineinfile from './lineinfile.js';
import mount from './mount.js';
import package_facts from './package_facts.js';
import pamd from './pamd.js';
import pam_limits from './pam_limits.js';
import patch from './patch.js';
import pause from './pause.js';
import ping from './ping.js';
import pip from './pip.js';
import packageModule from './package.js';
import proxmox_iso from './proxmox_iso.js';
import proxmox_vm from './proxmox_vm.js';
import proxmox_vm_ip from './proxmox_vm_ip.js';
import raw from './raw.js';
import reboot from './reboot.js';
import replace from './replace.js';
import rpm_key from './rpm_key.js';
import script from './script.js';
import service from './service.js';
import service_facts from './service_facts.js';
import set_fact from './set_fact.js';
import set_stats from './set_stats.js';
import setup from './setup.js';
import assemble from './assemble.js';
import gather_facts from './gather_facts.js';
import shell from './shell.js';
import slurp from './slurp.js';
import stat from './stat.js';
import sysctl from './sysctl.js';
import systemd_service from './systemd_service.js';
import talos_bootstrap from './talos_bootstrap.js';
import talos_config from './talos_config.js';
import talos_health from './talos_health.js';
import talos_kubeconfig from './talos_kubeconfig.js';
import talos_reset from './talos_reset.js';
import talos_secrets from './talos_secrets.js';
import talos_upgrade from './talos_upgrade.js';
import talos_wipe_disks from './talos_wipe_disks.js';
import template from './template.js';
import timezone from './timezone.js';
import tempfile from './tempfile.js';
import unarchive from './unarchive.js';
import uri from './uri.js';
import user from './user.js';
import wait_for from './wait_for.js';
import wait_for_connection from './wait_for_connection.js';
import x509_ca from './x509_ca.js';
import { catalogOf } from './catalog.js';
import { packageAs } from './registry.js';
import validate_argument_spec from './validate_argument_spec.js';
import yum_repository from './yum_repository.js';

// ADD NEW MODULES HERE, KEEP ALPHABETIZED (a test checks every file in lib/modules is listed)
export const builtinModules: Module[] = [acl, add_host, apt, apt_key, apt_repository, assemble, assert, async_status, authorized_key, blockinfile, command, copy, cron, deb822_repository, debconf, debug, doppler_secret, dpkg_selections, expect, fail, fetch, file, find, gather_facts, get_url, getent, git, group, group_by, helm_release, helm_repository, hostname, htpasswd, include_vars, ini_file, iptables, kernel_blacklist, known_hosts, kube_info, kube_manifest, kube_namespace, kube_secret, kube_wait, lineinfile, locale_gen, mount, packageModule, package_facts, pam_limits, pamd, patch, pause, ping, pip, proxmox_iso, proxmox_vm, proxmox_vm_ip, raw, reboot, replace, rpm_key, script, service, service_facts, set_fact, set_stats, setup, shell, slurp, stat, sysctl, systemd_service, talos_bootstrap, talos_config, talos_health, talos_kubeconfig, talos_reset, talos_secrets, talos_upgrade, talos_wipe_disks, tempfile, template, timezone, unarchive, uri, user, validate_argument_spec, wait_for, wait_for_connection, x509_ca, yum_repository];

/** The modules by name, with their argument types (TypeScript roles' typed `t.copy({...})` calls come from this). */
export const MODULES = { acl, add_host, apt, apt_key, apt_repository, assemble, assert, async_status, authorized_key, blockinfile, command, copy, cron, deb822_repository, debconf, debug, doppler_secret, dpkg_selections, expect, fail, fetch, file, find, gather_facts, get_url, getent, git, group, group_by, helm_release, helm_repository, hostname, htpasswd, include_vars, ini_file, iptables, kernel_blacklist, known_hosts, kube_info, kube_manifest, kube_namespace, kube_secret, kube_wait, lineinfile, locale_gen, mount, package: packageModule, package_facts, pam_limits, pamd, patch, pause, ping, pip, proxmox_iso, proxmox_vm, proxmox_vm_ip, raw, reboot, replace, rpm_key, script, service, service_facts, set_fact, set_stats, setup, shell, slurp, stat, sysctl, systemd_service, talos_bootstrap, talos_config, talos_health, talos_kubeconfig, talos_reset, talos_secrets, talos_upgrade, talos_wipe_disks, tempfile, template, timezone, unarchive, uri, user, validate_argument_spec, wait_for, wait_for_connection, x509_ca, yum_repository };

const byName = new Map<string, Module>();
for (const m of builtinModules) {
  byName.set(m.name, m);
  byName.set(`ansible.builtin.${m.name}`, m);
  byName.set(`ansible.legacy.${m.name}`, m);
}
// the kubernetes.core collection's modules, with their parameter names as aliases
const KUBERNETES_CORE: Record<string, Module> = { helm: helm_release, helm_repository, k8s: kube_manifest, k8s_info: kube_info };
// Ansible names that are the same module here
const SAME: Record<string, Module> = { systemd: systemd_service, dnf: packageAs(packageModule, 'dnf'), yum: packageAs(packageModule, 'yum'), apk: packageAs(packageModule, 'apk') };
for (const [name, m] of Object.entries(SAME)) for (const prefix of ['', 'ansible.builtin.', 'ansible.legacy.']) byName.set(prefix + name, m);
for (const [name, m] of Object.entries(KUBERNETES_CORE)) byName.set(`kubernetes.core.${name}`, m);
// community.general's and ansible.posix's, by their names
for (const m of [htpasswd, ini_file, kernel_blacklist, locale_gen, timezone, pamd, pam_limits]) byName.set(`community.general.${m.name}`, m);
for (const m of [acl, authorized_key, mount, patch, sysctl]) byName.set(`ansible.posix.${m.name}`, m);

/** The catalog of these modules (names, kinds, argument schemas), as the build writes it for loading without them. */
export const registryCatalog = () => catalogOf(byName);
