import { Type } from '../source/vendor/typebox.js';
import { defineModule, ControllerFailure, ModuleFailure, type ModuleCtx } from './types.js';
import { asStored, differences, liveObjects, liveOf, must, objectsOf, ref, serverSideApply, yamlDocs, type KubeObj, KubeTarget } from './util/kube.js';

const Args = Type.Object(
  {
    src: Type.Optional(Type.String({ description: 'A controller YAML file (looked up in files/), one or more documents.' })),
    definition: Type.Optional(Type.Union([Type.String(), Type.Object({}), Type.Array(Type.Object({}))], { description: 'Inline object(s) or YAML text.' })),
    namespace: Type.Optional(Type.String({ description: 'For namespaced objects that name none.' })),
    api_version: Type.Optional(Type.String({ description: 'kubernetes.core.k8s: the object by apiVersion/kind/name (with or without a definition).' })),
    kind: Type.Optional(Type.String()),
    name: Type.Optional(Type.String()),
    state: Type.Optional(Type.Union([Type.Literal('present'), Type.Literal('absent'), Type.Literal('patched')], { description: 'patched: change an existing object only (a missing one is left missing, as kubernetes.core does).' })),
    apply: Type.Optional(Type.Boolean({ description: 'Accepted for kubernetes.core.k8s; objects are always server-side applied.' })),
    ...KubeTarget,
  },
  { additionalProperties: false },
);
type A = typeof Args.static;

async function desired(ctx: ModuleCtx, a: A): Promise<KubeObj[]> {
  if (a.src !== undefined && a.definition !== undefined) throw new ModuleFailure('give src or definition, not both');
  if (a.src === undefined && a.definition === undefined && (a.kind === undefined || a.name === undefined)) throw new ModuleFailure('give src, definition, or kind and name');
  // kubernetes.core.k8s: kind, api_version and name fill in what the definition leaves out
  // (namespace stays the argument: it applies to namespaced kinds only, the API knows which)
  const fill = (o: Record<string, unknown>) => {
    const meta = { ...((o.metadata as Record<string, unknown>) ?? {}) };
    if (meta.name === undefined && a.name !== undefined) meta.name = a.name;
    return { ...o, apiVersion: o.apiVersion ?? a.api_version ?? 'v1', kind: o.kind ?? a.kind, metadata: meta };
  };
  if (a.definition !== undefined) {
    const defs = typeof a.definition === 'string' ? a.definition : Array.isArray(a.definition) ? a.definition.map((d) => fill(d as Record<string, unknown>)) : fill(a.definition as Record<string, unknown>);
    return objectsOf(defs, 'definition');
  }
  if (a.src === undefined) return objectsOf(fill({}), `${a.kind} ${a.name}`);
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
    const k = await ctx.kube(a);
    const want = (await desired(ctx, a)).map(asStored);
    const live = await liveObjects(k, want, a.namespace);
    const have = want.map((o) => ({ o, live: liveOf(live, o, a.namespace) }));
    if (a.state === 'absent') {
      const present = have.filter((x) => x.live).map((x) => ref(x.o));
      return present.length ? { kind: 'remove', target: present.join(', '), data: { objects: present } } : { kind: 'ok', why: `${want.length} object(s) absent` };
    }
    if (a.state === 'patched' && have.some((x) => !x.live)) {
      const missing = have.filter((x) => !x.live).map((x) => ref(x.o));
      if (missing.length === have.length) return { kind: 'ok', why: `${missing.join(', ')} not found: state patched does not create it` };
    }
    const diffs = have.filter((x) => x.live || a.state !== 'patched').map(({ o, live: l }) => ({ o, fields: l ? differences(o, l).map((f) => ({ ...f, path: `${ref(o)}: ${f.path}` })) : [{ path: ref(o), to: 'created' }] }));
    const stale = diffs.filter((d) => d.fields.length);
    if (!stale.length) return { kind: 'ok', why: `${want.length} object(s) up to date`, data: { objects: want.map(ref) } };
    const fields = stale.flatMap((d) => (d.o.kind === 'Secret' ? d.fields.map((f) => ({ path: f.path, to: '(secret data not shown)' })) : d.fields));
    return { kind: have.every((x) => !x.live) ? 'create' : 'modify', target: stale.map((d) => ref(d.o)).join(', '), fields, data: { objects: stale.map((d) => ref(d.o)) } };
  },
  async apply(ctx, a, diff) {
    const k = await ctx.kube(a);
    const want = (await desired(ctx, a)).map(asStored);
    const names = new Set((diff.data?.objects as string[] | undefined) ?? []);
    const todo = want.filter((o) => names.has(ref(o)));
    if (a.state === 'absent') {
      must(await k.kubectl(['delete', '-f', '-', '--ignore-not-found', '--wait=false', ...(a.namespace ? ['-n', a.namespace] : [])], { stdin: yamlDocs(want) }));
    } else await serverSideApply(k, todo, a.namespace);
    return { objects: todo.map(ref) };
  },
});
