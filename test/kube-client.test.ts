import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { join } from 'node:path';
import { KubeClient } from '../lib/connections/kube/client.js';
import { fixture } from './helpers.js';

// The API client against a plain HTTP server on loopback that resets connections the way a
// server closing an idle kept-alive socket does: the request was sent, no byte came back.

async function serve(resetWhen: (served: number) => boolean): Promise<{ server: Server; url: string; requests: () => number }> {
  const served = new WeakMap<Socket, number>();
  let requests = 0;
  const server = createServer((req, res) => {
    requests++;
    const n = served.get(req.socket) ?? 0;
    if (resetWhen(n)) {
      req.socket.resetAndDestroy();
      return;
    }
    served.set(req.socket, n + 1);
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ kind: 'Namespace', metadata: { name: req.url } }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests: () => requests };
}

const client = (url: string) => {
  const dir = fixture({ kubeconfig: `apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: "${url}"}}]\ncontexts: [{name: c, context: {cluster: c, user: u}}]\ncurrent-context: c\nusers: [{name: u, user: {token: t}}]\n` });
  const c = KubeClient.fromKubeconfig(join(dir, 'kubeconfig'), undefined, 'kube lab');
  assert.ok(c);
  return c;
};

test('kube client: a GET on a kept-alive socket the server reset is sent once more on a new socket', async () => {
  const { server, url, requests } = await serve((served) => served >= 1); // every socket serves one request, then resets
  const c = client(url);
  try {
    assert.deepEqual(await c.get('/api/v1/namespaces/a'), { kind: 'Namespace', metadata: { name: '/api/v1/namespaces/a' } });
    assert.deepEqual(await c.get('/api/v1/namespaces/b'), { kind: 'Namespace', metadata: { name: '/api/v1/namespaces/b' } });
    assert.equal(requests(), 3); // a, b reset on the reused socket, b again
  } finally {
    c.close();
    server.close();
  }
});

test('kube client: a reset on a fresh socket is not retried: unreachable, in kubectl\'s words', async () => {
  const { server, url, requests } = await serve(() => true);
  const c = client(url);
  try {
    await assert.rejects(c.get('/api/v1/namespaces/a'), { message: `kube lab: unable to connect to the server ${url}: connection reset by peer` });
    assert.equal(requests(), 1);
  } finally {
    c.close();
    server.close();
  }
});
