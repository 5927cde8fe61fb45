import { Type } from '../source/vendor/typebox.js';
import { defineModule, ModuleFailure, type FieldChange, type ModuleCtx } from './types.js';
import { runOk } from './util/run.js';
import { splitWords } from '../source/splitter.js';

const Args = Type.Object(
  {
    name: Type.String({ pattern: '^[A-Za-z0-9@_.:-]+$' }),
    state: Type.Optional(Type.Union([Type.Literal('started'), Type.Literal('stopped'), Type.Literal('restarted'), Type.Literal('reloaded')])),
    enabled: Type.Optional(Type.Boolean({ description: 'Started at boot.' })),
    daemon_reload: Type.Optional(Type.Boolean({ description: 'systemd: systemctl daemon-reload first.' })),
    use: Type.Optional(Type.String({ description: "The service manager (ansible-core's service action: auto, default): systemd, or sysvinit for the init scripts; any other (service) as auto." })),
    pattern: Type.Optional(Type.String({ description: 'SysV: the service is running when a process (ps auxww) has this text in its line, not when its status says so.' })),
    sleep: Type.Optional(Type.Integer({ description: 'SysV: seconds between the stop and the start of a restart.' })),
    arguments: Type.Optional(Type.String({ description: "SysV: more words for the init script's command line." })),
    runlevel: Type.Optional(Type.String({ description: 'OpenRC only (not a Linux SysV or systemd host): passed over.' })),
  },
  { additionalProperties: false },
);
type A = typeof Args.static;

/** The init system's answers and verbs: systemd where it runs, else SysV init scripts (service, update-rc.d). */
interface Init {
  kind: 'systemd' | 'sysv';
  running(name: string): Promise<boolean>;
  enabled(name: string): Promise<boolean>;
  act(name: string, verb: 'start' | 'stop' | 'restart' | 'reload'): string[];
  enable(name: string, on: boolean): string[];
}

/** Which init system runs the host's services, in one round trip. */
async function detect(ctx: ModuleCtx): Promise<Init['kind']> {
  const out = await runOk(ctx, { shell: 'if [ -d /run/systemd/system ]; then echo systemd; elif command -v service >/dev/null 2>&1; then echo sysv; fi' });
  const kind = out.trim();
  if (kind !== 'systemd' && kind !== 'sysv') throw new ModuleFailure('no init system found (neither systemd running nor the service command)');
  return kind;
}

function initOf(ctx: ModuleCtx, kind: Init['kind']): Init {
  const rc = async (cmd: string[]) => (await ctx.exec(cmd, { signal: ctx.signal })).rc;
  if (kind === 'systemd')
    return {
      kind,
      running: async (n) => (await rc(['systemctl', 'is-active', '--quiet', n])) === 0,
      enabled: async (n) => (await rc(['systemctl', 'is-enabled', '--quiet', n])) === 0,
      act: (n, v) => ['systemctl', v, n],
      enable: (n, on) => ['systemctl', on ? 'enable' : 'disable', n],
    };
  return {
    kind,
    // LSB: status exits 0 when running, 3 when stopped
    running: async (n) => (await rc(['service', n, 'status'])) === 0,
    enabled: async (n) => (await rc(['sh', '-c', `ls /etc/rc[2-5].d/S??${n} >/dev/null 2>&1`])) === 0,
    act: (n, v) => ['service', n, v],
    enable: (n, on) => ['update-rc.d', n, on ? 'defaults' : 'disable'],
  };
}

async function exists(ctx: ModuleCtx, i: Init, name: string): Promise<boolean> {
  if (i.kind === 'sysv') return (await ctx.exec(['test', '-x', `/etc/init.d/${name}`])).rc === 0;
  const r = await ctx.exec(['systemctl', 'show', '-p', 'LoadState', '--value', name]);
  return r.stdout.trim() !== 'not-found';
}

/** Whether the service runs: its status, or on init scripts with `pattern`, LinuxService.check_ps (a line of `ps auxww` has the pattern, not a module's own `pattern=` line). */
async function runs(ctx: ModuleCtx, i: Init, a: A): Promise<boolean> {
  if (a.pattern === undefined || i.kind !== 'sysv') return i.running(a.name);
  const out = await runOk(ctx, ['ps', 'auxww']);
  return out.split('\n').some((l) => l.includes(a.pattern!) && !l.includes('pattern='));
}

/**
 * The service action's words for what a systemd host does not use (ansible-core hands its task to
 * the systemd module, without them): a warning each.
 */
function unused(i: Init, a: A): { warnings?: string[] } {
  if (i.kind !== 'systemd') return {};
  const warnings = (['pattern', 'runlevel', 'sleep', 'arguments'] as const).filter((k) => a[k] !== undefined).map((k) => `Ignoring "${k}" as it is not used in "systemd"`);
  return warnings.length ? { warnings } : {};
}

/** LinuxService.service_control: a restart of an init script is a stop, `sleep` seconds, then a start (not every script has restart); `arguments` after the verb. */
async function control(ctx: ModuleCtx, i: Init, a: A, verb: 'start' | 'stop' | 'restart' | 'reload'): Promise<void> {
  if (i.kind === 'systemd') return void (await runOk(ctx, i.act(a.name, verb)));
  const extra = a.arguments ? splitWords(a.arguments) : [];
  if (verb !== 'restart') return void (await runOk(ctx, [...i.act(a.name, verb), ...extra]));
  await ctx.exec([...i.act(a.name, 'stop'), ...extra], { signal: ctx.signal });
  if (a.sleep) await new Promise((r) => setTimeout(r, a.sleep! * 1000));
  await runOk(ctx, [...i.act(a.name, 'start'), ...extra]);
}

export default defineModule({
  name: 'service',
  kind: 'state',
  description: 'A service started/stopped (restarted/reloaded always act) and enabled at boot or not, through systemd where it runs, else SysV init scripts.',
  args: Args,
  // (systemd's spelling too: ansible-core's service action hands a systemd host's task to the systemd module)
  aliases: { 'daemon-reload': 'daemon_reload', args: 'arguments' },
  async check(ctx, a: A) {
    const i = initOf(ctx, a.use === 'systemd' ? 'systemd' : a.use === 'sysvinit' ? 'sysv' : await detect(ctx));
    // (the module the action picked checks its arguments first: systemd's, or the service module's)
    if (a.state === undefined && a.enabled === undefined && !(i.kind === 'systemd' && a.daemon_reload !== undefined)) throw new ModuleFailure(`one of the following is required: ${i.kind === 'systemd' ? 'state, enabled, masked, daemon_reload, daemon_reexec' : 'state, enabled'}`);
    if (!(await exists(ctx, i, a.name))) throw new ModuleFailure(`Could not find the requested service ${a.name}: host`);
    const running = await runs(ctx, i, a);
    const enabled = a.enabled === undefined ? undefined : await i.enabled(a.name);
    const fields: FieldChange[] = [];
    if (a.state === 'started' && !running) fields.push({ path: 'state', from: 'stopped', to: 'started' });
    if (a.state === 'stopped' && running) fields.push({ path: 'state', from: 'started', to: 'stopped' });
    if (a.state === 'restarted' || a.state === 'reloaded') fields.push({ path: 'state', from: running ? 'started' : 'stopped', to: a.state });
    if (a.enabled !== undefined && enabled !== a.enabled) fields.push({ path: 'enabled', from: enabled, to: a.enabled });
    const data = { name: a.name, init: i.kind, state: running ? 'started' : 'stopped', ...(enabled !== undefined ? { enabled } : {}), ...unused(i, a) };
    return fields.length ? { kind: 'modify', target: `service ${a.name}`, fields, data } : { kind: 'ok', why: `${a.name} is ${running ? 'running' : 'stopped'}${enabled === undefined ? '' : enabled ? ', enabled' : ', disabled'}`, data };
  },
  async apply(ctx, a, diff) {
    // the init system check found
    const i = initOf(ctx, (diff.data as { init: Init['kind'] }).init);
    if (a.daemon_reload && i.kind === 'systemd') await runOk(ctx, ['systemctl', 'daemon-reload']);
    for (const f of diff.fields ?? []) {
      if (f.path === 'enabled') await runOk(ctx, i.enable(a.name, a.enabled!));
      else if (f.path === 'state') await control(ctx, i, a, f.to === 'started' ? 'start' : f.to === 'stopped' ? 'stop' : f.to === 'restarted' ? 'restart' : 'reload');
    }
    return { name: a.name, state: (await runs(ctx, i, a)) ? 'started' : 'stopped' };
  },
});
