// The connection settings ansible-core's play context adds to a task's variables where no variable
// names them (PlayContext.update_vars, before the task's `when`): `ansible_connection`, the
// address, the timeout, pipelining, the shell and the module compression. (Not the user: a task's
// remote_user keyword reaches a host only where no ansible_user does, run/module-ctx.ts.)
import type { Play } from '../playbook/index.js';
import { renderText } from '../vars/index.js';
import { CONNECTION_DEFAULTED, connectionKind } from './reach.js';

/** ansible.cfg's settings the play context takes (timeout; ansible-core's default 10 s). */
export interface ContextDefaults {
  timeout?: number;
}

/** Before the variables' templates are rendered: the settings that need none of them. */
export function withPlayContext(out: Record<string, unknown>, host: string, play: Play, d: ContextDefaults): void {
  if (out.ansible_connection === undefined) {
    const kw = play.connection?.includes('{{') ? undefined : play.connection;
    out.ansible_connection = connectionKind(host, out, kw);
    CONNECTION_DEFAULTED.add(out);
  }
  const timeout = out.ansible_timeout ?? out.ansible_ssh_timeout ?? d.timeout ?? 10;
  out.ansible_timeout ??= timeout;
  out.ansible_ssh_timeout ??= timeout;
  const pipelining = out.ansible_pipelining ?? out.ansible_ssh_pipelining ?? false;
  out.ansible_pipelining ??= pipelining;
  out.ansible_ssh_pipelining ??= pipelining;
  out.ansible_shell_executable ??= '/bin/sh';
  out.ansible_module_compression ??= 'ZIP_DEFLATED';
}

/** A task's variables under its `connection` keyword (its block's, role's): the play context's connection, ansible_connection where the play context gave it. */
export function withConnection(vars: Record<string, unknown>, keyword: string): Record<string, unknown> {
  if (!CONNECTION_DEFAULTED.has(vars)) return vars;
  const out = { ...vars, ansible_connection: keyword.includes('{{') ? renderText(keyword, vars) : keyword };
  CONNECTION_DEFAULTED.add(out);
  return out;
}
