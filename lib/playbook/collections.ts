// Roles of installed Ansible collections, named by their FQCN (`ns.coll.role`), found where
// ansible-core's collection loader looks: the playbook's own collections/ folder first, then
// ANSIBLE_COLLECTIONS_PATH (or the older ANSIBLE_COLLECTIONS_PATHS), by default
// ~/.ansible/collections and /usr/share/ansible/collections. Only roles: agri-play loads no
// collection's modules or plugins.
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, join } from 'node:path';

const FQCN = /^([A-Za-z_]\w*)\.([A-Za-z_]\w*)\.([A-Za-z_]\w*)$/;

/** The folders collections are installed under, in ansible-core's order. */
export function collectionRoots(playbookDir: string): string[] {
  const env = process.env.ANSIBLE_COLLECTIONS_PATH ?? process.env.ANSIBLE_COLLECTIONS_PATHS;
  const configured = env !== undefined ? env.split(':').filter(Boolean) : [join(homedir(), '.ansible/collections'), '/usr/share/ansible/collections'];
  return [join(playbookDir, 'collections'), ...configured].map((d) => d.replace(/^~(?=\/|$)/, homedir()));
}

/** The folder of the role a FQCN names in an installed collection; undefined when the name is no FQCN or none has it. */
export function collectionRole(name: string, playbookDir: string): string | undefined {
  const m = FQCN.exec(name);
  if (!m) return undefined;
  for (const root of collectionRoots(playbookDir)) {
    // (a path that is itself an ansible_collections folder is taken as its parent, as the loader does)
    const base = basename(root) === 'ansible_collections' ? root : join(root, 'ansible_collections');
    const dir = join(base, m[1], m[2], 'roles', m[3]);
    if (existsSync(dir)) return dir;
  }
  return undefined;
}
