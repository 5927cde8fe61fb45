import { Type } from '../source/vendor/typebox.js';
import { defineModule, ModuleFailure } from './types.js';

// name (or hostname, host), groups (or groupname, group); every other key is a variable of the host
const Args = Type.Record(Type.String(), Type.Unknown(), { description: 'name: the host (host:port sets ansible_ssh_port), groups: its groups (a list or comma-separated), every other key a variable of the host.' });
const SPECIAL = new Set(['name', 'hostname', 'groupname', 'groups']);

/** ansible-core's parse_address for a name with a port: `host:port`, `[v6]:port`; anything else is the name. */
function address(name: string): [string, number | undefined] {
  const m = /^\[([^\]]+)\]:(\d+)$/.exec(name) ?? /^([^:\s[\]]+):(\d+)$/.exec(name);
  return m ? [m[1], Number(m[2])] : [name.replace(/^\[(.*)\]$/, '$1'), undefined];
}

/**
 * ansible.builtin.add_host: a host (with variables and groups) added to the run's inventory for the
 * plays after this one. It runs once per play (ansible-core's BYPASS_HOST_LOOP); a loop adds many.
 */
export default defineModule({
  name: 'add_host',
  kind: 'action',
  description: 'Adds a host (its groups and variables) to the inventory for the plays after this one; runs once for the play, as ansible-core.',
  args: Args,
  async run(_ctx, a) {
    const given = a.name ?? a.hostname ?? a.host;
    if (given === undefined || given === null) throw new ModuleFailure('name, host or hostname needs to be provided');
    const [name, port] = address(String(given));
    const raw = a.groupname ?? a.groups ?? a.group ?? '';
    if (raw !== '' && !Array.isArray(raw) && typeof raw !== 'string') throw new ModuleFailure('Groups must be specified as a list.');
    const groups: string[] = [];
    for (const g of Array.isArray(raw) ? raw.map(String) : raw ? raw.split(',') : []) if (!groups.includes(g)) groups.push(g.trim());
    const vars: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(a)) if (!SPECIAL.has(k)) vars[k] = v;
    if (port !== undefined) vars.ansible_ssh_port = port;
    return { data: { add_host: { host_name: name, groups, host_vars: vars } }, inventory: { host: name, groups, vars } };
  },
});
