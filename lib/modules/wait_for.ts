import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { Type } from '../source/vendor/typebox.js';
import { shq } from '../connections/quote.js';
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

/**
 * A TCP connect made by the host, as ansible-core's module makes it there (`host` is seen from the
 * host: its default 127.0.0.1 is the host itself): python3's socket, else bash's /dev/tcp, else nc.
 */
async function probeOnHost(ctx: ModuleCtx, host: string, port: number, seconds: number): Promise<boolean> {
  const py = "import socket,sys\ntry:\n socket.create_connection((sys.argv[1], int(sys.argv[2])), float(sys.argv[3])).close()\nexcept Exception:\n sys.exit(1)";
  const script = `h=${shq(host)}; p=${port}; t=${seconds}
if command -v python3 >/dev/null 2>&1; then python3 -c ${shq(py)} "$h" "$p" "$t"
elif command -v bash >/dev/null 2>&1; then timeout "$t" bash -c 'exec 3<>"/dev/tcp/$0/$1"' "$h" "$p" 2>/dev/null
else nc -z -w "$t" "$h" "$p"; fi`;
  return (await ctx.exec({ shell: script })).rc === 0;
}

async function satisfied(ctx: ModuleCtx, a: A): Promise<boolean> {
  const wantUp = !a.state || a.state === 'started' || a.state === 'present';
  let up: boolean;
  if (a.port === undefined) up = Boolean(await ctx.files.stat(a.path!));
  else {
    const [host, seconds] = [a.host ?? '127.0.0.1', a.connect_timeout ?? 5];
    // (a local connection's host is the controller: connected to from here, no command)
    const kind = ctx.connectionKind ? await ctx.connectionKind() : 'local';
    up = kind === 'local' || kind === 'memory' ? await probePort(host, a.port, seconds * 1000) : await probeOnHost(ctx, host, a.port, seconds);
  }
  return up === wantUp;
}

export default defineModule({
  name: 'wait_for',
  kind: 'state',
  description: 'Waits until a TCP port (connected to by the host, as ansible-core\'s module does; from the controller for a local host) or a file on the host is there (or gone).',
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
