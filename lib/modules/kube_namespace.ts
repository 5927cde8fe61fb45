import { Type } from '../source/vendor/typebox.js';
import { defineModule } from './types.js';
import { differences, liveObjects, must, serverSideApply, type KubeObj, KubeTarget } from './util/kube.js';

const Labels = Type.Record(Type.String(), Type.String());
const Args = Type.Object(
  {
    name: Type.String({ pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$', maxLength: 63 }),
    labels: Type.Optional(Labels),
    annotations: Type.Optional(Labels),
    state: Type.Optional(Type.Union([Type.Literal('present'), Type.Literal('absent')])),
    ...KubeTarget,
  },
  { additionalProperties: false },
);

export const namespaceObject = (name: string, labels?: Record<string, string>, annotations?: Record<string, string>): KubeObj => ({
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name, ...(labels ? { labels } : {}), ...(annotations ? { annotations } : {}) },
});

export default defineModule({
  name: 'kube_namespace',
  kind: 'state',
  description: 'A namespace with the given labels (e.g. Pod Security privileged) and annotations; absent deletes it and everything in it.',
  args: Args,
  async check(ctx, a) {
    const want = namespaceObject(a.name, a.labels, a.annotations);
    const live = (await liveObjects(await ctx.kube(a), [want])).get(`Namespace/${a.name}`);
    if (a.state === 'absent') return live ? { kind: 'remove', target: `namespace ${a.name}` } : { kind: 'ok', why: `namespace ${a.name} is absent` };
    if (!live) return { kind: 'create', target: `namespace ${a.name}`, fields: Object.entries(a.labels ?? {}).map(([k, v]) => ({ path: `labels.${k}`, to: v })) };
    const fields = differences(want.metadata, live.metadata);
    return fields.length ? { kind: 'modify', target: `namespace ${a.name}`, fields } : { kind: 'ok', why: `namespace ${a.name} has its labels` };
  },
  async apply(ctx, a) {
    const k = await ctx.kube(a);
    if (a.state === 'absent') must(await k.kubectl(['delete', 'namespace', a.name, '--ignore-not-found', '--wait=false']));
    else await serverSideApply(k, [namespaceObject(a.name, a.labels, a.annotations)]);
    return { namespace: a.name };
  },
});
