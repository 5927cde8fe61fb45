import { DISCOVERY_SCRIPT, discoverInterpreter, runsPython, type Discovery, type Module, type ModuleCtx } from '../modules/index.js';
import { renderValue } from '../vars/index.js';
import type { RunCtx, Vars } from './context.js';
import type { Step } from '../plan/index.js';

const AUTO = new Set(['auto', 'auto_legacy', 'auto_silent', 'auto_legacy_silent']);

/**
 * ansible-core's interpreter discovery (action/__init__.py _configure_module): a step whose module
 * ansible-core runs as Python, on a host whose `ansible_python_interpreter` says `auto`,
 * `auto_legacy` or a `_silent` one and that has no `discovered_interpreter_python` fact yet, first
 * asks the host which Pythons it has and what it runs; the answer becomes the host's fact (the
 * module runs with it, the next steps find it) and the step's result carries it. A host that names
 * no interpreter is not asked (agri-play's modules need none; ansible-core would discover there too).
 */
export function discoveryMode(rc: RunCtx, step: Step, mod: Module, vars: Vars): string | undefined {
  const set = vars.ansible_python_interpreter;
  // (a path, as most hosts that name one give, is looked at no further)
  if (set === undefined || (typeof set === 'string' && !set.includes('auto') && !set.includes('{')) || step.flat.task.kw.delegateTo !== undefined) return undefined;
  let mode: unknown = set;
  try {
    if (typeof set === 'string') mode = String(renderValue(set, vars)).trim();
  } catch {
    // (an interpreter that cannot be rendered is no discovery mode: the module says what is wrong with it)
    return undefined;
  }
  if (typeof mode !== 'string' || !AUTO.has(mode) || rc.vars.hostFacts(step.host).discovered_interpreter_python !== undefined || !runsPython(mod)) return undefined;
  return mode;
}

/** Asks the host (discoveryMode said to): the interpreter becomes its fact. */
export async function discover(rc: RunCtx, step: Step, mode: string, ctx: ModuleCtx): Promise<Discovery> {
  const r = await ctx.exec({ shell: DISCOVERY_SCRIPT });
  const found = discoverInterpreter(r.stdout, mode, step.host);
  rc.vars.setHostFacts(step.host, { discovered_interpreter_python: found.python });
  return found;
}

/** The step's variables as the module sees them once discovery ran (its interpreter the discovered one). */
export const withDiscovered = (vars: Vars, d: Discovery): Vars => ({ ...vars, ansible_facts: { ...(vars.ansible_facts as Vars | undefined), discovered_interpreter_python: d.python } });

/** The result carries the discovered interpreter and discovery's warnings, as ansible-core's _execute_module adds them to the module's. */
export function resultWithDiscovered(result: Vars, d: Discovery): void {
  result.ansible_facts = { ...(result.ansible_facts as Vars | undefined), discovered_interpreter_python: d.python };
  if (d.warnings.length) result.warnings = [...((result.warnings as string[] | undefined) ?? []), ...d.warnings];
  if (d.deprecations.length) result.deprecations = [...((result.deprecations as unknown[] | undefined) ?? []), ...d.deprecations];
}
