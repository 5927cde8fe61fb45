import { createServer, connect, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy on loopback that delays every chunk by `oneWayMs` in each direction (so the round
 * trip grows by 2 × oneWayMs), keeping order. This kernel has no netem; this stands in for a slow
 * rural link in benchmarks.
 */
export async function delayProxy(targetPort: number, oneWayMs: number): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  // one queue per direction, drained in arrival order: separate timers per chunk could fire out
  // of order (Node keeps a timer list per duration), which scrambles the byte stream
  const pipe = (from: Socket, to: Socket) => {
    const queue: { due: number; chunk: Buffer | null }[] = [];
    let timer: NodeJS.Timeout | undefined;
    const drain = () => {
      timer = undefined;
      while (queue.length && queue[0].due <= Date.now()) {
        const { chunk } = queue.shift()!;
        if (chunk === null) to.end();
        else if (to.writable) to.write(chunk);
      }
      if (queue.length) timer = setTimeout(drain, queue[0].due - Date.now());
    };
    const push = (chunk: Buffer | null) => {
      queue.push({ due: Date.now() + oneWayMs, chunk });
      timer ??= setTimeout(drain, oneWayMs);
    };
    from.on('data', (chunk: Buffer) => push(chunk));
    from.on('end', () => push(null));
    from.on('error', () => to.destroy());
  };
  const server: Server = createServer((client) => {
    const upstream = connect(targetPort, '127.0.0.1');
    sockets.add(client).add(upstream);
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    pipe(client, upstream);
    pipe(upstream, client);
    const drop = () => (sockets.delete(client), sockets.delete(upstream));
    client.on('close', drop);
    upstream.on('close', drop);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
