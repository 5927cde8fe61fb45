import { Type } from '../source/vendor/typebox.js';
import { defineModule, ModuleFailure } from './types.js';
import service from './service.js';

const Args = Type.Object(
  {
    name: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9@_.:-]+$' })),
    state: Type.Optional(Type.Union([Type.Literal('started'), Type.Literal('stopped'), Type.Literal('restarted'), Type.Literal('reloaded')])),
    enabled: Type.Optional(Type.Boolean({ description: 'Started at boot.' })),
    daemon_reload: Type.Optional(Type.Boolean({ description: 'systemctl daemon-reload first (even with nothing else to do).' })),
    daemon_reexec: Type.Optional(Type.Boolean()),
    no_block: Type.Optional(Type.Boolean()),
    force: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

/**
 * ansible.builtin.systemd_service (and its name systemd): always systemctl. daemon-reload and
 * daemon-reexec run first (not in check mode; they change nothing a check could show, as under
 * ansible-core, which reports them unchanged); a unit on a host where systemd does not run fails
 * with systemctl's own complaint, as ansible-core's fallback `systemctl` call does.
 */
export default defineModule({
  name: 'systemd_service',
  kind: 'state',
  description: 'A systemd unit started/stopped and enabled or not, through systemctl; daemon-reload on its own too.',
  args: Args,
  aliases: { 'daemon-reload': 'daemon_reload', 'daemon-reexec': 'daemon_reexec', unit: 'name', service: 'name' },
  async check(ctx, a) {
    for (const [on, verb] of [[a.daemon_reload, 'daemon-reload'], [a.daemon_reexec, 'daemon-reexec']] as const) {
      if (!on || ctx.checkMode) continue;
      const r = await ctx.exec(['systemctl', verb], { signal: ctx.signal });
      if (r.rc !== 0) throw new ModuleFailure(`failure ${r.rc} during ${verb}: ${r.stderr}`);
    }
    if (!a.name) return { kind: 'ok', why: a.daemon_reload ? 'systemd reloaded its units' : 'nothing asked', data: { changed: false, status: {} } };
    if (a.state === undefined && a.enabled === undefined) return { kind: 'ok', why: `${a.name}: nothing asked`, data: { name: a.name, status: {} } };
    const running = await ctx.exec({ shell: '[ -d /run/systemd/system ] || systemctl' }, { signal: ctx.signal });
    if (running.rc !== 0) throw new ModuleFailure(running.stderr.trim() || running.stdout.trim() || `systemctl exited ${running.rc}`, { rc: running.rc });
    return service.check(ctx, { name: a.name, state: a.state, enabled: a.enabled });
  },
  apply: (ctx, a, diff) => service.apply(ctx, { name: a.name!, state: a.state, enabled: a.enabled }, diff),
});
