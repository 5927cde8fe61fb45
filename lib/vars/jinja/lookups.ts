import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { splitKw } from './methods.js';
import { PyError, UndefinedUse, isDict, num, pyType, str, truthy, tuple } from '../../source/python.js';
import { holdsUndefined } from '../../source/pyvalues.js';
import { SECRET_NAME, yes } from '../../source/data.js';
import { devault } from '../../source/vault.js';
import { processWide } from '../../source/process-wide.js';
import { flattened } from './flattened.js';
import { contextVar } from '../play-context.js';
import { sequence, SequenceError } from './sequence.js';
import { csvfile, CsvError } from './csvfile.js';
import { ini, IniError } from './ini.js';
import { filesIn } from './data-filters.js';
import { password, PasswordError } from './password.js';
import { pyRegex } from '../../source/pyregex.js';
import { dwimStack } from '../../source/paths.js';
import { selectHosts, type PatternInventory } from '../../source/host-patterns.js';
import { urlLookup } from './url-lookup.js';
import { AnsibleLookupError } from './lookup-error.js';
import { strftime } from '../../source/pydatetime.js';
import { big, intOf } from '../../source/pyint.js';
import { dictItems } from '../../source/pydict.js';

/** What a lookup plugin sees: the template's variables and its keyword arguments. */
export type LookupCtx = { vars: Record<string, unknown>; kw: Record<string, unknown>; subdir?: string };
/** A lookup plugin: terms in, a list of results out (as Ansible's LookupBase.run). */
export type LookupPlugin = (terms: unknown[], ctx: LookupCtx) => unknown[];

/** A lookup failed (the task fails with this message, naming the lookup). */
export class LookupError extends Error {
  constructor(
    message: string,
    /** ansible-core's own words, passed on as they are (not quoted with the template). */
    readonly bare = false,
  ) {
    super(message);
    this.name = 'LookupError';
  }
}

const flatOnce = (terms: unknown[]): unknown[] => terms.flatMap((t) => (Array.isArray(t) ? t : [t]));
/** The folders a lookup's search starts from: ansible_search_path (the task's role, the roles it came through, its file's folder, the playbook's), else the role's. */
const searchPaths = (vars: Record<string, unknown>): string[] =>
  Array.isArray(vars.ansible_search_path) ? vars.ansible_search_path.map(String) : typeof vars.role_path === 'string' ? [vars.role_path, join(vars.role_path, 'tasks')] : [];
/** Each search folder's `subdir` (files/, or vars/ and templates/ for a with_ loop of include_vars or template), then the folder itself (fileglob's folders). */
const searchDirs = (vars: Record<string, unknown>, subdir = 'files'): string[] => {
  const base = typeof vars.playbook_dir === 'string' ? [vars.playbook_dir] : [];
  return [...new Set([...searchPaths(vars), ...base].flatMap((p) => [join(p, subdir), p]))];
};
/**
 * Where a file lookup finds `name`, as ansible-core's find_file_in_search_path: path_dwim_relative_stack
 * over the search path (`source/paths.ts`), the playbook's folder last; then, for a relative name no
 * folder holds, the process's own folder (a TypeScript role's lookup, run with no playbook).
 */
export function findFile(name: string, vars: Record<string, unknown>, subdir = 'files'): string | undefined {
  const found = dwimStack(searchPaths(vars), subdir, name, typeof vars.playbook_dir === 'string' ? vars.playbook_dir : process.cwd()).found;
  if (found !== undefined || isAbsolute(name) || name.startsWith('~')) return found;
  const here = resolve(name);
  return existsSync(here) ? here : undefined;
}

/**
 * The hooks and plugins of the process (processWide: a TypeScript role's `secret()` runs the
 * lookup in its own copy of agri-play, and must find the doppler plugin and the redactor the
 * engine's copy registered).
 */
const hooks = processWide('lookup-hooks', () => ({
  secretSink: (_value: string): void => undefined,
  renderTerm: (s: string, _vars: Record<string, unknown>): string => s,
  /** A string templated as the Templar gives it (`{{ [1, 2] }}` a list): listify_lookup_plugin_terms' template. */
  renderNative: (s: string, _vars: Record<string, unknown>): unknown => s,
}));

/** The secrets layer registers where secret lookup values go (the run's redactor). */
export function onSecretLookup(sink: (value: string) => void): void {
  hooks.secretSink = sink;
}

/** ansible.builtin lookups that need no remote host. doppler is added by the secrets layer. */
const builtins = (): Record<string, LookupPlugin> => ({
  env: (terms, { kw }) =>
    terms.map((t) => {
      const v = process.env[str(t)];
      if (v && SECRET_NAME.test(str(t))) hooks.secretSink(v);
      // (default=Undefined: an unset variable is ansible-core's AnsibleUndefinedVariable)
      if (v === undefined && 'default' in kw && kw.default === undefined) throw new UndefinedUse(`the "env" lookup's default for ${str(t)}`);
      return v !== undefined ? v : kw.default !== undefined ? kw.default : '';
    }),
  file: (terms, { vars, kw }) =>
    terms.map((t) => {
      const p = findFile(str(t), vars);
      if (!p) throw new LookupError(`could not locate file in lookup: ${str(t)}`);
      const text = devault(readFileSync(p), p).toString('utf8');
      const right = kw.rstrip === false ? text : text.replace(/\s+$/, '');
      return kw.lstrip === true ? right.replace(/^\s+/, '') : right;
    }),
  // a file's text as it is (not stripped), decrypted when vaulted (the decrypted text is a secret)
  unvault: (terms, { vars }) =>
    terms.map((t) => {
      const p = findFile(str(t), vars);
      if (!p) throw new LookupError(`Unable to find file matching "${str(t)}" `);
      return devault(readFileSync(p), p).toString('utf8');
    }),
  first_found: (terms, { vars, kw, subdir }) => {
    // (a dict's files and paths: lists, or text split as ansible-core's _split_on does: files on , and ;, paths also on :)
    const splitOn = (v: unknown, by: RegExp): string[] => (v === undefined || v === null ? [] : Array.isArray(v) ? v.flatMap((x) => splitOn(x, by)) : str(v).split(by));
    const files = flatOnce(terms).flatMap((t) => {
      if (!isDict(t)) return str(t).split(/[,;:]/);
      const paths = t.paths === undefined ? [''] : splitOn(t.paths, /[,:;]/);
      return splitOn(t.files, /[,;]/).flatMap((f) => paths.map((d) => join(d, f)));
    });
    const hit = files.map((f) => findFile(f, vars, subdir)).find(Boolean);
    if (!hit) {
      // (`skip` as a keyword or in a term's dict, as ansible-core reads its options from either)
      if ([kw.skip, ...flatOnce(terms).map((t) => (isDict(t) ? t.skip : undefined))].some((v) => v !== undefined && truthy(v))) return [];
      throw new LookupError('No file was found when using first_found.');
    }
    return [hit];
  },
  // ansible-core's: a pattern with a folder globs in that folder as the search path finds it; a bare
  // one in each folder of ansible_search_path (its files/, then itself), the first that matches
  fileglob: (terms, { vars }) =>
    terms.flatMap((t) => {
      const pattern = str(t);
      const file = basename(pattern);
      const dirs = file !== pattern ? [isAbsolute(pattern) ? dirname(pattern) : (searchDirs(vars).map((d) => join(d, dirname(pattern))).find((d) => existsSync(d)) ?? dirname(pattern))] : searchDirs(vars);
      for (const dir of dirs) {
        const found = filesIn(dir, file).sort();
        if (found.length) return found.map((f) => join(dir, f));
      }
      return [];
    }),
  url: (terms, { kw }) => urlLookup(terms, kw),
  pipe: (terms) => terms.map((t) => execFileSync('/bin/sh', ['-c', str(t)], { encoding: 'utf8', timeout: 60_000, maxBuffer: 8 << 20 }).replace(/\n$/, '')),
  lines: (terms) => terms.flatMap((t) => execFileSync('/bin/sh', ['-c', str(t)], { encoding: 'utf8', timeout: 60_000, maxBuffer: 8 << 20 }).split('\n').filter((l, i, a) => i < a.length - 1 || l !== '')),
  vars: (terms, { vars, kw }) =>
    terms.map((t) => {
      if (typeof t !== 'string') throw new LookupError(`Invalid setting identifier, "${str(t)}" is not a string, its a <class '${pyType(t)}'>`);
      if (Object.hasOwn(vars, str(t))) return vars[str(t)];
      // (the play context's and the run's, which the template engine gives: play-context.ts)
      const given = contextVar(vars, str(t));
      if (given !== undefined) return given;
      if (kw.default !== undefined) return kw.default;
      throw new LookupError(`No variable found with this name: ${str(t)}`);
    }),
  // the names of the variables (in their order) that a Python regex finds a match in
  varnames: (terms, { vars }) =>
    terms.flatMap((t) => {
      if (typeof t !== 'string') throw new LookupError(`Invalid setting identifier, "${str(t)}" is not a string, it is a <class '${pyType(t)}'>`);
      let re: RegExp;
      try {
        re = pyRegex(t);
      } catch (e) {
        throw new LookupError(`Unable to use "${t}" as a search parameter: ${(e as Error).message.replace(/^.*: /, '').toLowerCase()}`);
      }
      return Object.keys(vars).filter((n) => re.test(n));
    }),
  // a random password kept in a controller file (or none: /dev/null); the password is a secret: never shown
  password: (terms, { vars, kw }) =>
    terms.map((t) => {
      try {
        const made = password(str(t), typeof vars.playbook_dir === 'string' ? vars.playbook_dir : process.cwd(), kw);
        hooks.secretSink(made);
        return made;
      } catch (e) {
        throw e instanceof PasswordError ? new LookupError(e.message) : e;
      }
    }),
  items: (terms) => flatOnce(terms),
  list: (terms) => terms,
  indexed_items: (terms) => flatOnce(terms).map((x, i) => tuple([i, x])),
  dict: (terms) =>
    terms.flatMap((t) => {
      if (!isDict(t)) throw new LookupError(`with_dict expects a dict`);
      return dictItems(t).map(([key, value]) => ({ key, value }));
    }),
  together: (terms) => {
    if (!terms.length) throw new LookupError('with_together requires at least one element in each list');
    const lists = terms.map((t) => (Array.isArray(t) ? t : [t]));
    return Array.from({ length: Math.max(0, ...lists.map((l) => l.length)) }, (_, i) => lists.map((l) => l[i] ?? null));
  },
  nested: (terms) => terms.map((t) => (Array.isArray(t) ? t : [t])).reduce<unknown[][]>((acc, l) => acc.flatMap((a) => l.map((x) => [...a, x])), [[]]),
  subelements: (terms, { kw }) => subelements(terms, kw),
  sequence: (terms) =>
    terms.flatMap((t) => {
      try {
        return sequence(str(t));
      } catch (e) {
        throw e instanceof SequenceError ? new LookupError(e.message) : e;
      }
    }),
  csvfile: (terms, { vars, kw }) => {
    try {
      return csvfile(terms, kw, (name) => findFile(name, vars, 'files'));
    } catch (e) {
      throw e instanceof CsvError ? new LookupError(e.message) : e;
    }
  },
  ini: (terms, { vars, kw }) => {
    try {
      return ini(terms, kw, (name) => findFile(name, vars, 'files'));
    } catch (e) {
      throw e instanceof IniError ? new LookupError(e.message) : e;
    }
  },
  // ansible-core's lookup: an inventory of the `groups` variable (each group its hosts, no children), the pattern over it
  inventory_hostnames: (terms, { vars }) => {
    const groups = (vars.groups ?? {}) as Record<string, string[]>;
    const inv: PatternInventory = { hosts: new Map(), groups: new Map() };
    for (const [g, hosts] of Object.entries(groups)) {
      inv.groups.set(g, { hosts: [...hosts], children: [] });
      for (const h of hosts) inv.hosts.set(h, true);
    }
    return selectHosts(inv, terms.map(str).join(',')).hosts;
  },
  flattened: (terms, { vars }) => flattened(terms, (t) => hooks.renderNative(t, vars)),
  random_choice: (terms) => (terms.length ? [terms[Math.floor(Math.random() * terms.length)]] : []),
});

/**
 * ansible-core's subelements lookup: each item of a list (or a dict's values) with each element of
 * its list at a dotted subkey (`the.sub.list`), the item without that list (the plugin pops it: here
 * from copies, the variable stays whole); registered results that were skipped are passed over.
 */
function subelements(terms: unknown[], kw: Record<string, unknown>): unknown[] {
  const fail = (msg = ''): never => {
    throw new LookupError(`subelements lookup expects a list of two or three items, ${msg}`);
  };
  if (terms.length < 2 || terms.length > 3) fail();
  // (the first term listified, as listify_lookup_plugin_terms makes it: a value that is not a list or dict is a list of it)
  const first = Array.isArray(terms[0]) || isDict(terms[0]) ? terms[0] : [terms[0]];
  const key = terms[1];
  if (!(Array.isArray(first) || isDict(first)) || typeof key !== 'string') fail('first a dict or a list, second a string pointing to the subkey');
  if (isDict(first) && first.skipped !== undefined && first.skipped !== false) return [];
  const elements = Array.isArray(first) ? first : Object.values(first as Record<string, unknown>);
  const flags = (terms[2] ?? kw) as Record<string, unknown>;
  if (!isDict(flags)) fail("the optional third item must be a dict with flags ['skip_missing']");
  const skipMissing = yes(flags.skip_missing ?? false);
  const path = (key as string).split('.');
  const out: unknown[] = [];
  for (const item0 of elements) {
    if (!isDict(item0)) throw new LookupError(`subelements lookup expects a dictionary, got '${str(item0)}'`);
    if (item0.skipped !== undefined && item0.skipped !== false) continue;
    const item = { ...item0 };
    let at: Record<string, unknown> = item;
    let sublist: unknown[] = [];
    for (const [i, k] of path.entries()) {
      if (!Object.hasOwn(at, k)) {
        if (skipMissing) continue;
        throw new LookupError(`could not find '${k}' key in iterated item '${str(at)}'`);
      }
      const v = at[k];
      if (i < path.length - 1) {
        if (!isDict(v)) {
          if (skipMissing) continue;
          throw new LookupError(`the key ${k} should point to a dictionary, got '${str(v)}'`);
        }
        at = at[k] = { ...v };
      } else {
        if (!Array.isArray(v)) throw new LookupError(`the key ${k} should point to a list, got '${str(v)}'`);
        sublist = v;
        delete at[k];
      }
    }
    for (const item1 of sublist) out.push(tuple([item, item1]));
  }
  return out;
}

/** The lookup plugins of the process: the built-ins, and what the secrets layer and role packages add. */
export const lookups: Record<string, LookupPlugin> = processWide('lookups', builtins);

/** Registers a lookup plugin (the doppler lookup, role packages). */
export function addLookup(name: string, plugin: LookupPlugin): void {
  lookups[name] = plugin;
}

/** The lookup plugins there are. */
export const lookupNames = (): string[] => Object.keys(lookups).sort();

/** Whether a lookup plugin of that name (short or FQCN) exists. */
export const hasLookup = (name: string): boolean => Object.hasOwn(lookups, shortName(name));

const shortName = (name: string) => name.replace(/^(ansible\.builtin|community\.general|ansible\.utils)\./, '');

/** The template engine renders a lookup's terms (set by it: this module cannot import it). */
export function onLookupTerms(render: (s: string, vars: Record<string, unknown>) => string): void {
  hooks.renderTerm = render;
}

/** The Templar's own template of a lookup's string (set by render-value.ts, which gives values their types). */
export function onNativeTerms(render: (s: string, vars: Record<string, unknown>) => unknown): void {
  hooks.renderNative = render;
}

/** Runs a lookup plugin; `errors=` warn/ignore give nothing instead of failing. */
function run(name: string, args: unknown[], vars: Record<string, unknown>): { list: unknown[]; kw: Record<string, unknown> } {
  const [given, kw] = splitKw(args);
  // an undefined term (or one inside a list or dict term) is the undefined variable's error, as
  // listify_lookup_plugin_terms templates the terms with fail_on_undefined
  if (holdsUndefined(given)) throw new UndefinedUse();
  // a term that is itself a template is rendered first (listify_lookup_plugin_terms)
  const terms = given.map((t) => (typeof t === 'string' && t.includes('{{') ? hooks.renderTerm(t, vars) : t));
  const plugin = lookups[shortName(String(name))];
  if (!plugin) throw new LookupError(`lookup plugin (${name}) not found`, true);
  try {
    return { list: plugin(terms, { vars, kw }), kw };
  } catch (e) {
    // (an undefined value is the template's error, whatever errors= says: Templar._lookup raises AnsibleUndefinedVariable on)
    if (e instanceof UndefinedUse) throw e;
    if (kw.errors === 'ignore' || kw.errors === 'warn') return { list: [], kw };
    if (e instanceof LookupError || e instanceof PyError) throw e;
    if ((e as { name?: string }).name === 'SecretsPending' || (e as { name?: string }).name === 'SecretError') throw e;
    // (Templar's words for a plugin's AnsibleError: its class, then its message twice, the original exception's)
    if (e instanceof AnsibleLookupError) throw new LookupError(`An unhandled exception occurred while running the lookup plugin '${name}'. Error was a <class 'ansible.errors.AnsibleError'>, original message: ${e.message}. ${e.message}`, true);
    throw new LookupError(`An unhandled exception occurred while running the lookup plugin '${name}'. Error was a ${(e as Error).name}, original message: ${(e as Error).message.split('\n')[0]}`);
  }
}

/**
 * `with_NAME: terms`, a task's loop through a lookup as ansible-core runs it: the (templated) terms
 * are the plugin's list as they are (a string is a one-term list), no keyword arguments; file
 * lookups search the subfolder the task's action names (TaskExecutor's `_subdir`: templates/ for
 * template, vars/ for include_vars, else files/).
 */
export function withLookup(name: string, terms: unknown, vars: Record<string, unknown>, action = ''): unknown[] {
  const plugin = lookups[shortName(name)];
  if (!plugin) throw new LookupError(`lookup plugin (${name}) not found`);
  const subdir = `${['template', 'var', 'file'].find((s) => action.includes(s)) ?? 'file'}s`;
  // (the indexed_items plugin takes its terms as they are: a mapping is not a list)
  if (shortName(name) === 'indexed_items' && !Array.isArray(terms)) throw new LookupError('with_indexed_items expects a list');
  try {
    return plugin(Array.isArray(terms) ? terms : [terms], { vars, kw: {}, subdir });
  } catch (e) {
    if (e instanceof LookupError || e instanceof PyError) throw e;
    throw new LookupError(`An unhandled exception occurred while running the lookup plugin '${name}'. Error was a ${(e as Error).name}, original message: ${(e as Error).message.split('\n')[0]}`);
  }
}

type Ctx = { ctx?: Record<string, unknown> };
/** Jinja's `lookup(name, *terms, wantlist=False, errors='strict', **kw)`. */
export function lookup(this: Ctx | undefined, name: unknown, ...args: unknown[]): unknown {
  const { list, kw } = run(String(name), args, this?.ctx ?? {});
  if (kw.errors && !list.length) return null;
  if (!list.length) return list;
  if (kw.wantlist) return list;
  if (list.every((x) => typeof x === 'string')) return list.join(',');
  return list.length === 1 ? list[0] : list;
}

/** Jinja's `query(name, *terms)` / `q()`: always a list. */
export function query(this: Ctx | undefined, name: unknown, ...args: unknown[]): unknown[] {
  return run(String(name), args, this?.ctx ?? {}).list;
}

/** Ansible's `now(utc=False, fmt=None)`. */
export function now(...args: unknown[]): unknown {
  const [pos, kw] = splitKw(args);
  const fmt = kw.fmt ?? pos[1];
  const d = new Date();
  if (kw.utc ?? pos[0]) d.setMinutes(d.getMinutes() + d.getTimezoneOffset());
  return fmt ? strftime(String(fmt), d) : d;
}

/** range() where an argument is past 2**53: its items exact, as bigints where they need it. */
function bigRange(a: unknown[]): unknown[] {
  const [start, stop, step] = a.length === 1 ? [0n, big(a[0]), 1n] : [big(a[0]), big(a[1]), a[2] === undefined ? 1n : big(a[2])];
  if (step === 0n) throw new PyError('ValueError', 'range() arg 3 must not be zero');
  const span = step > 0n ? stop - start : start - stop;
  const abs = step > 0n ? step : -step;
  const n = span <= 0n ? 0n : (span + abs - 1n) / abs;
  if (n > 1_000_000n) throw new PyError('OverflowError', `range(${a.map(String).join(', ')}) is more than 1000000 items`);
  return Array.from({ length: Number(n) }, (_, i) => intOf(start + BigInt(i) * step));
}

export const ranges = {
  /** Jinja's range(), bounded so a template can't allocate without end. */
  range(...a: unknown[]): unknown[] {
    if (a.some((x) => typeof x === 'bigint')) return bigRange(a);
    const [start, stop, step] = a.length === 1 ? [0, num(a[0]), 1] : [num(a[0]), num(a[1]), a[2] === undefined ? 1 : num(a[2])];
    if (step === 0) throw new PyError('ValueError', 'range() arg 3 must not be zero');
    const n = Math.max(0, Math.ceil((stop - start) / step));
    if (n > 1_000_000) throw new PyError('OverflowError', `range(${a.map(String).join(', ')}) is more than 1000000 items`);
    return Array.from({ length: n }, (_, i) => start + i * step);
  },
};
