import { posOf, problem, processWide, type Pos, type Problem } from '../source/index.js';
import { hasLookup, hasTemplate } from '../vars/index.js';
import type { Keywords } from './types.js';

export const TASK_KEYWORDS = new Set([
  'name', 'when', 'loop', 'with_items', 'with_list', 'with_dict', 'with_fileglob', 'with_sequence', 'loop_control', 'register', 'notify', 'listen', 'tags',
  'become', 'become_user', 'become_method', 'become_flags', 'retries', 'until', 'delay', 'changed_when', 'failed_when', 'check_mode', 'diff', 'no_log',
  'ignore_errors', 'ignore_unreachable', 'args', 'vars', 'delegate_to', 'delegate_facts', 'run_once', 'environment', 'timeout', 'any_errors_fatal',
  'block', 'rescue', 'always', 'throttle', 'async', 'poll', 'remote_user', 'connection', 'module_defaults', 'collections', 'debugger', 'local_action', 'action',
]);

/** Keywords we parse but refuse, with what to do instead (never silently ignored). */
export const UNSUPPORTED: Record<string, string> = {
  debugger: 'use -vv and the run journal in .agri-play/runs/',
};

/** ansible-core's ERROR_ON_MISSING_HANDLER (ansible.cfg error_on_missing_handler, ANSIBLE_ERROR_ON_MISSING_HANDLER; default on): a notify naming no handler is an error. */
export const errorOnMissingHandler = (): boolean => missing.error ?? !/^(0|false|no|off)$/i.test(process.env.ANSIBLE_ERROR_ON_MISSING_HANDLER ?? '');
const missing = processWide('missing-handler', () => ({ error: undefined as boolean | undefined }));
/** The run's setting (ansible.cfg's, the variable over it); without one, the variable is read. */
export function setErrorOnMissingHandler(error: boolean | undefined): void {
  missing.error = error;
}
/** ansible-core's words for it. */
export const missingHandler = (name: string): string => `The requested handler '${name}' was not found in either the main handlers list nor in the listening handlers list`;

/** The become methods the connections have: sudo, and su (without a password: su reads one only from a terminal). */
export const BECOME_METHODS = new Set(['sudo', 'su']);

/** A task's or play's become_method other than sudo or su is refused, not run as sudo. */
export function becomeMethodProblem(t: Record<string, unknown>, at: Pos): Problem | undefined {
  const m = t.become_method;
  if (m === undefined || (typeof m === 'string' && (BECOME_METHODS.has(m) || hasTemplate(m)))) return undefined;
  return problem(posOf(t, 'become_method') ?? at, `become_method '${String(m)}' is not supported by agri-play`, 'become runs through sudo or su: drop become_method or set it to one of them');
}

/** with_items, with_list, with_dict, with_fileglob have their own forms; any other with_NAME loops through lookup NAME. */
const OWN_WITH = new Set(['with_items', 'with_list', 'with_dict', 'with_fileglob']);
/** Whether a task key is a keyword (not its module): the fixed ones and with_NAME of a lookup there is. */
export const isTaskKeyword = (k: string): boolean => TASK_KEYWORDS.has(k) || (/^with_[a-z_][a-z0-9_.]*$/.test(k) && hasLookup(k.slice(5)));

export const toList = (v: unknown): unknown[] => (v === undefined || v === null ? [] : Array.isArray(v) ? v : [v]);
export const toStrings = (v: unknown): string[] => toList(v).flatMap((x) => (typeof x === 'string' ? x.split(',').map((s) => s.trim()).filter(Boolean) : [String(x)]));

/** Keywords of a task/block mapping, normalized. */
export function readKeywords(t: Record<string, unknown>): Keywords {
  const loop = t.loop ?? t.with_items ?? (t.with_list !== undefined ? { __list: t.with_list } : undefined) ?? (t.with_dict !== undefined ? { __dict: t.with_dict } : undefined) ?? (t.with_fileglob !== undefined ? { __fileglob: t.with_fileglob } : undefined);
  const withKey = Object.keys(t).find((k) => k.startsWith('with_') && !OWN_WITH.has(k) && isTaskKeyword(k));
  return {
    when: toList(t.when),
    loop: t.with_items !== undefined ? { __flatten: t.with_items } : (loop ?? (withKey ? { __with: withKey.slice(5), terms: t[withKey] } : undefined)),
    loopControl: t.loop_control as Keywords['loopControl'],
    register: t.register as string | undefined,
    notify: toList(t.notify).map(String),
    listen: toList(t.listen).map(String),
    tags: toStrings(t.tags),
    become: t.become,
    becomeUser: t.become_user as string | undefined,
    ...(t.become_method !== undefined ? { becomeMethod: String(t.become_method) } : {}),
    ...(t.become_flags !== undefined && t.become_flags !== null ? { becomeFlags: String(t.become_flags) } : {}),
    ...(t.remote_user !== undefined ? { remoteUser: t.remote_user as string } : {}),
    ...(t.connection !== undefined ? { connection: String(t.connection) } : {}),
    retries: t.retries,
    until: t.until === undefined ? undefined : toList(t.until),
    delay: t.delay,
    changedWhen: t.changed_when === undefined ? undefined : toList(t.changed_when),
    failedWhen: t.failed_when === undefined ? undefined : toList(t.failed_when),
    checkMode: t.check_mode,
    diff: t.diff,
    noLog: t.no_log,
    ignoreErrors: t.ignore_errors,
    ignoreUnreachable: t.ignore_unreachable,
    vars: (t.vars as Record<string, unknown>) ?? {},
    delegateTo: t.delegate_to as string | undefined,
    delegateFacts: t.delegate_facts,
    runOnce: t.run_once,
    environment: t.environment,
    anyErrorsFatal: t.any_errors_fatal,
    ...(t.throttle !== undefined ? { throttle: t.throttle } : {}),
    ...(t.timeout !== undefined ? { timeout: t.timeout } : {}),
    ...(t.async !== undefined ? { async: t.async, poll: t.poll } : {}),
  };
}

/** The collections keyword of a play, block or task (collection names, searched for a module's short name first), else the enclosing one's. */
export function collectionsOf(owner: Record<string, unknown>, scope: { collections?: string[] }): string[] | undefined {
  const c = owner.collections;
  if (c === undefined || c === null) return scope.collections;
  return (Array.isArray(c) ? c : [c]).map(String);
}
