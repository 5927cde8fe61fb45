import { Type } from '@sinclair/typebox';
import { defineModule, ControllerFailure, ModuleFailure, type ModuleCtx } from './types.js';
import { asStored, differences, liveObjects, liveOf, must, objectsOf, ref, serverSideApply, yamlDocs, type KubeObj } from './util/kube.js';

const Args = Type.Object(
  {
    src: Type.Optional(Type.String({ description: 'A controller YAML file (looked up in files/), one or more documents.' })),
    definition: Type.Optional(Type.Union([Type.String(), Type.Object({}), Type.Array(Type.Object({}))], { description: 'Inline object(s) or YAML text.' })),
    namespace: Type.Optional(Type.String({ description: 'For namespaced objects that name none.' })),
    state: Type.Optional(Type.Union([Type.Literal('present'), Type.Literal('absent')])),
    apply: Type.Optional(Type.Boolean({ description: 'Accepted for kubernetes.core.k8s; objects are always server-side applied.' })),
  },
  { additionalProperties: false },
);
type A = typeof Args.static;

async function desired(ctx: ModuleCtx, a: A): Promise<KubeObj[]> {
  if ((a.src === undefined) === (a.definition === undefined)) throw new ModuleFailure('give src or definition (one of them)');
  if (a.definition !== undefined) return objectsOf(a.definition, 'definition');
  const file = ctx.local.find(a.src!, 'files');
  if (!file) throw new ControllerFailure(`could not find src '${a.src}' (looked in files/ of the role and playbook)`);
  return objectsOf((await ctx.local.read(file)).toString('utf8'), a.src!);
}

export default defineModule({
  name: 'kube_manifest',
  kind: 'state',
  description: 'Kubernetes objects applied with server-side apply (field manager agri-play), only those whose fields differ from the live ones; state=absent deletes them.',
  args: Args,
  // kubernetes.core.k8s's names
  aliases: { resource_definition: 'definition' },
  async check(ctx, a) {
    const k = await ctx.kube();
    const want = (await desired(ctx, a)).map(asStored);
    const live = await liveObjects(k, want, a.namespace);
    const have = want.map((o) => ({ o, live: liveOf(live, o, a.namespace) }));
    if (a.state === 'absent') {
      const present = have.filter((x) => x.live).map((x) => ref(x.o));
      return present.length ? { kind: 'remove', target: present.join(', '), data: { objects: present } } : { kind: 'ok', why: `${want.length} object(s) absent` };
    }
    const diffs = have.map(({ o, live: l }) => ({ o, fields: l ? differences(o, l).map((f) => ({ ...f, path: `${ref(o)}: ${f.path}` })) : [{ path: ref(o), to: 'created' }] }));
    const stale = diffs.filter((d) => d.fields.length);
    if (!stale.length) return { kind: 'ok', why: `${want.length} object(s) up to date`, data: { objects: want.map(ref) } };
    const fields = stale.flatMap((d) => (d.o.kind === 'Secret' ? d.fields.map((f) => ({ path: f.path, to: '(secret data not shown)' })) : d.fields));
    return { kind: have.every((x) => !x.live) ? 'create' : 'modify', target: stale.map((d) => ref(d.o)).join(', '), fields, data: { objects: stale.map((d) => ref(d.o)) } };
  },
  async apply(ctx, a, diff) {
    const k = await ctx.kube();
    const want = (await desired(ctx, a)).map(asStored);
    const names = new Set((diff.data?.objects as string[] | undefined) ?? []);
    const todo = want.filter((o) => names.has(ref(o)));
    if (a.state === 'absent') {
      must(await k.kubectl(['delete', '-f', '-', '--ignore-not-found', '--wait=false', ...(a.namespace ? ['-n', a.namespace] : [])], { stdin: yamlDocs(want) }));
    } else await serverSideApply(k, todo, a.namespace);
    return { objects: todo.map(ref) };
  },
});
