import { Type } from '../source/vendor/typebox.js';
import { defineModule } from './types.js';
import { factsResult } from './util/facts-result.js';

const Args = Type.Object({}, { additionalProperties: false });

// one script: systemd's units and unit files when PID 1 is systemd, else SysV's `service --status-all`
const SCRIPT = `if grep -q systemd /proc/1/comm 2>/dev/null && command -v systemctl >/dev/null; then
echo '#units'; systemctl list-units --no-pager --type service --all
echo '#files'; systemctl list-unit-files --no-pager --type service --all
else echo '#sysv'; [ -d /etc/init.d ] && command -v service >/dev/null && service --status-all 2>&1; fi; true`;

const BAD = new Set(['not-found', 'masked', 'failed']);
type Service = { name: string; state: string; status?: string; source: string };

/** ansible.builtin.service_facts' parsing of list-units, list-unit-files and --status-all. */
function parse(out: string): Record<string, Service> {
  const services: Record<string, Service> = {};
  let section = '';
  const missing: string[] = [];
  for (const line of out.split('\n')) {
    if (line.startsWith('#')) section = line.slice(1);
    else if (section === 'sysv') {
      const m = /^\s*\[ ([+-]) \]\s+(.+)$/.exec(line);
      if (m) services[m[2]] = { name: m[2], state: m[1] === '+' ? 'running' : 'stopped', source: 'sysv' };
    } else if (line.includes('.service')) {
      let fields = line.trim().replace(/^●\s*/, '').split(/\s+/);
      if (section === 'units') {
        const bad = fields.find((f) => BAD.has(f));
        const status = bad ?? fields[2];
        if (bad && !fields[0].includes('.service')) fields = fields.slice(1);
        services[fields[0]] = { name: fields[0], state: fields[3] === 'running' ? 'running' : 'stopped', status, source: 'systemd' };
      } else if (section === 'files') {
        const [name, status] = fields;
        if (!services[name]) {
          services[name] = { name, state: 'unknown', status, source: 'systemd' };
          missing.push(name);
        } else if (!BAD.has(services[name].status ?? '')) services[name].status = status;
      }
    }
  }
  return services;
}

/** ansible.builtin.service_facts: the host's services (systemd or SysV) in `ansible_facts.services`. */
export default defineModule({
  name: 'service_facts',
  kind: 'action',
  description: "The host's services as ansible_facts.services: name, state (running/stopped/…), status (enabled/disabled/…), source (systemd or sysv).",
  args: Args,
  async run(ctx) {
    const r = await ctx.exec({ shell: SCRIPT });
    const services = parse(r.stdout);
    // unit files no unit was loaded for: their ActiveState, asked for all at once
    const unknown = Object.values(services).filter((s) => s.source === 'systemd' && s.state === 'unknown').map((s) => s.name);
    if (unknown.length) {
      const show = await ctx.exec(['systemctl', 'show', '--property=Id,ActiveState', ...unknown]);
      for (const block of show.stdout.split(/\n\s*\n/)) {
        const id = /^Id=(.+)$/m.exec(block)?.[1];
        const state = /^ActiveState=(.+)$/m.exec(block)?.[1];
        if (id && state && services[id]) services[id].state = state;
      }
    }
    return factsResult({ services });
  },
});
