// The connection ansible-core's play context adds to a task's variables where no variable names it
// (PlayContext.update_vars, before the task's `when`): ansible_connection. (Its other settings —
// the address, timeout, pipelining, shell, module compression — the template engine gives:
// vars/play-context.ts. Not the user: a task's remote_user keyword reaches a host only where no
// ansible_user does, run/module-ctx.ts.)
import type { Play } from '../playbook/index.js';
import { renderText } from '../vars/index.js';
import { connectionKind } from './reach.js';

/**
 * Before the variables' templates are rendered. The default ansible_connection is the play's, the
 * connection the run reaches the host by (reach.ts) where no task keyword says otherwise
 * (withConnection); none under a templated play keyword, rendered where the module runs. (Nothing
 * marks the variables as defaulted: a symbol key made V8 copy every step's variables on its slow
 * path, a WeakSet of them cost the bench ≈ 6%; the rare task with a keyword asks the layers.)
 */
export function withPlayContext(out: Record<string, unknown>, host: string, play: Play): void {
  if (out.ansible_connection === undefined && !play.connection?.includes('{{')) out.ansible_connection = connectionKind(host, out, play.connection);
}

/** A task's variables under its `connection` keyword (its block's, role's): ansible_connection is the keyword's where no variable names one (`given`: one does, and wins). */
export function withConnection(vars: Record<string, unknown>, keyword: string, given: boolean): Record<string, unknown> {
  if (given) return vars;
  return { ...vars, ansible_connection: keyword.includes('{{') ? renderText(keyword, vars) : keyword };
}
