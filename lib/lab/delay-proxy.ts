import { createServer, connect, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy on loopback that delays every chunk by `oneWayMs` in each direction (so the round
 * trip grows by 2 × oneWayMs), keeping order. This kernel has no netem; this stands in for a slow
 * rural link in benchmarks.
 */
export async function delayProxy(targetPort: number, oneWayMs: number): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const pipe = (from: Socket, to: Socket) => {
    let last = 0;
    from.on('data', (chunk: Buffer) => {
      const at = Math.max(Date.now() + oneWayMs, last);
      last = at;
      setTimeout(() => to.writable && to.write(chunk), at - Date.now());
    });
    from.on('end', () => setTimeout(() => to.end(), Math.max(0, last - Date.now()) + 1));
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
