import { posOf, problem, type Pos } from '../source/index.js';
import { loadWarnings } from './templates.js';

/**
 * ansible-core 2.14's reserved names (vars/reserved.py: the Play, Role, Block and Task keywords,
 * `local_action`, `with_`) and its templates' globals: a variable so named is warned of, as its
 * task queue manager warns of the play's variables.
 */
const RESERVED = new Set([
  ...['action', 'always', 'any_errors_fatal', 'args', 'async', 'async_val', 'become', 'become_exe', 'become_flags', 'become_method', 'become_user', 'block', 'changed_when', 'check_mode', 'collections', 'connection'],
  ...['debugger', 'delay', 'delegate_facts', 'delegate_to', 'diff', 'environment', 'fact_path', 'failed_when', 'force_handlers', 'gather_facts', 'gather_subset', 'gather_timeout', 'handlers', 'hosts', 'ignore_errors'],
  ...['ignore_unreachable', 'local_action', 'loop', 'loop_control', 'loop_with', 'max_fail_percentage', 'module_defaults', 'name', 'no_log', 'notify', 'order', 'poll', 'port', 'post_tasks', 'pre_tasks'],
  ...['register', 'remote_user', 'rescue', 'retries', 'roles', 'run_once', 'serial', 'strategy', 'tags', 'tasks', 'throttle', 'timeout', 'until', 'vars_files', 'vars_prompt', 'when', 'with_'],
  ...['cycler', 'dict', 'joiner', 'lipsum', 'lookup', 'namespace', 'now', 'q', 'query', 'range', 'undef'],
]);

/** Warns of each variable of a play's (its vars, its roles' defaults and vars) whose name is reserved: `Found variable using reserved name: lipsum`. */
export function warnReserved(vars: unknown, at: Pos): void {
  if (!vars || typeof vars !== 'object' || Array.isArray(vars)) return;
  for (const k of Object.keys(vars)) if (RESERVED.has(k)) loadWarnings.push(problem(posOf(vars, k) ?? at, `Found variable using reserved name: ${k}`));
}
