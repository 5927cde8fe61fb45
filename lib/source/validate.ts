import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import type { Ajv as AjvType, ErrorObject, Options, ValidateFunction } from 'ajv';
import { posAtPath } from './yaml.js';
import { problem, type Problem } from './problem.js';
import { ansibleArgWords } from './argspec-words.js';
import { didYouMean } from './suggest.js';
import { makeDirs } from './mkdirs.js';
import { BOOLEANS_FALSE, BOOLEANS_TRUE } from './data.js';
import { loadCached, writeCodeCache, type CacheUse } from './code-cache.js';
import { writeWhole } from './write-whole.js';

/** ajv's options for schemas as written; module arguments after templating are also coerced, as Ansible's argument specs do ("8" → 8, "true" → true). */
export const AJV_OPTIONS: Options = { allErrors: true, strict: false, useDefaults: true, allowUnionTypes: true, verbose: true };
const require = createRequire(import.meta.url);
const cache = new WeakMap<object, ValidateFunction>();
const coerceCache = new WeakMap<object, ValidateFunction>();

export type JsonSchema = Record<string, unknown>;

/** A schema's name among the validators compiled at build time (scripts/precompile.ts). */
export const schemaKey = (schema: JsonSchema, coerce: boolean): string => `v${coerce ? 'c' : 'p'}2_${createHash('sha1').update(JSON.stringify(schema)).digest('hex').slice(0, 20)}`;

const prebuilt = join(dirname(fileURLToPath(import.meta.url)), 'validators');
const ajvs: Partial<Record<'plain' | 'coercing' | 'plainSource' | 'coercingSource', AjvType>> = {};

/**
 * The validator of a schema: compiled at build time for the built-in ones (the playbook,
 * inventory and module argument schemas: no ajv compile at start-up), else by ajv, loaded then.
 */
function compiled(schema: JsonSchema, coerce = false): ValidateFunction {
  const c = coerce ? coerceCache : cache;
  let v = c.get(schema);
  if (!v) {
    const key = schemaKey(schema, coerce);
    const built = join(prebuilt, `${key}.cjs`);
    v = existsSync(built) ? loadCached<ValidateFunction>(built) : cacheDir ? cached(schema, coerce, key, cacheDir) : ajvOf(coerce).compile(scalarUnions(schema));
    c.set(schema, v);
  }
  return v;
}

const SCALARS = new Set(['string', 'integer', 'number', 'boolean', 'null']);
const pureScalar = (s: unknown): s is { type: string } => !!s && typeof s === 'object' && Object.keys(s).every((k) => k === 'type' || k === 'description') && SCALARS.has((s as { type: string }).type);

/**
 * The schema as ajv should compile it: a union of plain scalar types (`mode: string | integer`)
 * becomes one `type: [...]`. ajv's coercion tries anyOf branches in order and coerces inside the
 * first (the integer 420 of `mode: 0644` became the string "420", then mode 0420); with a type
 * list it coerces only a value that has none of the types.
 */
export function scalarUnions<T>(schema: T): T {
  if (Array.isArray(schema)) return schema.map(scalarUnions) as T;
  if (!schema || typeof schema !== 'object') return schema;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(schema)) out[k] = scalarUnions(v);
  const any = out.anyOf;
  if (Array.isArray(any) && any.length > 1 && any.every(pureScalar)) {
    delete out.anyOf;
    out.type = [...new Set(any.map((a) => a.type))];
  }
  return out as T;
}

/** What runs a validator before its code cache is written: an empty and a wrong object compile its property checks. */
export const warmValidator = (v: ValidateFunction): void => {
  for (const input of [{}, { name: null, hosts: null, tasks: [null] }, [{}]]) v(input);
};

let cacheDir: string | undefined;
/** Where validators of other schemas (TypeScript roles' parameters) are kept once compiled, by their schema's hash. */
export function cacheValidators(dir: string): void {
  cacheDir ??= dir;
}

function cached(schema: JsonSchema, coerce: boolean, key: string, dir: string): ValidateFunction {
  const file = join(dir, `${key}.cjs`);
  if (existsSync(file)) {
    const use: CacheUse = {};
    const v = loadCached<ValidateFunction>(file, use);
    // one an earlier agri-play wrote has no code cache beside it, and another Node's is refused:
    // made (again) for the next run, where the folder can be written (the run needs none of it)
    if (use.cache !== 'used') {
      try {
        writeCodeCache(file, warmValidator);
      } catch {
        /* a folder it may not write: compiled each run, as before */
      }
    }
    return v;
  }
  const ajv = ajvOf(coerce, true);
  const v = ajv.compile(scalarUnions(schema));
  const { default: standaloneCode } = require('ajv/dist/standalone') as { default: (a: AjvType, v: ValidateFunction) => string };
  makeDirs(dir, 0o700);
  writeWhole(file, standaloneCode(ajv, v), 0o600);
  writeCodeCache(file, warmValidator);
  return v;
}

function ajvOf(coerce: boolean, source = false): AjvType {
  const { Ajv } = require('ajv') as typeof import('ajv');
  const name = `${coerce ? 'coercing' : 'plain'}${source ? 'Source' : ''}` as const;
  return (ajvs[name] ??= new Ajv({ ...AJV_OPTIONS, ...(coerce ? { coerceTypes: true } : {}), ...(source ? { code: { source: true } } : {}) }));
}

function pathOf(instancePath: string): string[] {
  return instancePath
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/**
 * Validates `value` (parsed with positions) against a JSON Schema; returns problems with
 * positions. `root` is the parsed tree `value` sits in and `base` its path there, so the
 * position of a nested argument can be found.
 */
export function validate(schema: JsonSchema, value: unknown, what: string, root: unknown = value, base: (string | number)[] = [], coerce = false): Problem[] {
  ansibleBooleans(schema, value);
  const v = compiled(schema, coerce);
  if (v(value)) return [];
  // (a module's arguments at run time: each problem in AnsibleModule's words too, where it has them)
  return simplify(v.errors ?? []).map((e) => {
    const p = toProblem(e, what, root, base);
    const words = coerce ? ansibleArgWords(e) : undefined;
    return words === undefined ? p : { ...p, ansible: words };
  });
}

/** Whether a schema allows one of the types (its own type, or a branch of its anyOf). (Asked for every argument of every step: no array or closure made.) */
function allows(s: JsonSchema, t: string, u?: string): boolean {
  const type = s.type;
  if (type === t || (u !== undefined && type === u)) return true;
  if (Array.isArray(type) && (type.includes(t) || (u !== undefined && type.includes(u)))) return true;
  if (!Array.isArray(s.anyOf)) return false;
  for (const b of s.anyOf as JsonSchema[]) if (allows(b, t, u)) return true;
  return false;
}
const allowsBool = (s: JsonSchema): boolean => allows(s, 'boolean');
const allowsNumber = (s: JsonSchema): boolean => allows(s, 'integer', 'number');
const allowsString = (s: JsonSchema): boolean => allows(s, 'string');

/**
 * ansible-core's boolean (and number) conversion for arguments: `create=yes`, `force: "on"`, `recurse=no` are
 * booleans where the argument is one (AnsibleModule accepts y/yes/on/1/true/t and n/no/off/0/false/f,
 * any case). Changes the value in place, property by property of an object schema.
 */
function ansibleBooleans(schema: JsonSchema, value: unknown): void {
  const props = schema.properties as Record<string, JsonSchema> | undefined;
  if (!props || !value || typeof value !== 'object' || Array.isArray(value)) return;
  const obj = value as Record<string, unknown>;
  // the arguments given (a few), not every property of the schema (copy has forty)
  for (const k of Object.keys(obj)) {
    const p = Object.hasOwn(props, k) ? props[k] : undefined;
    if (!p) continue;
    const v = obj[k];
    // a string argument given a boolean or number is its Python str() (`creates: yes` is 'True'), as check_type_str converts
    if ((typeof v === 'boolean' || typeof v === 'number' || typeof v === 'bigint') && p.type === 'string') obj[k] = typeof v === 'boolean' ? (v ? 'True' : 'False') : String(v);
    // (an int past 2**53 where a number is wanted: the nearest double, as JSON schema has no other number)
    if (typeof v === 'bigint' && allowsNumber(p)) obj[k] = Number(v);
    if (typeof v !== 'string' || allowsString(p)) continue;
    // check_type_int / check_type_float: `cache_valid_time=86400` is a number
    if (allowsNumber(p) && /^\s*[-+]?\d+(\.\d+)?\s*$/.test(v)) obj[k] = Number(v);
    if (!allowsBool(p)) continue;
    const l = v.trim().toLowerCase();
    if (BOOLEANS_TRUE.has(l)) obj[k] = true;
    else if (BOOLEANS_FALSE.has(l)) obj[k] = false;
  }
}

/** ajv with allErrors reports each branch of a oneOf/anyOf; keep the most telling ones. */
function simplify(errors: ErrorObject[]): ErrorObject[] {
  // a union of literals (TypeBox) fails as one `const` error per literal: make it one enum error
  const consts = new Map<string, unknown[]>();
  const given = new Map<string, unknown>();
  for (const e of errors) if (e.keyword === 'const') consts.set(e.instancePath, [...(consts.get(e.instancePath) ?? []), (e.params as { allowedValue: unknown }).allowedValue]), given.set(e.instancePath, e.data);
  const merged: ErrorObject[] = [];
  for (const [instancePath, allowedValues] of consts) merged.push({ instancePath, keyword: 'enum', params: { allowedValues }, schemaPath: '', data: given.get(instancePath) });
  errors = [...errors.filter((e) => e.keyword !== 'const' && !(consts.has(e.instancePath) && e.keyword === 'type')), ...merged];
  const specific = errors.filter((e) => e.keyword !== 'oneOf' && e.keyword !== 'anyOf' && e.keyword !== 'if');
  const seen = new Set<string>();
  return (specific.length ? specific : errors).filter((e) => {
    const k = e.instancePath + '|' + e.keyword + '|' + JSON.stringify(e.params);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

const noun = (what: string) => (what.endsWith('arguments') ? 'argument' : 'key');

function toProblem(e: ErrorObject, what: string, root: unknown, base: (string | number)[]): Problem {
  const path = [...base, ...pathOf(e.instancePath)];
  const field = pathOf(e.instancePath).join('.') || what;
  const params = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'additionalProperties': {
      const key = String(params.additionalProperty);
      const known = Object.keys(((e.parentSchema as JsonSchema)?.properties as object) ?? {});
      return problem(posAtPath(root, [...path, key]), `unknown ${noun(what)} '${key}' in ${field === what ? what : `${what} ${field}`}`, didYouMean(key, known) ?? (known.length ? `known: ${known.join(', ')}` : undefined));
    }
    case 'required':
      return problem(posAtPath(root, path), `${field === what ? what : `${what} ${field}`}: missing required ${noun(what)} '${String(params.missingProperty)}'`);
    case 'type':
      return problem(posAtPath(root, path), `${field} must be ${String(params.type).replace(',', ' or ')}`);
    case 'enum':
      return problem(posAtPath(root, path), `${field} must be one of: ${(params.allowedValues as unknown[]).join(', ')}`);
    default:
      return problem(posAtPath(root, path), `${field} ${e.message ?? 'is invalid'}`);
  }
}
