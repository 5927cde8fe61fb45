import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { KubeApi, KubeClient } from '../../connections/index.js';
import { canonicalJson, deepMerge, isRecord } from '../../source/index.js';
import type { FieldChange } from '../types.js';
import { must } from './kube.js';

/** helm's layering of -f files: maps merge, anything else replaces. */
export const mergeValues = (...layers: unknown[]): Record<string, unknown> => layers.filter(isRecord).reduce<Record<string, unknown>>((acc, l) => deepMerge(acc, l) as Record<string, unknown>, {});

/** Values as helm stores them (JSON round trip: no undefined, numbers as numbers). */
export const normalize = (v: unknown): unknown => JSON.parse(JSON.stringify(v ?? {})) as unknown;

/** Every leaf that differs between two value trees, as dotted paths. */
export function valueChanges(from: unknown, to: unknown, path = ''): FieldChange[] {
  if (isRecord(from) && isRecord(to)) {
    const keys = [...new Set([...Object.keys(from), ...Object.keys(to)])].sort();
    return keys.flatMap((k) => valueChanges(from[k], to[k], path ? `${path}.${k}` : k));
  }
  return canonicalJson(from) === canonicalJson(to) /* helm hands values back with its own key order */ ? [] : [{ path: `values.${path}`, from, to }];
}

/** The chart's name from a chart reference: repo/name, oci://host/path/name, a path, name-1.2.3.tgz. */
export function chartName(chart: string): string {
  const last = chart.replace(/\/+$/, '').split('/').pop()!;
  return last.replace(/-v?\d+\.\d+\.\d+.*\.tgz$/, '').replace(/\.tgz$/, '');
}

export interface ReleaseState {
  chart: string;
  version: string;
  status: string;
  revision: number;
  values: Record<string, unknown>;
}

/**
 * The release as helm sees it (metadata + user-supplied values unless not wanted), or undefined
 * when there is none: read from helm's own storage over the API (its Secrets, as helm 4 writes
 * them), helm itself only where the API client can't go or another storage driver is chosen.
 */
export async function releaseState(k: KubeApi, name: string, ns: string, withValues = true): Promise<ReleaseState | undefined> {
  const api = (process.env.HELM_DRIVER ?? 'secret').replace(/s$/, '') === 'secret' ? await k.api() : undefined;
  if (api) return storedRelease(api, name, ns);
  const [meta, vals] = await Promise.all([k.helm(['get', 'metadata', name, '-n', ns, '-o', 'json']), withValues ? k.helm(['get', 'values', name, '-n', ns, '-o', 'json']) : undefined]);
  if (meta.rc !== 0 && /release: not found/.test(meta.stderr)) return undefined;
  must(meta);
  const m = JSON.parse(meta.stdout) as { chart: string; version: string; status: string; revision: number };
  return { chart: m.chart, version: m.version, status: m.status, revision: m.revision, values: vals ? ((JSON.parse(must(vals).stdout) as Record<string, unknown> | null) ?? {}) : {} };
}

interface StoredRelease {
  version: number;
  info?: { status?: string };
  chart?: { metadata?: { name?: string; version?: string } };
  config?: Record<string, unknown> | null;
}

/**
 * helm's storage: one Secret per revision, `sh.helm.release.v1.NAME.vN`, labelled owner=helm,
 * name=NAME, version=N; its `release` is base64 of gzip of the release JSON (helm's own base64
 * inside the Secret's). The newest revision is the release, as `helm get` takes it.
 */
async function storedRelease(api: KubeClient, name: string, ns: string): Promise<ReleaseState | undefined> {
  const selector = encodeURIComponent(`name=${name},owner=helm`);
  const list = await api.get<{ items: { metadata: { labels?: Record<string, string> }; data?: { release?: string } }[] }>(`/api/v1/namespaces/${encodeURIComponent(ns)}/secrets?labelSelector=${selector}`);
  const latest = (list?.items ?? []).filter((s) => s.data?.release).sort((a, b) => Number(b.metadata.labels?.version ?? 0) - Number(a.metadata.labels?.version ?? 0))[0];
  if (!latest) return undefined;
  const inner = Buffer.from(latest.data!.release!, 'base64').toString('utf8');
  const bytes = Buffer.from(inner, 'base64');
  // helm gunzips only what starts with gzip's magic; older releases may be plain JSON
  const rel = JSON.parse((bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes).toString('utf8')) as StoredRelease;
  return { chart: rel.chart?.metadata?.name ?? '', version: rel.chart?.metadata?.version ?? '', status: rel.info?.status ?? 'unknown', revision: rel.version, values: rel.config ?? {} };
}

/** Runs f with the values in a private (0600) temp file that is removed afterwards: values never go in argv. */
export async function withValuesFile<T>(values: unknown, f: (file: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'agri-play-values-'));
  try {
    const file = join(dir, 'values.json');
    writeFileSync(file, JSON.stringify(values), { mode: 0o600 });
    return await f(file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
