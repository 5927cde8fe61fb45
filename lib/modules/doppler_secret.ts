import { Type } from '../source/vendor/typebox.js';
import { defineModule, ModuleFailure } from './types.js';

const Args = Type.Object(
  {
    name: Type.String({ pattern: '^[A-Z0-9_]+$', description: 'Secret name (upper case, digits, _).' }),
    value: Type.Optional(Type.String({ description: 'The value it should have (never shown).' })),
    state: Type.Optional(Type.Union([Type.Literal('present'), Type.Literal('absent')])),
    project: Type.Optional(Type.String({ description: 'Doppler project (a service token implies it).' })),
    config: Type.Optional(Type.String({ description: 'Doppler config (a service token implies it).' })),
  },
  { additionalProperties: false },
);

const HIDDEN = '(secret)';

export default defineModule({
  name: 'doppler_secret',
  kind: 'state',
  description: 'Sets (or removes) a secret in Doppler, only when it differs. The value is never shown.',
  args: Args,
  async check(ctx, a) {
    if (!ctx.secrets) throw new ModuleFailure('no secret store: set DOPPLER_TOKEN');
    const scope = { project: a.project, config: a.config };
    if (a.value !== undefined) ctx.secrets.protect(a.value);
    const have = await ctx.secrets.get(a.name, scope);
    if ((a.state ?? 'present') === 'absent') return have === undefined ? { kind: 'ok', why: `${a.name} is not in Doppler` } : { kind: 'remove', target: `doppler:${a.name}` };
    if (a.value === undefined) throw new ModuleFailure('value is required with state=present');
    if (have === a.value) return { kind: 'ok', why: `${a.name} is up to date in Doppler` };
    return { kind: have === undefined ? 'create' : 'modify', target: `doppler:${a.name}`, fields: [{ path: 'value', from: have === undefined ? null : HIDDEN, to: HIDDEN }] };
  },
  async apply(ctx, a, diff) {
    await ctx.secrets!.set(a.name, diff.kind === 'remove' ? null : a.value!, { project: a.project, config: a.config });
  },
});
