import { Type } from '../source/vendor/typebox.js';
import { mergeHash } from '../source/combine-vars.js';
import setup from './setup.js';
import { defineModule, ModuleFailure, type ActionResult, type ModuleCtx } from './types.js';
import { factsModulesOf, SETUP_NAMES } from './util/facts-modules.js';

const Args = Type.Object(
  {
    ...setup.args.properties,
    parallel: Type.Optional(Type.Boolean({ description: 'Accepted for Ansible (the facts modules run one after another).' })),
  },
  { additionalProperties: false, description: "The play's fact gathering as a task." },
);

/** A facts module of the list other than setup: a library module, given what it takes (not setup's subset, timeout or filter). */
async function other(ctx: ModuleCtx, name: string, args: Record<string, unknown>, warnings: string[]): Promise<ActionResult> {
  // (a library module first, as one shadows a built-in of its name; then a built-in facts module: package_facts, service_facts)
  const { loadModule } = await import('./registry.js');
  const found = (await loadModule(name)) ?? (await loadModule(name.replace(/^ansible\.legacy\./, '')));
  const mod = found?.kind === 'action' ? found : undefined;
  if (!mod) throw new ModuleFailure(`The module ${name} was not found in configured module paths`);
  const { gather_subset: subset, gather_timeout: timeout, filter, ...rest } = args;
  if (subset !== undefined && subset !== 'all' && !(Array.isArray(subset) && subset.length === 1 && subset[0] === 'all')) warnings.push(`Ignoring subset(${JSON.stringify(subset)}) for ${name}`);
  if (timeout !== undefined) warnings.push(`Ignoring timeout(${String(timeout)}) for ${name}`);
  if (filter !== undefined) warnings.push(`Ignoring filter(${JSON.stringify(filter)}) for ${name}`);
  return mod.run(ctx, rest);
}

/**
 * ansible.builtin.gather_facts: each facts module (FACTS_MODULES, a host's ansible_facts_modules;
 * `smart` is setup) in turn, their facts merged as the action merges them (the later wins, dicts
 * merged, lists appended without the items already there); a failed one fails the task, naming it.
 */
export default defineModule({
  ...setup,
  name: 'gather_facts',
  description: "ansible.builtin.gather_facts: the play's fact gathering as a task (the facts modules of FACTS_MODULES or ansible_facts_modules, setup by default, with its gather_subset, gather_timeout and filter).",
  args: Args,
  async run(ctx, a) {
    const { parallel: _p, ...args } = a;
    let facts: Record<string, unknown> = {};
    const failed: Record<string, unknown> = {};
    const skipped: string[] = [];
    const warnings: string[] = [];
    const modules = factsModulesOf(ctx.vars);
    for (const name of modules) {
      // (a module's failure is collected, as the action collects each one's, and named after all ran)
      const r = await (SETUP_NAMES.has(name) ? setup.run(ctx, args) : other(ctx, name, args, warnings)).catch((e: unknown): ActionResult => {
        if (e instanceof ModuleFailure) return { failed: true, msg: e.message, data: e.data ?? {} };
        throw e;
      });
      if (r.failed) failed[name] = { failed: true, ...(r.msg !== undefined ? { msg: r.msg } : {}), ...r.data };
      else if (r.skipped) skipped.push(name);
      else facts = mergeHash(facts, r.facts ?? {}, 'append_rp');
    }
    if (Object.keys(failed).length) throw new ModuleFailure(`The following modules failed to execute: ${Object.keys(failed).join(', ')}\n`, { failed_modules: failed, ansible_facts: facts });
    // (the host's facts say they were gathered; the registered result, as ansible-core cleans it, does not)
    const registered = facts;
    facts = { ...facts, _ansible_facts_gathered: true };
    const note = skipped.length ? { msg: `The following modules were skipped: ${skipped.join(', ')}\n` } : {};
    return { facts, ...note, ...(skipped.length === modules.length ? { skipped: true } : {}), data: { ansible_facts: registered, ...(warnings.length ? { warnings } : {}) } };
  },
});
