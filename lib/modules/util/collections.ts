// Where ansible-core's collection loader finds an installed collection: the playbook's own
// collections/ folder first, then ANSIBLE_COLLECTIONS_PATH (or the older ANSIBLE_COLLECTIONS_PATHS),
// by default ~/.ansible/collections and /usr/share/ansible/collections; and for a module, last, the
// controller Python's site packages, where the `ansible` package installs its collections (the
// loader's sys.path scan, ANSIBLE_COLLECTIONS_SCAN_SYS_PATH).
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { ansibleRoot } from './ansiballz.js';
import { BOOLEANS_FALSE } from '../../source/index.js';

/** A fully qualified collection reference (`ns.coll.name`, the name maybe dotted), as AnsibleCollectionRef.is_valid_fqcr: its namespace, collection and name. */
export const FQCN = /^([A-Za-z_]\w*)\.([A-Za-z_]\w*)\.(\w+(?:\.\w+)*)$/;

/** The folders collections are installed under, in ansible-core's order. */
export function collectionRoots(playbookDir: string): string[] {
  const env = process.env.ANSIBLE_COLLECTIONS_PATH ?? process.env.ANSIBLE_COLLECTIONS_PATHS;
  const configured = env !== undefined ? env.split(':').filter(Boolean) : [join(homedir(), '.ansible/collections'), '/usr/share/ansible/collections'];
  return [join(playbookDir, 'collections'), ...configured].map((d) => d.replace(/^~(?=\/|$)/, homedir()));
}

/** A root's `ansible_collections` folder (a root that is one is taken as it is, as the loader does). */
export const collectionsFolder = (root: string): string => (basename(root) === 'ansible_collections' ? root : join(root, 'ansible_collections'));

/**
 * The folder of an installed collection (`ns.coll`), the first of the roots that has it; `site`:
 * the controller Python's site packages after them. Undefined where none has it.
 */
export function collectionDir(name: string, playbookDir: string, o: { site?: boolean } = {}): string | undefined {
  const [ns, coll] = name.split('.');
  for (const root of collectionRoots(playbookDir)) {
    const dir = join(collectionsFolder(root), ns, coll);
    if (existsSync(dir)) return dir;
  }
  // (not with ANSIBLE_COLLECTIONS_SCAN_SYS_PATH false, as ansible-core's COLLECTIONS_SCAN_SYS_PATH)
  const site = o.site && !BOOLEANS_FALSE.has((process.env.ANSIBLE_COLLECTIONS_SCAN_SYS_PATH ?? '').toLowerCase()) ? ansibleRoot() : null;
  const dir = site === null ? undefined : join(site, 'ansible_collections', ns, coll);
  return dir !== undefined && existsSync(dir) ? dir : undefined;
}

/** The folder a collection's folder is under (the one holding its `ansible_collections`): Python's import root for it. */
export const importRootOf = (dir: string): string => dirname(dirname(dirname(dir)));
