import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubeApi } from '../../connections/index.js';
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

/** The release as helm sees it (metadata + user-supplied values unless not wanted), or undefined when there is none. */
export async function releaseState(k: KubeApi, name: string, ns: string, withValues = true): Promise<ReleaseState | undefined> {
  const [meta, vals] = await Promise.all([k.helm(['get', 'metadata', name, '-n', ns, '-o', 'json']), withValues ? k.helm(['get', 'values', name, '-n', ns, '-o', 'json']) : undefined]);
  if (meta.rc !== 0 && /release: not found/.test(meta.stderr)) return undefined;
  must(meta);
  const m = JSON.parse(meta.stdout) as { chart: string; version: string; status: string; revision: number };
  return { chart: m.chart, version: m.version, status: m.status, revision: m.revision, values: vals ? ((JSON.parse(must(vals).stdout) as Record<string, unknown> | null) ?? {}) : {} };
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
