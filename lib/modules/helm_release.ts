import { Type } from '../source/vendor/typebox.js';
import { parse } from '../source/vendor/yaml.js';
import { namespaceObject } from './kube_namespace.js';
import { eachLeaf } from '../source/index.js';
import { defineModule, ControllerFailure, ModuleFailure, type ModuleCtx } from './types.js';
import { liveObjects, must, serverSideApply, toolError, KubeTarget } from './util/kube.js';
import { chartName, mergeValues, normalize, releaseState, valueChanges, withValuesFile } from './util/helm.js';

const Args = Type.Object(
  {
    name: Type.String({ pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$', maxLength: 53, description: 'Release name.' }),
    namespace: Type.String(),
    chart: Type.Optional(Type.String({ description: 'repo/chart, oci://…, a local path, or a chart name with repo.' })),
    chart_version: Type.Optional(Type.String({ description: 'Pinned chart version (always pin).' })),
    repo: Type.Optional(Type.String({ description: 'Chart repository URL (helm --repo): no helm_repository step needed.' })),
    values: Type.Optional(Type.Object({}, { description: 'Values (inline), merged over values_files.' })),
    values_files: Type.Optional(Type.Array(Type.String(), { description: 'Controller YAML/JSON files (looked up in files/), merged in order.' })),
    create_namespace: Type.Optional(Type.Boolean({ description: 'Create the namespace if missing (default true).' })),
    namespace_labels: Type.Optional(Type.Record(Type.String(), Type.String(), { description: 'Labels the namespace must carry (e.g. pod-security.kubernetes.io/enforce: privileged).' })),
    wait: Type.Optional(Type.Boolean({ description: 'Wait until the release\'s workloads are ready (helm --wait).' })),
    timeout: Type.Optional(Type.String({ pattern: '^(\\d+[hms])+$', description: 'Go duration for waits (default 5m).' })),
    atomic: Type.Optional(Type.Boolean({ description: 'Roll back a failed upgrade (helm 4 --rollback-on-failure).' })),
    state: Type.Optional(Type.Union([Type.Literal('present'), Type.Literal('absent')])),
    update_repo_cache: Type.Optional(Type.Boolean({ description: 'Accepted for kubernetes.core.helm; the chart is fetched at its pinned version every time.' })),
    ...KubeTarget,
  },
  { additionalProperties: false },
);
type A = typeof Args.static;

async function desiredValues(ctx: ModuleCtx, a: A): Promise<Record<string, unknown>> {
  const files = [];
  for (const f of a.values_files ?? []) {
    const found = ctx.local.find(f, 'files');
    if (!found) throw new ControllerFailure(`could not find values file '${f}' (looked in files/ of the role and playbook)`);
    files.push(parse((await ctx.local.read(found)).toString('utf8')) as unknown);
  }
  return normalize(mergeValues(...files, a.values ?? {})) as Record<string, unknown>;
}

const SECRETISH = /(^|[_.-])(key|secret|token|password|signing_key|api_key)$/i;
/** Values under secret-looking names (tls.ca.key, signing_key, token…) are masked like secrets. */
const protectSecretish = (ctx: ModuleCtx, values: unknown) => eachLeaf(values, (v, key) => typeof v === 'string' && SECRETISH.test(key) && ctx.secrets?.protect(v));

export default defineModule({
  name: 'helm_release',
  kind: 'state',
  description: 'A Helm release at a pinned chart version with exactly these user values; upgraded (helm upgrade --install) only when the chart, version, values or namespace labels differ, so a re-run adds no revision.',
  args: Args,
  // kubernetes.core.helm's names
  aliases: { release_name: 'name', release_namespace: 'namespace', chart_ref: 'chart', chart_repo_url: 'repo', release_values: 'values', wait_timeout: 'timeout', release_state: 'state' },
  async check(ctx, a) {
    // the controller's own input first: a missing values file fails in check mode too
    const wanted = a.state === 'absent' ? undefined : await desiredValues(ctx, a);
    const k = await ctx.kube(a);
    const target = `release ${a.namespace}/${a.name}`;
    const have = await releaseState(k, a.name, a.namespace, a.state !== 'absent');
    if (a.state === 'absent') return have ? { kind: 'remove', target, data: { revision: have.revision } } : { kind: 'ok', why: `${target} is absent` };
    if (!a.chart) throw new ModuleFailure('chart is required when state=present');
    const values = wanted ?? (await desiredValues(ctx, a));
    protectSecretish(ctx, values);
    if (have) protectSecretish(ctx, have.values);
    const fields = [];
    if (a.namespace_labels) {
      const ns = (await liveObjects(k, [namespaceObject(a.namespace)])).get(`Namespace/${a.namespace}`);
      for (const [key, v] of Object.entries(a.namespace_labels)) if (ns?.metadata.labels?.[key] !== v) fields.push({ path: `namespace.labels.${key}`, from: ns?.metadata.labels?.[key], to: v });
    }
    if (!have) return { kind: 'create', target, fields: [{ path: 'chart', to: `${chartName(a.chart)}-${a.chart_version ?? 'latest'}` }, ...fields, ...valueChanges({}, values)] };
    if (have.chart !== chartName(a.chart)) fields.push({ path: 'chart', from: have.chart, to: chartName(a.chart) });
    if (a.chart_version && have.version.replace(/^v/, '') !== a.chart_version.replace(/^v/, '')) fields.push({ path: 'chart_version', from: have.version, to: a.chart_version });
    if (have.status !== 'deployed') fields.push({ path: 'status', from: have.status, to: 'deployed' });
    for (const f of valueChanges(normalize(have.values), values)) {
      // the value a secret replaces is a secret too (an old key): mask it as well
      if (ctx.secrets?.isSecret(JSON.stringify(f.to ?? null))) eachLeaf(f.from, (v) => typeof v === 'string' && ctx.secrets?.protect(v));
      fields.push(f);
    }
    const data = { revision: have.revision, chart: `${have.chart}-${have.version}`, status: have.status };
    return fields.length ? { kind: 'modify', target, fields, data } : { kind: 'ok', why: `${target} is ${have.chart}-${have.version}, deployed, values equal (revision ${have.revision})`, data };
  },
  async apply(ctx, a) {
    const k = await ctx.kube(a);
    if (a.state === 'absent') {
      must(await k.helm(['uninstall', a.name, '-n', a.namespace, '--ignore-not-found', ...(a.wait ? ['--wait', '--timeout', a.timeout ?? '5m'] : [])]));
      return { name: a.name, namespace: a.namespace };
    }
    if (a.namespace_labels) await serverSideApply(k, [namespaceObject(a.namespace, a.namespace_labels)]);
    const values = await desiredValues(ctx, a);
    const args = (file: string) => [
      'upgrade', '--install', a.name, a.chart!, '-n', a.namespace, '-f', file, '--reset-values', '-o', 'json',
      ...(a.chart_version ? ['--version', a.chart_version] : []),
      ...(a.repo ? ['--repo', a.repo] : []),
      ...((a.create_namespace ?? true) && !a.namespace_labels ? ['--create-namespace'] : []),
      ...(a.wait ? ['--wait', '--timeout', a.timeout ?? '5m'] : []),
      ...(a.atomic ? ['--rollback-on-failure'] : []),
    ];
    const repoName = !a.repo && /^[\w.-]+\/[\w.-]+$/.test(a.chart!) ? a.chart!.split('/')[0] : undefined;
    const r = await withValuesFile(values, async (file) => {
      let res = await k.helm(args(file));
      // a pinned version newer than the cached index: refresh that repo once and retry
      if (res.rc !== 0 && repoName && /chart version .*not found|no chart version found|not found in .* repository/i.test(res.stderr)) {
        must(await k.helm(['repo', 'update', repoName]));
        res = await k.helm(args(file));
      }
      return res;
    });
    if (r.rc !== 0) throw new ModuleFailure(`helm: ${toolError(r)}`, { rc: r.rc });
    const rel = JSON.parse(r.stdout) as { version?: number; info?: { status?: string } };
    return { name: a.name, namespace: a.namespace, revision: rel.version, status: rel.info?.status, chart: `${chartName(a.chart!)}-${a.chart_version ?? ''}` };
  },
});
