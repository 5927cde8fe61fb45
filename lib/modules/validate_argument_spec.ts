import { Type } from '../source/vendor/typebox.js';
import { isDict, pyType } from '../source/python.js';
import { argSpecErrors, type ArgSpec } from './util/argspec.js';
import { defineModule } from './types.js';

const Args = Type.Object(
  {
    argument_spec: Type.Unknown({ description: 'The options: name → {type, required, default, choices, elements, options, aliases, …}, as a role’s meta/argument_specs writes them.' }),
    provided_arguments: Type.Optional(Type.Unknown({ description: 'Values checked over the variables of the same names.' })),
    validate_args_context: Type.Optional(Type.Unknown({ description: 'Returned as it is: what the check was for.' })),
  },
  { additionalProperties: false },
);

/**
 * ansible-core's validate_argument_spec action (the task a role with meta/argument_specs starts
 * with): the task's variables named in the spec, `provided_arguments` over them, checked as
 * ArgumentSpecValidator checks them (lib/modules/util/argspec.ts).
 */
export default defineModule({
  name: 'validate_argument_spec',
  kind: 'action',
  description: 'Checks variables and given arguments against an argument spec.',
  args: Args,
  keepsTypes: true,
  async run(ctx, a) {
    const context = a.validate_args_context ?? {};
    if (!isDict(a.argument_spec)) return { failed: true, msg: `Incorrect type for argument_spec, expected dict and got <class '${pyType(a.argument_spec)}'>`, data: { validate_args_context: context } };
    const provided = a.provided_arguments ?? {};
    if (!isDict(provided)) return { failed: true, msg: `Incorrect type for provided_arguments, expected dict and got <class '${pyType(provided)}'>`, data: { validate_args_context: context } };
    const spec = a.argument_spec as ArgSpec;
    const fromVars = Object.fromEntries(Object.keys(spec).filter((k) => k in ctx.vars).map((k) => [k, ctx.evaluate(k)]));
    const errors = argSpecErrors(spec, { ...fromVars, ...provided });
    if (errors.length) return { failed: true, msg: `Validation of arguments failed:\n${errors.join('\n')}`, data: { validate_args_context: context, argument_spec_data: spec, argument_errors: errors } };
    return { msg: 'The arg spec validation passed', data: { validate_args_context: context } };
  },
});
