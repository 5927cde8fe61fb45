import { converted, literal } from '../source/pyliteral.js';
import { jinja2 } from '../source/jinja-native.js';
import { isDict, plain, PyFloat, str } from '../source/python.js';
import { holdsUndefined } from '../source/pyvalues.js';
import { evaluate, hasTemplate, OMIT, renderText, undefinedError, WHOLE } from './template.js';
import { countOutputs, keptAlone, keptArgs, keptText, readVar } from './kept-text.js';
import { addLookup, onNativeTerms } from './jinja/lookups.js';
import { configLookup } from './jinja/config-lookup.js';
import { copyKeys, hasKeyTable, keyOf, setKey, textKeys } from '../source/pydict.js';

// A templated task argument as ansible-core's Templar.template gives it (a value of its type, or text
// read as a Python literal when it looks like one); under jinja2_native as ansible_native_concat does.

const STRING_FILTER_LAST = /\|\s*(?:ansible\.builtin\.)?(?:string|to_json|to_nice_json|to_yaml|to_nice_yaml)\s*(?:\(.*\))?\s*$/s;
/** One expression and only whitespace after it (`"{{ x | to_nice_json }}\n"`). */
const WHOLE_TRAILING = /^\{\{([\s\S]*)\}\}\s+$/;
const SINGLE_VAR = /^\{\{\s*(\w*)\s*\}\}$/;
const LITERAL_ONLY = (v: unknown): boolean => v === null || ['string', 'number', 'boolean'].includes(typeof v) || (Array.isArray(v) ? v.every(LITERAL_ONLY) : isDict(v) ? Object.values(v).every(LITERAL_ONLY) : false);

/** ansible-core's rule for a rendered task argument. */
const convert = converted;

/**
 * Doubles backslashes inside string literals of `{{ }}` expressions, as ansible-core does for
 * task arguments (so `'\\1'` written in YAML reaches the regex as `\1`), not for template files.
 */
export function escapeBackslashes(src: string): string {
  if (!src.includes('\\') || !src.includes('{{')) return src;
  let out = '';
  let inVar = false;
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (!inVar && src.startsWith('{{', i)) {
      inVar = true;
      out += '{{';
      i++;
    } else if (inVar && src.startsWith('}}', i)) {
      inVar = false;
      out += '}}';
      i++;
    } else if (inVar && (c === "'" || c === '"')) {
      let j = i + 1;
      while (j < src.length && src[j] !== c) j += src[j] === '\\' ? 2 : 1;
      out += c + src.slice(i + 1, j).replace(/\\/g, '\\\\') + (src[j] ?? '');
      i = j;
    } else out += c;
  }
  return out;
}

/**
 * ansible_native_concat's last step (jinja2_native): text that is a Python literal becomes its value;
 * text that is not (or is a quoted string, or starts with a space: Python's indent error) stays text.
 */
function nativeValue(out: unknown): unknown {
  if (typeof out !== 'string' || out === '' || out[0] === ' ' || out[0] === '\t') return out;
  const v = literal(out, { raises: true });
  if (v === undefined) return out;
  return typeof v === 'string' ? `${out[0]}${v}${out[0]}` : v;
}

/** Whether the last renderCounting's output was one kept text alone. */
const rendered = { alone: false };

/** Renders a template counting its output expressions (kept-text.ts): its text; `rendered.alone` says whether it is one kept text alone. (No closure nor result object: every argument with text around its template renders here.) */
function renderCounting(src: string, vars: Record<string, unknown>): string {
  const outer = countOutputs();
  let out = '';
  try {
    out = renderText(src, vars);
    return out;
  } finally {
    rendered.alone = keptAlone(outer, out);
  }
}

/** A templated task argument under jinja2_native: one expression keeps its value (text is read as a literal), more become text read as a literal. */
function renderNative(value: string, vars: Record<string, unknown>): unknown {
  const src = escapeBackslashes(value);
  const whole = WHOLE.exec(src);
  if (whole && !whole[1].includes('}}') && !whole[1].includes('{{') && !/\}\}\s+$/.test(src) && !/^\s+\{\{/.test(src)) {
    const v = evaluate(whole[1], vars, value);
    if (v === undefined || holdsUndefined(v)) throw undefinedError(src, vars, value);
    // a string filter's text (to_json, to_yaml, string) is NativeJinjaText: it stays text
    return typeof v === 'string' && STRING_FILTER_LAST.test(whole[1]) ? v : nativeValue(v);
  }
  jinja2.printNone = true;
  try {
    // (one output expression of a string filter's text stays text, NativeJinjaText)
    const out = renderCounting(src, vars);
    return rendered.alone ? out : nativeValue(out);
  } finally {
    jinja2.printNone = false;
  }
}

/** A render's result that is kept text: remembered among the arguments' (set_fact marks its variables by it). */
function keptArg(text: string): string {
  keptArgs.add(text);
  return text;
}

/** One templated string as a task argument gets it (ansible-core's Templar.template). */
function renderArg(value: string, vars: Record<string, unknown>): unknown {
  if (jinja2.native) return renderNative(value, vars);
  const one = SINGLE_VAR.exec(value);
  if (one && Object.hasOwn(vars, one[1])) {
    const v = vars[one[1]];
    // (ansible-core's Templar: a bool or number, a float too, is returned as it is)
    if (v === null || typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean' || v instanceof PyFloat) return v;
    // what the slow path below gives a plain text value, without a template render (kept text stays text)
    if (typeof v === 'string') return readVar(vars, one[1], v) ? keptArg(v) : convert(v);
  }
  const src = escapeBackslashes(value);
  // one expression keeps its value's type; a newline after it (a YAML block scalar) makes it text, newline kept
  // (not after `-}}`, which strips it)
  const whole = /(?<!-)\}\}[^\S\n]*\n\s*$/.test(src) ? null : WHOLE.exec(src);
  if (whole && !whole[1].includes('}}') && !whole[1].includes('{{')) {
    keptText.clear();
    const v = evaluate(whole[1], vars, value);
    // (a list or dict holding an undefined value too: ansible-core's _fail_on_undefined)
    if (v === undefined || holdsUndefined(v)) throw undefinedError(src, vars, value);
    if (typeof v === 'boolean') return v;
    // ansible-core keeps the text of string-type filters (to_json, to_yaml, string) as text, and a template lookup's with convert_data=False
    if (typeof v === 'string' && (STRING_FILTER_LAST.test(whole[1]) || keptText.has(v))) return keptArg(v);
    if ((Array.isArray(v) || isDict(v)) && !Object.getOwnPropertySymbols(v).length && LITERAL_ONLY(v)) return v;
    return convert(v === null ? '' : str(v));
  }
  // a string-type filter's text stays text with a newline after it too
  const trailing = WHOLE_TRAILING.exec(src);
  if (trailing && !trailing[1].includes('{{') && !trailing[1].includes('}}') && STRING_FILTER_LAST.test(trailing[1])) return renderText(src, vars);
  // (one output expression of a string filter's text, `{%- if a -%}{{- x | to_json -}}{%- endif -%}`, stays text)
  const out = renderCounting(src, vars);
  return rendered.alone ? keptArg(out) : convert(out);
}

/**
 * Templates a value deeply, as ansible-core templates task arguments: a string that is one
 * variable keeps that variable's type; a rendered string that looks like a list, dict or bool
 * becomes one; other results are text (the module's argument spec converts them).
 */
export function renderValue(value: unknown, vars: Record<string, unknown>): unknown {
  if (keptArgs.size) keptArgs.clear();
  return plain(renderDeep(value, vars));
}

onNativeTerms((s, vars) => renderValue(s, vars));
addLookup('config', configLookup((s, vars) => renderValue(s, vars)));

/**
 * A module's arguments without omitted values, as ansible-core's remove_omit after the render: a
 * mapping's key whose value is omit goes, at any depth (a template's mapping too, and mappings in a
 * list), while a list keeps an omitted item. Copied only where something goes.
 */
export function removeOmit(v: unknown): unknown {
  if (Array.isArray(v)) {
    let out: unknown[] | undefined;
    v.forEach((x, i) => {
      const y = removeOmit(x);
      if (y !== x) (out ??= [...v])[i] = y;
    });
    return out ?? v;
  }
  if (!isDict(v)) return v;
  let out: Record<string, unknown> | undefined;
  for (const k of Object.keys(v)) {
    const x = v[k];
    if (x === OMIT) {
      out ??= copyKeys(v, { ...v });
      delete out[k];
      continue;
    }
    const y = removeOmit(x);
    if (y !== x) (out ??= copyKeys(v, { ...v }))[k] = y;
  }
  return out ?? v;
}

/** Like renderValue, but a float with a whole value stays a Python float (`1.0`): for values that become variables (set_fact). */
export function renderData(value: unknown, vars: Record<string, unknown>): unknown {
  if (keptArgs.size) keptArgs.clear();
  return renderDeep(value, vars);
}

/** A dict that keeps its keys' types (source/pydict.ts): a key that is not text is no template. */
function renderKeyed(value: Record<string, unknown>, vars: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of textKeys(value)) {
    const key = keyOf(value, k);
    const text = typeof key === 'string' ? renderText(k, vars) : k;
    setKey(out, text, typeof key === 'string' ? text : key, renderDeep(value[k], vars));
  }
  return out;
}

function renderDeep(value: unknown, vars: Record<string, unknown>): unknown {
  if (typeof value === 'string') return hasTemplate(value) ? renderArg(value, vars) : value;
  // (a list keeps an omitted item, the placeholder text: ansible-core's remove_omit drops dict keys only)
  if (Array.isArray(value)) return value.map((v) => renderDeep(v, vars));
  // bytes (YAML's !!binary) stay bytes
  if (value instanceof Uint8Array) return value;
  // (a Python float or date is a value, not a mapping of its fields)
  if (isDict(value)) {
    if (hasKeyTable(value)) return renderKeyed(value, vars);
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value)) {
      // (an omitted value keeps its key: ansible-core drops it only from a module's arguments, removeOmit)
      out[renderText(k, vars)] = renderDeep((value as Record<string, unknown>)[k], vars);
    }
    return out;
  }
  return value;
}
