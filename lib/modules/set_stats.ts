import { Type } from '../source/vendor/typebox.js';
import { yes } from '../source/index.js';
import { isDict } from '../source/python.js';
import { defineModule, ModuleFailure } from './types.js';

const Args = Type.Object(
  {
    data: Type.Optional(Type.Unknown({ description: 'The statistics to set, name: value (a dict).' })),
    // (anything: ansible-core reads a value that is no boolean as false, boolean(strict=False))
    per_host: Type.Optional(Type.Unknown({ description: 'Kept for each host that runs the task, else for the whole run (the default).' })),
    aggregate: Type.Optional(Type.Unknown({ description: 'Added to what an earlier set_stats set (numbers added, lists joined, dicts merged: the default), else replacing it.' })),
  },
  { additionalProperties: false },
);

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * ansible-core's set_stats: custom statistics, kept by the run (for the whole run or per host) and
 * shown after the recap where ansible.cfg's show_custom_stats (ANSIBLE_SHOW_CUSTOM_STATS) says so.
 */
export default defineModule({
  name: 'set_stats',
  kind: 'action',
  description: 'Sets custom statistics of the run, shown after the recap (show_custom_stats) and in the --json recap.',
  args: Args,
  keepsTypes: true,
  async run(_ctx, a) {
    const data = a.data ?? {};
    if (!isDict(data)) throw new ModuleFailure("The 'data' option needs to be a dictionary/hash");
    for (const k of Object.keys(data)) if (!NAME.test(k)) throw new ModuleFailure(`The variable name '${k}' is not valid. Variables must start with a letter or underscore character, and contain only letters, numbers and underscores.`);
    const flag = (v: unknown, dflt: boolean) => (v === undefined || v === null ? dflt : yes(typeof v === 'string' ? v.trim() : v));
    const stats = { data, per_host: flag(a.per_host, false), aggregate: flag(a.aggregate, true) };
    return { changed: false, stats, data: { ansible_stats: stats } };
  },
});
