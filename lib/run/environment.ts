import type { Step } from '../plan/index.js';
import { isDict } from '../source/python.js';
import { renderValue, UndefinedVariable } from '../vars/index.js';
import type { Vars } from './context.js';

/** (one object for every step without an environment: only ever read) */
const NO_ENV: Record<string, string> = Object.freeze({}) as Record<string, string>;

/** The play's, blocks' and task's environments rendered and merged, the innermost winning (as ansible-core combines them). */
export function environmentOf(step: Step, vars: Vars): Record<string, string> {
  const kw = step.flat.task.kw;
  if (step.play.play.environment === undefined && kw.environment === undefined && !kw.environments?.length) return NO_ENV;
  const around = (kw.environments ?? []).filter((e) => e !== kw.environment);
  // (a role's handler: the play's environment, or when the play has none its role entry's — as ansible-core gives it)
  const order = step.flat.handler ? [step.play.play.environment ?? around.at(-1), kw.environment] : [step.play.play.environment, ...around, kw.environment];
  const layers = order.filter((e) => e !== undefined && e !== null);
  if (!layers.length) return {};
  return Object.assign({}, ...layers.map((e) => renderEnvironment(e, vars))) as Record<string, string>;
}

/**
 * One environment, key by key as ansible-core's _post_validate_environment renders it: a value
 * that needs `ansible_env` while it is undefined (the facts not gathered yet: the play's own fact
 * gathering) is left out, not the task's failure.
 */
function renderEnvironment(e: unknown, vars: Vars): unknown {
  if (!isDict(e)) return renderValue(e, vars) ?? {};
  const out: Vars = {};
  for (const [k, v] of Object.entries(e)) {
    try {
      out[k] = renderValue(v, vars);
    } catch (err) {
      if (err instanceof UndefinedVariable && err.message.includes('ansible_env')) continue;
      throw err;
    }
  }
  return out;
}

