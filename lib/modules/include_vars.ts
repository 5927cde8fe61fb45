import { Type } from '@sinclair/typebox';
import { parse } from 'yaml';
import { isRecord } from '../source/index.js';
import { ControllerFailure, defineModule, ModuleFailure } from './types.js';

const Args = Type.Object(
  {
    file: Type.String({ description: 'A YAML or JSON file on the controller: a role\'s vars/, then beside the task and the playbook.' }),
    name: Type.Optional(Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_]*$', description: 'Put the variables under this one name.' })),
  },
  { additionalProperties: false },
);

/**
 * Ansible's include_vars: the file's variables for the rest of the run on this host, rendered
 * where they are used (so one may refer to another or to a later fact). Their precedence is just
 * below set_fact and registered results, as in ansible-core (include_vars is 16, set_facts 17).
 */
export default defineModule({
  name: 'include_vars',
  kind: 'action',
  description: 'Loads variables from a YAML/JSON file on the controller for the rest of the run on this host.',
  args: Args,
  freeForm: 'file',
  async run(ctx, a) {
    const found = ctx.local.find(a.file, 'vars');
    if (!found) throw new ControllerFailure(`Could not find or access '${a.file}' (looked in vars/ of the role, beside the task and the playbook)`);
    let doc: unknown;
    try {
      doc = parse((await ctx.local.read(found)).toString('utf8'), { maxAliasCount: 1000 }) ?? {};
    } catch (e) {
      throw new ModuleFailure(`${found}: not YAML or JSON: ${(e as Error).message.split('\n')[0]}`);
    }
    if (!isRecord(doc)) throw new ModuleFailure(`${found} must hold a mapping of variables, not ${Array.isArray(doc) ? 'a list' : typeof doc}`);
    const vars = a.name ? { [a.name]: doc } : doc;
    return { changed: false, included: vars, data: { ansible_facts: vars, ansible_included_var_files: [found] } };
  },
});
