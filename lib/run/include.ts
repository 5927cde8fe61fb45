import { ROLE_FROM_KEYS, roleKey, type BlockNode } from '../playbook/index.js';
import { allDeps, expandFlushes, flattenTasks, type Step } from '../plan/index.js';
import { OMIT, renderText, UndefinedVariable } from '../vars/index.js';
import { withFloats } from '../source/index.js';
import { allTrue, flag, whenOf } from './conditions.js';
import type { RunCtx, Vars } from './context.js';
import type { HostState } from './host-state.js';
import { loopInfo, loopItems, renderLoopControl } from './loop.js';

type RunStep = (rc: RunCtx, step: Step) => Promise<void> | undefined;

/** How an include went: `unloaded`, a file it could not load; `no-role`, an include_role of a role that is not there. */
export type IncludeStatus = 'ok' | 'skipped' | 'failed' | 'unloaded' | 'no-role';

/**
 * include_tasks resolved when reached (a templated file name, a loop), as ansible-core does:
 * `when` decides for the include itself; each loop item's file is loaded then, and their tasks run
 * after, on this host with the item (and the include's vars) around them (in a lockstep play, every
 * host's together: the caller passes `included` and runs them). Each include counts `ok`
 * ("included: FILE for HOST"), a false `when` one `skipped`; a file that is not there fails it, one
 * that cannot be read as tasks ends the run (ansible-core's parser error, exit 4).
 */
export async function runInclude(rc: RunCtx, step: Step, hs: HostState, vars: Vars, runStep: RunStep, report: (status: IncludeStatus, msg: string, item?: unknown) => void, included?: Step[]): Promise<void> {
  const task = step.flat.task;
  if (task.kw.loop === undefined && !allTrue(whenOf(step.flat), vars).ok) return report('skipped', `Conditional result was False`);
  const lc = renderLoopControl(task.kw.loopControl, vars);
  const loopVar = lc.loop_var ?? 'item';
  let list: unknown[] = [];
  try {
    if (task.kw.loop !== undefined) list = loopItems(task, vars, rc.opts.playbookDir);
  } catch (e) {
    // a loop that cannot be rendered fails the include only when its `when` holds (ansible-core's _loop_eval_error)
    if (e instanceof UndefinedVariable && !allTrue(whenOf(step.flat), vars).ok) return report('skipped', `Conditional result was False`);
    throw e;
  }
  // (a loop of no items skips the include, counted, as ansible-core's task executor does)
  if (task.kw.loop !== undefined && list.length === 0) return report('skipped', 'No items in the list');
  const loopBound = (item: unknown, i: number): Vars => ({ [loopVar]: item, ansible_loop_var: loopVar, ...(lc.index_var ? { [lc.index_var]: i, ansible_index_var: lc.index_var } : {}), ...(lc.extended && lc.extended !== 'false' ? { ansible_loop: loopInfo(list, i, lc.extended_allitems) } : {}) });
  const items: { item?: unknown; bound: Vars }[] = task.kw.loop === undefined ? [{ bound: {} }] : list.map((item, i) => ({ item, bound: loopBound(item, i) }));
  // (a host that had failed before reached it here all the same: in an always section, or a handler
  // forced to run, force_handlers; only a failure during this include stops its next items)
  const inHandler = step.flat.handler || step.flat.inHandler === true;
  const failedBefore = hs.failed;
  const subs = included ?? [];
  // (once an item's file or role was not there, ansible-core still loads the other items' and fails the host for each one missing)
  let missed = false;
  // (a loop whose every item was skipped skips the include, counted once, as ansible-core's loop result; a skipped item alone is not counted)
  let allSkipped = task.kw.loop !== undefined;
  for (const [i, { item, bound }] of items.entries()) {
    if (rc.stopping || (hs.failed && !failedBefore && !missed) || hs.unreachable) return;
    if (task.kw.loop !== undefined && !allTrue(whenOf(step.flat), { ...vars, ...bound }).ok) {
      report('skipped', `Conditional result was False`, item);
      continue;
    }
    allSkipped = false;
    const role = task.module === 'include_role';
    const scope = { ...vars, ...bound };
    const name = renderText(String(role ? task.args.name : task.args.file), scope);
    // include_role's tasks_from, vars_from, defaults_from, handlers_from, templated with the rest
    // (one that renders to omit is not given)
    const from = role ? Object.fromEntries(ROLE_FROM_KEYS.filter((k) => typeof task.args[`${k}_from`] === 'string').map((k) => [k, renderText(String(task.args[`${k}_from`]), scope)]).filter(([, v]) => v !== OMIT)) : undefined;
    const loaded = task.include!(name, from, hs.rolesRanIn(step.play.play.index));
    if (loaded.problems.length) {
      // a file that is there but cannot be read as tasks (YAML, an unknown module, a block as a handler) is
      // ansible-core's parser error, which ends the run (exit 4); a file that is not there fails the include
      if (!loaded.missing) {
        rc.inputError = true;
        rc.fatal = true;
      }
      // (a file that is not there in ansible-core's words alone; a file that cannot be read, where in it)
      const msg = loaded.problems.map((p) => (loaded.missing && !role ? p.message : `${p.file}:${p.line}:${p.col}: ${p.message}`)).join('; ');
      if (!loaded.missing) return report('unloaded', msg, item);
      report(role ? 'no-role' : 'unloaded', msg, item);
      missed = true;
      continue;
    }
    if (missed) continue;
    if (role && loaded.role) {
      // its handlers, and its dependencies', are the host's now
      for (const r of [loaded.role, ...allDeps(loaded.role)]) hs.includedRoles.add(roleKey(r));
      // public: the role's defaults and vars stay for the play's later tasks on this host
      if (flag(task.public, vars)) rc.vars.publish(step.host, step.play.play.index, loaded.role);
    }
    // include_tasks counts ok (`included: FILE for HOST`); include_role's tasks count, the include does not
    if (!role) report('ok', `included: ${loaded.path} for ${step.host}`, item);
    // the include is a block around its tasks. Its own keywords are its own (ansible-core: its tags select the
    // include, its ignore_errors is the include's); `apply:` gives the tasks it brings theirs, its vars as a
    // block's. The include's vars and the loop item are theirs as ansible-core's include params, over set_fact.
    const apply = task.apply ?? { when: [], notify: [], listen: [], tags: [], vars: {} };
    const block: BlockNode = { kind: 'block', id: `${task.id}#${i}`, name: task.name, block: loaded.tasks, rescue: [], always: [], kw: apply, includeVars: { ...withFloats(task.kw.vars), ...bound }, pos: task.pos, role: loaded.role ?? task.role };
    // a meta: flush_handlers among them runs the play's handlers there, as a planned one does
    const outer = [...new Set([...step.play.play.tags, ...step.flat.chain.flatMap((f) => f.block.kw.tags), ...apply.tags])];
    const flat = expandFlushes(flattenTasks(loaded.tasks, [...step.flat.chain, { block, section: 'block' }], outer, rc.opts.tagFilter ?? { tags: [], skipTags: [] }, step.play.play.kw), step.play.play.handlers, step.play.play.kw);
    for (const [k, f] of flat.entries()) {
      // (in the section of the play the include is in)
      f.part = step.flat.part;
      subs.push({ ...step, id: `${step.id}/${i}.${k}`, flat: inHandler ? { ...f, inHandler } : f });
    }
  }
  if (allSkipped) report('skipped', 'All items skipped');
  // every loop item is included before any of their tasks runs, as ansible-core's; in lockstep the caller
  // runs them, every host's together
  if (!included) for (const sub of subs) await runStep(rc, sub);
}
