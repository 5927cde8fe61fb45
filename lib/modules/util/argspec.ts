// ansible-core's ArgumentSpecValidator (module_utils/common/arg_spec.py, parameters.py and
// validation.py), as validate_argument_spec runs it: aliases, unsupported names, required,
// defaults, types (with their conversions), elements, choices, sub-options and their
// mutually_exclusive / required_* checks, in its order and with its messages. Deprecations and
// fallbacks (env_fallback) are not read. Python's type names are the plain ones (<class 'str'>),
// never the YAML loader's (AnsibleUnicode): agri-play's values do not remember where they came from.
import { eq, isDict, num, pyType, str } from '../../source/python.js';
import { literal } from '../../source/pyliteral.js';
import { BOOLEANS_FALSE, BOOLEANS_TRUE, VALID_BOOLEANS } from '../../source/data.js';
import { humanToBytes } from '../../source/formatters.js';
import { isInt } from '../../source/pyint.js';

type Params = Record<string, unknown>;
type Option = Record<string, unknown>;
export type ArgSpec = Record<string, Option>;

const cls = (v: unknown): string => `<class '${v instanceof Uint8Array ? 'bytes' : pyType(v)}'>`;
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** Python's boolean() of module_utils.parsing.convert_bool (strict). */
function boolean(v: unknown): boolean {
  if (typeof v === 'boolean') return v;
  const n = typeof v === 'string' ? v.toLowerCase().trim() : num(v);
  if (n === 1 || (isText(n) && BOOLEANS_TRUE.has(n))) return true;
  if (n === 0 || (isText(n) && BOOLEANS_FALSE.has(n))) return false;
  throw new TypeError(`The value '${str(v)}' is not a valid boolean.  Valid booleans include: ${VALID_BOOLEANS}`);
}

const isText = (v: unknown): v is string => typeof v === 'string';

/** check_type_dict's key=value reading: fields split on commas and spaces outside quotes, a backslash escaping. */
function keyValues(text: string): Params {
  const fields: string[] = [];
  let buf = '';
  let quote: string | false = false;
  let escape = false;
  for (const c of text.trim()) {
    if (escape) (buf += c), (escape = false);
    else if (c === '\\') escape = true;
    else if (!quote && (c === "'" || c === '"')) quote = c;
    else if (quote && quote === c) quote = false;
    else if (!quote && (c === ',' || c === ' ')) buf && fields.push(buf), (buf = '');
    else buf += c;
  }
  if (buf) fields.push(buf);
  return Object.fromEntries(
    fields.map((f, n) => {
      const i = f.indexOf('=');
      if (i < 0) throw new TypeError(`dictionary update sequence element #${n} has length 1; 2 is required`);
      return [f.slice(0, i), f.slice(i + 1)];
    }),
  );
}

function toDict(v: unknown): Params {
  if (isDict(v)) return v;
  if (isText(v)) {
    if (v.startsWith('{')) {
      try {
        return JSON.parse(v) as Params;
      } catch {
        try {
          const r = literal(v);
          if (r !== undefined) return r as Params;
        } catch {
          /* below */
        }
        throw new TypeError('unable to evaluate string as dictionary');
      }
    }
    if (v.includes('=')) return keyValues(v);
    throw new TypeError('dictionary requested, could not parse JSON or key=value');
  }
  throw new TypeError(`${cls(v)} cannot be converted to a dict`);
}

/** DEFAULT_TYPE_VALIDATORS: each type's check_type_*, converting or throwing TypeError with its words. */
const TYPES: Record<string, (v: unknown) => unknown> = {
  str: (v) => (isText(v) ? v : str(v)),
  list: (v) => {
    if (Array.isArray(v)) return v;
    if (isText(v)) return v.split(',');
    if (typeof v === 'number' || typeof v === 'boolean' || pyType(v) === 'float') return [str(v)];
    throw new TypeError(`${cls(v)} cannot be converted to a list`);
  },
  dict: toDict,
  bool: (v) => {
    if (typeof v === 'boolean') return v;
    if (isText(v) || typeof v === 'number' || pyType(v) === 'float') return boolean(v);
    throw new TypeError(`${cls(v)} cannot be converted to a bool`);
  },
  int: (v) => {
    if (isInt(v)) return v;
    if (isText(v) && /^\s*[+-]?\d+(_\d+)*\s*$/.test(v)) return Number(v.replace(/_/g, ''));
    throw new TypeError(`${cls(v)} cannot be converted to an int`);
  },
  float: (v) => {
    if (pyType(v) === 'float') return v;
    if (isInt(v)) return Number(v);
    if (isText(v) && /^\s*([+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?|[+-]?(nan|inf|infinity))\s*$/i.test(v)) return Number(v.trim().replace(/^([+-]?)inf(inity)?$/i, '$1Infinity'));
    throw new TypeError(`${cls(v)} cannot be converted to a float`);
  },
  path: (v) => (isText(v) ? v : str(v)),
  raw: (v) => v,
  jsonarg: (v) => json(v),
  json: (v) => json(v),
  bytes: (v) => human(v, false, 'Byte'),
  bits: (v) => human(v, true, 'Bit'),
};

function json(v: unknown): unknown {
  if (isText(v)) return v.trim();
  if (Array.isArray(v) || isDict(v)) return JSON.stringify(v);
  throw new TypeError(`${cls(v)} cannot be converted to a json string`);
}

function human(v: unknown, isbits: boolean, what: string): number {
  const n = v instanceof Uint8Array ? undefined : humanToBytes(str(v), undefined, isbits);
  if (n === undefined) throw new TypeError(`${cls(v)} cannot be converted to a ${what} value`);
  return n;
}

const typeName = (o: Option): string => (o.type === undefined || o.type === null ? 'str' : String(o.type));
const found = (ctx: string[]) => (ctx.length ? ` found in ${ctx.join(' -> ')}` : '');

/** An unsupported name and what the spec it was checked against supports (for the one message). */
type Unsupported = Map<string, { params: string[]; aliases: string[] }>;

interface Run {
  errors: string[];
  unsupported: Unsupported;
}

/** _handle_aliases: an alias's value under its option's name; alias → option. */
function aliases(spec: ArgSpec, params: Params, run: Run): Record<string, string> {
  const out: Record<string, string> = {};
  try {
    for (const [k, o] of Object.entries(spec)) {
      if (o.default !== undefined && o.default !== null && o.required) throw new TypeError(`internal error: required and default are mutually exclusive for ${k}`);
      if (o.aliases === undefined || o.aliases === null) continue;
      if (!Array.isArray(o.aliases)) throw new TypeError('internal error: aliases must be a list or tuple');
      for (const a of o.aliases.map(String)) {
        out[a] = k;
        if (a in params) params[k] = params[a];
      }
    }
  } catch (e) {
    run.errors.push((e as Error).message);
  }
  return out;
}

/** _list_no_log_values' reading of sub-options: a text where a dict is wanted is converted, and its error is one of the errors. */
function subOptionTexts(spec: ArgSpec, params: Params): void {
  for (const [k, o] of Object.entries(spec)) {
    if (!isDict(o.options) || params[k] === undefined || params[k] === null) continue;
    if (!(o.type === 'dict' || (o.type === 'list' && o.elements === 'dict'))) continue;
    for (let sub of Array.isArray(params[k]) ? (params[k] as unknown[]) : [params[k]]) {
      if (isText(sub)) sub = toDict(sub);
      if (!isDict(sub)) throw new TypeError(`Value '${str(sub)}' in the sub parameter field '${k}' must by a ${String(o.type)}, not '${pyType(sub)}'`);
      subOptionTexts(o.options as ArgSpec, sub);
    }
  }
}

function checkUnsupported(spec: ArgSpec, params: Params, alias: Record<string, string>, ctx: string[], run: Run): void {
  const legal = [...Object.keys(alias), ...Object.keys(spec)];
  for (const k of Object.keys(params)) {
    if (legal.includes(k)) continue;
    run.unsupported.set([...ctx, k].join('.'), { params: legal.filter((p) => !(p in alias)), aliases: Object.keys(alias) });
  }
}

function setDefaults(spec: ArgSpec, params: Params, all: boolean): void {
  for (const [k, o] of Object.entries(spec)) if (!(k in params) && ((o.default !== undefined && o.default !== null) || all)) params[k] = o.default ?? null;
}

function checkRequired(spec: ArgSpec, params: Params, ctx: string[], run: Run): void {
  const missing = Object.entries(spec).filter(([k, o]) => o.required && !(k in params)).map(([k]) => k);
  if (missing.length) run.errors.push(`missing required arguments: ${missing.sort().join(', ')}${found(ctx)}`);
}

function checkTypes(spec: ArgSpec, params: Params, ctx: string[], run: Run): void {
  const where = ctx.length ? ` found in '${ctx.join(' -> ')}'.` : '';
  for (const [k, o] of Object.entries(spec)) {
    const v = params[k];
    if (!(k in params) || v === null || v === undefined) continue;
    const name = typeName(o);
    const check = TYPES[name];
    if (!check) continue;
    try {
      params[k] = check(v);
      if (o.elements === undefined || o.elements === null) continue;
      if (name !== 'list' || !Array.isArray(params[k])) run.errors.push(`Invalid type ${name} for option '${str(params[k])}'${where}, elements value check is supported only with 'list' type`);
      const each = TYPES[String(o.elements)] ?? TYPES.raw;
      params[k] = list(params[k]).map((x) => {
        try {
          return each(x);
        } catch (e) {
          run.errors.push(`Elements value for option '${k}'${ctx.length ? ` found in '${ctx.join(' -> ')}'` : ''} is of type ${cls(x)} and we were unable to convert to ${String(o.elements)}: ${(e as Error).message}`);
          return undefined;
        }
      }).filter((x) => x !== undefined);
    } catch (e) {
      run.errors.push(`argument '${k}' is of type ${cls(v)}${where} and we were unable to convert to ${name}: ${(e as Error).message}`);
    }
  }
}

function checkChoices(spec: ArgSpec, params: Params, ctx: string[], run: Run): void {
  for (const [k, o] of Object.entries(spec)) {
    if (o.choices === undefined || o.choices === null || !(k in params)) continue;
    if (!Array.isArray(o.choices)) {
      run.errors.push(`internal error: choices for argument ${k} are not iterable: ${str(o.choices)}${found(ctx)}`);
      continue;
    }
    const choices = o.choices;
    const shown = choices.map(str).join(', ');
    const v = params[k];
    if (Array.isArray(v)) {
      const diff = v.filter((x) => !choices.some((c) => eq(c, x)));
      if (diff.length) run.errors.push(`value of ${k} must be one or more of: ${shown}. Got no match for: ${diff.map(str).join(', ')}${found(ctx)}`);
      continue;
    }
    if (choices.some((c) => eq(c, v))) continue;
    // (PyYAML made a boolean of 'yes': one choice that reads as it is taken)
    for (const [text, set] of [['False', BOOLEANS_FALSE], ['True', BOOLEANS_TRUE]] as const) {
      const overlap = choices.filter((c) => set.has(String(c)) && isText(c));
      if (v === text && overlap.length === 1) params[k] = overlap[0];
    }
    if (!choices.some((c) => eq(c, params[k]))) run.errors.push(`value of ${k} must be one of: ${shown}, got: ${str(params[k])}${found(ctx)}`);
  }
}

const count = (terms: unknown[], params: Params) => terms.filter((t) => params[String(t)] !== undefined && params[String(t)] !== null).length;
const groups = (v: unknown): unknown[][] => (Array.isArray(v) ? (v.every(Array.isArray) ? (v as unknown[][]) : [v]) : []);

/** The checks an option's spec gives its sub-options (mutually_exclusive first, the others after the types). */
function exclusive(o: Option, params: Params, ctx: string[], run: Run): void {
  const bad = groups(o.mutually_exclusive).filter((g) => count(g, params) > 1);
  if (bad.length) run.errors.push(`parameters are mutually exclusive: ${bad.map((g) => g.map(str).join('|')).join(', ')}${found(ctx)}`);
}

function additional(o: Option, params: Params, ctx: string[], run: Run): void {
  const together = groups(o.required_together).filter((g) => count(g, params) > 0 && count(g, params) < g.length);
  if (together.length) run.errors.push(`parameters are required together: ${together[0].map(str).join(', ')}${found(ctx)}`);
  const oneOf = groups(o.required_one_of).filter((g) => count(g, params) === 0);
  if (oneOf.length) run.errors.push(`one of the following is required: ${oneOf.map((g) => g.map(str).join(', ')).join(', ')}${found(ctx)}`);
  for (const req of list(o.required_if)) {
    const [key, val, reqs, any] = req as [string, unknown, unknown[], boolean | undefined];
    if (!(key in params) || !eq(params[key], val)) continue;
    const missing = list(reqs).filter((r) => params[String(r)] === undefined || params[String(r)] === null).map(str);
    if (!missing.length || (any && missing.length < list(reqs).length)) continue;
    run.errors.push(`${str(key)} is ${str(val)} but ${any ? 'any' : 'all'} of the following are missing: ${missing.join(', ')}${found(ctx)}`);
  }
  if (isDict(o.required_by)) {
    for (const [key, reqs] of Object.entries(o.required_by)) {
      if (params[key] === undefined || params[key] === null) continue;
      const missing = (Array.isArray(reqs) ? reqs : [reqs]).map(str).filter((r) => params[r] === undefined || params[r] === null);
      if (missing.length) run.errors.push(`missing parameter(s) required by '${key}': ${missing.join(', ')}${found(ctx)}`);
    }
  }
}

function subSpecs(spec: ArgSpec, params: Params, ctx: string[], run: Run): void {
  for (const [k, o] of Object.entries(spec)) {
    if (!(o.type === 'dict' || (o.type === 'list' && o.elements === 'dict'))) continue;
    const sub = o.options as ArgSpec | undefined;
    if (o.apply_defaults) {
      if (!isDict(sub)) continue;
      if (params[k] === undefined || params[k] === null) params[k] = {};
    } else if (!isDict(sub) || params[k] === undefined || params[k] === null) continue;
    const inner = [...ctx, k];
    for (const p of Array.isArray(params[k]) ? (params[k] as unknown[]) : [params[k]]) {
      if (!isDict(p)) {
        run.errors.push(`value of '${k}' must be of type dict or list of dicts`);
        continue;
      }
      level(sub, p, inner, run, o);
    }
  }
}

/** One spec over one mapping of parameters: validate()'s order, or _validate_sub_spec's for a sub-option. */
function level(spec: ArgSpec, params: Params, ctx: string[], run: Run, parent?: Option): void {
  const alias = aliases(spec, params, run);
  try {
    subOptionTexts(spec, params);
  } catch (e) {
    run.errors.push((e as Error).message);
  }
  checkUnsupported(spec, params, alias, ctx, run);
  if (parent) exclusive(parent, params, ctx, run);
  setDefaults(spec, params, false);
  checkRequired(spec, params, ctx, run);
  checkTypes(spec, params, ctx, run);
  checkChoices(spec, params, ctx, run);
  if (parent) additional(parent, params, ctx, run);
  setDefaults(spec, params, true);
  subSpecs(spec, params, ctx, run);
}

/** The parameters' lists and mappings copied (the checks convert values in place); other values (PyFloat too) as they are. */
const copy = (v: unknown): unknown => (Array.isArray(v) ? v.map(copy) : isDict(v) ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, copy(x)])) : v);

/** The error messages of validating `given` against `spec` (none: valid), in ansible-core's words. */
export function argSpecErrors(spec: ArgSpec, given: Params): string[] {
  const run: Run = { errors: [], unsupported: new Map() };
  level(spec, copy(given) as Params, [], run);
  if (run.unsupported.size) {
    const names = [...run.unsupported.keys()].sort();
    // (ansible-core names what the last one's spec supports)
    const last = [...run.unsupported.values()].at(-1)!;
    const aliases = last.aliases.sort();
    run.errors.push(`${names.join(', ')}. Supported parameters include: ${last.params.sort().join(', ')}${aliases.length ? ` (${aliases.join(', ')})` : ''}.`);
  }
  return run.errors;
}
