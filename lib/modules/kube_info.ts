import { Type } from '@sinclair/typebox';
import { defineModule } from './types.js';
import { must } from './util/kube.js';

const Args = Type.Object(
  {
    kind: Type.String(),
    name: Type.Optional(Type.String({ description: 'One object; without it, all of the kind (in the namespace).' })),
    namespace: Type.Optional(Type.String()),
    label_selectors: Type.Optional(Type.Array(Type.String())),
    api_version: Type.Optional(Type.String({ description: 'Accepted for kubernetes.core.k8s_info; kubectl resolves the kind.' })),
  },
  { additionalProperties: false },
);

export default defineModule({
  name: 'kube_info',
  kind: 'action',
  description: 'Reads objects (kubernetes.core.k8s_info\'s shape: `resources` is a list, empty when none); Secret data is masked.',
  args: Args,
  async run(ctx, a) {
    const k = await ctx.kube();
    const args = ['get', a.name ? `${a.kind}/${a.name}` : a.kind, '-o', 'json', '--ignore-not-found', ...(a.namespace ? ['-n', a.namespace] : []), ...(a.label_selectors?.length ? ['-l', a.label_selectors.join(',')] : [])];
    const out = must(await k.kubectl(args)).stdout.trim();
    const doc = out ? (JSON.parse(out) as { items?: Record<string, unknown>[] }) : undefined;
    const resources = !doc ? [] : Array.isArray(doc.items) ? doc.items : [doc as Record<string, unknown>];
    for (const r of resources) if (r.kind === 'Secret' || a.kind.toLowerCase().startsWith('secret')) for (const v of Object.values((r.data as Record<string, string>) ?? {})) ctx.secrets?.protect(v);
    return { changed: false, data: { resources } };
  },
});
