import { createHash } from 'node:crypto';
import { gv, type Resource } from './resources.js';

const VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

export const versionInfo = (minor: number) => ({
  major: '1',
  minor: String(minor),
  gitVersion: `v1.${minor}.1`,
  gitCommit: '0000000000000000000000000000000000000000',
  gitTreeState: 'clean',
  buildDate: '2026-01-01T00:00:00Z',
  goVersion: 'go1.24.0',
  compiler: 'gc',
  platform: 'linux/amd64',
});

/** The group-versions the server serves, core ('v1') first. */
export function groupVersions(resources: Resource[]): { group: string; version: string }[] {
  const seen = new Map<string, { group: string; version: string }>();
  for (const r of resources) seen.set(gv(r), { group: r.group, version: r.version });
  return [...seen.values()];
}

export function apiGroupList(resources: Resource[]) {
  const groups = new Map<string, string[]>();
  for (const { group, version } of groupVersions(resources)) if (group) groups.set(group, [...(groups.get(group) ?? []), version]);
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: [...groups].map(([name, versions]) => ({
      name,
      versions: versions.map((v) => ({ groupVersion: `${name}/${v}`, version: v })),
      preferredVersion: { groupVersion: `${name}/${versions[0]}`, version: versions[0] },
    })),
  };
}

export function resourceList(resources: Resource[], group: string, version: string) {
  const mine = resources.filter((r) => r.group === group && r.version === version);
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: group ? `${group}/${version}` : version,
    resources: mine.flatMap((r) => [
      { name: r.plural, singularName: r.kind.toLowerCase(), namespaced: r.namespaced, kind: r.kind, verbs: VERBS, ...(r.shortNames ? { shortNames: r.shortNames } : {}), ...(r.categories ? { categories: r.categories } : {}) },
      ...(r.status ? [{ name: `${r.plural}/status`, singularName: '', namespaced: r.namespaced, kind: r.kind, verbs: ['get', 'patch', 'update'] }] : []),
    ]),
  };
}

const gvPath = (g: { group: string; version: string }) => (g.group ? `apis/${g.group}/${g.version}` : `api/${g.version}`);

/**
 * An OpenAPI v3 stub: per group-version, each kind's PATCH with its GVK and a fieldValidation
 * parameter. That is what kubectl and helm look for to leave validation to the server;
 * no schemas are served.
 */
export function openapiRoot(resources: Resource[]) {
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const g of groupVersions(resources)) {
    const doc = JSON.stringify(openapiDoc(resources, g.group, g.version));
    paths[gvPath(g)] = { serverRelativeURL: `/openapi/v3/${gvPath(g)}?hash=${createHash('sha256').update(doc).digest('hex').slice(0, 32).toUpperCase()}` };
  }
  return { paths };
}

export function openapiDoc(resources: Resource[], group: string, version: string) {
  const paths: Record<string, unknown> = {};
  for (const r of resources.filter((x) => x.group === group && x.version === version)) {
    const base = `/${gvPath(r)}${r.namespaced ? '/namespaces/{namespace}' : ''}/${r.plural}/{name}`;
    paths[base] = {
      patch: {
        operationId: `patch${r.kind}`,
        'x-kubernetes-action': 'patch',
        'x-kubernetes-group-version-kind': { group: r.group, version: r.version, kind: r.kind },
        parameters: [{ name: 'fieldValidation', in: 'query', schema: { type: 'string', uniqueItems: true } }],
        responses: { '200': { description: 'OK' } },
      },
    };
  }
  return { openapi: '3.0.0', info: { title: 'Kubernetes (agri-play lab simulator)', version: gv({ group, version }) }, paths, components: { schemas: {} } };
}
