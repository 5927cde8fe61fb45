import type { ActionResult } from '../types.js';

/**
 * A facts module's result as ansible-core keeps it: merged into the host's fact cache, so under
 * `ansible_facts` beside what setup gathered, and each also a variable of its own name (`services`, `packages`).
 */
export function factsResult(facts: Record<string, unknown>): ActionResult {
  return { changed: false, facts, data: { ansible_facts: facts } };
}
