// One module invocation as ansible-core's TaskExecutor makes it: the module's context, its check and
// apply (or an action's run), and its answer as an Ansible-shaped result; the task keyword `timeout`.
import { FileOpError, UnreachableError } from '../connections/index.js';
import { ControllerFailure, expandPaths, hasSelinuxArgs, ModuleFailure, selinuxGuard, type Diff, type Module } from '../modules/index.js';
import type { DiffOut } from '../report/events.js';
import { spread, VaultError } from '../source/index.js';
import { PyError } from '../source/python.js';
import { ConditionalError, rawPython, renderText, renderValue, SecretError, SecretsPending, TemplateError, TemplateSyntax, UndefinedVariable } from '../vars/index.js';
import { flag } from './conditions.js';
import type { RunCtx, Vars } from './context.js';
import { moduleCtx } from './module-ctx.js';
import { environmentOf } from './environment.js';
import { changeInventory } from './inventory-change.js';
import { addCustomStats } from './custom-stats.js';
import { discover, discoveryMode, resultWithDiscovered, withDiscovered } from './discovery.js';
import { becomeOf } from './become.js';
import { batchOf, type Step } from '../plan/index.js';
import { asyncOf } from './async-spec.js';
import { unexpectedFailure } from './py-exception.js';

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
  /** The action raised (its own template failed): TaskExecutor.run's result, which _execute never completed (no `changed`, no `_lines`). */
  raised?: boolean;
  /** The item's arguments raised an AnsibleError (an undefined variable): it ends the loop, whose result is this one alone. */
  endsLoop?: boolean;
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
 * Checks, and unless in check mode applies, one module invocation. (An action with nothing to await
 * first runs on its own promise; invokeAwaiting's async part only awaits the module: V8 keeps an
 * async function's locals on the heap for every call, so what it makes of the answers is in the
 * plain functions below.)
 */
export function invoke(rc: RunCtx, step: Step, mod: Module, args: Vars, vars: Vars, check: boolean, showDiff: boolean, signal?: AbortSignal): Promise<ItemResult> {
  if (mod.kind !== 'action' || mod.paths || hasSelinuxArgs(args)) return invokeAwaiting(rc, step, mod, args, vars, check, showDiff, signal);
  // an action with nothing to wait for before it runs (debug, set_fact, assert): its run's promise, no async frame
  let ctx: ReturnType<typeof contextFor>;
  try {
    const mode = discoveryMode(rc, step, mod, vars);
    if (mode !== undefined) return invokeDiscovering(rc, step, mod, args, vars, check, showDiff, mode, signal);
    // (as invokeAwaiting's: what the context cannot be made for, a become_method, rejects the step, not the module)
    ctx = contextFor(rc, step, vars, check, signal);
  } catch (e) {
    return Promise.reject(e as Error);
  }
  ctx.diffMode = showDiff;
  let ran: ReturnType<typeof mod.run>;
  try {
    ran = Promise.resolve(mod.run(ctx, args as never));
  } catch (e) {
    ran = Promise.reject(e as Error);
  }
  return ran.then(
    (r) => {
      try {
        return actionResult(rc, step, vars, r);
      } catch (e) {
        return caught(rc, mod, e, signal);
      }
    },
    (e) => caught(rc, mod, e, signal),
  );
}

/** invoke, for a module that first expands its paths or looks at SELinux, or a host that discovers its Python. */
async function invokeAwaiting(rc: RunCtx, step: Step, mod: Module, args: Vars, vars: Vars, check: boolean, showDiff: boolean, signal?: AbortSignal): Promise<ItemResult> {
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

export function contextFor(rc: RunCtx, step: Step, vars: Vars, check: boolean, signal?: AbortSignal): ReturnType<typeof moduleCtx> {
  const task = step.flat.task;
  const execDefaults = {
    become: becomeOf(rc, step, vars),
    env: environmentOf(step, vars),
  };
  const ctx = moduleCtx(rc, step.host, task, vars, execDefaults, step.play.play, signal, rc.hostOf(step));
  ctx.checkMode = check;
  if (task.kw.async !== undefined) ctx.async = asyncOf(task.kw, vars);
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
  if (kw.runOnce !== undefined && flag(kw.runOnce, vars)) return onceHosts(rc, step);
  return [step.host];
}

/** The hosts a run_once result is for: the batch's, but those unreachable. */
export const onceHosts = (rc: RunCtx, step: Step): string[] => batchOf(step.play, step.host).filter((h) => h === step.host || !rc.host(h).unreachable);

/** An action module's answer: its facts, set_fact's and include_vars' values, inventory changes, and its result. */
function actionResult(rc: RunCtx, step: Step, vars: Vars, r: Awaited<ReturnType<Extract<Module, { kind: 'action' }>['run']>>): ItemResult {
  const task = step.flat.task;
  // the play's gathering marks the facts gathered, as ansible-core's gather_facts action (`gathering = smart` reads it)
  // delegate_facts: the facts are the delegated host's (its inventory name, as delegate_to renders it)
  // (most actions set none: no list of hosts made for them)
  // (where the step's result may still turn out failed — failed_when, a changed_when that cannot be evaluated, until, a later item — what is set can be put back: step.ts's end)
  const undo = (r.facts || r.setFacts || r.included) && (task.kw.failedWhen !== undefined || task.kw.changedWhen !== undefined || task.kw.until !== undefined || task.kw.loop !== undefined) ? (rc.host(step.host).factUndo ??= []) : undefined;
  if (r.facts || r.setFacts) for (const factHost of factHosts(rc, step, vars)) {
    undo?.push(rc.vars.undoPoint(factHost, r.setFacts ? Object.keys(r.setFacts) : []));
    if (r.facts) rc.vars.setHostFacts(factHost, task.gather ? { ...r.facts, _ansible_facts_gathered: true } : r.facts);
    if (r.setFacts) rc.vars.setFacts(factHost, r.setFacts);
  }
  if (r.included) {
    undo?.push(rc.vars.undoPoint(step.host, []));
    rc.vars.include(step.host, r.included);
  }
  // set_stats: per host, for the hosts the task ran for (a run_once task's batch), else the run's
  if (r.stats) addCustomStats(rc.customStats, r.stats.per_host ? taskHosts(rc, step, vars) : [undefined], r.stats.data, r.stats.aggregate);
  // group_by/add_host: changed when the inventory changed, as ansible-core's strategy sets it
  if (r.inventory) r.changed = changeInventory(rc, step, r.inventory);
  const result: Vars = spread({ changed: Boolean(r.changed) }, r.msg !== undefined ? { msg: r.msg } : undefined, r.data, r.failed ? { failed: true } : undefined, r.skipped ? { skipped: true } : undefined);
  return { status: r.failed ? 'failed' : r.skipped ? 'skipped' : r.changed ? 'changed' : 'ok', result };
}

/** A module's check when nothing is to be applied: nothing differs, or check mode. */
function checked(rc: RunCtx, step: Step, mod: Module, args: Vars, showDiff: boolean, diff: Diff): ItemResult {
  if (diff.kind === 'ok') return withFacts(rc, step.host, { status: 'ok', result: spread({ changed: false }, diff.data), why: diff.why });
  // ansible-core's command module: with creates/removes it reports it would run (changed), without them it is skipped
  if (diff.kind === 'run' && COMMANDS.has(mod.name) && (args.creates || args.removes)) return { status: 'changed', result: { ...SKIPPED_COMMAND(), changed: true } };
  if (diff.kind === 'run') return { status: 'skipped', result: { changed: false, skipped: true, ...(COMMANDS.has(mod.name) ? SKIPPED_COMMAND() : { msg: typeof diff.data?.msg === 'string' ? diff.data.msg : 'skipped in check mode: the effect of running it cannot be known beforehand' }) } };
  const shown = diffOut(diff, showDiff);
  return withFacts(rc, step.host, { status: 'changed', result: spread({ changed: true }, diff.data, diff.pending ? { pending: diff.pending } : undefined, diff.data?.diff === undefined ? resultDiff(shown, showDiff) : undefined), diff: shown });
}

/** What a module's apply returned, as the step's result. */
function applied(rc: RunCtx, step: Step, showDiff: boolean, diff: Exclude<Diff, { kind: 'ok' }>, data: Vars | void | undefined): ItemResult {
  // an action that only waited or read (wait_for) says so: nothing changed
  if (data?.changed === false) return withFacts(rc, step.host, { status: 'ok', result: spread(diff.data, data) });
  const shown = diffOut(diff, showDiff);
  return withFacts(rc, step.host, { status: 'changed', result: spread({ changed: true }, diff.data, data as Vars | undefined, diff.pending ? { pending: diff.pending } : undefined, diff.data?.diff === undefined ? resultDiff(shown, showDiff) : undefined), diff: shown });
}

/** A module that threw: the step's failure (or unreachable, timed out, interrupted); a pending secret is thrown on. */
function caught(rc: RunCtx, mod: Module, e: unknown, signal?: AbortSignal): ItemResult {
  if (e instanceof SecretsPending) throw e;
  if (e instanceof SecretError || e instanceof VaultError) return { status: 'failed', result: { failed: true, changed: false, msg: e.message } };
  if (e instanceof UnreachableError) return { status: 'unreachable', result: { unreachable: true, changed: false, msg: e.message } };
  if (e instanceof FileOpError) return { status: 'failed', result: { failed: true, changed: false, msg: e.message } };
  // a module's own condition or template (assert's `that`, debug's `var`) that fails is the task's failure, not agri-play's
  // (an action's AnsibleError has no `changed`: TaskExecutor.run's result of it; a Python exception is its `except Exception`'s)
  if (isTemplateFailure(e)) {
    const raw = rawPython(e);
    return { status: 'failed', result: raw ? unexpectedFailure(raw) : { failed: true, msg: e.message }, raised: true };
  }
  if (e instanceof ModuleFailure) return { status: 'failed', result: { failed: true, changed: false, msg: e.message, ...e.data }, controller: e instanceof ControllerFailure };
  if (signal?.aborted && !rc.abort.signal.aborted) return TIMED_OUT;
  if ((e as Error).name === 'AbortError' || rc.abort.signal.aborted) return { status: 'failed', result: { failed: true, changed: false, msg: 'interrupted' } };
  // (a Python error the module's own code raised — a bad `regexp` is re.error — is ansible-core's MODULE FAILURE: the module died with a traceback)
  if (e instanceof PyError) return { status: 'failed', result: { failed: true, changed: false, msg: 'MODULE FAILURE\nSee stdout/stderr for the exact error', module_stdout: '', module_stderr: `Traceback (most recent call last):\n  (ansible.legacy.${mod.name}, run by agri-play: no Python frames)\n${e.message}\n`, rc: 1 } };
  return { status: 'failed', result: { failed: true, changed: false, msg: `internal error in module '${mod.name}': ${(e as Error).message}` } };
}

/** A condition or template that could not be evaluated: the task's failure, in its words (not agri-play's). */
export const isTemplateFailure = (e: unknown): e is Error => e instanceof ConditionalError || e instanceof UndefinedVariable || e instanceof TemplateError || e instanceof TemplateSyntax;

const TIMED_OUT: ItemResult = { status: 'failed', result: { failed: true, changed: false } };

/**
 * The task keyword `timeout: N`: the module is stopped after N seconds (its commands cancelled) and the
 * step fails with ansible-core's message; without it the step runs as long as it takes.
 */
export function timed(rc: RunCtx, step: Step, vars: Vars, run: (signal?: AbortSignal) => Promise<ItemResult>): Promise<ItemResult> {
  const task = step.flat.task;
  const limit = task.kw.timeout === undefined ? 0 : Number(renderValue(task.kw.timeout, vars));
  return limit > 0 ? bounded(rc, task.module, limit, run) : run();
}

async function bounded(rc: RunCtx, module: string, limit: number, run: (signal?: AbortSignal) => Promise<ItemResult>): Promise<ItemResult> {
  return (await withDeadline(rc, limit, run)) ?? { status: 'failed', result: { failed: true, changed: false, msg: `The ${module} action failed to execute in the expected time frame (${limit}) and was terminated` } };
}

/** `run` stopped after `seconds` (its commands cancelled): undefined then. */
export async function withDeadline(rc: RunCtx, seconds: number, run: (signal?: AbortSignal) => Promise<ItemResult>): Promise<ItemResult | undefined> {
  const timer = new AbortController();
  let t: NodeJS.Timeout | undefined;
  const expired = new Promise<ItemResult>((resolve) => (t = setTimeout(() => (timer.abort(), resolve(TIMED_OUT)), seconds * 1000)));
  const work = run(AbortSignal.any([rc.abort.signal, timer.signal]));
  const out = await Promise.race([work, expired]).finally(() => clearTimeout(t));
  if (out !== TIMED_OUT) return out;
  work.catch(() => undefined);
  return undefined;
}
