import { truthy as truthyValue } from '../source/python.js';
import { compile, evaluateDefined, hasTemplate } from './template.js';
import { rawPython, TemplateError, TemplateSyntax, UndefinedVariable } from './template-errors.js';
import { renderValue } from './render-value.js';

type Vars = Record<string, unknown>;

/**
 * A `when:`/`until:`/`changed_when:`/`failed_when:`/assert condition: a bare expression, a {{ }}
 * template, or a boolean; an empty one (null or '') is true, as in ansible-core's Conditional.
 */
export function condition(cond: unknown, vars: Vars): boolean {
  try {
    return evaluateCondition(cond, vars);
  } catch (e) {
    if (e instanceof UndefinedVariable) throw new ConditionalError(String(cond), `error while evaluating conditional (${String(cond)}): ${e.bare}. ${e.bare}`);
    // (a Python exception no AnsibleError wraps, ZeroDivisionError: its words alone, as Conditional's `to_native(e)`)
    const raw = rawPython(e);
    if (raw) throw new ConditionalError(String(cond), raw.msg);
    // (an AnsibleError of the template, do_template's TypeError: as it is)
    if (e instanceof TemplateError && e.bare) throw new ConditionalError(String(cond), e.message);
    if (e instanceof TemplateError || e instanceof TemplateSyntax) throw new ConditionalError(String(cond), `error while evaluating conditional (${String(cond)}): ${e.message}`);
    throw e;
  }
}

/**
 * A condition that could not be evaluated, in ansible-core's words (Conditional's): an undefined
 * value is its AnsibleUndefinedVariable, `error while evaluating conditional (C): ` and Jinja's words
 * twice (the message, then its original exception's).
 */
export class ConditionalError extends Error {
  /** A task's `when`: ansible-core's TaskExecutor raises it with the task's place. */
  atTask = false;
  constructor(cond: string, why: string) {
    super(`The conditional check '${cond}' failed. The error was: ${why}`);
    this.name = 'ConditionalError';
  }
}

function evaluateCondition(cond: unknown, vars: Vars): boolean {
  if (typeof cond === 'boolean') return cond;
  if (cond === null || cond === undefined || cond === '') return true;
  // a mapping or list (YAML read `- a: b` as one) is no expression: ansible-core's Conditional
  // templates it and answers its truth (true when it has anything in it), as here
  if (typeof cond === 'object') return truthyValue(renderValue(cond, vars));
  let expr = String(cond).trim();
  // as ansible-core's Conditional: a templated condition is rendered first (one variable keeps its
  // type: a bool is the answer), and text that comes out is evaluated as the expression
  if (hasTemplate(expr)) {
    const r = renderValue(expr, vars);
    if (typeof r !== 'string' || r === '') return truthyValue(r);
    expr = r;
  }
  // the truth of an undefined value is an error, as ansible-core's (`when: undefined_name` fails the
  // task; `when: x is defined` is how a condition asks); any other value's is Python's, as Jinja's
  // `{% if %}` answers it (a non-empty string is true, "no" and "false" too: `| bool` reads them)
  // (an error quotes the template ansible-core's Conditional makes of it)
  const shown = `{% if ${expr} %} True {% else %} False {% endif %}`;
  // (that template's syntax is the condition's: `a if b else c` is no `if` condition, Jinja's syntax error)
  compile(shown);
  return truthyValue(evaluateDefined(expr, vars, shown));
}
