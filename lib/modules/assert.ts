import { Type } from '../source/vendor/typebox.js';
import { defineModule } from './types.js';

const Args = Type.Object(
  {
    // (a mapping or list item is what YAML makes of an unquoted `- a: b`: true when it has anything in it, as ansible-core answers it; the load warns)
    that: Type.Union([Type.String(), Type.Boolean(), Type.Array(Type.Union([Type.String(), Type.Boolean(), Type.Null(), Type.Record(Type.String(), Type.Unknown()), Type.Array(Type.Unknown())]))], { description: 'Jinja conditions that must all be true (an empty one is true).' }),
    fail_msg: Type.Optional(Type.Unknown({ description: 'Message when a condition is false.' })),
    msg: Type.Optional(Type.Unknown()),
    success_msg: Type.Optional(Type.Unknown()),
    quiet: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

export default defineModule({
  name: 'assert',
  kind: 'action',
  description: 'Fails unless every condition in `that` is true.',
  args: Args,
  async run(ctx, a) {
    const conds = Array.isArray(a.that) ? a.that : [a.that];
    for (const c of conds) {
      const ok = ctx.condition(c);
      if (!ok) {
        const msg = a.fail_msg ?? a.msg ?? 'Assertion failed';
        return { failed: true, msg: typeof msg === 'string' ? msg : JSON.stringify(msg), data: { assertion: c, evaluated_to: false } };
      }
    }
    return { msg: typeof a.success_msg === 'string' ? a.success_msg : 'All assertions passed' };
  },
});
