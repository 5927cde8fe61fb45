import { Type } from '../source/vendor/typebox.js';
import { defineModule, ModuleFailure } from './types.js';
import { jinja2, yes } from '../source/index.js';
import { untupled } from '../source/pyvalues.js';

// A name may be a template (`"{{ item.key }}": …`, as Ansible templates the keys); checked when set.
const Args = Type.Record(Type.String({ pattern: '^([A-Za-z_][A-Za-z0-9_]*|.*\\{\\{.*)$' }), Type.Unknown(), { description: 'Variables to set on the host, name: value.' });
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const BOOLISH = new Set(['true', 'false', 'yes', 'no']);

export default defineModule({
  name: 'set_fact',
  kind: 'action',
  description: 'Sets host variables for the rest of the run.',
  args: Args,
  keepsTypes: true,
  async run(_ctx, a) {
    const facts = { ...a };
    // cacheable: also a fact of the host's fact cache (kept by ansible.cfg fact_caching), as ansible-core's
    const cacheable = yes(facts.cacheable);
    delete facts.cacheable;
    // as ansible-core's set_fact (unless jinja2_native): 'yes'/'no'/'true'/'false' text becomes a boolean
    if (!jinja2.native) for (const [k, v] of Object.entries(facts)) if (typeof v === 'string' && BOOLISH.has(v.toLowerCase())) facts[k] = ['true', 'yes'].includes(v.toLowerCase());
    // a tuple is stored as a list (ansible-core's facts: `groupby`'s groups compare equal to lists)
    for (const [k, v] of Object.entries(facts)) if (typeof v === 'object' && v !== null) facts[k] = untupled(v);
    if (!Object.keys(facts).length) return { failed: true, msg: 'No key/value pairs provided, at least one is required for this action to succeed' };
    for (const k of Object.keys(facts)) if (!NAME.test(k)) throw new ModuleFailure(`The variable name '${k}' is not valid. Variables must start with a letter or underscore character, and contain only letters, numbers and underscores.`);
    return { setFacts: facts, ...(cacheable ? { facts } : {}), data: { ansible_facts: facts } };
  },
});
