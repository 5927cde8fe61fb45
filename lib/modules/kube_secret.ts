import { Type } from '../source/vendor/typebox.js';
import { defineModule } from './types.js';
import { liveObjects, must, serverSideApply, type KubeObj, KubeTarget } from './util/kube.js';

const Args = Type.Object(
  {
    name: Type.String(),
    namespace: Type.String(),
    data: Type.Optional(Type.Record(Type.String(), Type.String(), { description: 'Key → value (plain text; stored base64). Never printed.' })),
    type: Type.Optional(Type.String({ description: 'Default Opaque.' })),
    labels: Type.Optional(Type.Record(Type.String(), Type.String())),
    state: Type.Optional(Type.Union([Type.Literal('present'), Type.Literal('absent')])),
    ...KubeTarget,
  },
  { additionalProperties: false },
);
type A = typeof Args.static;

function secretObject(a: A): KubeObj {
  const data = Object.fromEntries(Object.entries(a.data ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')]));
  return { apiVersion: 'v1', kind: 'Secret', metadata: { name: a.name, namespace: a.namespace, ...(a.labels ? { labels: a.labels } : {}) }, type: a.type ?? 'Opaque', data };
}

export default defineModule({
  name: 'kube_secret',
  kind: 'state',
  description: 'A Secret whose keys hold the given values (from the secret store); values are never shown, only which keys differ.',
  args: Args,
  async check(ctx, a) {
    for (const v of Object.values(a.data ?? {})) ctx.secrets?.protect(v); // the redactor covers its base64 form too
    const want = secretObject(a);
    const target = `secret ${a.namespace}/${a.name}`;
    const live = (await liveObjects(await ctx.kube(a), [want])).get(`Secret/${a.namespace}/${a.name}`);
    if (a.state === 'absent') return live ? { kind: 'remove', target } : { kind: 'ok', why: `${target} is absent` };
    const keys = Object.keys(want.data as object);
    if (!live) return { kind: 'create', target, fields: keys.map((k) => ({ path: `data.${k}`, to: '(secret)' })), data: { keys } };
    const liveData = (live.data ?? {}) as Record<string, string>;
    const fields = keys.filter((k) => liveData[k] !== (want.data as Record<string, string>)[k]).map((k) => ({ path: `data.${k}`, from: k in liveData ? '(secret)' : undefined, to: '(secret, changed)' }));
    const labels = Object.entries(a.labels ?? {}).filter(([k, v]) => live.metadata.labels?.[k] !== v).map(([k, v]) => ({ path: `labels.${k}`, from: live.metadata.labels?.[k], to: v }));
    if ((a.type ?? 'Opaque') !== live.type) fields.push({ path: 'type', from: String(live.type), to: a.type ?? 'Opaque' });
    return fields.length + labels.length ? { kind: 'modify', target, fields: [...fields, ...labels], data: { keys } } : { kind: 'ok', why: `${target} holds its ${keys.length} key(s)`, data: { keys } };
  },
  async apply(ctx, a) {
    const k = await ctx.kube(a);
    if (a.state === 'absent') must(await k.kubectl(['delete', 'secret', a.name, '-n', a.namespace, '--ignore-not-found']));
    else await serverSideApply(k, [secretObject(a)]);
    return { name: a.name, namespace: a.namespace, keys: Object.keys(a.data ?? {}) };
  },
});
