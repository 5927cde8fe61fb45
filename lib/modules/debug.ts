import { repr, str } from '../source/python.js';
import { PyTimedelta } from '../source/pydatetime.js';
import { Type } from '../source/vendor/typebox.js';
import { defineModule } from './types.js';

const Args = Type.Object(
  {
    msg: Type.Optional(Type.Unknown({ description: 'What to show.' })),
    var: Type.Optional(Type.String({ description: 'A variable (expression) to show instead.' })),
    verbosity: Type.Optional(Type.Integer({ description: 'Show only at this -v level or above.' })),
  },
  { additionalProperties: false },
);

export default defineModule({
  name: 'debug',
  kind: 'action',
  description: 'Shows a message or a variable.',
  args: Args,
  // (msg: null is None, as ansible-core's action gives it: `'msg' in args`)
  nulls: true,
  // (its msg shown as Python shows it: a whole float stays `1.0`, as in a list)
  keepsTypes: true,
  async run(ctx, a) {
    // as Ansible's: below its verbosity (-v count) the task is skipped
    if (a.verbosity !== undefined && a.verbosity !== null && Number(ctx.vars.ansible_verbosity ?? 0) < a.verbosity) return { skipped: true, data: { skipped_reason: 'Verbosity threshold not met.' } };
    if (a.var !== undefined && a.var !== null) {
      let value: unknown;
      try {
        value = ctx.evaluate(a.var);
      } catch (e) {
        // (an undefined variable is shown so; any other error, a filter's, fails the task as ansible-core's debug does)
        if ((e as Error).name !== 'UndefinedVariable') throw e;
        value = 'VARIABLE IS NOT DEFINED!';
      }
      if (value === undefined) value = 'VARIABLE IS NOT DEFINED!';
      // (the Templar's text of an expression: a datetime or timedelta is its str())
      if (value instanceof Date || value instanceof PyTimedelta) value = str(value);
      return { data: { [a.var]: value } };
    }
    return { msg: typeof a.msg === 'string' || a.msg === undefined ? (a.msg ?? 'Hello world!') : repr(a.msg), data: a.msg !== undefined && typeof a.msg !== 'string' ? { msg: a.msg } : {} };
  },
});
