import { Type } from '../source/vendor/typebox.js';
import { defineModule } from './types.js';

const Args = Type.Object(
  {
    key: Type.String({ description: 'The group to put the host in (spaces become dashes).' }),
    parents: Type.Optional(Type.Union([Type.String(), Type.Array(Type.String())], { description: 'The groups the new group sits under (default all).' })),
  },
  { additionalProperties: false },
);

/**
 * ansible.builtin.group_by: the host joins a group (made when missing) for the plays after this
 * one, as ansible-core's action; changed when the inventory changed.
 */
export default defineModule({
  name: 'group_by',
  kind: 'action',
  description: 'Puts the host in a group (made when missing, under `parents`) that the plays after this one can name.',
  args: Args,
  freeForm: 'key',
  async run(_ctx, a) {
    const parents = a.parents === undefined ? ['all'] : typeof a.parents === 'string' ? [a.parents] : a.parents;
    const group = a.key.replaceAll(' ', '-');
    const parentGroups = parents.map((p) => p.replaceAll(' ', '-'));
    return { data: { add_group: group, parent_groups: parentGroups }, inventory: { group, parents: parentGroups } };
  },
});
