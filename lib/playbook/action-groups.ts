// Action groups, for `module_defaults: {group/NAME: …}`: the actions a collection's meta/runtime.yml
// lists under `action_groups` (ansible.builtin's in ansible-core's own runtime), resolved as
// ansible-core's Base._resolve_group resolves them. A collection's runtime is read where
// ansible-core's loader finds the collection (the playbook's collections/ folder, then the
// configured paths), else from lib/modules/ansible-groups.json (the `ansible` package's
// collections and ansible-core's runtime, recorded by `npm run record:ansible-names`).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { collectionDir, FQCN, resolveSpec, type ModuleSpec } from '../modules/index.js';
import { BOOLEANS_FALSE, isRecord as isDict, packageRoot } from '../source/index.js';
import { repr } from '../source/python.js';
import { parse } from '../source/vendor/yaml.js';

type Groups = Record<string, unknown>;

let recorded: Record<string, Groups> | undefined;
const recordedGroups = (coll: string): Groups | undefined => {
  recorded ??= (JSON.parse(readFileSync(join(packageRoot, 'lib', 'modules', 'ansible-groups.json'), 'utf8')) as { groups: Record<string, Groups> }).groups;
  return Object.hasOwn(recorded, coll) ? recorded[coll] : undefined;
};

/** A fully qualified collection reference (`ns.coll.name`), as AnsibleCollectionRef.is_valid_fqcr. */
export const isFqcr = (ref: string): boolean => FQCN.test(ref);

/** ansible-core's _validate_action_group_metadata: the warning for a group's odd metadata entry, if any. */
function metadataWarning(entry: unknown, seen: boolean, group: string): string | undefined {
  const out: string[] = [];
  const keys = isDict(entry) ? Object.keys(entry) : [];
  if (!isDict(entry) || !('metadata' in entry) || keys.length !== 1) out.push(`The only expected key is metadata, but got keys: ${[...keys].sort().join(', ')}`);
  else {
    if (seen) out.push('The group contains multiple metadata entries.');
    const meta = entry.metadata;
    if (!isDict(meta)) out.push(`The metadata is not a dictionary. Got ${repr(meta)}`);
    else {
      const odd = Object.keys(meta).filter((k) => k !== 'extend_group');
      if (odd.length) out.push(`The metadata contains unexpected keys: ${odd.join(', ')}`);
      const ext = meta.extend_group;
      if (ext !== undefined && typeof ext !== 'string' && !Array.isArray(ext)) out.push(`The metadata contains unexpected key types: extend_group is ${repr(ext)} (expected type list)`);
    }
  }
  return out.length ? `Invalid metadata was found for action_group ${group} while loading module_defaults. ${out.join(' ')}` : undefined;
}

/** The action groups of one playbook's run: each group's actions (as agri-play's module specs), resolved once. */
export class ActionGroups {
  private readonly actions = new Map<string, Set<ModuleSpec>>();
  private readonly runtimes = new Map<string, Groups | undefined>();

  constructor(
    private readonly playbookDir: string,
    private readonly warn: (msg: string) => void,
  ) {}

  /** A collection's action groups: its installed runtime's, else the recorded ones; undefined for a collection not found. */
  private groupsOf(coll: string): Groups | undefined {
    if (this.runtimes.has(coll)) return this.runtimes.get(coll);
    let found: Groups | undefined;
    const dir = coll === 'ansible.builtin' ? undefined : collectionDir(coll, this.playbookDir);
    if (dir !== undefined) {
      const file = join(dir, 'meta', 'runtime.yml');
      const rt = existsSync(file) ? (parse(readFileSync(file, 'utf8')) as { action_groups?: unknown } | null) : null;
      found = isDict(rt?.action_groups) ? rt.action_groups : {};
    }
    found ??= recordedGroups(coll);
    this.runtimes.set(coll, found);
    return found;
  }

  /**
   * A group's fully qualified name and its actions (a group of its `extend_group` metadata
   * included); undefined where its collection or the group is not found (ansible-core's "could not
   * resolve the module_defaults group").
   */
  resolve(name: string): { fq: string; actions: Set<ModuleSpec> } | undefined {
    const fq = isFqcr(name) ? name : `ansible.builtin.${name}`;
    const known = this.actions.get(fq);
    if (known) return { fq, actions: known };
    const coll = fq.split('.').slice(0, 2).join('.');
    const groups = this.groupsOf(coll);
    if (!groups) return undefined;
    const resource = fq.split(`${coll}.`).at(-1)!;
    const list = Object.hasOwn(groups, fq) ? groups[fq] : Object.hasOwn(groups, resource) ? groups[resource] : undefined;
    if (list === undefined || list === null) return undefined;
    const actions = new Set<ModuleSpec>();
    // (cached before its extended groups are, as ansible-core caches it: groups that extend each other end)
    this.actions.set(fq, actions);
    let extend: unknown[] = [];
    let seenMetadata = false;
    for (const entry of Array.isArray(list) ? list : []) {
      if (typeof entry !== 'string') {
        // (not with ANSIBLE_VALIDATE_ACTION_GROUP_METADATA false, ansible-core's setting)
        const w = BOOLEANS_FALSE.has((process.env.ANSIBLE_VALIDATE_ACTION_GROUP_METADATA ?? '').toLowerCase()) ? undefined : metadataWarning(entry, seenMetadata, fq);
        if (w) this.warn(w);
        const meta = isDict(entry) ? entry.metadata : undefined;
        if (isDict(meta)) {
          seenMetadata = true;
          const ext = meta.extend_group ?? [];
          extend = typeof ext === 'string' ? [ext] : Array.isArray(ext) ? ext : [];
        }
        continue;
      }
      const spec = resolveSpec(isFqcr(entry) ? entry : `${coll}.${entry}`);
      if (spec) actions.add(spec);
    }
    for (const g of extend) {
      if (typeof g !== 'string') continue;
      for (const a of this.resolve(isFqcr(g) ? g : `${coll}.${g}`)?.actions ?? []) actions.add(a);
    }
    return { fq, actions };
  }
}
