import { Type } from '@sinclair/typebox';
import { defineModule } from './types.js';

const Args = Type.Record(Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_]*$' }), Type.Unknown(), { description: 'Variables to set on the host, name: value.' });

export default defineModule({
  name: 'set_fact',
  kind: 'action',
  description: 'Sets host variables for the rest of the run.',
  args: Args,
  async run(_ctx, a) {
    const facts = { ...a };
    delete facts.cacheable;
    return { facts, data: { ansible_facts: facts } };
  },
});
