import type { Static, TSchema } from '../source/vendor/typebox.js';
import { findSpec } from '../modules/catalog.js';
import type { MODULES } from '../modules/all.js';
import { readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { fileURLToPath } from 'node:url';
import { sh } from '../source/quote.js';
import type { Pos } from '../source/index.js';
import { lookup, registerHostFn, registerRuntimeFn, runtimeVars } from '../vars/index.js';

/**
 * TypeScript roles as code: `tasks(t, ctx)` runs once per host at plan time and adds steps through
 * `t` — one typed method per module (`t.copy({ dest, content })`), `` t.$`cmd ${x}` `` for commands.
 * Values known only at run time are functions (`when: () => r.result.rc === 0`); each becomes a
 * call the template engine makes when the step runs, so the engine, its checks and its results
 * are the same as for YAML tasks.
 */

/** A task as a playbook writes it: `{ name, <module>: args, when, loop, register, … }`. */
export type TaskSpec = Record<string, unknown>;

/** A value, or a function giving it at run time (after earlier steps ran). */
export type RunTime<T> = T | (() => T);
type ItemsLazy<V> = V extends (infer E)[] ? RunTime<E>[] : never;
/** Each argument a value or a run-time function; a list argument may also be a list of them. */
type Lazy<T> = { [K in keyof T]: RunTime<T[K]> | ItemsLazy<NonNullable<T[K]>> };
type ArgsOf<M> = M extends { args: infer S } ? (S extends TSchema ? Static<S> : never) : never;

/** Task keywords, typed; conditions are run-time functions (or plain booleans). */
export interface Keywords {
  name?: string;
  when?: RunTime<boolean>;
  changed_when?: () => boolean;
  failed_when?: () => boolean;
  until?: () => boolean;
  retries?: number;
  delay?: number;
  notify?: string | string[];
  tags?: string[];
  run_once?: boolean;
  become?: boolean;
  become_user?: string;
  ignore_errors?: boolean;
  no_log?: boolean;
  check_mode?: boolean;
  diff?: boolean;
  delegate_to?: string;
  environment?: Record<string, string>;
}

/** What a step registered, read inside run-time functions. */
export interface StepResult {
  changed: boolean;
  failed?: boolean;
  skipped?: boolean;
  msg?: string;
  rc?: number;
  stdout?: string;
  stderr?: string;
  stdout_lines?: string[];
  [key: string]: unknown;
}

/** A step added by `t.<module>(…)`: its result is readable in later steps' run-time functions. */
export class Handle<R = StepResult> {
  constructor(
    /** The variable the step registers its result under. */
    readonly register: string,
    protected readonly spec: TaskSpec,
  ) {}
  /** The step's result — known at run time only, so read it inside a function. */
  get result(): R {
    const vars = runtimeVars();
    if (!vars) throw new Error(`the result of '${String(this.spec.name ?? this.register)}' is known at run time only: read it inside a function, e.g. when: () => r.result.rc === 0`);
    return vars[this.register] as R;
  }
}

/** zx's result shape for a command step. */
export interface CommandResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/** `` t.$`…` ``: a command step with idempotence guards (`.creates()`, `.unless()`, `.changedWhen()`). */
export class CommandHandle extends Handle<CommandResult> {
  override get result(): CommandResult {
    const vars = runtimeVars();
    if (!vars) return super.result;
    const r = (vars[this.register] ?? {}) as StepResult;
    return { stdout: r.stdout ?? '', stderr: r.stderr ?? '', exitCode: r.rc ?? 0 };
  }
  private args(): Record<string, unknown> {
    return this.spec.shell as Record<string, unknown>;
  }
  /** Skip when this path exists on the host. */
  creates(path: string): this {
    this.args().creates = path;
    return this;
  }
  /** Run only when this path exists on the host. */
  removes(path: string): this {
    this.args().removes = path;
    return this;
  }
  /** Skip when this shell command succeeds on the host (checked first; in check mode too). */
  unless(cmd: string): this {
    this.args().unless = cmd;
    return this;
  }
  /** Whether the command changed something, from its result (default: it did). */
  changedWhen(f: (r: CommandResult) => boolean): this {
    this.spec.changed_when = fnExpr(() => f(this.result));
    return this;
  }
  /** The step's name in output and reports. */
  named(name: string): this {
    this.spec.name = name;
    return this;
  }
}

type ModuleCalls = { [K in keyof typeof MODULES]: (args: Lazy<ArgsOf<(typeof MODULES)[K]>>, kw?: Keywords) => Handle };
/** The builder a TypeScript role's `tasks(t, ctx)` gets. */
export type Tasks = ModuleCalls & {
  /** A shell command on the target, written as zx writes one; every interpolation is quoted for POSIX sh. */
  $(strings: TemplateStringsArray, ...values: unknown[]): CommandHandle;
};

/** A run-time function as the bare Jinja expression the engine evaluates. */
let fnCount = 0;
/** The host whose tasks are being built, and how many functions they named so far. */
let building: { host: string; prefix: string; k: number } | undefined;
function fnExpr(f: (...a: never[]) => unknown): string {
  fnCount++;
  if (!building) return `__agri_fn(${registerRuntimeFn(f as () => unknown)})`;
  // the same name for every host's N-th function: one template text, compiled once for all hosts
  const key = `${building.prefix}.${building.k++}`;
  registerHostFn(building.host, key, f as () => unknown);
  return `__agri_fn('${key}')`;
}

/** Function leaves become `{{ __agri_fn(N) }}`: evaluated by the template engine when the step runs. */
function lazyArgs(v: unknown): unknown {
  if (typeof v === 'function') return `{{ ${fnExpr(v as () => unknown)} }}`;
  if (Array.isArray(v)) return v.map(lazyArgs);
  if (v && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, lazyArgs(x)]));
  return v;
}

const CONDITIONS = ['when', 'changed_when', 'failed_when', 'until'] as const;

/** A transpiled role's source map (ts-load.ts writes it beside the .mjs), read once. */
const maps = new Map<string, SourceMap | null>();
function sourceMap(file: string): SourceMap | null {
  let map = maps.get(file);
  if (map === undefined) {
    try {
      map = new SourceMap(JSON.parse(readFileSync(`${file}.map`, 'utf8')));
    } catch {
      map = null;
    }
    maps.set(file, map);
  }
  return map;
}

/** The .ts place of a place in the transpiled file, mapped when first read (a --syntax-check reads none); one per place, for all hosts. */
const places = new Map<string, Pos>();
function mappedPos(file: string, line: number, col: number): Pos {
  let done: Pos | undefined;
  const pos = (): Pos => {
    if (done) return done;
    const at = sourceMap(file)?.findEntry(line - 1, col - 1) as { originalSource?: string; originalLine?: number; originalColumn?: number } | undefined;
    return (done = at?.originalSource !== undefined && at.originalLine !== undefined ? { file: fromUrl(at.originalSource), line: at.originalLine + 1, col: (at.originalColumn ?? 0) + 1 } : { file, line, col });
  };
  return Object.defineProperties({} as Pos, { file: { get: () => pos().file, enumerable: true }, line: { get: () => pos().line, enumerable: true }, col: { get: () => pos().col, enumerable: true } });
}

/**
 * Where in the role file a `t.…` call is: the first stack frame outside the file this function is
 * in (the first frame's: ts-role.js, or the CLI bundle's chunk that holds it), and its place in the
 * role's .ts (through the source map, when read). Read from V8's call sites: only that frame is
 * looked at, not the stack formatted as text (a role of 30 steps on 8 hosts asks 240 times).
 * `site` names the place in the transpiled file (a step's id, without mapping it).
 */
function callSite(): { at: Pos; site: string } | undefined {
  const holder: { stack?: NodeJS.CallSite[] } = {};
  const prepare = Error.prepareStackTrace;
  Error.prepareStackTrace = (_e, sites) => sites;
  try {
    Error.captureStackTrace(holder, callSite);
    const sites = holder.stack ?? [];
    const own = sites[0]?.getFileName();
    const site = sites.find((s) => s.getFileName() !== own && s.getFileName()?.match(/^(file:\/\/)?\//));
    if (!site) return undefined;
    const file = fromUrl(site.getFileName()!);
    const line = site.getLineNumber() ?? 1;
    const col = site.getColumnNumber() ?? 1;
    const key = `${file}:${line}:${col}`;
    let at = places.get(key);
    if (!at) places.set(key, (at = mappedPos(file, line, col)));
    return { at, site: key };
  } finally {
    Error.prepareStackTrace = prepare;
  }
}

const fromUrl = (f: string): string => (f.startsWith('file://') ? fileURLToPath(f) : f);

/** Runs a role's `tasks(t, ctx)` for one host; returns the tasks it added (as task specs) with where each call is. */
export function buildTasks<C>(tasks: (t: Tasks, ctx: C) => void, ctx: C, prefix: string): { spec: TaskSpec; at?: Pos; site?: string }[] {
  const out: { spec: TaskSpec; at?: Pos; site?: string }[] = [];
  let n = 0;
  const registers: string[] = [];
  const add = (module: string, args: unknown, kw: Keywords = {}): TaskSpec => {
    const fnsBefore = fnCount;
    // assert's conditions are bare expressions: a function there is the bare call
    const a = module === 'assert' && args && typeof args === 'object' && Array.isArray((args as { that?: unknown }).that) ? { ...(args as object), that: ((args as { that: unknown[] }).that).map((c) => (typeof c === 'function' ? fnExpr(c as () => unknown) : c)) } : args;
    const spec: TaskSpec = { [module]: lazyArgs(a) };
    for (const [k, v] of Object.entries(kw)) {
      if (v === undefined) continue;
      spec[k] = (CONDITIONS as readonly string[]).includes(k) ? (typeof v === 'function' ? fnExpr(v as () => unknown) : Boolean(v)) : lazyArgs(v);
    }
    // a step whose values are computed when it runs may read any earlier step's result: --check
    // then treats it as depending on those steps (what a function reads can't be seen before it runs)
    if (fnCount > fnsBefore && registers.length) spec.vars = { __ts_reads: [...registers] };
    spec.register = `__ts_${prefix}_${n++}`;
    registers.push(String(spec.register));
    out.push({ spec, ...callSite() });
    return spec;
  };
  const t = new Proxy({} as Tasks, {
    get(_t, name) {
      if (name === '$')
        return (strings: TemplateStringsArray, ...values: unknown[]) => {
          const cmd = sh(strings, ...(values as (string | number | string[])[]).map((v) => (Array.isArray(v) ? v.map(String) : String(v))));
          const spec = add('shell', { cmd }, { name: cmd.length > 60 ? cmd.slice(0, 57) + '...' : cmd });
          return new CommandHandle(String(spec.register), spec);
        };
      if (typeof name !== 'string' || !findSpec(name)) return undefined;
      return (args: unknown, kw?: Keywords) => {
        const spec = add(name, args, kw);
        return new Handle(String(spec.register), spec);
      };
    },
  });
  const host = (ctx as { host?: unknown } | undefined)?.host;
  const outer = building;
  building = typeof host === 'string' ? { host, prefix, k: 0 } : undefined;
  try {
    tasks(t, ctx);
  } finally {
    building = outer;
  }
  return out;
}

/**
 * The variables of the step a run-time function runs for: facts and registered results
 * included (`hostvars[h].ansible_host` after the VM step set it). Only inside run-time functions.
 */
export function stepVars(): Record<string, any> {
  const v = runtimeVars();
  if (!v) throw new Error('stepVars() is known at run time only: call it inside a function (content: () => stepVars().x)');
  // (the step's own variables are read only: shared with the host's next steps while nothing changes)
  return { ...v };
}

/**
 * A secret from Doppler for a module argument, fetched when the step runs (never at plan time,
 * never shown): `headers: { 'x-honeycomb-team': secret('HONEYCOMB_API_KEY') }`.
 */
export function secret(name: string, scope: { project?: string; config?: string } = {}): () => string {
  return () => String(lookup.call(undefined, 'doppler', name, { __keywords: true, ...scope }));
}

