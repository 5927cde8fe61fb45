import { Type } from '@sinclair/typebox';
import { defineModule, ModuleFailure } from './types.js';

// A name may be a template (`"{{ item.key }}": …`, as Ansible templates the keys); checked when set.
const Args = Type.Record(Type.String({ pattern: '^([A-Za-z_][A-Za-z0-9_]*|.*\\{\\{.*)$' }), Type.Unknown(), { description: 'Variables to set on the host, name: value.' });
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export default defineModule({
  name: 'set_fact',
  kind: 'action',
  description: 'Sets host variables for the rest of the run.',
  args: Args,
  async run(_ctx, a) {
    const facts = { ...a };
    delete facts.cacheable;
    for (const k of Object.keys(facts)) if (!NAME.test(k)) throw new ModuleFailure(`The variable name '${k}' is not valid. Variables must start with a letter or underscore character, and contain only letters, numbers and underscores.`);
    return { facts, data: { ansible_facts: facts } };
  },
});
