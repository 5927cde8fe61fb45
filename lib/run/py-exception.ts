// Results of a Python exception that no AnsibleError wraps (a ZeroDivisionError, a ValueError from
// a template), in the shape each of ansible-core's places gives it: TaskExecutor's post_validate of
// the arguments, its run's last `except Exception`, FieldAttributeBase's ValueError.

import { repr } from '../source/python.js';
import { pyQualname, rawPython, type TemplateError } from '../vars/index.js';
import { errorAppears } from './error-lines.js';
import type { Vars } from './context.js';

type Raw = NonNullable<ReturnType<typeof rawPython>>;

/** ValueError and the classes under it: FieldAttributeBase's post_validate turns them into its own AnsibleParserError. */
const VALUE_ERRORS = new Set(['ValueError', 'JSONDecodeError', 'UnicodeError', 'UnicodeEncodeError', 'UnicodeDecodeError']);

/** traceback.format_exc()'s text: agri-play has no Python frames to show, its last line is Python's. */
function traceback(raw: Raw): string {
  return `Traceback (most recent call last):\n  (run by agri-play: no Python frames)\n${pyQualname(raw.kind)}: ${raw.msg}\n`;
}

/** TaskExecutor.run's `except Exception`: a loop, an action's own template (debug's `var`). */
export function unexpectedFailure(raw: Raw): Vars {
  return { failed: true, msg: `Unexpected failure during module execution: ${raw.msg}`, exception: traceback(raw), stdout: '' };
}

/**
 * A task's arguments whose template raised a Python exception: a ValueError is the field's
 * "invalid value" with the arguments as written, anything else TaskExecutor's bare result (no
 * `msg`: ansible-core shows `FAILED! => {}` and the exception's last line).
 */
export function argsException(e: TemplateError, args: unknown, pos: { file: string; line: number; col: number }): Vars | undefined {
  const raw = rawPython(e);
  if (!raw) return undefined;
  if (VALUE_ERRORS.has(raw.kind)) return { failed: true, msg: `the field 'args' has an invalid value (${repr(args)}), and could not be converted to an dict.The error was: ${raw.msg}${errorAppears(pos)}` };
  return { changed: false, failed: true, exception: traceback(raw) };
}

/** What ansible-core's default callback says of a result with an `exception` and no `msg` below -vvv. */
export function exceptionWords(result: Vars): string | undefined {
  if (typeof result.exception !== 'string') return undefined;
  const lines = result.exception.trimEnd().split('\n');
  return `An exception occurred during task execution. To see the full traceback, use -vvv. The error was: ${lines[lines.length - 1]}`;
}
