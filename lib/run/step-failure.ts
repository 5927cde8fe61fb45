import type { TaskNode } from '../playbook/index.js';
import { ConditionalError, TemplateError, UndefinedVariable, VarsFileError } from '../vars/index.js';
import { errorAppears } from './error-lines.js';

/** Errors that are the task's (bad template, bad loop), not agri-play bugs. */
const KNOWN = new Set(['UndefinedVariable', 'TemplateSyntax', 'TemplateError', 'ModuleFailure', 'SecretError', 'ConditionalError']);

/**
 * A step's failure before its module ran, in ansible-core's words where they are known: a `when`
 * that could not be evaluated (with the task's place, as its TaskExecutor raises it; `until`'s without), an undefined
 * value in a loop or keyword (Jinja's words twice), do_template's own; else the error at its place.
 */
export function failureMessage(task: TaskNode, e: Error): string {
  if (e instanceof ConditionalError) return e.atTask ? `${e.message}${errorAppears(task.pos)}` : e.message;
  if (e instanceof UndefinedVariable) return `${e.bare}. ${e.bare}`;
  if (e instanceof VarsFileError) return e.message;
  if (e instanceof TemplateError && e.bare) return e.message;
  return KNOWN.has(e.name) ? `${task.pos.file}:${task.pos.line}: ${e.message}` : `internal error: ${e.message}`;
}
