import { ModuleFailure } from '../modules/index.js';
import { renderText } from '../vars/index.js';
import { flag } from './conditions.js';
import { splitWords } from '../source/splitter.js';
import type { RunCtx, Vars } from './context.js';
import type { Step } from '../plan/index.js';
import type { ExecOptions } from '../connections/index.js';

/**
 * Whether and as whom the step becomes: the connection variables (ansible_become,
 * ansible_become_user, ansible_become_password / _pass, from the inventory or a task's vars) win
 * over the keywords, as in ansible-core's play context. The password is a secret (never shown).
 */
export function becomeOf(rc: RunCtx, step: Step, vars: Vars): ExecOptions['become'] {
  const { kw } = step.flat.task;
  const play = step.play.play;
  // (ansible.cfg's [privilege_escalation] and -b, --become-user, … are the keywords' defaults, as ansible-core's)
  const d = rc.opts.becomeDefaults ?? {};
  if (!(vars.ansible_become !== undefined ? flag(vars.ansible_become, vars) : flag(kw.become ?? play.become ?? d.become, vars))) return undefined;
  // (the variable over the keywords, as ansible-core's play context)
  const given = vars.ansible_become_method ?? kw.becomeMethod ?? play.becomeMethod ?? d.method;
  const method = given === undefined || given === null ? 'sudo' : renderText(String(given), vars);
  if (method !== 'sudo' && method !== 'su') throw new ModuleFailure(`become_method ${method} is not supported by agri-play (become runs through sudo or su)`);
  const flagsGiven = vars.ansible_become_flags ?? kw.becomeFlags ?? play.becomeFlags ?? d.flags;
  const flags = flagsGiven === undefined || flagsGiven === null ? [] : splitWords(renderText(String(flagsGiven), vars));
  const how = { ...(method === 'su' ? { method: 'su' as const } : {}), ...(flags.length ? { flags } : {}) };
  const user = becomeUser(vars.ansible_become_user ?? kw.becomeUser ?? play.becomeUser ?? d.user, vars);
  const pass = vars.ansible_become_password ?? vars.ansible_become_pass;
  // (-K's answer is the password as typed, never a template)
  const password = pass === undefined || pass === null || pass === '' ? d.password : renderText(String(pass), vars);
  if (!password) return { user, ...how };
  rc.opts.redactor.register(password);
  return { user, password, ...how };
}

/** become_user, templated with the task's variables (`become_user: "{{ app_user }}"`). */
const becomeUser = (u: unknown, vars: Vars): string | undefined => (u === undefined || u === null ? undefined : renderText(String(u), vars));
