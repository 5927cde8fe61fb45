import { Type } from '../source/vendor/typebox.js';
import { defineModule } from './types.js';

const Args = Type.Object({ msg: Type.Optional(Type.Unknown({ description: 'Why it failed.' })) }, { additionalProperties: false });

export default defineModule({
  name: 'fail',
  kind: 'action',
  description: 'Fails the task with a message.',
  args: Args,
  async run(_ctx, a) {
    const msg = a.msg === undefined ? 'Failed as requested from task' : typeof a.msg === 'string' ? a.msg : JSON.stringify(a.msg);
    return { failed: true, msg };
  },
});
