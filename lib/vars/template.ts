import { createHash, randomBytes } from 'node:crypto';
import nunjucks from '../source/vendor/nunjucks.js';
import { dropTrailingNewline, loader, searchFrom } from './jinja/loader.js';
import { filters, resultTests, tests } from './filters.js';
import { jinjaFilters, jinjaTests } from './jinja/builtins.js';
import { splitKw } from './jinja/methods.js';
import { Cycler, joiner, namespace } from './jinja/statements.js';
import { findPyPlugins, pyPluginFn, type PyPlugin } from './py-plugins.js';
import { callRuntimeFn } from './runtime-fns.js';
import { patchNunjucks } from './jinja/patch.js';
import { lookup, lookupNames, now, onLookupTerms, query, ranges } from './jinja/lookups.js';
import { PyError, UndefinedUse, Unresolved, str } from '../source/python.js';
import { misses } from '../source/pysubscript.js';
import { namesOf, pluginNotLoaded } from './plugin-names.js';
import { VaultError } from '../source/vault.js';
import { deriveSecret, markSecret, SecretsPending } from './secrets.js';
import { SecretError } from './doppler.js';
import { renderWith, shareContext } from './jinja/context.js';
import { pyOf, TemplateError, TemplateSyntax, UndefinedVariable } from './template-errors.js';
import { checkFilterArgs } from './jinja/filter-args.js';
import { pyDict } from '../source/pykeys.js';

export { TemplateError, TemplateSyntax, UndefinedVariable } from './template-errors.js';

const MARK = /\{\{|\{%|\{#/;
/** One expression and nothing else (its whitespace control, `{{-` and `-}}`, not part of it). */
export const WHOLE = /^\s*\{\{-?([\s\S]*?)-?\}\}\s*$/;

export function hasTemplate(s: string): boolean {
  return MARK.test(s);
}

// (omit: ansible-core's placeholder, a sha1 of random bytes after its prefix, one per run; it stays as text where a module's arguments do not drop it, in a list)
const globals: Record<string, unknown> = { True: true, False: false, None: null, true: true, false: false, none: null, omit: `__omit_place_holder__${createHash('sha1').update(randomBytes(64)).digest('hex')}` };
export const OMIT = globals.omit as string;

/** Filters and tests that take an undefined value without failing (the rest refuse it, as under Ansible). */
// (Jinja's items of an undefined value is empty)
const TAKES_UNDEFINED = new Set(['default', 'd', 'mandatory', 'defined', 'undefined', 'items']);
/** Tests that look at an undefined value without using it (isinstance, `is`, callable(), hasattr()): Jinja's answer, not an error. */
// (and ansible-core's result tests, whose isinstance check of a mapping comes first: `undefined is changed` is their
// `The 'changed' test expects a dictionary`)
const TESTS_TAKE_UNDEFINED = new Set(['none', 'string', 'number', 'integer', 'float', 'boolean', 'mapping', 'sequence', 'sameas', 'true', 'false', 'callable', 'escaped', ...Object.keys(resultTests)]);
type Env = nunjucks.Environment & { getTest(n: string): (...a: unknown[]) => unknown; addTest(n: string, f: unknown): void; filters: Record<string, unknown>; tests: Record<string, unknown> };

/** The template module's Jinja settings (its trim_blocks, lstrip_blocks and start/end strings). */
export interface JinjaOptions {
  trimBlocks?: boolean;
  lstripBlocks?: boolean;
  tags?: Record<string, string | undefined>;
}
const envs = new Map<string, Env>();
export function environment(opts: JinjaOptions = {}): Env {
  const key = JSON.stringify(opts);
  const have = envs.get(key);
  if (have) return have;
  patchNunjucks();
  // dev: keep the original error as `cause` (secrets lookups signal through their error type)
  const e = new nunjucks.Environment(loader as unknown as nunjucks.ILoader, { autoescape: false, throwOnUndefined: true, trimBlocks: opts.trimBlocks ?? true, lstripBlocks: opts.lstripBlocks ?? false, dev: true, ...(opts.tags ? { tags: opts.tags } : {}) }) as Env;
  const registry = { filter: (n: string) => e.getFilter(n) as (...a: unknown[]) => unknown, test: (n: string) => e.getTest(n) };
  const guard =
    (name: string, f: (...a: unknown[]) => unknown, filter = true) =>
    function (this: unknown, given: unknown, ...rest: unknown[]) {
      if (given === undefined && !TAKES_UNDEFINED.has(name) && (filter || !TESTS_TAKE_UNDEFINED.has(name))) throw new UndefinedUse();
      // (a macro's output is nunjucks' SafeString, a String object: the filters and tests get its text)
      const v = given instanceof String ? String(given) : given;
      if (filter) checkFilterArgs(name, v, rest);
      const out = f.call(this, v, ...rest);
      deriveSecret([v, ...rest], out);
      return out;
    };
  const names = () => ({ filters: new Set(Object.keys(e.filters)), tests: new Set(Object.keys(e.tests)) });
  const allFilters: Record<string, unknown> = { ...jinjaFilters(registry), ...filters, secret: markSecret };
  const allTests = { ...jinjaTests(registry, names), ...tests };
  for (const [k, f] of Object.entries(allFilters)) for (const n of namesOf(k, 'filter', filters)) e.addFilter(n, guard(k, f as (...a: unknown[]) => unknown));
  e.addFilter('d', guard('d', allFilters.default as (...a: unknown[]) => unknown));
  // (Jinja's urlize: str() of any value, HTML-escaped, then its links found; nunjucks' takes text as it is)
  const urlize = e.getFilter('urlize') as (...a: unknown[]) => unknown;
  const escape = allFilters.escape as (v: unknown) => string;
  e.addFilter('urlize', guard('urlize', (v, ...a) => urlize(escape(str(v)), ...a)));
  for (const [k, t] of Object.entries(allTests)) for (const n of namesOf(k, 'test', tests)) e.addTest(n, guard(k, t as (...a: unknown[]) => unknown, false));
  for (const p of pyPlugins.values()) addPyPlugin(e, p);
  for (const [k, v] of Object.entries(globals)) e.addGlobal(k, v);
  e.addGlobal('lookup', lookup);
  e.addGlobal('query', query);
  e.addGlobal('q', query);
  e.addGlobal('now', now);
  e.addGlobal('range', ranges.range);
  e.addGlobal('dict', (...a: unknown[]) => pyDict(...splitKw(a)));
  e.addGlobal('namespace', namespace);
  e.addGlobal('cycler', (...items: unknown[]) => new Cycler(items));
  e.addGlobal('joiner', joiner);
  // a `!vault` value that could not be decrypted fails where it is used (lib/source/yaml.ts)
  e.addGlobal('__agri_vault_failed', (msg: string) => {
    throw new VaultError(msg);
  });
  // a TypeScript role's run-time function (lib/playbook/ts-role.ts), called with the step's variables
  e.addGlobal('__agri_fn', function (this: { ctx: Record<string, unknown> }, id: unknown) {
    return callRuntimeFn(id, this.ctx);
  });
  shareContext(e);
  envs.set(key, e);
  return e;
}

/** Python filter and test plugins found (a role's, the playbook's), by kind and name: every environment has them. */
const pyPlugins = new Map<string, PyPlugin>();
const pluginDirs = new Set<string>();
const addPyPlugin = (e: Env, p: PyPlugin): void => (p.kind === 'filter' ? e.addFilter(p.name, pyPluginFn(p, splitKw)) : e.addTest(p.name, pyPluginFn(p, splitKw)), undefined);

/** `<dir>/filter_plugins` and `<dir>/test_plugins` (as ansible-core adds a role's and the playbook's): their plugins join every template from now on; the files that would not load are returned (ansible-core skips them with a warning). */
export function addPluginDirs(dir: string): string[] {
  // (once per folder: a role loaded again, by each include, has them already)
  if (pluginDirs.has(dir)) return [];
  pluginDirs.add(dir);
  let found: ReturnType<typeof findPyPlugins>;
  try {
    found = findPyPlugins(dir);
  } catch (e) {
    return [`${dir}: ${(e as Error).message}`];
  }
  const { plugins, broken } = found;
  for (const p of plugins) {
    pyPlugins.set(`${p.kind}\0${p.name}`, p);
    for (const e of envs.values()) addPyPlugin(e, p);
  }
  return broken;
}

/** Rendering is synchronous, so one slot is enough to carry a value out of a template. */
const captured: { value: unknown; seen: boolean } = { value: undefined, seen: false };
globals.__agri_cap = (v: unknown) => {
  captured.value = v;
  captured.seen = true;
  return '';
};

const compiled = new Map<string, nunjucks.Template>();
export function compile(src: string, opts?: JinjaOptions): nunjucks.Template {
  const key = opts ? `${JSON.stringify(opts)}\0${src}` : src;
  let t = compiled.get(key);
  if (!t) {
    try {
      t = new nunjucks.Template(src, environment(opts), undefined, true);
    } catch (e) {
      throw new TemplateSyntax(cleanMessage((e as Error).message), src);
    }
    if (compiled.size > 20000) compiled.clear();
    compiled.set(key, t);
  }
  return t;
}

export function cleanMessage(m: string): string {
  return m
    .replace(/^\(unknown path\)\s*/, '')
    .replace(/\s*\[Line \d+, Column \d+\]\s*/, ' ')
    .replace(/\n\s*/g, ' ')
    .trim();
}

/** Names used in a template that the variables don't define (for the error message). */
function undefinedNames(src: string, vars: Record<string, unknown>): string[] {
  const out = new Set<string>();
  // (the engine's globals: constants and functions, `lookup`, `q`, `range`, … are no variables)
  const functions = (environment() as unknown as { globals: Record<string, unknown> }).globals;
  const bound = new Set<string>();
  const seen = new Set<string>();
  const parse = (s: string) => (nunjucks as unknown as { parser: { parse(s: string): unknown } }).parser.parse(s);
  try {
    const ast = parse(src);
    const walk = (n: unknown): void => {
      if (!n || typeof n !== 'object') return;
      const node = n as { typename?: string; value?: unknown; fields?: string[]; children?: unknown[]; name?: unknown; target?: unknown; targets?: unknown[]; arr?: unknown; left?: unknown; right?: unknown; args?: unknown; template?: { typename?: string; value?: unknown }; names?: unknown };
      // an imported or included template's own names count (ansible-core names the variable inside it);
      // the names an import binds are defined here
      if (node.typename === 'Import' || node.typename === 'FromImport' || node.typename === 'Include') {
        const name = node.template?.typename === 'Literal' && typeof node.template.value === 'string' ? node.template.value : undefined;
        const file = name && !seen.has(name) ? loader.getSource(name) : null;
        if (name) seen.add(name);
        if (file) walk(parse(file.src));
        if (node.typename === 'Import') collectTargets(node.target, bound);
        if (node.typename === 'FromImport') for (const p of (node.names as { children?: unknown[] })?.children ?? []) collectTargets((p as { typename?: string; value?: unknown }).typename === 'Pair' ? (p as { value: unknown }).value : p, bound);
        return;
      }
      if (node.typename === 'Is') {
        walk(node.left);
        walk((node.right as { args?: unknown })?.args);
        return;
      }
      if (node.typename === 'Filter') return walk(node.args);
      // a keyword argument's name (`map(attribute='name')`) is no variable
      if (node.typename === 'KeywordArgs') return (node.children ?? []).forEach((p) => walk((p as { value?: unknown }).value));
      if (node.typename === 'For' && node.name) collectTargets(node.name, bound);
      if (node.typename === 'Set') for (const t of node.targets ?? []) collectTargets(t, bound);
      if (node.typename === 'Symbol' && typeof node.value === 'string') {
        const v = vars[node.value];
        if (v instanceof Unresolved) out.add(`${node.value}\u0000${v.cause}`);
        else if (!(node.value in vars) && !(node.value in functions) && !bound.has(node.value)) out.add(node.value);
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

/** nunjucks wraps errors thrown by globals; secrets and vault errors must reach the engine as they are. */
function rethrowSecretErrors(e: unknown): void {
  let cur: unknown = e;
  for (let i = 0; i < 4 && cur; i++) {
    if (cur instanceof SecretsPending || cur instanceof SecretError || cur instanceof VaultError) throw cur;
    cur = (cur as { cause?: unknown }).cause;
  }
  const m = /(SecretError|VaultError): (.*)$/m.exec((e as Error)?.message ?? '');
  if (m) throw m[1] === 'VaultError' ? new VaultError(m[2]) : new SecretError(m[2]);
}

/**
 * An undefined value in a template: the names it uses that are undefined, else why a lookup in it
 * missed. Where the last lookup that missed was of one of those names, it is named first: the value
 * used is most likely that one (`a | default(b)` uses b's, and ansible-core names b).
 */
export function undefinedError(src: string, vars: Record<string, unknown>, shown = src): UndefinedVariable {
  let names = undefinedNames(src, vars);
  const last = misses.latest === 'name' ? misses.name : undefined;
  if (last !== undefined && names[0] !== last && names.includes(last)) names = [last, ...names.filter((n) => n !== last)];
  return new UndefinedVariable(names, shown, misses.last);
}

/** Turns what a template threw into the error the engine reports (never a guess at a value); `shown`: the template as the task has it. */
function failure(e: unknown, src: string, vars: Record<string, unknown>, shown = src): Error {
  rethrowSecretErrors(e);
  let cur: unknown = e;
  for (let i = 0; i < 4 && cur; i++) {
    if (cur instanceof UndefinedUse) return undefinedError(src, vars, shown);
    // (a variable it used that is an error, not undefined: AnsibleJ2Vars' AnsibleError, as it is)
    if (cur instanceof TemplateError && cur.bare) return cur;
    if (cur instanceof PyError && cur.kind.startsWith('AnsibleFilter') && cur.kind !== 'AnsibleFilterTypeError') return new TemplateError(pyOf(cur).msg, shown, true, pyOf(cur));
    // (do_template's words for a TypeError — AnsibleFilterTypeError is one — then its original exception's)
    if (cur instanceof PyError && (cur.kind === 'TypeError' || cur.kind === 'AnsibleFilterTypeError')) {
      const why = pyOf(cur).msg;
      // (one about an undefined value is its AnsibleUndefinedVariable)
      if (why.includes('AnsibleUndefined')) return new UndefinedVariable([], shown, `Unable to look up a name or access an attribute in template string (${shown}).\nMake sure your variable name does not contain invalid characters like '-': ${why}. ${why}`);
      return new TemplateError(`Unexpected templating type error occurred on (${shown}): ${why}. ${why}`, shown, true);
    }
    if (cur instanceof PyError || (cur as Error).name === 'LookupError') return new TemplateError((cur as Error).message, shown, (cur as { bare?: boolean }).bare === true, cur instanceof PyError ? pyOf(cur) : undefined);
    cur = (cur as { cause?: unknown }).cause;
  }
  const msg = (e as Error).message ?? String(e);
  // (the name as it is: `'asdf '` with its space)
  const missing = /\b(?:filter|test) not found: (.+?)(?: \[Line \d+, Column \d+\])?$/m.exec(msg);
  if (missing) return new TemplateError(pluginNotLoaded(missing[1], src, shown), shown, true);
  if (/undefined|null/.test(msg) && !/Unable to call/.test(msg)) return undefinedError(src, vars, shown);
  return new TemplateError(cleanMessage(msg), shown);
}

onLookupTerms((s, vars) => renderText(s, vars));

/** (counted from the end: a regex over the text and a copy of it, for every template rendered, cost more than the render of a short one) */
function newlinesAtEnd(t: string): number {
  let n = 0;
  while (n < t.length && t.charCodeAt(t.length - 1 - n) === 10) n++;
  return n;
}
/** ansible-core's do_template(preserve_trailing_newlines=True): the source's final newlines, as many as it had, come back. */
function preserveTrailingNewlines(src: string, out: string): string {
  const missing = newlinesAtEnd(src) - newlinesAtEnd(out);
  return missing > 0 ? out + '\n'.repeat(missing) : out;
}

/**
 * A template that is text and `{{ name }}`s only (`/srv/{{ inventory_hostname }}/app.conf`): the text between the
 * names and the names (without its last newline, as Jinja reads it); undefined for any other. Parsed once per source.
 */
function interpolation(source: string): { text: string[]; names: string[] } | undefined {
  let plan = interpolations.get(source);
  if (plan !== undefined || interpolations.has(source)) return plan;
  const src = dropTrailingNewline(source);
  const text: string[] = [];
  const names: string[] = [];
  let at = 0;
  for (const m of src.matchAll(INTERPOLATED)) {
    text.push(src.slice(at, m.index));
    names.push(m[1]);
    at = m.index + m[0].length;
  }
  text.push(src.slice(at));
  // (nothing else of Jinja in the text between: no other tag, comment or statement; no literal name)
  plan = names.length && !text.some((t) => JINJA_MARK.test(t)) && !names.some((n) => LITERALS.has(n)) ? { text, names } : undefined;
  if (interpolations.size > 10_000) interpolations.clear();
  interpolations.set(source, plan);
  return plan;
}

const interpolations = new Map<string, { text: string[]; names: string[] } | undefined>();
const INTERPOLATED = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;
const JINJA_MARK = /\{[{%#]|[}%#]\}/;
const LITERALS = new Set(['true', 'false', 'none', 'True', 'False', 'None']);

/** The text nunjucks renders for an interpolation of text variables (undefined when a name is not one: the template is rendered). */
function interpolated(plan: { text: string[]; names: string[] }, vars: Record<string, unknown>): string | undefined {
  let out = plan.text[0];
  for (let i = 0; i < plan.names.length; i++) {
    // (one lookup, no hasOwn first: what a variables object inherits, Object.prototype's, is no string)
    const v = vars[plan.names[i]];
    if (typeof v !== 'string') return undefined;
    out += v + plan.text[i + 1];
  }
  return out;
}

/** Renders a template to text, as the template module writes a file. Undefined variables are errors naming the variable. */
export function renderText(src: string, vars: Record<string, unknown>, opts?: JinjaOptions): string {
  if (!opts && !hasTemplate(src)) return src;
  if (!opts) {
    const plan = interpolation(src);
    const text = plan && interpolated(plan, vars);
    if (text !== undefined) return preserveTrailingNewlines(src, text);
  }
  misses.last = misses.name = misses.latest = undefined;
  const t = compile(dropTrailingNewline(src), opts);
  try {
    if (opts || /\{%-?\s*(include|import|from|extends)\b/.test(src)) searchFrom(vars);
    return preserveTrailingNewlines(src, renderWith(t, src, vars));
  } catch (e) {
    throw failure(e, src, vars);
  }
}

/** Evaluates one Jinja expression (`when:`, `that:`) to its native value; `shown`: the template it came from, for errors. */
export function evaluate(expr: string, vars: Record<string, unknown>, shown?: string): unknown {
  const src = `{% set __agri_v = (${expr}) %}{{ __agri_cap(__agri_v) }}`;
  let t: nunjucks.Template;
  try {
    t = compile(src);
  } catch (e) {
    // (the template as it was written, not the form it is evaluated in)
    throw e instanceof TemplateSyntax ? new TemplateSyntax(e.message, shown ?? `{{ ${expr} }}`) : e;
  }
  misses.last = misses.name = misses.latest = undefined;
  captured.seen = false;
  captured.value = undefined;
  try {
    renderWith(t, src, vars);
  } catch (e) {
    throw failure(e, `{{ ${expr} }}`, vars, shown);
  }
  if (!captured.seen) throw new TemplateSyntax(`cannot evaluate '${expr}'`);
  return captured.value;
}

/** Like `evaluate`, but an undefined value is an error (for values used as data). */
export function evaluateDefined(expr: string, vars: Record<string, unknown>, shown?: string): unknown {
  const v = evaluate(expr, vars, shown);
  if (v === undefined) throw undefinedError(`{{ ${expr} }}`, vars, expr);
  return v;
}

/** The filters, tests and lookups templates can use (for `agri-play doc -t`). */
export function templateCatalog(): { filter: string[]; test: string[]; lookup: string[] } {
  const e = environment();
  return { filter: Object.keys(e.filters).sort(), test: Object.keys(e.tests).sort(), lookup: lookupNames() };
}
