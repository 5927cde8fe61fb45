// The play context's connection settings that a task's template sees where no variable names them
// (ansible-core's PlayContext.update_vars): given by the template engine when a name is not among
// the variables, not copied into every step's variables (7 more keys each: +25 MiB on the
// 10,000-host bench). ansible_connection, which depends on the play and the task, is a variable
// (run/play-context.ts).

import { forgetKeptVars } from './kept-text.js';

/** ansible.cfg's timeout (the run sets it: ansible-core's default 10 s) and executable (its default /bin/sh). */
const contextDefaults: { timeout?: number; executable?: string } = {};

/**
 * The run's options variables that are the same for every task (ansible-core's load_options_vars:
 * ansible_version, ansible_inventory_sources, ansible_limit; and inventory_dir), set by the run:
 * given as the play context's are, not copied into every step's variables (each key more there
 * made every host's merged variables bigger: ≈ 20 MiB on the 10,000-host bench).
 */
const runVars: Record<string, unknown> = {};

/** A run starts: its options variables and ansible.cfg's timeout are these, and no variable holds kept text yet (the state is the process's). */
export function startRun(vars: Record<string, unknown>, timeout: number | undefined, executable?: string): void {
  for (const k of Object.keys(runVars)) delete runVars[k];
  Object.assign(runVars, vars);
  contextDefaults.timeout = timeout;
  contextDefaults.executable = executable;
  forgetKeptVars();
}

/** The play context's value of `name` (or the run's) for a task whose variables are `vars` (which have none of that name); undefined for any other name. */
export function contextVar(vars: Record<string, unknown>, name: string): unknown {
  if (Object.hasOwn(runVars, name)) return runVars[name];
  switch (name) {
    case 'ansible_ssh_host':
      return vars.ansible_host;
    case 'ansible_timeout':
    case 'ansible_ssh_timeout':
      return vars.ansible_timeout ?? vars.ansible_ssh_timeout ?? contextDefaults.timeout ?? 10;
    case 'ansible_pipelining':
    case 'ansible_ssh_pipelining':
      return vars.ansible_pipelining ?? vars.ansible_ssh_pipelining ?? false;
    case 'ansible_shell_executable':
      return contextDefaults.executable ?? '/bin/sh';
    case 'ansible_module_compression':
      return 'ZIP_DEFLATED';
    default:
      return undefined;
  }
}
