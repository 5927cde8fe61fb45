import { isRecord } from '../../source/index.js';

/** The object patch semantics the simulated API server applies (JSON values only). */
export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
export type JsonObject = { [k: string]: Json };

export const isObj = (v: unknown): v is JsonObject => isRecord(v);
export const clone = <T>(v: T): T => structuredClone(v);

/** RFC 7386 merge patch: objects merge, null deletes, anything else (lists too) replaces. */
export function mergePatch(target: Json, patch: Json): Json {
  if (!isObj(patch)) return clone(patch);
  const out: JsonObject = isObj(target) ? clone(target) : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k] ?? null, v);
  }
  return out;
}

const unescape = (s: string) => s.replace(/~1/g, '/').replace(/~0/g, '~');

/** RFC 6902 JSON patch: add, remove, replace, test (what kubectl and client-go send). */
export function jsonPatch(target: Json, ops: { op: string; path: string; value?: Json }[]): Json {
  const doc = clone(target);
  for (const { op, path, value } of ops) {
    const keys = path.split('/').slice(1).map(unescape);
    const last = keys.pop()!;
    let parent: Json = doc;
    for (const k of keys) parent = (parent as JsonObject)[k] ?? null;
    if (parent === null || typeof parent !== 'object') throw new Error(`path ${path} does not exist`);
    if (Array.isArray(parent)) {
      const i = last === '-' ? parent.length : Number(last);
      if (op === 'add') parent.splice(i, 0, clone(value!));
      else if (op === 'remove') parent.splice(i, 1);
      else if (op === 'replace') parent[i] = clone(value!);
      else if (op === 'test' && JSON.stringify(parent[i]) !== JSON.stringify(value)) throw new Error(`test failed at ${path}`);
    } else if (op === 'add' || op === 'replace') parent[last] = clone(value!);
    else if (op === 'remove') delete parent[last];
    else if (op === 'test' && JSON.stringify(parent[last]) !== JSON.stringify(value)) throw new Error(`test failed at ${path}`);
  }
  return doc;
}

/**
 * Server-side apply, modelled as: drop the fields this manager applied last time and omits
 * now, then merge the applied object in (maps merge, lists replace). Enough for helm and
 * kubectl re-applies; no conflict detection between managers.
 */
export function serverSideApply(live: JsonObject, previous: JsonObject | undefined, applied: JsonObject): JsonObject {
  const out = clone(live);
  if (previous) dropOmitted(out, previous, applied);
  mergeInto(out, applied);
  return out;
}

function dropOmitted(target: JsonObject, prev: JsonObject, next: JsonObject): void {
  for (const k of Object.keys(prev)) {
    if (!(k in next)) delete target[k];
    else if (isObj(prev[k]) && isObj(next[k]) && isObj(target[k])) dropOmitted(target[k] as JsonObject, prev[k] as JsonObject, next[k] as JsonObject);
  }
}

function mergeInto(target: JsonObject, src: JsonObject): void {
  for (const [k, v] of Object.entries(src)) {
    if (isObj(v) && isObj(target[k])) mergeInto(target[k] as JsonObject, v);
    else target[k] = clone(v);
  }
}
