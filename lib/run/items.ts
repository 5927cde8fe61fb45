// A step's module part over its loop: each item's `when` and module run (attempt.ts), and the
// outcome the step reports (one item's, or the loop's with every item's result).
import { ModuleFailure, type findModule } from '../modules/index.js';
import type { Step } from '../plan/index.js';
import type { DiffOut, Status } from '../report/events.js';
import { renderText, resolveVars, UndefinedVariable } from '../vars/index.js';
import { Unresolved } from '../source/python.js';
import { spread } from '../source/index.js';
import { attempt, type ItemResult } from './attempt.js';
import { whenTrue } from './conditions.js';
import type { RunCtx, Vars } from './context.js';
import type { HostState } from './host-state.js';
import { loopInfo, loopItems, pauseFor, renderLoopControl } from './loop.js';
import { invocationOf } from './result-order.js';

export interface Outcome {
  status: Status;
  result: Vars;
  diffs: DiffOut[];
  why?: string;
  note?: string;
  dependsOn?: { step: string; resource: string };
  /** Every item's rendered arguments (check mode records the paths and names they hold). */
  args?: Vars[];
  /** run_once: another host's result, given to this one (registered, not counted again). */
  copied?: boolean;
  /** run_once: the result of the host that ran it, registered for every host of the batch (ansible-core's get_task_hosts). */
  once?: boolean;
}

type Mod = NonNullable<ReturnType<typeof findModule>>;

export function items(rc: RunCtx, step: Step, hs: HostState, base: Vars, mod: Mod): Promise<Outcome> {
  return step.flat.task.kw.loop === undefined ? single(rc, step, hs, base, mod) : looped(rc, step, hs, base, mod);
}

/** A step without a loop: its `when`, then the module once. (What throws here is the caller's rejection: step.ts's execute.) */
function single(rc: RunCtx, step: Step, hs: HostState, base: Vars, mod: Mod): Promise<Outcome> {
  const when = whenTrue(step.flat, base);
  // (ansible-core 2.14's skipped result: no false_condition yet, which 2.15 added)
  if (!when.ok) return Promise.resolve({ status: 'skipped', result: { changed: false, skipped: true, skip_reason: 'Conditional result was False' }, diffs: [] });
  return attempt(rc, step, mod, base, hs).then(outcomeOf);
}

function outcomeOf(r: ItemResult): Outcome {
  return { status: r.status, result: r.result, diffs: r.diff ? [r.diff] : [], why: r.why, note: r.note, dependsOn: r.dependsOn, args: r.args ? [r.args] : [] };
}

/** The names of a step's variables whose templates could not be rendered without the loop's variables (cached by the variables' object). */
const unresolvedIn = new WeakMap<Vars, string[]>();

/** A variable that names the loop item (`vars: {p: "/srv/{{ item }}"}`, group_vars too) is rendered with it, as ansible-core renders variables when used. */
function withItem(base: Vars, vars: Vars): void {
  let keys = unresolvedIn.get(base);
  if (!keys) unresolvedIn.set(base, (keys = Object.keys(base).filter((k) => base[k] instanceof Unresolved)));
  if (!keys.length) return;
  for (const k of keys) vars[k] = (base[k] as Unresolved).text;
  resolveVars(vars, keys, () => false);
}

/** A step with a loop: each item's `when` and module run, in order, and the loop's result. */
async function looped(rc: RunCtx, step: Step, hs: HostState, base: Vars, mod: Mod): Promise<Outcome> {
  const task = step.flat.task;
  let list: unknown[];
  try {
    list = loopItems(task, base, rc.opts.playbookDir);
  } catch (e) {
    // a loop's lookup that fails (with_sequence: start=A) is the step's failure in the lookup's own words, as ansible-core's msg
    if (e instanceof ModuleFailure) return { status: 'failed', result: { failed: true, msg: e.message }, diffs: [] };
    // as ansible-core: a loop that can't be templated is skipped when the task's `when` is false without it
    if (!(e instanceof UndefinedVariable) || whenTrue(step.flat, base).ok) throw e;
    return { status: 'skipped', result: { changed: false, skipped: true, skip_reason: 'Conditional result was False' }, diffs: [] };
  }
  const lc = renderLoopControl(task.kw.loopControl, base);
  const loopVar = lc.loop_var ?? 'item';
  const pause = Number(lc.pause ?? 0) * 1000;
  const results: Vars[] = [];
  const diffs: DiffOut[] = [];
  const rendered: Vars[] = [];
  if (list.length === 0) return { status: 'skipped', result: { changed: false, skipped: true, skipped_reason: 'No items in the list', results: [] }, diffs: [] };
  let any: ItemResult['status'] | undefined;
  const seen = new Set<string>();
  // the first item whose outcome check mode cannot know (it depends on a would-be change) speaks for the loop
  let unknown: Pick<ItemResult, 'note' | 'dependsOn'> | undefined;
  // facts set by an earlier item (set_fact in a loop) are seen by the next, as in Ansible
  const facts = rc.vars.factsOf(step.host);
  const before = { ...facts };
  for (const [i, item] of list.entries()) {
    if (rc.stopping) break;
    const setHere = Object.fromEntries(Object.entries(facts).filter(([k, v]) => before[k] !== v));
    if (pause > 0 && i > 0) await pauseFor(pause, rc.abort.signal);
    // (spread(), not literals' spreads: V8's slow path for every item, source/data.ts)
    const per: Vars = spread({ ansible_loop_var: loopVar }, lc.index_var ? { [lc.index_var]: i, ansible_index_var: lc.index_var } : undefined, lc.extended && lc.extended !== 'false' ? { ansible_loop: loopInfo(list, i, lc.extended_allitems) } : undefined);
    // (a literal's spread for the step's variables, a dictionary-mode object: spread() measured slower there, attempt.ts)
    const vars: Vars = { ...base, ...setHere, [loopVar]: item, ...per };
    withItem(base, vars);
    const label = lc.label !== undefined ? renderText(lc.label, vars) : item;
    const when = whenTrue(step.flat, vars);
    const r: ItemResult = when.ok ? await attempt(rc, step, mod, vars, hs) : { status: 'skipped', result: { changed: false, skipped: true, skip_reason: 'Conditional result was False' } };
    // (as ansible-core's _run_loop, which the AnsibleError leaves: the task's result is that error alone, the items before it gone)
    if (r.endsLoop && r.status === 'failed') return { status: 'failed', result: r.result, diffs };
    // (a module's item keeps its `invocation`, as ansible-core's: `item.invocation.module_args.dest`; a
    // library module's own, with every option, stays as the module gave it)
    const invocation = r.args && when.ok && !('invocation' in r.result) ? invocationOf(task.module, r.args) : undefined;
    results.push(spread(r.result, invocation ? { invocation } : undefined, { [loopVar]: item }, per, { _ansible_item_label: label }));
    if (r.diff) diffs.push(r.diff);
    if (r.args) rendered.push(r.args);
    if (r.dependsOn && !unknown) unknown = { note: r.note, dependsOn: r.dependsOn };
    seen.add(r.status);
    if (r.status === 'unreachable') {
      any = 'unreachable';
      break;
    }
  }
  any ??= seen.has('failed') ? 'failed' : seen.has('changed') ? 'changed' : seen.size > 0 && [...seen].every((s) => s === 'skipped') ? 'skipped' : 'ok';
  return { status: any, result: loopResult(results, any === 'failed'), diffs, args: rendered, ...(unknown && any === 'changed' ? unknown : {}) };
}

/**
 * ansible-core 2.14's loop result (TaskExecutor.run), its keys in its order: `skipped`, then item by
 * item `changed` (the first item that changed), `failed` and `msg` (the first that failed), and the
 * items' `warnings` and `deprecations`, taken out of the items; `msg` where none failed, and
 * `changed` last where none changed. (An item's `failed` makes the loop's, even where failed_when said
 * the item did not fail: then the step's status is the items'.)
 */
function loopResult(results: Vars[], failedStatus: boolean): Vars {
  const skipped = results.every((r) => r.skipped === true);
  const result: Vars = { results, skipped };
  const fail = (): void => {
    result.failed = true;
    result.msg = 'One or more items failed';
  };
  for (const r of results) {
    if (r.changed === true && !('changed' in result)) result.changed = true;
    if (r.failed === true && !('failed' in result)) fail();
    for (const k of ['warnings', 'deprecations'] as const) {
      if (!(k in r)) continue;
      const v = r[k];
      delete r[k];
      if (v === undefined || v === null || v === '' || (Array.isArray(v) && !v.length)) continue;
      result[k] = [...((result[k] as unknown[] | undefined) ?? []), ...(Array.isArray(v) ? v : [v])];
    }
  }
  if (failedStatus && !('failed' in result)) fail();
  if (!result.failed) result.msg = 'All items completed';
  if (skipped) result.msg = 'All items skipped';
  if (!('changed' in result)) result.changed = false;
  return result;
}
