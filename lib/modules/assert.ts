import { Type } from '../source/vendor/typebox.js';
import { pyType, repr } from '../source/python.js';
import { defineModule } from './types.js';

/** A message ansible-core's assert refuses: a list with an item that is not text, or neither text nor a list. */
function badMsg(m: unknown, name: string): string | undefined {
  if (Array.isArray(m)) return m.every((x) => typeof x === 'string') ? undefined : `Type of one of the elements in ${name} list is not string type`;
  return typeof m === 'string' ? undefined : `Incorrect type for ${name}, expected a string or list and got <class '${pyType(m)}'>`;
}

/** The result's msg as it is (a list of lines stays a list), shown as Python prints it. */
const shown = (m: unknown) => (typeof m === 'string' ? { msg: m } : { msg: repr(m), data: { msg: m } });

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
    // (the messages are checked first, whatever the conditions give: the action's AnsibleErrors)
    const failMsg = a.fail_msg ?? a.msg ?? 'Assertion failed';
    const successMsg = a.success_msg ?? 'All assertions passed';
    const refused = badMsg(failMsg, 'fail_msg or msg') ?? badMsg(successMsg, 'success_msg');
    if (refused) return { failed: true, msg: refused };
    const conds = Array.isArray(a.that) ? a.that : [a.that];
    for (const c of conds) {
      if (ctx.condition(c)) continue;
      const { msg, data } = shown(failMsg);
      return { failed: true, msg, data: { assertion: c, evaluated_to: false, ...data } };
    }
    return shown(successMsg);
  },
});
