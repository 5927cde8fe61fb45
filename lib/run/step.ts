import { str as pyStr } from '../source/python.js';
import { registered } from './registered.js';
import { onceHosts } from './invoke.js';
import { findModule, loadModule, type Module } from '../modules/index.js';
import type { Step } from '../plan/index.js';
import type { Event, Status, StepRef } from '../report/events.js';
import { rawPython, renderText, SecretsPending, VarsFileError } from '../vars/index.js';
import { shownName } from './attempt.js';
import { failureMessage } from './step-failure.js';
import { exceptionWords, unexpectedFailure } from './py-exception.js';
import { flag } from './conditions.js';
import type { RunCtx, Vars } from './context.js';
import type { HostState } from './host-state.js';
import { inSlot, throttleOf } from './throttle.js';
import { blockedBy } from './depends.js';
import { predicted } from './pending.js';
import { runInclude, type IncludeStatus } from './include.js';
import type { TaskNode } from '../playbook/index.js';
import { handlerHere, handlerWinners, notifyHandlers } from './notify.js';
import { connectionGiven, varsForStep } from './step-vars.js';
import { runMeta } from './meta.js';
import { DONE, onceKey } from './once.js';
import { failed, stopPlayIfNeeded } from './fail.js';
import { freeRunOnce, freeWarnings } from './free.js';
import { withModule } from './with-module.js';
import { forcesHandlers, hostFlag, keyword } from './step-flags.js';
import type { Outcome } from './items.js';
import { withConnection } from './play-context.js';

/**
 * The step's module part, then its end: when a template needed secrets not fetched yet, fetches
 * them and runs it again; an error is the step's failure. (One promise and its two handlers per
 * step, not wrappers: most steps never throw, and few have a throttle.)
 */
function runModule(rc: RunCtx, step: Step, s: Started, tries = 0): Promise<void> {
  let run: Promise<Outcome>;
  try {
    const limit = throttleOf(step, s.vars);
    run = limit ? inSlot(rc.throttles, step, limit, () => execute(rc, step, s.hs, s.vars)) : execute(rc, step, s.hs, s.vars);
  } catch (e) {
    run = Promise.reject(e as Error);
  }
  return run.then(
    (outcome) => end(rc, step, s, outcome),
    (e: Error) => retryOrFail(rc, step, s, e, tries),
  );
}

async function retryOrFail(rc: RunCtx, step: Step, s: Started, e: Error, tries: number): Promise<void> {
  if (e instanceof SecretsPending && rc.opts.secrets && tries < 8) {
    // a failed fetch is remembered by the store; the next lookup reports it as the task's error
    await rc.opts.secrets.load(e.scope).catch(() => undefined);
    return runModule(rc, step, s, tries + 1);
  }
  // a vars file the host's variables name that is not there: ansible-core's playbook error, which ends the run
  if (e instanceof VarsFileError) rc.inputError = rc.fatal = true;
  // (a Python exception no AnsibleError wraps, in a loop: TaskExecutor.run's `except Exception`)
  const raw = rawPython(e);
  end(rc, step, s, { status: 'failed', result: raw ? unexpectedFailure(raw) : { failed: true, msg: failureMessage(step.flat.task, e) }, diffs: [] });
}

type StepEnd = Extract<Event, { event: 'step_end' }>;

const CENSORED = "the output has been hidden due to the fact that 'no_log: true' was specified for this result";

export function stepRef(step: Step): StepRef {
  const t = step.flat.task;
  return { id: step.id, play: step.play.play.name, host: step.host, task: t.name, module: t.module, at: `${t.pos.file}:${t.pos.line}` };
}

/**
 * ansible-core 2.14's notification: a name runs the handler of that name loaded last (its name
 * rendered, or `ROLE : name`) and every handler that listens to it; an include_role's handlers
 * exist for a host once the include ran there. The flush uses the notifications up at its end.
 */
function handlerNotified(hs: HostState, step: Step, vars: () => Vars): boolean {
  const t = step.flat.task;
  const here = (h: TaskNode) => handlerHere(h, hs);
  const winners = (hs.winners ??= handlerWinners(step.play.play.handlers.filter(here), vars));
  // a name a handler carried over from the last flush runs only the handlers that had had their turn then
  const allowed = (n: string) => hs.carriedFor.get(n)?.has(t.id) ?? true;
  const byName = here(t) && [...winners].some(([n, h]) => h.id === t.id && hs.notified.has(n) && !hs.flushRan.has(n) && allowed(n));
  const run = byName || (here(t) && t.kw.listen.some((n) => hs.notified.has(n) && allowed(n)));
  if (byName) for (const [n, h] of winners) if (h.id === t.id) hs.flushRan.add(n);
  if (step.flat.flushEnd) {
    if (step.flat.lastFlush) hs.carriedNext.clear();
    for (const n of [...step.flat.flushEnd, ...winners.keys()]) if (!hs.carriedNext.has(n)) hs.notified.delete(n);
    hs.carriedFor = hs.carriedNext;
    hs.carriedNext = new Map();
    hs.flushRan.clear();
    hs.winners = undefined;
  }
  return run;
}

/** A step past its gates, about to run its module: what its end needs. */
interface Started {
  hs: HostState;
  vars: () => Vars;
  ref: StepRef;
  t0: number;
}

/**
 * Runs one step: gates, loop, when, module, register, notify, events and counts; given `included`,
 * an include step puts the steps it brings there for the caller to run (in lockstep). Undefined: a
 * gate stopped it. No async function: V8 keeps an async function's locals on the heap for each
 * call, and a step's start and end (most of its code) are plain functions around one promise.
 */
export function runStep(rc: RunCtx, step: Step, included?: Step[]): Promise<void> | undefined {
  let s: ReturnType<typeof start>;
  try {
    s = start(rc, step, included);
  } catch (e) {
    return Promise.reject(e as Error);
  }
  if (s === undefined || s instanceof Promise) return s;
  return runModule(rc, step, s);
}

/** The step's gates, in order; a meta action or a dynamic include runs here. Started: the module is to run. */
function start(rc: RunCtx, step: Step, included?: Step[]): Started | Promise<void> | undefined {
  const hs = rc.hostOf(step);
  const { task, chain, handler } = step.flat;
  if (rc.stopping || ((rc.fatal || rc.playStopped.has(step.play.play.index)) && !(rc.fatalSparesAlways && hs.inAlwaysOfFailed(chain)))) return;
  if (hs.endedPlay(step.play.play.index)) return;
  // (a step that ended in an error left what it set: it stays)
  if (hs.factUndo) hs.factUndo = undefined;
  // gathering = smart: facts a run (or the fact cache) already gathered for the host are not gathered again, nor counted
  if (task.gather === 'smart' && rc.vars.hostFacts(step.host)._ansible_facts_gathered === true) return;
  // force_handlers: a host that failed still runs the handlers it notified (not once unreachable)
  const forced = (handler || step.flat.inHandler) && hs.failed && !hs.unreachable && hs.failedInPlay === step.play.play.index && forcesHandlers(rc, step);
  if (hs.gate(chain) === 'skip' && !forced) return;
  rc.stopAfterTask.reached = true;
  if (task.kw.runOnce !== undefined || task.module === 'meta') (rc.stopAfterTask.onceReached ??= new Set()).add(step.host);
  // a meta: flush_handlers whose `when` was false did not happen: its handlers wait for the next flush
  if (handler && hs.flushOff) {
    if (step.flat.flushEnd) hs.flushOff = false;
    return;
  }
  // the step's variables, resolved once (kept only when resolving succeeded: a pending secret retries)
  let base: Vars | undefined;
  const vars = () => (base ??= varsForStep(rc, step, hs));
  if (handler && !handlerNotified(hs, step, vars)) return;
  if (task.module === 'meta') {
    try {
      runMeta(rc, step, hs, vars);
    } catch (e) {
      // (a `when` that cannot be evaluated: ansible-core's playbook error, which ends the run)
      playbookError(rc, step, hs, failureMessage(task, e as Error));
    }
    return undefined;
  }
  if ((task.module === 'include_tasks' || task.module === 'include_role') && task.include) return dynamicInclude(rc, step, hs, included);
  const ref = stepRef(step);
  if (ref.task?.includes('{{')) ref.task = shownName(ref.task, vars);
  if (dependencyDown(rc, ref, hs)) return;
  if (step.play.free) freeWarnings(rc, step);
  const t0 = Date.now();
  // (the ref's fields written out: a spread in an object literal is V8's slow path, ≈ 0.1 µs a step)
  rc.emit({ event: 'step_start', t_ms: t0 - rc.t0, id: ref.id, play: ref.play, host: ref.host, task: ref.task, module: ref.module, at: ref.at });
  return { hs, vars, ref, t0 };
}

/** What the module's outcome makes of the step: register, check-mode records, notify, ignore_errors, counts, its end event. */
function end(rc: RunCtx, step: Step, { hs, vars, ref, t0 }: Started, outcome: Outcome): void {
  const { task, chain, handler } = step.flat;
  let status = outcome.status;
  const result = outcome.result;
  // a failed result's facts are not the host's (set_fact under failed_when or until, a loop with a failed item), as in ansible-core
  if (hs.factUndo) {
    if (status === 'failed') for (const undo of hs.factUndo.reverse()) undo();
    hs.factUndo = undefined;
  }
  if (task.kw.register) {
    const value = { [task.kw.register]: registered(result, task.module) };
    // (run_once: registered for the batch's hosts, those that do not reach the task too, as ansible-core's)
    for (const h of outcome.once && !outcome.copied ? onceHosts(rc, step) : [step.host]) rc.vars.setFacts(h, value);
  }
  // check mode: what this step would change (or could not run to find out) is recorded for the steps after it
  const checkSkipped = status === 'skipped' && result.skip_reason === undefined;
  // (the arguments as the step rendered them, every loop item's: not rendered a second time)
  const args = outcome.args ?? [];
  if (rc.opts.check && (result.changed === true || checkSkipped) && !outcome.copied && predicted(task.module, task.kw.checkMode)) rc.pending.record(step.host, ref.id, ref.task ?? task.name, task.module, args, task.kw.register);
  else if (rc.opts.check && task.kw.register && rc.pending.dependency(step.host, task.module, [task.args], args, false)) rc.pending.taint(step.host, ref.id, ref.task ?? task.name, task.kw.register);
  if (result.changed === true) {
    hs.changedBefore = true;
    rc.changedBefore = true;
    // a task without notify: takes its innermost block's (ansible-core's inheritance)
    // (a failed result notifies nothing, ignore_errors or not: ansible-core notifies from a result that is ok;
    // a run_once result notifies for the host that ran it, not the hosts it is copied to)
    const notify = status === 'failed' || status === 'unreachable' || outcome.copied ? [] : task.kw.notify.length ? task.kw.notify : (chain.findLast((f) => f.block.kw.notify.length)?.block.kw.notify ?? []);
    const missing = notify.length ? notifyHandlers(rc, step, hs, notify, vars, Boolean(handler)) : undefined;
    if (missing) {
      status = 'failed';
      result.failed = true;
      result.msg = missing;
      rc.inputError = true;
      rc.fatal = true;
    }
  }
  if (status === 'failed') {
    if (hostFlag(rc, step, vars, result, task.kw.ignoreErrors ?? step.play.play.ignoreErrors)) status = 'ignored';
    else status = failed(rc, step, hs, outcome);
  }
  if (status === 'unreachable') {
    // ignore_unreachable: the host goes on, counted ok and ignored (as Ansible counts it)
    if (hostFlag(rc, step, vars, result, task.kw.ignoreUnreachable)) status = 'ignored';
    else {
      hs.unreachable = true;
      stopPlayIfNeeded(rc, step, outcome.once);
    }
  }
  // as in Ansible, a run_once result counts in the recap of the host that ran it only (a failure too:
  // ansible-core fails the other hosts of the batch, uncounted)
  if (!outcome.copied) count(hs, status, result.changed === true);
  // no_log: one that cannot be rendered hides the result (the safe side)
  let noLog: boolean;
  try {
    noLog = keyword(rc, step, vars, task.kw.noLog);
  } catch {
    noLog = true;
  }
  const now = Date.now();
  const end: StepEnd = { event: 'step_end', t_ms: now - rc.t0, id: ref.id, play: ref.play, host: ref.host, task: ref.task, module: ref.module, at: ref.at, status, changed: result.changed === true, duration_ms: now - t0 };
  // (a failure that says why in `message` alone, as include_vars' result: shown as its message)
  const msg = result.msg ?? (result.failed === true ? (typeof result.message === 'string' ? result.message : exceptionWords(result)) : undefined);
  if (msg !== undefined) end.msg = noLog ? CENSORED : pyStr(msg);
  if (outcome.why) end.why = noLog ? CENSORED : outcome.why;
  if (outcome.note) end.note = outcome.note;
  if (outcome.dependsOn) end.depends_on = outcome.dependsOn;
  if (outcome.copied) end.run_once_copy = true;
  if (outcome.diffs.length && !noLog) end.diff = outcome.diffs;
  // (debug's var= form has no msg: its result is what it shows, at any verbosity, as ansible-core's)
  if (rc.opts.verbosity > 0 || rc.opts.results || (task.module === 'debug' && result.msg === undefined && status === 'ok')) end.result = noLog ? { censored: CENSORED } : result;
  rc.emit(end);
}

/** What an include registers: skipped with its reason, failed with its message, else (ansible-core's) the file as the task names it. */
function includeResult(task: TaskNode, status: IncludeStatus, msg: string): Vars {
  if (status === 'skipped') return { changed: false, skipped: true, skip_reason: msg };
  if (status === 'ok') return { changed: false, include: task.args.file ?? task.args._raw_params, include_args: {} };
  return { changed: false, failed: true, msg };
}

/** An include_tasks resolved when reached: one event per include (per loop item), then its tasks as steps. */
async function dynamicInclude(rc: RunCtx, step: Step, hs: HostState, included?: Step[]): Promise<void> {
  const { task, chain } = step.flat;
  let vars: Vars;
  const report = (status: IncludeStatus, msg: string, item?: unknown) => {
    const ref = stepRef(step);
    const t_ms = Date.now() - rc.t0;
    rc.emit({ event: 'step_start', t_ms, ...ref });
    // a file the include could not load fails the host whatever ignore_errors says (ansible-core 2.14's
    // _load_included_file); a block's rescue still takes it
    let shown: Status = status === 'unloaded' || status === 'no-role' ? 'failed' : status;
    if (shown === 'failed') {
      if (status === 'failed' && flag(task.kw.ignoreErrors ?? step.play.play.ignoreErrors, vars ?? {})) shown = 'ignored';
      else if (hs.fail(chain, task.name, step.play.play.index) === 'rescued') {
        // ansible-core 2.14 counts an include it could not load as failed even when a rescue takes it
        if (status === 'unloaded') hs.rescuedCountedFailures++;
        else shown = 'rescued';
      } else stopPlayIfNeeded(rc, step);
    }
    // (an include_role of a role that is not there fails the host uncounted: ansible-core only prints its error)
    if (status !== 'no-role' && !(status === 'skipped' && item !== undefined)) count(hs, shown, false);
    // register: the include's own result, as ansible-core's (not one per loop item here)
    if (task.kw.register && item === undefined) rc.vars.setFacts(step.host, { [task.kw.register]: includeResult(task, status, msg) });
    rc.emit({ event: 'step_end', t_ms, ...ref, status: shown, changed: false, duration_ms: 0, msg, ...(item !== undefined ? { item: pyStr(item) } : {}) });
  };
  try {
    vars = varsForStep(rc, step);
    // run_once: the first host of the batch includes the file, the others do not (nor run its tasks)
    if (task.kw.runOnce !== undefined && flag(task.kw.runOnce, vars) && !freeRunOnce(rc, step)) {
      const key = `${onceKey(step)}/include`;
      if (rc.once.has(key)) return;
      rc.once.set(key, DONE);
    }
    await runInclude(rc, step, hs, vars, runStep, report, included);
  } catch (e) {
    report('failed', `${task.pos.file}:${task.pos.line}: ${(e as Error).message}`);
  }
}

/** A step's error that is ansible-core's playbook error (ERROR!): the step fails, counted, and the run ends (exit 4). */
function playbookError(rc: RunCtx, step: Step, hs: HostState, msg: string): void {
  hs.failed = true;
  rc.inputError = rc.fatal = true;
  instantStep(rc, stepRef(step), hs, 'failed', msg);
}

/** A step that ends where it starts, its module not run: its two events and its count. */
function instantStep(rc: RunCtx, ref: StepRef, hs: HostState, status: Status, msg: string, note?: string): void {
  const t_ms = Date.now() - rc.t0;
  rc.emit({ event: 'step_start', t_ms, ...ref });
  count(hs, status, false);
  rc.emit({ event: 'step_end', t_ms, ...ref, status, changed: false, duration_ms: 0, msg, ...(note !== undefined ? { note } : {}) });
}

/**
 * A host whose agri_depends_on names a host that is down skips its steps: the first with the
 * reason (counted skipped), the rest silently, as an unreachable host's are.
 */
function dependencyDown(rc: RunCtx, ref: StepRef, hs: HostState): boolean {
  let msg: string | undefined;
  let failed = false;
  try {
    const down = blockedBy(rc, ref.host, hs);
    if (down) msg = `depends on ${down.why} host ${down.host}`;
  } catch (e) {
    msg = `agri_depends_on: ${(e as Error).message}`;
    failed = hs.failed = true;
  }
  if (!msg) return false;
  hs.blockedBy = msg;
  instantStep(rc, ref, hs, failed ? 'failed' : 'skipped', msg, failed ? undefined : msg);
  return true;
}

function count(hs: HostState, status: Status, changed: boolean): void {
  const c = hs.counts;
  hs.counted = true;
  if (status === 'ok' || status === 'changed' || status === 'ignored') c.ok++;
  if (changed && status !== 'failed' && status !== 'rescued') c.changed++;
  if (status === 'failed') c.failed++;
  if (status === 'skipped') c.skipped++;
  if (status === 'unreachable') c.unreachable++;
  if (status === 'rescued') c.rescued++;
  if (status === 'ignored') c.ignored++;
}

/** (not async: most steps hand on items' promise as it is; what throws before it is a rejection) */
function execute(rc: RunCtx, step: Step, hs: HostState, vars: () => Vars): Promise<Outcome> {
  try {
    const task = step.flat.task;
    const base = task.kw.connection === undefined ? vars() : withConnection(vars(), task.kw.connection, connectionGiven(rc, step, hs));
    if (task.absent) return withModule(rc, step, hs, base, absentModule(task.module, task.absent));
    // (a templated module name: the host's)
    const name = task.module.includes('{{') ? renderText(task.module, base) : task.module;
    const mod = findModule(name);
    // (the run loaded its plan's modules: this is an include's or a templated name's first use)
    if (!mod) return loadModule(name).then((m) => (m ? withModule(rc, step, hs, base, m) : { status: 'failed', result: { failed: true, msg: `couldn't resolve module/action '${name}'. This often indicates a misspelling, missing collection, or incorrect module path.` }, diffs: [] }));
    return withModule(rc, step, hs, base, mod);
  } catch (e) {
    return Promise.reject(e as Error);
  }
}

/** The module of a task that names one of Ansible's collections' that agri-play has not: it fails where it runs (its `when` and loop as any task's). */
const absentModule = (name: string, fqcn: string): Module =>
  ({ name, kind: 'action', description: fqcn, args: {}, run: () => ({ failed: true, msg: `agri-play has no module '${name}' (Ansible's ${fqcn}): this task cannot run here` }) }) as unknown as Module;
