import { setTimeout as sleep } from 'node:timers/promises';
import { FileOpError, UnreachableError } from '../connections/index.js';
import { ControllerFailure, expandPaths, ModuleFailure, selinuxGuard, type Diff, type Module } from '../modules/index.js';
import type { DiffOut } from '../report/events.js';
import { validate, VaultError } from '../source/index.js';
import { condition, ConditionalError, renderData, renderText, renderValue, SecretError, SecretsPending, TemplateError, TemplateSyntax, UndefinedVariable } from '../vars/index.js';
import { allTrue, flag, notBoolean, whenOf } from './conditions.js';
import { describe } from './pending.js';
import type { RunCtx, Vars } from './context.js';
import type { HostState } from './host-state.js';
import { moduleCtx } from './module-ctx.js';
import { environmentOf } from './environment.js';
import { changeInventory } from './inventory-change.js';
import { addCustomStats } from './custom-stats.js';
import { discover, discoveryMode, resultWithDiscovered, withDiscovered } from './discovery.js';
import { becomeOf } from './become.js';
import { concealArgs } from './conceal.js';
import { batchOf, type Step } from '../plan/index.js';
import { VARIABLE_PARAMS } from '../playbook/index.js';
import { isDict, pyType, str as pyStr } from '../source/python.js';

export type ItemStatus = 'ok' | 'changed' | 'failed' | 'skipped' | 'unreachable';

/** One module run (one loop item), Ansible-shaped. */
export interface ItemResult {
  status: ItemStatus;
  result: Vars;
  why?: string;
  note?: string;
  diff?: DiffOut;
  dependsOn?: { step: string; resource: string };
  /** The failure is about the controller's own input (a missing file): never unknowable in check mode. */
  controller?: boolean;
  /** The arguments as rendered for this item (check mode records what they name). */
  args?: Vars;
}

function diffOut(d: Diff, withText: boolean): DiffOut | undefined {
  if (d.kind === 'ok' || (!d.target && !d.fields?.length && d.before === undefined)) return undefined;
  const out: DiffOut = { target: d.target, fields: d.fields };
  if (withText && (d.before !== undefined || d.after !== undefined)) Object.assign(out, { before: d.before ?? '', after: d.after ?? '' });
  return out;
}

/** Under --diff (or diff: true) the registered result carries the text diff, as Ansible's file modules return it. */
function resultDiff(d: DiffOut | undefined, on: boolean): { diff?: unknown[] } {
  if (!on || !d || (d.before === undefined && d.after === undefined)) return {};
  return { diff: [{ before: d.before ?? '', after: d.after ?? '', before_header: `${d.target ?? ''} (content)`, after_header: `${d.target ?? ''} (content)` }] };
}

const COMMANDS = new Set(['command', 'shell', 'script', 'raw']);
/** What ansible-core's command module registers when check mode skips it: the keys a condition reads. */
const SKIPPED_COMMAND = () => ({ msg: 'Command would have run if not in check mode', rc: 0, stdout: '', stderr: '', stdout_lines: [], stderr_lines: [], cmd: null, start: null, end: null, delta: null });

/** A module's `ansible_facts` (hostname's) become the host's facts, as ansible-core takes them from any module's result. */
function withFacts(rc: RunCtx, host: string, out: ItemResult): ItemResult {
  const f = out.result.ansible_facts;
  if (f && typeof f === 'object' && !Array.isArray(f)) rc.vars.setHostFacts(host, f as Vars);
  return out;
}

/**
 * Checks, and unless in check mode applies, one module invocation. (The async part only awaits the
 * module: V8 keeps an async function's locals on the heap for every call, so what it makes of the
 * answers is in the plain functions below.)
 */
async function invoke(rc: RunCtx, step: Step, mod: Module, args: Vars, vars: Vars, check: boolean, showDiff: boolean, signal?: AbortSignal): Promise<ItemResult> {
  const mode = discoveryMode(rc, step, mod, vars);
  if (mode !== undefined) return invokeDiscovering(rc, step, mod, args, vars, check, showDiff, mode, signal);
  const ctx = contextFor(rc, step, vars, check, signal);
  ctx.diffMode = showDiff;
  try {
    if (mod.paths) {
      const x = expandPaths(ctx, args, mod.paths);
      args = x instanceof Promise ? await x : x;
    }
    const guard = selinuxGuard(ctx, args);
    if (guard) await guard;
    if (mod.kind === 'action') return actionResult(rc, step, vars, await mod.run(ctx, args as never));
    const diff = await mod.check(ctx, args as never);
    if (diff.kind === 'ok' || check) return checked(rc, step, mod, args, showDiff, diff);
    return applied(rc, step, showDiff, diff, await mod.apply(ctx, args as never, diff));
  } catch (e) {
    return caught(rc, mod, e, signal);
  }
}

/** invoke, on a host that first discovers its Python: the module runs with it, and the result carries it (whatever the module's outcome). */
async function invokeDiscovering(rc: RunCtx, step: Step, mod: Module, args: Vars, vars: Vars, check: boolean, showDiff: boolean, mode: string, signal?: AbortSignal): Promise<ItemResult> {
  let found: Awaited<ReturnType<typeof discover>>;
  try {
    found = await discover(rc, step, mode, contextFor(rc, step, vars, check, signal));
  } catch (e) {
    return caught(rc, mod, e, signal);
  }
  const out = await invoke(rc, step, mod, args, withDiscovered(vars, found), check, showDiff, signal);
  resultWithDiscovered(out.result, found);
  return out;
}

function contextFor(rc: RunCtx, step: Step, vars: Vars, check: boolean, signal?: AbortSignal): ReturnType<typeof moduleCtx> {
  const task = step.flat.task;
  const execDefaults = {
    become: becomeOf(rc, step, vars),
    env: environmentOf(step, vars),
  };
  const ctx = moduleCtx(rc, step.host, task, vars, execDefaults, step.play.play, signal);
  ctx.checkMode = check;
  if (task.kw.async !== undefined) ctx.async = { seconds: Number(renderValue(task.kw.async, vars)), poll: Number(renderValue(task.kw.poll ?? 10, vars)) };
  return ctx;
}

/**
 * Whose facts an action's are (ansible-core's strategy): delegate_facts, the delegated host's (its
 * name as delegate_to renders it); run_once, every host of the play's batch that is not unreachable
 * (the hosts that take the first one's result); else the step's host.
 */
function factHosts(rc: RunCtx, step: Step, vars: Vars): string[] {
  const kw = step.flat.task.kw;
  if (kw.delegateTo && flag(kw.delegateFacts, vars)) return [renderText(kw.delegateTo, vars)];
  return taskHosts(rc, step, vars);
}

/** The hosts a task's result is for (ansible-core's get_task_hosts): run_once, the batch's reachable hosts; else the step's. */
function taskHosts(rc: RunCtx, step: Step, vars: Vars): string[] {
  const kw = step.flat.task.kw;
  if (kw.runOnce !== undefined && flag(kw.runOnce, vars)) return batchOf(step.play, step.host).filter((h) => h === step.host || !rc.host(h).unreachable);
  return [step.host];
}

/** An action module's answer: its facts, set_fact's and include_vars' values, inventory changes, and its result. */
function actionResult(rc: RunCtx, step: Step, vars: Vars, r: Awaited<ReturnType<Extract<Module, { kind: 'action' }>['run']>>): ItemResult {
  const task = step.flat.task;
  // the play's gathering marks the facts gathered, as ansible-core's gather_facts action (`gathering = smart` reads it)
  // delegate_facts: the facts are the delegated host's (its inventory name, as delegate_to renders it)
  for (const factHost of factHosts(rc, step, vars)) {
    if (r.facts) rc.vars.setHostFacts(factHost, task.gather ? { ...r.facts, _ansible_facts_gathered: true } : r.facts);
    if (r.setFacts) rc.vars.setFacts(factHost, r.setFacts);
  }
  if (r.included) rc.vars.include(step.host, r.included);
  // set_stats: per host, for the hosts the task ran for (a run_once task's batch), else the run's
  if (r.stats) addCustomStats(rc.customStats, r.stats.per_host ? taskHosts(rc, step, vars) : [undefined], r.stats.data, r.stats.aggregate);
  // group_by/add_host: changed when the inventory changed, as ansible-core's strategy sets it
  if (r.inventory) r.changed = changeInventory(rc, step, r.inventory);
  const result: Vars = { changed: Boolean(r.changed), ...(r.msg !== undefined ? { msg: r.msg } : {}), ...r.data, ...(r.failed ? { failed: true } : {}), ...(r.skipped ? { skipped: true } : {}) };
  return { status: r.failed ? 'failed' : r.skipped ? 'skipped' : r.changed ? 'changed' : 'ok', result };
}

/** A module's check when nothing is to be applied: nothing differs, or check mode. */
function checked(rc: RunCtx, step: Step, mod: Module, args: Vars, showDiff: boolean, diff: Diff): ItemResult {
  // a module that did not look (unarchive's `creates`) reports skipped, as Ansible does
  if (diff.kind === 'ok') return withFacts(rc, step.host, { status: diff.data?.skipped === true ? 'skipped' : 'ok', result: { changed: false, ...diff.data }, why: diff.why });
  // ansible-core's command module: with creates/removes it reports it would run (changed), without them it is skipped
  if (diff.kind === 'run' && COMMANDS.has(mod.name) && (args.creates || args.removes)) return { status: 'changed', result: { ...SKIPPED_COMMAND(), changed: true } };
  if (diff.kind === 'run') return { status: 'skipped', result: { changed: false, skipped: true, ...(COMMANDS.has(mod.name) ? SKIPPED_COMMAND() : { msg: 'skipped in check mode: the effect of running it cannot be known beforehand' }) } };
  const shown = diffOut(diff, showDiff);
  return withFacts(rc, step.host, { status: 'changed', result: { changed: true, ...diff.data, ...(diff.pending ? { pending: diff.pending } : {}), ...(diff.data?.diff === undefined ? resultDiff(shown, showDiff) : {}) }, diff: shown });
}

/** What a module's apply returned, as the step's result. */
function applied(rc: RunCtx, step: Step, showDiff: boolean, diff: Exclude<Diff, { kind: 'ok' }>, data: Vars | void | undefined): ItemResult {
  // an action that only waited or read (wait_for) says so: nothing changed
  if (data?.changed === false) return withFacts(rc, step.host, { status: 'ok', result: { ...diff.data, ...data } });
  const shown = diffOut(diff, showDiff);
  return withFacts(rc, step.host, { status: 'changed', result: { changed: true, ...diff.data, ...(data ?? {}), ...(diff.pending ? { pending: diff.pending } : {}), ...(diff.data?.diff === undefined ? resultDiff(shown, showDiff) : {}) }, diff: shown });
}

/** A module that threw: the step's failure (or unreachable, timed out, interrupted); a pending secret is thrown on. */
function caught(rc: RunCtx, mod: Module, e: unknown, signal?: AbortSignal): ItemResult {
  if (e instanceof SecretsPending) throw e;
  if (e instanceof SecretError || e instanceof VaultError) return { status: 'failed', result: { failed: true, changed: false, msg: e.message } };
  if (e instanceof UnreachableError) return { status: 'unreachable', result: { unreachable: true, changed: false, msg: e.message } };
  if (e instanceof FileOpError) return { status: 'failed', result: { failed: true, changed: false, msg: e.message } };
  // a module's own condition or template (assert's `that`, debug's `var`) that fails is the task's failure, not agri-play's
  if (isTemplateFailure(e)) return { status: 'failed', result: { failed: true, changed: false, msg: e.message } };
  if (e instanceof ModuleFailure) return { status: 'failed', result: { failed: true, changed: false, msg: e.message, ...e.data }, controller: e instanceof ControllerFailure };
  if (signal?.aborted && !rc.abort.signal.aborted) return TIMED_OUT;
  if ((e as Error).name === 'AbortError' || rc.abort.signal.aborted) return { status: 'failed', result: { failed: true, changed: false, msg: 'interrupted' } };
  return { status: 'failed', result: { failed: true, changed: false, msg: `internal error in module '${mod.name}': ${(e as Error).message}` } };
}

/** A condition or template that could not be evaluated: the task's failure, in its words (not agri-play's). */
const isTemplateFailure = (e: unknown): e is Error => e instanceof ConditionalError || e instanceof UndefinedVariable || e instanceof TemplateError || e instanceof TemplateSyntax;

const TIMED_OUT: ItemResult = { status: 'failed', result: { failed: true, changed: false } };

/**
 * The task keyword `timeout: N`: the module is stopped after N seconds (its commands cancelled) and the
 * step fails with ansible-core's message; without it the step runs as long as it takes.
 */
function timed(rc: RunCtx, step: Step, vars: Vars, run: (signal?: AbortSignal) => Promise<ItemResult>): Promise<ItemResult> {
  const task = step.flat.task;
  const limit = task.kw.timeout === undefined ? 0 : Number(renderValue(task.kw.timeout, vars));
  return limit > 0 ? bounded(rc, task.module, limit, run) : run();
}

async function bounded(rc: RunCtx, module: string, limit: number, run: (signal?: AbortSignal) => Promise<ItemResult>): Promise<ItemResult> {
  const timer = new AbortController();
  let t: NodeJS.Timeout | undefined;
  const expired = new Promise<ItemResult>((resolve) => (t = setTimeout(() => (timer.abort(), resolve(TIMED_OUT)), limit * 1000)));
  const work = run(AbortSignal.any([rc.abort.signal, timer.signal]));
  const out = await Promise.race([work, expired]).finally(() => clearTimeout(t));
  if (out !== TIMED_OUT) return out;
  work.catch(() => undefined);
  return { status: 'failed', result: { failed: true, changed: false, msg: `The ${module} action failed to execute in the expected time frame (${limit}) and was terminated` } };
}

/** A task name with a template is shown rendered with the host's variables (as Ansible does); as written if it can't be. */
export function shownName(name: string, vars: () => Vars): string {
  try {
    return String(renderText(name, vars()));
  } catch {
    return name;
  }
}

/** Why a task's arguments could not be rendered: an undefined variable in ansible-core's words (and where), else the error at its place. */
function argsFailure(pos: Step['flat']['task']['pos'], e: Error): string {
  if (e instanceof TemplateError && e.bare) return e.message;
  if (!(e instanceof UndefinedVariable)) return `${pos.file}:${pos.line}: ${e.message}`;
  return `The task includes an option with an undefined variable. The error was: ${e.message}\n\nThe error appears to be in '${pos.file}': line ${pos.line}, column ${pos.col}, but may\nbe elsewhere in the file depending on the exact syntax problem.`;
}

function hasNull(args: Vars): boolean {
  for (const k in args) if (args[k] === null) return true;
  return false;
}

/** Renders and checks arguments, runs the module with retries/until, applies changed_when/failed_when. */
export function attempt(rc: RunCtx, step: Step, mod: Module, vars: Vars, _hs: HostState): Promise<ItemResult> {
  const p = prepare(rc, step, mod, vars);
  if (p.failed) return Promise.resolve(p.failed);
  return p.retries === undefined ? once(rc, step, mod, vars, p) : retried(rc, step, mod, vars, p, p.retries);
}

/** The module's arguments rendered, concealed and checked, and how it runs (check mode, diff, retries). */
interface Prepared {
  failed?: undefined;
  args: Vars;
  check: boolean;
  showDiff: boolean;
  /** With until/retries: how many times it may run again. */
  retries?: number;
  delay: number;
}

function prepare(rc: RunCtx, step: Step, mod: Module, vars: Vars): Prepared | { failed: ItemResult } {
  const task = step.flat.task;
  let args: Vars;
  try {
    args = (mod.kind === 'action' && mod.keepsTypes ? renderData : renderValue)(task.args, vars) as Vars;
  } catch (e) {
    if (e instanceof SecretsPending) throw e;
    const failed: ItemResult = { status: 'failed', result: { failed: true, changed: false, msg: argsFailure(task.pos, e as Error) } };
    return { failed: rc.opts.check ? unknowable(rc, step, undefined, failed) : failed };
  }
  // agri-play runs command and shell as background jobs; any other module fails as an ansible-core action that does not support async
  if (task.kw.async !== undefined && mod.name !== 'command' && mod.name !== 'shell') return { failed: { status: 'failed', result: { failed: true, changed: false, msg: 'async is not supported for this task.' } } };
  if (args[VARIABLE_PARAMS] !== undefined) {
    const { [VARIABLE_PARAMS]: given, ...explicit } = args;
    // (add_host and group_by keep theirs as raw parameters, refused by their action; any other module's are TaskExecutor's error)
    if (!isDict(given)) return { failed: { status: 'failed', result: { failed: true, changed: false, msg: mod.name === 'add_host' || mod.name === 'group_by' ? `Invalid raw parameters passed, requires a dictionary/mapping got a  <class '${pyType(given)}'>` : `invalid or malformed argument: '${pyStr(given)}'` } } };
    args = { ...given, ...explicit };
  }
  // secrets in the arguments (a password argument, a URL's credentials) never show, whatever the module returns
  concealArgs(rc.opts.redactor, args);
  // an argument given as null is not given, as AnsibleModule reads it (its default applies); set_fact's
  // keys are variables, and one set to null is None (ansible-core's action keeps it)
  if (!(mod.kind === 'action' && mod.keepsTypes) && hasNull(args)) args = Object.fromEntries(Object.entries(args).filter(([, v]) => v !== null));
  const problems = validate(mod.args as object as Vars, args, `${mod.name} arguments`, args, [], true);
  if (problems.length) {
    // ansible-core's words for required arguments that are missing
    const missing = problems.map((p) => /missing required argument '([^']+)'/.exec(p.message)?.[1]);
    const unknown = problems.map((p) => /^unknown argument '([^']+)'/.exec(p.message)?.[1]);
    const msg = missing.every(Boolean) ? `missing required arguments: ${missing.sort().join(', ')}` : unknown.every(Boolean) ? unsupported(mod, unknown as string[]) : problems.map((p) => p.message + (p.hint ? ` (${p.hint})` : '')).join('; ');
    const bad: ItemResult = { status: 'failed', result: { failed: true, changed: false, msg } };
    // in check mode, values an earlier change would have produced (a VM's address) are missing
    return { failed: rc.opts.check ? { ...unknowable(rc, step, args, bad), args } : bad };
  }
  const taskCheck = task.kw.checkMode ?? step.play.play.checkMode;
  // (check_mode or diff text that is no boolean fails the task, as ansible-core's field validation)
  const refused = notBoolean('check_mode', taskCheck, vars) ?? notBoolean('diff', task.kw.diff, vars);
  if (refused) return { failed: { status: 'failed', result: { failed: true, changed: false, msg: refused } } };
  const check = taskCheck === undefined ? rc.opts.check : flag(taskCheck, vars);
  const showDiff = rc.opts.diff || flag(task.kw.diff, vars);
  // ansible-core >= 2.16: retries without until retry until the step does not fail
  const retrying = task.kw.until !== undefined || task.kw.retries !== undefined;
  const retries = retrying ? Math.max(0, Number(renderValue(task.kw.retries ?? 3, vars))) : undefined;
  const delay = Number(renderValue(task.kw.delay ?? 5, vars));
  return { args, check, showDiff, retries, delay };
}

/** The module once (no until/retries). */
async function once(rc: RunCtx, step: Step, mod: Module, vars: Vars, p: Prepared): Promise<ItemResult> {
  const out = await timed(rc, step, vars, (signal) => invoke(rc, step, mod, p.args, vars, p.check, p.showDiff, signal));
  // a host an earlier step would create or start cannot answer in check mode either
  if (p.check && (out.status === 'failed' || out.status === 'unreachable')) {
    const u = unknowable(rc, step, p.args, out);
    if (u !== out) return { ...u, args: p.args };
  }
  if (out.status === 'unreachable') return out;
  adjust(step.flat.task.kw, out, vars);
  out.args = p.args;
  return out;
}

/** until/retries: the module again after `delay` while the condition is false (or it fails), at most `retries` more times. */
async function retried(rc: RunCtx, step: Step, mod: Module, vars: Vars, p: Prepared, retries: number): Promise<ItemResult> {
  const task = step.flat.task;
  const { args, check, showDiff, delay } = p;
  const until = task.kw.until;
  let out!: ItemResult;
  for (let n = 1; n <= retries + 1; n++) {
    out = await timed(rc, step, vars, (signal) => invoke(rc, step, mod, args, vars, check, showDiff, signal));
    if (check && (out.status === 'failed' || out.status === 'unreachable')) {
      const u = unknowable(rc, step, args, out);
      if (u !== out) return { ...u, args };
    }
    if (out.status === 'unreachable') return out;
    // (the attempt's number is in the result before changed_when/failed_when read it, as ansible-core's)
    out.result.attempts = n;
    adjust(task.kw, out, vars);
    const scope = task.kw.register ? { ...vars, [task.kw.register]: out.result } : { ...vars, ...out.result };
    if (until ? allTrue(until, scope).ok : out.status !== 'failed') break;
    if (n === retries + 1 || check) {
      // ansible-core 2.14 marks the result failed (its attempts one less than were made); the step
      // fails unless failed_when was evaluated: then its answer is the step's (TaskResult.is_failed)
      out.result.failed = true;
      out.result.attempts = retries;
      if (out.result.failed_when_result === undefined || out.result.failed_when_result === true) out.status = 'failed';
      break;
    }
    if (rc.stopping) break;
    const msg = flag(task.kw.noLog, vars) ? undefined : out.result.msg === undefined ? undefined : String(out.result.msg);
    rc.emit({ event: 'retry', host: step.host, task: shownName(task.name, () => vars), attempt: n, left: retries + 1 - n, msg });
    await sleep(delay * 1000, undefined, { signal: rc.abort.signal }).catch(() => undefined);
  }
  out.args = args;
  return out;
}

/**
 * In check mode nothing was changed, so a step that reads what an earlier step would have
 * changed (the same path, package, service or user, a registered result, a machine that would be
 * created) may fail for that reason alone: it is reported with that dependency. Any other
 * failure stays a failure, exactly as the real run would have it.
 */
function unknowable(rc: RunCtx, step: Step, args: Vars | undefined, out: ItemResult): ItemResult {
  const task = step.flat.task;
  if (out.controller) return out;
  const dep = rc.pending.dependency(step.host, task.module, [task.args, whenOf(step.flat), task.kw.vars], args ? [args] : [], out.status === 'unreachable');
  if (!dep) return out;
  const msg = String(out.result.msg ?? 'failed');
  return { status: 'changed', result: { changed: true, msg }, note: `would change (depends on: ${describe(dep, step.host)})`, why: msg, dependsOn: { step: dep.stepId, resource: dep.resource } };
}

/**
 * The module's result as ansible-core's TaskExecutor completes it: `failed` and `changed` are
 * always there (false unless set), then changed_when / failed_when, evaluated with the result
 * bound to the register name. A condition that cannot be evaluated fails the step and its error
 * is the result's `changed_when_result` / `failed_when_result` (the module's output stays).
 */
function adjust(kw: Step['flat']['task']['kw'], out: ItemResult, vars: Vars): void {
  const r = out.result;
  r.failed ??= out.status === 'failed';
  r.changed ??= false;
  if (out.status === 'skipped' || (kw.changedWhen === undefined && kw.failedWhen === undefined)) return;
  const scope = kw.register ? { ...vars, [kw.register]: r } : { ...vars, ...r };
  let at: 'changed' | 'failed' = 'changed';
  try {
    if (kw.changedWhen !== undefined) {
      const changed = kw.changedWhen.every((c) => condition(c, scope));
      r.changed = changed;
      if (out.status !== 'failed') out.status = changed ? 'changed' : 'ok';
    }
    at = 'failed';
    if (kw.failedWhen !== undefined) {
      // a list is all of its conditions (ansible-core's Conditional), and the answer is in the result
      const failed = kw.failedWhen.every((c) => condition(c, scope));
      r.failed_when_result = r.failed = failed;
      if (failed) out.status = 'failed';
      else if (out.status === 'failed') out.status = r.changed ? 'changed' : 'ok';
      if (failed && r.msg === undefined) r.msg = 'failed_when condition was true';
    }
  } catch (e) {
    if (!isTemplateFailure(e)) throw e;
    r.failed = true;
    r[`${at}_when_result`] = e.message;
    r.msg ??= e.message;
    out.status = 'failed';
  }
}

/** ansible-core's words for arguments a module does not have: an action plugin's, or AnsibleModule's with what it supports. */
function unsupported(mod: Module, names: string[]): string {
  if (mod.kind === 'action') return `Invalid options for ${mod.name}: ${names.sort().join(', ')}`;
  const aliases = Object.keys(mod.aliases ?? {}).sort();
  return `Unsupported parameters for (ansible.legacy.${mod.name}) module: ${names.sort().join(', ')}. Supported parameters include: ${Object.keys((mod.args as { properties?: object }).properties ?? {}).sort().join(', ')}${aliases.length ? ` (${aliases.join(', ')})` : ''}.`;
}
