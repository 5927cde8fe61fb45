import { selectHosts } from '../inventory/index.js';
import { renderValue } from '../vars/index.js';
import type { RunCtx, Vars } from './context.js';
import type { HostState } from './host-state.js';

const deps = new WeakMap<RunCtx, Map<string, string[]>>();

/**
 * `agri_depends_on` (a host var: a host pattern or a list of them, templated with the host's
 * vars): the hosts this one cannot be worked on without — a Talos node needs the Proxmox host
 * its VM lives on, a cluster's API needs its control plane. When one of them (or one of theirs)
 * is unreachable or failed in this run, this host's steps are skipped with the reason instead
 * of failing on what that host never made (no VM, no kubeconfig). Ansible ignores the variable.
 */
export function blockedBy(rc: RunCtx, host: string, hs: HostState): { host: string; why: 'unreachable' | 'failed' } | undefined {
  // asked before every step: a host that depends on nothing costs a field read, no allocation
  return (hs.dependsOn ??= dependencies(rc, host)).length ? walk(rc, host, new Set([host])) : undefined;
}

function walk(rc: RunCtx, host: string, seen: Set<string>): { host: string; why: 'unreachable' | 'failed' } | undefined {
  for (const d of dependencies(rc, host)) {
    if (seen.has(d)) continue;
    seen.add(d);
    const hs = rc.hosts.get(d);
    if (hs?.unreachable) return { host: d, why: 'unreachable' };
    if (hs?.failed) return { host: d, why: 'failed' };
    const deeper = walk(rc, d, seen);
    if (deeper) return deeper;
  }
  return undefined;
}

function dependencies(rc: RunCtx, host: string): string[] {
  let byHost = deps.get(rc);
  if (!byHost) deps.set(rc, (byHost = new Map()));
  let out = byHost.get(host);
  if (out) return out;
  const vars: Vars = rc.vars.inventoryOf(host);
  const raw = vars.agri_depends_on;
  out = [];
  if (raw !== undefined && raw !== null) {
    const value = renderValue(raw, { ...vars, inventory_hostname: host, groups: rc.vars.groups(), hostvars: rc.vars.hostvars() });
    const patterns = (Array.isArray(value) ? value : [value]).flatMap((p) => (Array.isArray(p) ? p : [p])).map(String);
    out = [...new Set(patterns.flatMap((p) => selectHosts(rc.inventory, p).hosts))].filter((h) => h !== host);
  }
  byHost.set(host, out);
  return out;
}

/** The hosts some host's agri_depends_on names (its failure is met by skipping those hosts: the run goes on). */
export function dependedOn(rc: RunCtx): Set<string> {
  const out = new Set<string>();
  for (const h of rc.inventory.hosts.keys()) if (rc.vars.inventoryOf(h).agri_depends_on !== undefined) dependencies(rc, h).forEach((d) => out.add(d));
  return out;
}
