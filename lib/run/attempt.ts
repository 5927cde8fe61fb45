import { setTimeout as sleep } from 'node:timers/promises';
import { splitlines, type Module } from '../modules/index.js';
import { validate, VaultError } from '../source/index.js';
import { errorAppears } from './error-lines.js';
import { argsException } from './py-exception.js';
import { condition, keepVar, keptArgs, removeOmit, renderData, renderText, renderValue, SecretsPending, TemplateError, TemplateSyntax, UndefinedVariable } from '../vars/index.js';
import { allTrue, flag, notBoolean, whenOf } from './conditions.js';
import { describe } from './pending.js';
import type { RunCtx, Vars } from './context.js';
import type { HostState } from './host-state.js';
import { concealArgs } from './conceal.js';
import type { Step } from '../plan/index.js';
import { DEFAULT_PARAMS, VARIABLE_PARAMS } from '../playbook/index.js';
import { isDict, pyType, str as pyStr } from '../source/python.js';
import { invoke, isTemplateFailure, timed, type ItemResult } from './invoke.js';
import { asyncOf, type AsyncSpec } from './async-spec.js';
import { asyncRefused, asyncRun, runsFromController } from './async-task.js';

export type { ItemResult, ItemStatus } from './invoke.js';

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
  // (a `!vault` value that could not be decrypted: AnsibleVaultError's own words, as ansible-core's task shows them)
  if (e instanceof VaultError) return e.message;
  // (a template that cannot be parsed: Templar's words around the parser's, with the template's text)
  if (e instanceof TemplateSyntax && e.source !== undefined) return `template error while templating string: ${e.message}. String: ${e.source}. ${e.message}`;
  if (!(e instanceof UndefinedVariable)) return pos.line ? `${pos.file}:${pos.line}: ${e.message}` : e.message;
  // (Jinja's words twice, as ansible-core 2.14's AnsibleUndefinedVariable gives them: its message, then its original exception's;
  // a task with no place in a file — an ad hoc command's — has its original exception's message after it instead of the place)
  const was = `${e.bare}. ${e.bare}`;
  return `The task includes an option with an undefined variable. The error was: ${was}${pos.line ? errorAppears(pos) : `. ${was}`}`;
}

function hasNull(args: Vars): boolean {
  for (const k in args) if (args[k] === null) return true;
  return false;
}

/** The arguments without those given as null, but for the booleans the module reads None of as false (false then). */
function withoutNulls(args: Vars, noneIsFalse: string[] = []): Vars {
  const out: Vars = {};
  for (const [k, v] of Object.entries(args)) if (v !== null) out[k] = v;
  else if (noneIsFalse.includes(k)) out[k] = false;
  return out;
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
  /** async: command and shell run it as a job on the host (the module starts and polls it), the other modules from the controller (async-task.ts). */
  job?: AsyncSpec;
}

function prepare(rc: RunCtx, step: Step, mod: Module, vars: Vars): Prepared | { failed: ItemResult } {
  const task = step.flat.task;
  let args: Vars;
  try {
    args = removeOmit((mod.kind === 'action' && mod.keepsTypes ? renderData : renderValue)(task.args, vars)) as Vars;
  } catch (e) {
    if (e instanceof SecretsPending) throw e;
    const raised = e instanceof TemplateError ? argsException(e, task.args, task.pos) : undefined;
    // (an AnsibleError, unlike a Python exception, leaves TaskExecutor._execute: a loop ends with it)
    const failed: ItemResult = { status: 'failed', result: raised ?? { failed: true, msg: argsFailure(task.pos, e as Error) }, endsLoop: !raised || raised.msg !== undefined };
    return { failed: rc.opts.check ? unknowable(rc, step, undefined, failed) : failed };
  }
  // set_fact's values that a render kept as text (`{{ x | to_json }}`) stay text where a template outputs them alone
  if (mod.name === 'set_fact' && keptArgs.size) for (const [k, v] of Object.entries(args)) if (typeof v === 'string' && keptArgs.has(v)) keepVar(step.host, k, v);
  if (args[VARIABLE_PARAMS] !== undefined) {
    const { [VARIABLE_PARAMS]: given, ...explicit } = args;
    // (add_host and group_by keep theirs as raw parameters, refused by their action; any other module's are TaskExecutor's error)
    if (!isDict(given)) return { failed: { status: 'failed', result: { failed: true, changed: false, msg: mod.name === 'add_host' || mod.name === 'group_by' ? `Invalid raw parameters passed, requires a dictionary/mapping got a  <class '${pyType(given)}'>` : `invalid or malformed argument: '${pyStr(given)}'` } } };
    args = { ...given, ...explicit };
  }
  if (args[DEFAULT_PARAMS] !== undefined) {
    const { [DEFAULT_PARAMS]: parts, ...own } = args;
    const bad = (parts as unknown[]).find((p) => !isDict(p));
    if (bad !== undefined) return { failed: { status: 'failed', result: { failed: true, changed: false, msg: `module_defaults: the arguments for '${task.module}' must be a mapping, got ${pyType(bad)}: ${pyStr(bad)}` } } };
    args = Object.assign({}, ...(parts as Vars[]), own) as Vars;
  }
  // secrets in the arguments (a password argument, a URL's credentials) never show, whatever the module returns
  concealArgs(rc.opts.redactor, args);
  // an argument given as null is left out: the module's default applies (AnsibleModule keeps None,
  // which most modules read as their default; a boolean that reads None as false says so,
  // `noneIsFalse`, and a module that reads None as its Python does, `nulls`); set_fact's keys are
  // variables, and one set to null is None (ansible-core's action keeps it)
  if (!(mod.kind === 'action' && mod.keepsTypes) && !mod.nulls && hasNull(args)) args = withoutNulls(args, mod.noneIsFalse);
  const problems = validate(mod.args as object as Vars, args, `${mod.name} arguments`, args, [], true);
  if (problems.length) {
    // ansible-core's words for the first problem its validation finds (AnsibleModule fails with that
    // one): arguments it does not have, then required ones missing, then a type or a choice
    const missing = problems.map((p) => /missing required argument '([^']+)'/.exec(p.message)?.[1]).filter((m) => m !== undefined);
    const unknown = problems.map((p) => /^unknown argument '([^']+)'/.exec(p.message)?.[1]).filter((m) => m !== undefined);
    const typed = problems.find((p) => p.ansible !== undefined)?.ansible;
    const msg = unknown.length ? unsupported(mod, unknown) : missing.length ? ((mod.kind === 'state' ? mod.missingWords : undefined) ?? `missing required arguments: ${missing.sort().join(', ')}`) : (typed ?? problems.map((p) => p.message + (p.hint ? ` (${p.hint})` : '')).join('; '));
    const bad: ItemResult = { status: 'failed', result: { failed: true, changed: false, msg } };
    // in check mode, values an earlier change would have produced (a VM's address) are missing
    return { failed: rc.opts.check ? { ...unknowable(rc, step, args, bad), args } : bad };
  }
  const taskCheck = task.kw.checkMode ?? step.play.play.checkMode;
  // (check_mode or diff text that is no boolean fails the task, as ansible-core's field validation)
  const refused = notBoolean('check_mode', taskCheck, vars) ?? notBoolean('diff', task.kw.diff, vars);
  if (refused) return { failed: { status: 'failed', result: { failed: true, changed: false, msg: refused } } };
  const check = taskCheck === undefined ? rc.opts.check : flag(taskCheck, vars);
  const job = asyncOf(task.kw, vars);
  const noAsync = job && asyncRefused(mod, check);
  if (noAsync) return { failed: { status: 'failed', result: { failed: true, changed: false, msg: noAsync } } };
  const showDiff = rc.opts.diff || flag(task.kw.diff, vars);
  // ansible-core >= 2.16: retries without until retry until the step does not fail
  const retrying = task.kw.until !== undefined || task.kw.retries !== undefined;
  const retries = retrying ? Math.max(0, Number(renderValue(task.kw.retries ?? 3, vars))) : undefined;
  const delay = Number(renderValue(task.kw.delay ?? 5, vars));
  return { args, check, showDiff, retries, delay, job };
}

/** The module once (no until/retries). (A promise's then, not an async function: its frame is a step's garbage.) */
function once(rc: RunCtx, step: Step, mod: Module, vars: Vars, p: Prepared): Promise<ItemResult> {
  // (without a timeout or async, no closure for timed)
  const run = step.flat.task.kw.timeout === undefined && !p.job ? invoke(rc, step, mod, p.args, vars, p.check, p.showDiff) : invokeOnce(rc, step, mod, vars, p);
  return run.then((out) => onceDone(rc, step, mod, vars, p, out));
}

/**
 * The module once, within the task's timeout, or as an async task where it is one (then the timeout
 * does not bound it: ansible-core's covers the job's start, not its poll).
 */
function invokeOnce(rc: RunCtx, step: Step, mod: Module, vars: Vars, p: Prepared): Promise<ItemResult> {
  const run = (signal?: AbortSignal) => invoke(rc, step, mod, p.args, vars, p.check, p.showDiff, signal);
  if (!p.job) return timed(rc, step, vars, run);
  return runsFromController(mod) ? asyncRun(rc, step, vars, p.job, run) : run();
}

function onceDone(rc: RunCtx, step: Step, mod: Module, vars: Vars, p: Prepared, out: ItemResult): ItemResult {
  if (out.status !== 'unreachable') adjust(step.flat.task.kw, out, vars, mod);
  // a host an earlier step would create or start cannot answer in check mode either (a failure is
  // one once failed_when has had its say: what it takes back is no failure, as in the real run)
  const u = p.check ? checkFailure(rc, step, p.args, out) : out;
  if (u !== out || out.status === 'unreachable') return u;
  out.args = p.args;
  return out;
}

/** In check mode, a failed or unreachable step's result, or its would-change with its dependency (unknowable) and its arguments. */
function checkFailure(rc: RunCtx, step: Step, args: Vars, out: ItemResult): ItemResult {
  if (out.status !== 'failed' && out.status !== 'unreachable') return out;
  const u = unknowable(rc, step, args, out);
  return u === out ? out : { ...u, args };
}

/** until/retries: the module again after `delay` while the condition is false (or it fails), at most `retries` more times. */
async function retried(rc: RunCtx, step: Step, mod: Module, vars: Vars, p: Prepared, retries: number): Promise<ItemResult> {
  const task = step.flat.task;
  const { args, check, delay } = p;
  const until = task.kw.until;
  let out!: ItemResult;
  for (let n = 1; n <= retries + 1; n++) {
    out = await invokeOnce(rc, step, mod, vars, p);
    if (out.status === 'unreachable') return check ? checkFailure(rc, step, args, out) : out;
    // (the attempt's number is in the result before changed_when/failed_when read it, as ansible-core's)
    out.result.attempts = n;
    adjust(task.kw, out, vars, mod);
    if (check) {
      const u = checkFailure(rc, step, args, out);
      if (u !== out) return u;
    }
    const seen = withOwnFacts(vars, out.result, mod);
    const scope = task.kw.register ? { ...seen, [task.kw.register]: out.result } : { ...seen, ...out.result };
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
function adjust(kw: Step['flat']['task']['kw'], out: ItemResult, vars: Vars, mod: Module): void {
  const r = out.result;
  if (out.raised) return;
  r.failed ??= out.status === 'failed';
  r.changed ??= false;
  // (the `_lines` ansible-core's _execute_module gives any result with stdout or stderr, a failure's too; not an action that runs no module)
  if (mod.kind !== 'action' || !mod.noLines) {
    if ('stdout' in r && r.stdout_lines === undefined) r.stdout_lines = splitlines(typeof r.stdout === 'string' ? r.stdout : '');
    if ('stderr' in r && r.stderr_lines === undefined) r.stderr_lines = splitlines(typeof r.stderr === 'string' ? r.stderr : '');
  }
  if (out.status === 'skipped' || (kw.changedWhen === undefined && kw.failedWhen === undefined)) return;
  // (a literal's spread, not spread(): for the step's variables, a dictionary-mode object, it measured
  // faster: 10,000 hosts × 30 steps with changed_when ran 5.7 s, 9.9 s with spread())
  const seen = withOwnFacts(vars, r, mod);
  const scope = kw.register ? { ...seen, [kw.register]: r } : { ...seen, ...r };
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

/** The variables changed_when, failed_when and until read: with what set_fact or include_vars just set (ansible-core's vars_copy takes a result's clean facts). */
function withOwnFacts(vars: Vars, r: Vars, mod: Module): Vars {
  return (mod.name === 'set_fact' || mod.name === 'include_vars') && isDict(r.ansible_facts) ? { ...vars, ...r.ansible_facts } : vars;
}

/** ansible-core's words for arguments a module does not have: an action plugin's, or AnsibleModule's with what it supports. */
function unsupported(mod: Module, names: string[]): string {
  if (mod.kind === 'action') return `Invalid options for ${mod.name}: ${names.sort().join(', ')}`;
  const aliases = Object.keys(mod.aliases ?? {}).sort();
  return `Unsupported parameters for (ansible.legacy.${mod.name}) module: ${names.sort().join(', ')}. Supported parameters include: ${Object.keys((mod.args as { properties?: object }).properties ?? {}).sort().join(', ')}${aliases.length ? ` (${aliases.join(', ')})` : ''}.`;
}
