import { Type } from '../source/vendor/typebox.js';
import setup from './setup.js';
import { defineModule } from './types.js';

const Args = Type.Object(
  {
    ...setup.args.properties,
    parallel: Type.Optional(Type.Boolean({ description: 'Accepted for Ansible (one facts module: setup).' })),
  },
  { additionalProperties: false, description: "The play's fact gathering as a task." },
);

/** ansible.builtin.gather_facts: what a play's gather_facts runs, as a task (its facts module: setup, ansible-core's default). */
export default defineModule({
  ...setup,
  name: 'gather_facts',
  description: "ansible.builtin.gather_facts: the play's fact gathering as a task (runs setup, ansible-core's default facts module, with its gather_subset, gather_timeout and filter).",
  args: Args,
  run(ctx, a) {
    const { parallel: _p, ...rest } = a;
    return setup.run(ctx, rest);
  },
});
