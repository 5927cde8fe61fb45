import { connect } from 'node:net';
import { shq } from '../../connections/quote.js';
import { pyRegex } from '../../source/pyregex.js';
import type { ModuleCtx } from '../types.js';

/** Whether the host's connection is this machine (a probe is made from here, no command). */
async function onController(ctx: ModuleCtx): Promise<boolean> {
  const kind = ctx.connectionKind ? await ctx.connectionKind() : 'local';
  return kind === 'local' || kind === 'memory';
}

/**
 * A TCP connection made from the controller within `connectSeconds`: resolves with what the peer sent
 * until `until` says enough, it closed, or `readSeconds` ran out (null: no connection).
 */
function fromHere(host: string, port: number, connectSeconds: number, readSeconds = 0, until?: (data: Buffer) => boolean): Promise<Buffer | null> {
  return new Promise((resolve) => {
    const s = connect({ host, port });
    let data = Buffer.alloc(0);
    let connected = false;
    let timer: NodeJS.Timeout | undefined;
    const done = () => {
      clearTimeout(timer);
      s.destroy();
      resolve(connected ? data : null);
    };
    s.setTimeout(connectSeconds * 1000, done);
    s.once('connect', () => {
      connected = true;
      s.setTimeout(0);
      if (!until) return done();
      timer = setTimeout(done, readSeconds * 1000);
    });
    s.on('data', (d: Buffer) => {
      data = Buffer.concat([data, d]);
      if (until?.(data)) done();
    });
    s.once('end', done);
    s.once('error', () => done());
  });
}

/**
 * Whether a TCP connection to host:port succeeds when the host makes it, as ansible-core's module
 * makes it there (its 127.0.0.1 is the host itself): python3's socket, else bash's /dev/tcp, else nc.
 */
export async function portOpen(ctx: ModuleCtx, host: string, port: number, seconds: number): Promise<boolean> {
  if (await onController(ctx)) return (await fromHere(host, port, seconds)) !== null;
  const py = "import socket,sys\ntry:\n socket.create_connection((sys.argv[1], int(sys.argv[2])), float(sys.argv[3])).close()\nexcept Exception:\n sys.exit(1)";
  const script = `h=${shq(host)}; p=${port}; t=${seconds}
if command -v python3 >/dev/null 2>&1; then python3 -c ${shq(py)} "$h" "$p" "$t"
elif command -v bash >/dev/null 2>&1; then timeout "$t" bash -c 'exec 3<>"/dev/tcp/$0/$1"' "$h" "$p" 2>/dev/null
else nc -z -w "$t" "$h" "$p"; fi`;
  return (await ctx.exec({ shell: script }, { signal: ctx.signal })).rc === 0;
}

/** The host's python reads what the port sends until the (Python) regex matches it, the peer closes, or time runs out: exit 0 on a match. */
const SAYS = `import re,select,socket,sys,time
end = time.time() + float(sys.argv[4])
try:
    s = socket.create_connection((sys.argv[1], int(sys.argv[2])), float(sys.argv[5]))
except Exception:
    sys.exit(1)
rx = re.compile(sys.argv[3].encode(), re.MULTILINE)
data = b''
while time.time() < end:
    if not select.select([s], [], [], max(0, end - time.time()))[0]:
        continue
    got = s.recv(1024)
    if not got:
        break
    data += got
    if rx.search(data):
        sys.exit(0)
sys.exit(1)`;

/** wait_for's port with search_regex: connected to within `connectSeconds`, and what it sends matched within the wait's `leftSeconds`. */
export async function portSays(ctx: ModuleCtx, host: string, port: number, regex: string, connectSeconds: number, leftSeconds: number): Promise<{ done: boolean; fail?: string }> {
  if (await onController(ctx)) {
    const re = pyRegex(regex, { multiline: true });
    const data = await fromHere(host, port, connectSeconds, leftSeconds, (d) => re.test(d.toString('latin1')));
    return { done: data !== null && re.test(data.toString('latin1')) };
  }
  const r = await ctx.exec(['python3', '-c', SAYS, host, String(port), regex, String(leftSeconds), String(connectSeconds)], { signal: ctx.signal });
  if (r.rc === 127) return { done: false, fail: 'wait_for with search_regex on a port needs python3 on the host' };
  return { done: r.rc === 0 };
}
