import { Type } from '../source/vendor/typebox.js';
import { defineModule } from './types.js';
import { must, KubeTarget } from './util/kube.js';

const Args = Type.Object(
  {
    name: Type.String({ pattern: '^[\\w.-]+$' }),
    url: Type.String({ pattern: '^(https?|oci)://' }),
    state: Type.Optional(Type.Union([Type.Literal('present'), Type.Literal('absent')])),
    ...KubeTarget,
  },
  { additionalProperties: false },
);

export default defineModule({
  name: 'helm_repository',
  kind: 'state',
  description: "A chart repository known to this run's helm (helm repo add + update); an oci:// registry needs none.",
  args: Args,
  // kubernetes.core.helm_repository's names
  aliases: { repo_name: 'name', repo_url: 'url', repo_state: 'state' },
  async check(ctx, a) {
    if (a.url.startsWith('oci://')) return { kind: 'ok', why: `${a.url} is an OCI registry: charts are pulled by reference, no repo add` };
    const k = await ctx.kube(a);
    const r = await k.helm(['repo', 'list', '-o', 'json']);
    const repos = r.rc === 0 ? (JSON.parse(r.stdout || '[]') as { name: string; url: string }[]) : /no repositories/.test(r.stderr) ? [] : (must(r), []);
    const have = repos.find((x) => x.name === a.name);
    if (a.state === 'absent') return have ? { kind: 'remove', target: `helm repo ${a.name}` } : { kind: 'ok', why: `helm repo ${a.name} is absent` };
    if (have?.url.replace(/\/$/, '') === a.url.replace(/\/$/, '')) return { kind: 'ok', why: `helm repo ${a.name} is ${a.url}` };
    return { kind: have ? 'modify' : 'create', target: `helm repo ${a.name}`, fields: [{ path: 'url', from: have?.url, to: a.url }] };
  },
  async apply(ctx, a) {
    const k = await ctx.kube(a);
    if (a.state === 'absent') return void must(await k.helm(['repo', 'remove', a.name]));
    must(await k.helm(['repo', 'add', a.name, a.url, '--force-update']));
    must(await k.helm(['repo', 'update', a.name]));
    return { name: a.name, url: a.url };
  },
});
