/**
 * What a check run would have changed, so a later failure can be told apart: a step whose failure
 * depends on a would-be change (it reads the very path, package, service, user or registered result
 * an earlier step would change, a path when an earlier step would install a package, or talks to a
 * machine or cluster an earlier step would create) is
 * reported as unknowable with that dependency; any other failure is a failure in check mode too.
 */

/** One would-be change a later step may depend on. */
export interface Pending {
  /** What would change: `path /etc/app.conf`, `package nginx`, `register out`, `vm east-cp-1`. */
  resource: string;
  /** The step that would change it. */
  stepId: string;
  stepName: string;
  host: string;
  /** The step's argument values (infra steps: to find the one that makes a given machine). */
  values?: Set<string>;
}

/** Modules that create or start the machines and clusters other hosts are reached through. */
const INFRA = /^(proxmox_|talos_|helm_|kube_|doppler_)/;
/** Modules whose `name` names a thing another module may read (a package's service, a user's files). */
const NAMED = new Set(['package', 'apt', 'dnf', 'yum', 'apk', 'service', 'systemd', 'systemd_service', 'user', 'group', 'sysctl', 'mount']);
const NAME_KIND: Record<string, string> = { apt: 'package', dnf: 'package', yum: 'package', apk: 'package', systemd: 'service', systemd_service: 'service' };

function strings(v: unknown, out: string[] = []): string[] {
  if (typeof v === 'string') out.push(v);
  else if (Array.isArray(v)) v.forEach((x) => strings(x, out));
  else if (v && typeof v === 'object') Object.values(v).forEach((x) => strings(x, out));
  return out;
}

/**
 * Modules whose result in check mode is a real run's (nothing on a host to change, or they only read
 * it: their `changed` is changed_when's, or the run's inventory's): what they register is known, not
 * a would-be change (what they read of a would-be change is tainted, PendingChanges.taint).
 */
const REAL_IN_CHECK = new Set(['set_fact', 'debug', 'assert', 'fail', 'include_vars', 'set_stats', 'add_host', 'group_by', 'meta', 'ping', 'pause', 'validate_argument_spec', 'stat', 'find', 'slurp', 'getent', 'setup', 'gather_facts', 'package_facts', 'service_facts', 'kube_info']);

/** Whether a task's change under --check is a prediction: not under `check_mode: false`, which runs it, nor of a module that runs the same in check mode. */
export const predicted = (module: string, checkMode: unknown): boolean => checkMode !== false && !REAL_IN_CHECK.has(module);

export class PendingChanges {
  private byHost = new Map<string, Pending[]>();
  private infra: Pending[] = [];

  /** Records what a step would change in check mode (its rendered arguments, its register). */
  record(host: string, stepId: string, stepName: string, module: string, items: Record<string, unknown>[], register: string | undefined): void {
    const list = this.byHost.get(host) ?? [];
    const add = (resource: string) => list.push({ resource, stepId, stepName, host });
    if (register) add(`register ${register}`);
    for (const args of items) {
      for (const s of strings(args)) if (s.startsWith('/') && !s.includes('\n')) add(`path ${s.replace(/\/+$/, '') || '/'}`);
      const names = args.name ?? args.pkg;
      if (NAMED.has(module)) for (const n of strings(names)) add(`${NAME_KIND[module] ?? module} ${n}`);
    }
    this.byHost.set(host, list);
    for (const args of INFRA.test(module) ? (items.length ? items : [undefined]) : []) {
      const kind = module === 'proxmox_vm' ? 'vm' : module.replace(/_.*/, '');
      this.infra.push({ resource: `${kind} ${strings(args?.name ?? args?.vmid ?? args?.release_name ?? host)[0] ?? host}`, stepId, stepName, host, values: new Set(strings(args)) });
    }
  }

  /** A registered result read from something that would change (a stat of a would-be file) is as unknown as the change. */
  taint(host: string, stepId: string, stepName: string, register: string): void {
    const list = this.byHost.get(host) ?? [];
    list.push({ resource: `register ${register}`, stepId, stepName, host });
    this.byHost.set(host, list);
  }

  /**
   * The would-be change a failing step depends on, if any. `raw` is the task as written (for
   * registered results it reads), `args` its rendered arguments where rendering got that far.
   */
  dependency(host: string, module: string, raw: unknown, items: Record<string, unknown>[], unreachable: boolean): Pending | undefined {
    const mine = this.byHost.get(host) ?? [];
    const text = strings(raw).join('\n');
    for (const p of mine) {
      const [kind, name] = [p.resource.slice(0, p.resource.indexOf(' ')), p.resource.slice(p.resource.indexOf(' ') + 1)];
      if (kind === 'register' && new RegExp(`\\b${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`).test(text)) return p;
      if (!items.length) continue;
      const values = strings(items);
      if (kind === 'path' && values.some((v) => v === name || v.startsWith(name === '/' ? '/' : `${name}/`))) return p;
      if (kind !== 'path' && values.includes(name)) return p;
    }
    // a package an earlier step would install may bring any path (its /etc folder, its binary)
    const pkg = [...mine].reverse().find((p) => p.resource.startsWith('package '));
    if (pkg && strings(items).some((v) => v.startsWith('/') && !v.includes('\n'))) return pkg;
    // a machine or cluster an earlier step would create cannot answer yet
    if (!(unreachable || INFRA.test(module))) return undefined;
    const candidates = this.infra.filter((p) => p.host !== host || INFRA.test(module));
    // the step that makes this very machine, if one would; else the latest infrastructure change
    return candidates.find((p) => p.values?.has(host)) ?? candidates[candidates.length - 1];
    return undefined;
  }
}

/** How a dependency reads in a step's line: `path /etc/x would change in step 'write x'`. */
export function describe(p: Pending, host: string): string {
  return `${p.resource} would change in step '${p.stepName}'${p.host !== host ? ` on ${p.host}` : ''}`;
}
