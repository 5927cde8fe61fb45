// Roles of installed Ansible collections, named by their FQCN (`ns.coll.role`), found where
// ansible-core's collection loader looks: the playbook's own collections/ folder first, then
// ANSIBLE_COLLECTIONS_PATH (or the older ANSIBLE_COLLECTIONS_PATHS), by default
// ~/.ansible/collections and /usr/share/ansible/collections (modules/util/collections.ts). Their
// modules: modules/util/collection-modules.ts.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { collectionRoots, collectionsFolder } from '../modules/index.js';

const FQCN = /^([A-Za-z_]\w*)\.([A-Za-z_]\w*)\.([A-Za-z_]\w*)$/;

/** The folder of the role a FQCN names in an installed collection; undefined when the name is no FQCN or none has it. */
export function collectionRole(name: string, playbookDir: string): string | undefined {
  const m = FQCN.exec(name);
  if (!m) return undefined;
  for (const root of collectionRoots(playbookDir)) {
    const dir = join(collectionsFolder(root), m[1], m[2], 'roles', m[3]);
    if (existsSync(dir)) return dir;
  }
  return undefined;
}
