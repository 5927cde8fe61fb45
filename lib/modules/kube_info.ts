import { Type } from '../source/vendor/typebox.js';
import { defineModule } from './types.js';
import type { KubeApi } from '../connections/index.js';
import { must, KubeTarget } from './util/kube.js';

const Args = Type.Object(
  {
    kind: Type.String(),
    name: Type.Optional(Type.String({ description: 'One object; without it, all of the kind (in the namespace).' })),
    namespace: Type.Optional(Type.String()),
    label_selectors: Type.Optional(Type.Array(Type.String())),
    api_version: Type.Optional(Type.String({ description: 'Accepted for kubernetes.core.k8s_info; the kind is resolved by discovery.' })),
    ...KubeTarget,
  },
  { additionalProperties: false },
);
type A = typeof Args.static;

export default defineModule({
  name: 'kube_info',
  kind: 'action',
  description: 'Reads objects (kubernetes.core.k8s_info\'s shape: `resources` is a list, empty when none); Secret data is masked.',
  args: Args,
  async run(ctx, a) {
    const k = await ctx.kube(a);
    const resources = (await nativeRead(k, a)) ?? (await viaKubectl(k, a));
    for (const r of resources) if (r.kind === 'Secret' || a.kind.toLowerCase().startsWith('secret')) for (const v of Object.values((r.data as Record<string, string>) ?? {})) ctx.secrets?.protect(v);
    return { changed: false, data: { resources } };
  },
});

type Obj = Record<string, unknown>;

/** Over the API: one GET (a list carries each item's apiVersion and kind, as kubectl prints them). */
async function nativeRead(k: KubeApi, a: A): Promise<Obj[] | undefined> {
  const api = await k.api();
  const r = api && (a.api_version ? await api.resourceFor(a.api_version, a.kind) : await api.resolve(a.kind));
  if (!api || !r) return undefined;
  const ns = a.namespace ?? api.namespace;
  if (a.name) {
    const one = await api.get<Obj>(api.path(r, a.name, ns));
    return one ? [one] : [];
  }
  const q = a.label_selectors?.length ? `?labelSelector=${encodeURIComponent(a.label_selectors.join(','))}` : '';
  const list = await api.get<{ items?: Obj[] }>(api.path(r, undefined, ns) + q);
  const apiVersion = r.group ? `${r.group}/${r.version}` : r.version;
  return (list?.items ?? []).map((o) => ({ apiVersion, kind: r.kind, ...o }));
}

async function viaKubectl(k: KubeApi, a: A): Promise<Obj[]> {
  const args = ['get', a.name ? `${a.kind}/${a.name}` : a.kind, '-o', 'json', '--ignore-not-found', ...(a.namespace ? ['-n', a.namespace] : []), ...(a.label_selectors?.length ? ['-l', a.label_selectors.join(',')] : [])];
  const out = must(await k.kubectl(args)).stdout.trim();
  const doc = out ? (JSON.parse(out) as { items?: Obj[] }) : undefined;
  return !doc ? [] : Array.isArray(doc.items) ? doc.items : [doc as Obj];
}
