// Ansible's older task forms: `action: copy src=a dest=b`, `action: {module: copy, …}` and `local_action:`.
import { posOf, problem, type Pos, type Problem } from '../source/index.js';
import { splitArgs } from '../source/splitter.js';

/** split_args' parser error (an unclosed quote or `{{`/`{%` block) as a problem where the text was written. */
export const splitProblem = (e: unknown, at: Pos): Problem => problem(at, (e as Error).message, 'close the quote or the {{ }} / {% %} block');

/**
 * `action: copy src=a dest=b` / `action: {module: copy, src: a}` is the task `copy: …`;
 * `local_action:` is the same delegated to localhost (Ansible's older forms).
 */
export function fromAction(t: Record<string, unknown>, at: Pos, problems: Problem[]): Record<string, unknown> | undefined {
  const key = t.action !== undefined ? 'action' : 'local_action';
  const v = t[key];
  const { [key]: _, ...rest } = t;
  const local = key === 'local_action' && rest.delegate_to === undefined ? { delegate_to: 'localhost' } : {};
  if (typeof v === 'string' && v.trim()) {
    // (the module's name is the first word as split_args splits them: `{{ ansible_facts.pkg_mgr }}` is one;
    // text it cannot split — an unclosed `{{` or quote — is ansible-core's parser error, in its words)
    let mod: string;
    try {
      mod = splitArgs(v.trim())[0].trim();
    } catch (e) {
      problems.push(splitProblem(e, posOf(t, key) ?? at));
      return undefined;
    }
    const args = v.trim().slice(mod.length).trim();
    return { ...rest, ...local, [mod]: args || null };
  }
  if (v && typeof v === 'object' && !Array.isArray(v) && typeof (v as Record<string, unknown>).module === 'string') {
    const { module, ...args } = v as Record<string, unknown>;
    return { ...rest, ...local, [module as string]: args };
  }
  problems.push(problem(posOf(t, key) ?? at, `${key}: expected a module and its arguments ('copy src=a dest=b' or a mapping with module:)`));
  return undefined;
}

