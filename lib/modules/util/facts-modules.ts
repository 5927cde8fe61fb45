// ansible-core's FACTS_MODULES: the modules gather_facts runs, from ansible.cfg's facts_modules
// (ANSIBLE_FACTS_MODULES), or a host's ansible_facts_modules variable over it; `smart` is setup
// (network devices' facts modules by ansible_network_os are not here).

let configured: string[] = ['smart'];

/** ansible.cfg's facts_modules, set by the CLI before a run. */
export function setFactsModules(list: string[]): void {
  configured = list.length ? list : ['smart'];
}

/** The modules to run for a host: its ansible_facts_modules (a list, or a comma-separated text), else the configured ones. */
export function factsModulesOf(vars: Record<string, unknown>): string[] {
  const v = vars.ansible_facts_modules;
  const list = Array.isArray(v) ? v.map(String) : typeof v === 'string' ? v.split(',').map((m) => m.trim()).filter(Boolean) : configured;
  return list.map((m) => (m === 'smart' ? 'ansible.legacy.setup' : m));
}

/** The names setup answers to: the facts script, not a module file. */
export const SETUP_NAMES = new Set(['setup', 'ansible.legacy.setup', 'ansible.builtin.setup']);
