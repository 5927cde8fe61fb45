import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { Type } from '../source/vendor/typebox.js';
import { defineModule, ModuleFailure, type ModuleCtx } from './types.js';

const Args = Type.Object(
  {
    host: Type.Optional(Type.String({ description: 'Address to probe (default 127.0.0.1).' })),
    port: Type.Optional(Type.Integer({ minimum: 1, maximum: 65535, description: 'TCP port to wait for.' })),
    path: Type.Optional(Type.String({ description: 'A file to wait for instead of a port.' })),
    state: Type.Optional(Type.Union(['started', 'stopped', 'present', 'absent'].map((s) => Type.Literal(s)))),
    timeout: Type.Optional(Type.Number({ description: 'Seconds to wait (default 300).' })),
    delay: Type.Optional(Type.Number({ description: 'Seconds before the first probe.' })),
    sleep: Type.Optional(Type.Number({ description: 'Seconds between probes (default 1).' })),
    connect_timeout: Type.Optional(Type.Number()),
    msg: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);
type A = typeof Args.static;

function probePort(host: string, port: number, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host, port });
    const done = (ok: boolean) => {
      s.destroy();
      resolve(ok);
    };
    s.setTimeout(ms, () => done(false));
    s.once('connect', () => done(true));
    s.once('error', () => done(false));
  });
}

async function satisfied(ctx: ModuleCtx, a: A): Promise<boolean> {
  const wantUp = !a.state || a.state === 'started' || a.state === 'present';
  const up = a.port !== undefined ? await probePort(a.host ?? '127.0.0.1', a.port, (a.connect_timeout ?? 5) * 1000) : Boolean(await ctx.files.stat(a.path!));
  return up === wantUp;
}

export default defineModule({
  name: 'wait_for',
  kind: 'state',
  description: 'Waits until a TCP port (probed from the controller) or a file on the host is there (or gone).',
  args: Args,
  async check(ctx, a) {
    if (a.port === undefined && a.path === undefined) throw new ModuleFailure('wait_for needs port or path');
    if (!a.delay && (await satisfied(ctx, a))) return { kind: 'ok', why: `${a.port !== undefined ? `port ${a.port}` : a.path} is ${a.state ?? 'started'}`, data: { elapsed: 0 } };
    return { kind: 'run' };
  },
  async apply(ctx, a) {
    const started = ctx.now();
    if (a.delay) await sleep(a.delay * 1000, undefined, { signal: ctx.signal });
    const limit = (a.timeout ?? 300) * 1000;
    const t0 = Date.now();
    for (;;) {
      if (await satisfied(ctx, a)) return { changed: false, elapsed: Math.round(ctx.now() - started) };
      if (Date.now() - t0 >= limit) throw new ModuleFailure(a.msg ?? `Timeout when waiting for ${a.port !== undefined ? `${a.host ?? '127.0.0.1'}:${a.port}` : a.path}`, { elapsed: Math.round(ctx.now() - started) });
      await sleep((a.sleep ?? 1) * 1000, undefined, { signal: ctx.signal });
    }
  },
});
