import { Type } from '../source/vendor/typebox.js';
import { defineModule, ModuleFailure } from './types.js';
import { factsResult } from './util/facts-result.js';

const Args = Type.Object(
  {
    database: Type.String({ description: 'passwd, group, hosts, services, … (what getent(1) knows).' }),
    key: Type.Optional(Type.String({ description: 'One entry; without it, the whole database.' })),
    split: Type.Optional(Type.String({ description: "Field separator (default ':' for passwd, shadow, group, gshadow; else whitespace)." })),
    fail_key: Type.Optional(Type.Boolean({ description: 'Fail when the key is not found (default true).' })),
    service: Type.Optional(Type.String({ description: 'getent -s SERVICE.' })),
  },
  { additionalProperties: false },
);

const COLON = new Set(['passwd', 'shadow', 'group', 'gshadow']);

/** Ansible's getent: a database's entries as the fact getent_DATABASE (key → the other fields). */
export default defineModule({
  name: 'getent',
  kind: 'action',
  description: 'Reads a getent(1) database on the host into the fact getent_<database>: each key with its other fields.',
  args: Args,
  async run(ctx, a) {
    const argv = ['getent', ...(a.service ? ['-s', a.service] : []), a.database, ...(a.key !== undefined ? [a.key] : [])];
    const r = await ctx.exec(argv);
    if (r.rc === 1) throw new ModuleFailure('Missing arguments, or database unknown.');
    if (r.rc === 2 && a.key !== undefined && a.fail_key !== false) throw new ModuleFailure('One or more supplied key could not be found in the database.');
    if (r.rc === 3) throw new ModuleFailure('Enumeration not supported on this database.');
    if (r.rc !== 0 && r.rc !== 2) throw new ModuleFailure(`getent: ${r.stderr.trim() || `exit ${r.rc}`}`, { rc: r.rc });
    const sep = a.split ?? (COLON.has(a.database) ? ':' : undefined);
    const entries: Record<string, (string | null)[]> = {};
    for (const line of r.stdout.split('\n').filter(Boolean)) {
      const fields = sep === undefined ? line.trim().split(/\s+/) : line.split(sep);
      entries[fields[0]] = fields.slice(1);
    }
    if (r.rc === 2 && a.key !== undefined) entries[a.key] = null as unknown as string[];
    return factsResult({ [`getent_${a.database}`]: entries });
  },
});
