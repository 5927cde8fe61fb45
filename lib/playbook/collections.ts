// Roles of installed Ansible collections, named by their FQCN (`ns.coll.role`), found where
// ansible-core's collection loader looks: the playbook's own collections/ folder first, then
// ANSIBLE_COLLECTIONS_PATH (or the older ANSIBLE_COLLECTIONS_PATHS), by default
// ~/.ansible/collections and /usr/share/ansible/collections, then the controller Python's site
// packages (modules/util/collections.ts). Their modules: modules/util/collection-modules.ts.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ansibleModule, collectionDir, FQCN, withActionPlugin } from '../modules/index.js';

/** The folder of the role a FQCN names in an installed collection; undefined when the name is no FQCN or none has it. */
export function collectionRole(name: string, playbookDir: string): string | undefined {
  const m = FQCN.exec(name);
  if (!m) return undefined;
  // (the collection is the first the loader finds, as Python imports a package; its role is there or nowhere)
  const coll = collectionDir(`${m[1]}.${m[2]}`, playbookDir, { site: true });
  const dir = coll === undefined ? undefined : join(coll, 'roles', m[3]);
  return dir !== undefined && existsSync(dir) ? dir : undefined;
}

/**
 * A module a task names that agri-play cannot run, so its task fails where it runs: one of Ansible's
 * collections that agri-play has not and no installed collection gives (another platform's: selinux,
 * firewalld), or an installed collection's with a Python action plugin. Its FQCN, and why.
 */
export function unrunnableModule(name: string, collections: string[] = []): { fqcn: string; why: string } | undefined {
  const plugin = [name, ...(name.includes('.') ? [] : collections.map((c) => `${c}.${name}`))].map(withActionPlugin).find((p) => p !== undefined);
  if (plugin) return { fqcn: `${plugin}, whose Python action plugin agri-play does not run`, why: `module '${name}' has a Python action plugin (${plugin}), which agri-play does not run` };
  const fqcn = ansibleModule(name);
  return fqcn === undefined ? undefined : { fqcn, why: `module '${name}' is Ansible's ${fqcn}, which agri-play does not have` };
}
