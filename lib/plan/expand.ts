import { groupHosts, groupNamesOf, hostnameShort, inventoryVars, type Inventory } from '../inventory/index.js';
import type { Node, RoleContext } from '../playbook/index.js';
import type { Problem } from '../source/index.js';
import { resolveVars } from '../vars/index.js';
import { selectedByTags, type TagFilter } from './flatten.js';
import { defaultsOf, roleChain, roleParams, taskDefaults, taskRoleVars, varsOf } from './role-vars.js';
import type { FlatTask, PlannedPlay } from './types.js';

const groupCache = new WeakMap<Inventory, Record<string, string[]>>();
/** Group → hosts, computed once per inventory (not once per host: 10,000 hosts × every group). */
function groupsOf(inv: Inventory): Record<string, string[]> {
  let g = groupCache.get(inv);
  if (!g) groupCache.set(inv, (g = Object.fromEntries([...inv.groups.keys()].map((name) => [name, groupHosts(inv, name)]))));
  return g;
}

/**
 * A host's own task list: a TypeScript role's `tasks(t, ctx)` runs for this host with its
 * parameters and variables (role defaults < inventory < play vars < role vars < role params and
 * block vars < extra vars, templates resolved) and its steps take the role's place.
 */
export function hostTasks(pp: PlannedPlay, host: string, inv: Inventory, extraVars: Record<string, unknown>, filter: TagFilter, problems: Problem[], playbookDir: string): FlatTask[] {
  if (!pp.flat.some((f) => f.task.expand)) return pp.flat;
  const out: FlatTask[] = [];
  for (const [i, f] of pp.flat.entries()) {
    if (!f.task.expand) {
      out.push(f);
      continue;
    }
    const role = f.task.role!;
    // as a task of the role sees them (run/scope.ts): the play's roles' and its own defaults < inventory < play vars < roles' vars < blocks' < role params
    const roles = roleChain(f.chain);
    const vars: Record<string, unknown> = Object.assign({}, ...pp.play.roles.flatMap(defaultsOf), ...taskDefaults(roles), inventoryVars(inv, inv.hosts.get(host)!), pp.play.vars, ...pp.play.roles.flatMap(varsOf), ...taskRoleVars(roles));
    for (const fr of f.chain) Object.assign(vars, fr.block.kw.vars ?? {});
    Object.assign(vars, ...roleParams(roles));
    const groups = groupsOf(inv);
    const hostGroups = groupNamesOf(inv, host);
    Object.assign(vars, extraVars, { inventory_hostname: host, inventory_hostname_short: hostnameShort(host), group_names: hostGroups, groups, playbook_dir: playbookDir, role_name: role.name, role_path: role.path, play_hosts: pp.hosts });
    resolveVars(vars, Object.keys(vars), () => false);
    const ctx: RoleContext = {
      host,
      params: Object.fromEntries(Object.keys(role.options ?? {}).map((k) => [k, vars[k]])),
      vars,
      hostvars: new Proxy({} as Record<string, Record<string, unknown>>, { get: (_t, h) => (typeof h === 'string' && inv.hosts.has(h) ? inventoryVars(inv, inv.hosts.get(h)!) : undefined) }),
      groups,
    };
    const { tasks, problems: found } = f.task.expand(ctx, `${pp.startId}#${i}`);
    problems.push(...found);
    const walk = (nodes: Node[]) => {
      for (const n of nodes) {
        if (n.kind === 'block') walk([...n.block, ...n.rescue, ...n.always]);
        else {
          const tags = [...new Set([...f.tags, ...n.kw.tags])];
          if (selectedByTags(tags, filter)) out.push({ task: n, chain: f.chain, tags, handler: false });
        }
      }
    };
    walk(tasks);
  }
  return out;
}
