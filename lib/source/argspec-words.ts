// AnsibleModule's words for an argument of the wrong type or value (module_utils/common/parameters.py
// _validate_argument_types and _validate_argument_values, with validation.py's check_type_* errors),
// for the ajv errors of a module's arguments: what a task shows when its arguments are refused.
import type { ErrorObject } from 'ajv';
import { pyType, str } from './python.js';
import { BOOLEANS_FALSE, BOOLEANS_TRUE } from './data.js';

/** AnsibleModule's names of the types it converts to (check_type_*), by JSON Schema type. */
const WANTED: Record<string, string> = { integer: 'int', number: 'float', boolean: 'bool', array: 'list', object: 'dict', string: 'str' };

/**
 * convert_bool's list of booleans as one ansible-core process printed it (it joins a frozenset, so
 * its order changes from run to run).
 */
const BOOLEANS = "'y', 1, 0, 'no', 'off', 'n', 'true', 'false', 'f', 'yes', '0', 'on', 't', '1'";

/** The check_type_* function's error for `value` that is not `wanted`. */
function conversionError(value: unknown, wanted: string): string {
  const cls = `<class '${pyType(value)}'>`;
  if (wanted === 'bool' && (typeof value === 'string' || typeof value === 'number')) return `The value '${str(value)}' is not a valid boolean.  Valid booleans include: ${BOOLEANS}`;
  if (wanted === 'int') return `${cls} cannot be converted to an int`;
  if (wanted === 'float') return `${cls} cannot be converted to a float`;
  if (wanted === 'dict' && typeof value === 'string') return 'dictionary requested, could not parse JSON or key=value';
  return `${cls} cannot be converted to a ${wanted}`;
}

/** The items schema of a list schema, or of a union's list branch. */
function listItems(schema: unknown): unknown {
  const s = schema as { type?: unknown; items?: unknown; anyOf?: unknown[] } | undefined;
  if (s?.type === 'array') return s.items;
  return Array.isArray(s?.anyOf) ? s.anyOf.map(listItems).find((i) => i !== undefined) : undefined;
}

/** Whether a text converts to `wanted` (check_type_int, _float, _bool). */
function converts(v: string, wanted: string): boolean {
  if (wanted === 'int') return /^\s*[-+]?\d+\s*$/.test(v);
  if (wanted === 'float') return v.trim() !== '' && !Number.isNaN(Number(v));
  if (wanted === 'bool') return BOOLEANS_TRUE.has(v.trim().toLowerCase()) || BOOLEANS_FALSE.has(v.trim().toLowerCase());
  return true;
}

/** The type a schema (or its first branch) asks for, in AnsibleModule's name. */
function wantedOf(schema: unknown): string | undefined {
  const s = schema as { type?: unknown; anyOf?: unknown[] } | undefined;
  const t = Array.isArray(s?.type) ? s.type[0] : s?.type;
  if (typeof t === 'string') return WANTED[t];
  return Array.isArray(s?.anyOf) ? wantedOf(s.anyOf[0]) : undefined;
}

/**
 * ansible-core's message for one ajv error of a module's arguments (an argument's type or choices,
 * or a list element's type), or undefined where it has none of these words (a nested option).
 */
export function ansibleArgWords(e: ErrorObject): string | undefined {
  const path = e.instancePath.split('/').slice(1);
  if (path.length < 1 || path.length > 2 || (path.length === 2 && !/^\d+$/.test(path[1]))) return undefined;
  const name = path[0].replace(/~1/g, '/').replace(/~0/g, '~');
  if (e.keyword === 'enum') {
    const choices = (e.params as { allowedValues: unknown[] }).allowedValues.map(str).join(', ');
    return path.length === 1 ? `value of ${name} must be one of: ${choices}, got: ${str(e.data)}` : `value of ${name} must be one or more of: ${choices}. Got no match for: ${str(e.data)}`;
  }
  if (e.keyword !== 'type') return undefined;
  const wanted = wantedOf(e.schema === undefined ? undefined : { type: e.schema }) ?? wantedOf(e.parentSchema);
  if (!wanted) return undefined;
  // (a text where a list is wanted is split on commas, check_type_list's way: then its elements are checked)
  if (path.length === 1 && typeof e.data === 'string') {
    const items = listItems(e.parentSchema);
    const each = items === undefined ? undefined : wantedOf(items);
    if (each && each !== 'str') {
      const bad = e.data.split(',').find((v) => !converts(v, each));
      if (bad !== undefined) return `Elements value for option '${name}' is of type <class 'str'> and we were unable to convert to ${each}: ${conversionError(bad, each)}`;
    }
  }
  const why = conversionError(e.data, wanted);
  return path.length === 1 ? `argument '${name}' is of type <class '${pyType(e.data)}'> and we were unable to convert to ${wanted}: ${why}` : `Elements value for option '${name}' is of type <class '${pyType(e.data)}'> and we were unable to convert to ${wanted}: ${why}`;
}
