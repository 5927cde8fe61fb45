import nunjucks from 'nunjucks';
import { filters, tests } from './filters.js';
import { patchJinjaEquality } from './jinja-eq.js';
import { patchPythonMethods, patchPythonOutput } from './jinja-methods.js';
import { lookup, markSecret, SecretsPending } from './secrets.js';
import { SecretError } from './doppler.js';

/** A template referred to a variable that is not defined (Ansible: an error, not empty). */
export class UndefinedVariable extends Error {
  constructor(
    readonly names: string[],
    readonly source: string,
  ) {
    super(names.length ? `'${names[0]}' is undefined` : `a value in '${source.trim()}' is undefined`);
    this.name = 'UndefinedVariable';
  }
}

/** The template had a syntax error. */
export class TemplateSyntax extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TemplateSyntax';
  }
}

const MARK = /\{\{|\{%/;
const WHOLE = /^\s*\{\{([\s\S]*?)\}\}\s*$/;

export function hasTemplate(s: string): boolean {
  return MARK.test(s);
}

const globals: Record<string, unknown> = { True: true, False: false, None: null, omit: '__omit_place_holder__' };
export const OMIT = globals.omit as string;

let env: nunjucks.Environment | undefined;
function environment(): nunjucks.Environment {
  if (env) return env;
  patchJinjaEquality();
  patchPythonMethods();
  patchPythonOutput();
  // dev: keep the original error as `cause` (secrets lookups signal through their error type)
  env = new nunjucks.Environment(null, { autoescape: false, throwOnUndefined: true, trimBlocks: true, dev: true });
  for (const [k, f] of Object.entries(filters)) env.addFilter(k, f as (...a: unknown[]) => unknown);
  env.addFilter('d', (env.getFilter('default') as (...a: unknown[]) => unknown).bind(env));
  for (const [k, t] of Object.entries(tests)) (env as unknown as { addTest(n: string, f: unknown): void }).addTest(k, t);
  for (const [k, v] of Object.entries(globals)) env.addGlobal(k, v);
  env.addGlobal('lookup', lookup);
  env.addGlobal('query', (kind: string, ...a: unknown[]) => String(lookup(kind, ...a)).split(','));
  env.addFilter('secret', markSecret);
  addSequenceFilters(env);
  return env;
}

/** Rendering is synchronous, so one slot is enough to carry a value out of a template. */
const captured: { value: unknown; seen: boolean } = { value: undefined, seen: false };
globals.__agri_cap = (v: unknown) => {
  captured.value = v;
  captured.seen = true;
  return '';
};

type Kw = { __keywords?: boolean; attribute?: string; default?: unknown };
const kwOf = (args: unknown[]): Kw | undefined => {
  const last = args[args.length - 1] as Kw | undefined;
  return last && typeof last === 'object' && last.__keywords ? (args.pop() as Kw) : undefined;
};
const attr = (o: unknown, path: string): unknown => path.split('.').reduce((v: unknown, k) => (v === null || v === undefined ? undefined : (v as Record<string, unknown>)[k]), o);

/** Jinja's map/select/reject/selectattr/rejectattr, which take filter and test names. */
function addSequenceFilters(e: nunjucks.Environment): void {
  const test = (name: string | undefined, v: unknown, args: unknown[]): boolean => {
    if (!name) return Boolean(v);
    const t = (e as unknown as { getTest(n: string): (...a: unknown[]) => boolean }).getTest(name);
    return Boolean(t.call(undefined, v, ...args));
  };
  e.addFilter('map', (arr: unknown[], ...args: unknown[]) => {
    const kw = kwOf(args);
    if (kw?.attribute !== undefined) return (arr ?? []).map((x) => attr(x, kw.attribute!) ?? kw.default);
    const [name, ...rest] = args as [string, ...unknown[]];
    const f = e.getFilter(name) as (...a: unknown[]) => unknown;
    return (arr ?? []).map((x) => f.call({ env: e }, x, ...rest));
  });
  const pick = (keep: boolean, byAttr: boolean) => (arr: unknown[], ...args: unknown[]) => {
    kwOf(args);
    const [first, name, ...rest] = byAttr ? (args as [string, string | undefined, ...unknown[]]) : ([undefined, ...args] as [undefined, string | undefined, ...unknown[]]);
    return (arr ?? []).filter((x) => test(name, byAttr ? attr(x, first as string) : x, rest) === keep);
  };
  e.addFilter('select', pick(true, false));
  e.addFilter('reject', pick(false, false));
  e.addFilter('selectattr', pick(true, true));
  e.addFilter('rejectattr', pick(false, true));
}

const compiled = new Map<string, nunjucks.Template>();
function compile(src: string): nunjucks.Template {
  let t = compiled.get(src);
  if (!t) {
    try {
      t = new nunjucks.Template(src, environment(), undefined, true);
    } catch (e) {
      throw new TemplateSyntax(cleanMessage((e as Error).message));
    }
    if (compiled.size > 20000) compiled.clear();
    compiled.set(src, t);
  }
  return t;
}

function cleanMessage(m: string): string {
  return m
    .replace(/^\(unknown path\)\s*/, '')
    .replace(/\s*\[Line \d+, Column \d+\]\s*/, ' ')
    .replace(/\n\s*/g, ' ')
    .trim();
}

/** Names used in a template that the variables don't define (for the error message). */
function undefinedNames(src: string, vars: Record<string, unknown>): string[] {
  const out = new Set<string>();
  const bound = new Set<string>();
  try {
    const ast = (nunjucks as unknown as { parser: { parse(s: string): unknown } }).parser.parse(src);
    const walk = (n: unknown): void => {
      if (!n || typeof n !== 'object') return;
      const node = n as { typename?: string; value?: unknown; fields?: string[]; children?: unknown[]; name?: unknown; target?: unknown; targets?: unknown[]; arr?: unknown };
      if (node.typename === 'For' && node.name) collectTargets(node.name, bound);
      if (node.typename === 'Set') for (const t of node.targets ?? []) collectTargets(t, bound);
      if (node.typename === 'Symbol' && typeof node.value === 'string') {
        if (!(node.value in vars) && !(node.value in globals) && !bound.has(node.value)) out.add(node.value);
      }
      for (const f of node.fields ?? []) {
        const v = (node as Record<string, unknown>)[f];
        if (Array.isArray(v)) v.forEach(walk);
        else walk(v);
      }
      if (Array.isArray(node.children)) node.children.forEach(walk);
    };
    walk(ast);
  } catch {
    /* the render error is reported as it is */
  }
  return [...out];
}

function collectTargets(t: unknown, into: Set<string>): void {
  const n = t as { typename?: string; value?: unknown; children?: unknown[] };
  if (n?.typename === 'Symbol' && typeof n.value === 'string') into.add(n.value);
  for (const c of n?.children ?? []) collectTargets(c, into);
}

/** nunjucks wraps errors thrown by globals; secrets errors must reach the engine as they are. */
function rethrowSecretErrors(e: unknown): void {
  let cur: unknown = e;
  for (let i = 0; i < 4 && cur; i++) {
    if (cur instanceof SecretsPending || cur instanceof SecretError) throw cur;
    cur = (cur as { cause?: unknown }).cause;
  }
  const m = /SecretError: (.*)$/m.exec((e as Error)?.message ?? '');
  if (m) throw new SecretError(m[1]);
}

/** Renders a template to text. Undefined variables are errors naming the variable. */
export function renderText(src: string, vars: Record<string, unknown>): string {
  if (!hasTemplate(src)) return src;
  const t = compile(src);
  try {
    return t.render(vars);
  } catch (e) {
    rethrowSecretErrors(e);
    const msg = (e as Error).message;
    if (/undefined|null/.test(msg)) throw new UndefinedVariable(undefinedNames(src, vars), src);
    throw new TemplateSyntax(cleanMessage(msg));
  }
}

/** Evaluates one Jinja expression (`when:`, `that:`, `{{ x }}` alone) to a native value. */
export function evaluate(expr: string, vars: Record<string, unknown>): unknown {
  const src = `{% set __agri_v = (${expr}) %}{{ __agri_cap(__agri_v) }}`;
  const t = compile(src);
  captured.seen = false;
  captured.value = undefined;
  try {
    t.render(vars);
  } catch (e) {
    rethrowSecretErrors(e);
    const msg = (e as Error).message;
    if (/undefined|null/.test(msg)) throw new UndefinedVariable(undefinedNames(`{{ ${expr} }}`, vars), expr);
    throw new TemplateSyntax(cleanMessage(msg));
  }
  if (!captured.seen) throw new TemplateSyntax(`cannot evaluate '${expr}'`);
  return captured.value;
}

/** Like `evaluate`, but an undefined value is an error (for values used as data). */
export function evaluateDefined(expr: string, vars: Record<string, unknown>): unknown {
  const v = evaluate(expr, vars);
  if (v === undefined) throw new UndefinedVariable(undefinedNames(`{{ ${expr} }}`, vars), expr);
  return v;
}

/**
 * Templates a value deeply. A string that is exactly one `{{ expr }}` keeps the expression's
 * native type (number, list, dict), unlike Ansible, which would give a string.
 */
export function renderValue(value: unknown, vars: Record<string, unknown>): unknown {
  if (typeof value === 'string') {
    if (!hasTemplate(value)) return value;
    const whole = WHOLE.exec(value);
    if (whole && !whole[1].includes('}}') && !whole[1].includes('{{')) return evaluateDefined(whole[1], vars);
    return renderText(value, vars);
  }
  if (Array.isArray(value)) return value.map((v) => renderValue(v, vars)).filter((v) => v !== OMIT);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const r = renderValue(v, vars);
      if (r !== OMIT) out[renderText(k, vars)] = r;
    }
    return out;
  }
  return value;
}
