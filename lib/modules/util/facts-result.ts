import type { ActionResult, ModuleCtx } from '../types.js';
import { isRecord } from '../../source/index.js';

/**
 * A facts module's result as ansible-core keeps it: merged into the host's `ansible_facts` (not
 * replacing what setup gathered) and each also a variable of its own name (`services`, `packages`).
 */
export function factsResult(ctx: ModuleCtx, facts: Record<string, unknown>): ActionResult {
  const before = isRecord(ctx.vars.ansible_facts) ? ctx.vars.ansible_facts : {};
  return { changed: false, facts: { ...facts, ansible_facts: { ...before, ...facts } }, data: { ansible_facts: facts } };
}
