import { readFile } from 'node:fs/promises';
import { request } from 'node:https';
import { setTimeout as sleep } from 'node:timers/promises';
import { parse } from '../source/vendor/yaml.js';
import { Type } from '../source/vendor/typebox.js';
import { UnreachableError } from '../connections/types.js';
import { defineModule, ModuleFailure } from './types.js';

const Args = Type.Object(
  {
    etcd_members: Type.Optional(Type.Integer({ minimum: 1, description: 'On a control plane: the etcd member count to wait for.' })),
    timeout: Type.Optional(Type.Number({ description: 'Seconds (default 600).' })),
    kubeconfig: Type.Optional(Type.String({ description: "Also wait until this kubeconfig's Kubernetes API answers /readyz (a controller path)." })),
  },
  { additionalProperties: false },
);

type Svc = { id: string; state: string };

interface Kubeconfig {
  'current-context'?: string;
  contexts?: { name: string; context: { cluster: string; user: string } }[];
  clusters?: { name: string; cluster: { server: string; 'certificate-authority-data'?: string } }[];
  users?: { name: string; user: { 'client-certificate-data'?: string; 'client-key-data'?: string } }[];
}

/** GET /readyz with the kubeconfig's CA and client certificate: 'ready', or why not. */
async function apiReady(file: string): Promise<string> {
  let k: Kubeconfig;
  try {
    k = parse(await readFile(file, 'utf8')) as Kubeconfig;
  } catch (e) {
    return `no kubeconfig yet (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`;
  }
  const ctx = k.contexts?.find((c) => c.name === k['current-context'])?.context;
  const cluster = k.clusters?.find((c) => c.name === ctx?.cluster)?.cluster;
  const user = k.users?.find((u) => u.name === ctx?.user)?.user;
  if (!cluster?.server) throw new ModuleFailure(`${file}: no cluster for context ${k['current-context']}`);
  const b64 = (s?: string) => (s ? Buffer.from(s, 'base64') : undefined);
  return new Promise((resolve) => {
    const req = request(new URL('/readyz', cluster.server), { ca: b64(cluster['certificate-authority-data']), cert: b64(user?.['client-certificate-data']), key: b64(user?.['client-key-data']), timeout: 5000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200 ? 'ready' : `/readyz answered ${res.statusCode}`);
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', (e) => resolve(e.message));
    req.end();
  });
}

export default defineModule({
  name: 'talos_health',
  kind: 'action',
  description: 'Waits until the node answers over mutual TLS with kubelet (and on control planes etcd, with the expected member count) running, and, given a kubeconfig, until the Kubernetes API is ready. Reads only.',
  args: Args,
  async run(ctx, a) {
    const t = await ctx.talos();
    const deadline = Date.now() + (a.timeout ?? 600) * 1000;
    let last = '';
    for (;;) {
      try {
        const s = await (await t.secure()).call<{ messages: { services: Svc[] }[] }>('ServiceList');
        const svcs = s.messages[0]?.services ?? [];
        const state = (id: string) => svcs.find((x) => x.id === id)?.state;
        const cp = state('etcd') !== undefined;
        const waiting = ['kubelet', ...(cp ? ['etcd'] : [])].filter((id) => state(id) !== 'Running');
        let members: number | undefined;
        if (cp && !waiting.length && a.etcd_members) {
          const m = await (await t.secure()).call<{ messages: { members: unknown[] }[] }>('EtcdMemberList', {});
          members = m.messages[0]?.members.length ?? 0;
        }
        const servicesUp = !waiting.length && (members === undefined || members >= a.etcd_members!);
        const api = servicesUp && a.kubeconfig ? await apiReady(a.kubeconfig) : 'ready';
        if (servicesUp && api === 'ready') return { changed: false, data: { services: Object.fromEntries(svcs.map((x) => [x.id, x.state])), ...(members !== undefined ? { etcd_members: members } : {}), ...(a.kubeconfig ? { kubernetes_api: 'ready' } : {}) } };
        if (!servicesUp) last = waiting.length ? `waiting for ${waiting.map((id) => `${id} (${state(id) ?? 'absent'})`).join(', ')}` : `etcd has ${members} of ${a.etcd_members} members`;
        else last = `Kubernetes API: ${api}`;
      } catch (e) {
        // no talosconfig yet is not something waiting fixes (in --check, talos_secrets has not run)
        if (!(e instanceof UnreachableError) || /talosconfig .* does not exist/.test(e.message)) throw e;
        last = e.message;
      }
      if (Date.now() >= deadline || ctx.signal.aborted) throw new ModuleFailure(`${t.endpoint} not healthy after ${a.timeout ?? 600}s: ${last}`);
      await sleep(300, undefined, { signal: ctx.signal }).catch(() => undefined);
    }
  },
});
