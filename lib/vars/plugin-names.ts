// The names filters and tests answer to, as ansible-core 2.14 has them, and its words for one that is not there.
import { repr } from '../source/python.js';

/** The collections whose filters and tests agri-play has (besides ansible.builtin's) answer by their FQCN too. */
const FQCN = ['ansible.utils.', 'community.general.', 'ansible.netcommon.'];
/**
 * ansible-core 2.14's own filters and tests (its plugins' FilterModule and TestModule): the names
 * `ansible.builtin.NAME` reaches. Jinja's builtins (`default`, `lower`, `defined`) have no such name
 * there: `x | ansible.builtin.default` fails to load, as under ansible-core.
 */
const BUILTIN_FILTERS = new Set('b64decode b64encode basename bool checksum combinations combine comment dict2items difference dirname expanduser expandvars extract fileglob flatten from_json from_yaml from_yaml_all hash human_readable human_to_bytes intersect items2dict log mandatory md5 password_hash path_join permutations pow product quote random realpath regex_escape regex_findall regex_replace regex_search rekey_on_member relpath root sha1 shuffle split splitext strftime subelements symmetric_difference ternary to_datetime to_json to_nice_json to_nice_yaml to_uuid to_yaml type_debug union unique unvault urldecode urlsplit vault win_basename win_dirname win_splitdrive zip zip_longest'.split(' '));
const BUILTIN_TESTS = new Set('abs all any change changed contains directory exists failed failure falsy file finished is_abs is_dir is_file is_link is_mount is_same_file isnan issubset issuperset link link_exists match mount nan reachable regex same_file search skip skipped started subset succeeded success successful superset truthy unreachable uri url urn vault_encrypted version version_compare'.split(' '));
/** The names a plugin answers to: its own; `ansible.builtin.` for ansible-core's; a collection's FQCN for the other Ansible ones agri-play has (not Jinja's builtins). */
export const namesOf = (name: string, kind: 'filter' | 'test', ansible: Record<string, unknown>): string[] => [name, ...((kind === 'filter' ? BUILTIN_FILTERS : BUILTIN_TESTS).has(name) ? ['ansible.builtin.'] : name in ansible ? FQCN : []).map((p) => p + name)];

/** Collections whose plugins a missing one is looked for in (an FQCN of another: ansible-core finds no such collection). */
const COLLECTIONS = new Set(['ansible.builtin', 'ansible.legacy', ...FQCN.map((p) => p.slice(0, -1))]);

/**
 * ansible-core's message for a filter or test that is not there (its JinjaPluginIntercept): `Could
 * not load "NAME": ` and the plugin loader's KeyError. Used in the template itself (`x | NAME`, `x
 * is NAME`), Jinja's compile fails and do_template says so with the template's text; named at run
 * time (`select('NAME')`), the TemplateSyntaxError is raised as it is (Jinja's str() of it adds
 * its line, 0).
 */
export function pluginNotLoaded(name: string, src: string, shown: string): string {
  const parts = name.split('.');
  const collection = parts.slice(0, 2).join('.');
  const why =
    parts.length === 1 ? (/^\w+$/u.test(name) ? name : `invalid plugin name: ansible.builtin.${name}`) : parts.length === 2 ? `invalid plugin name: ${name}` : COLLECTIONS.has(collection) ? name : `Invalid plugin FQCN (${name}): unable to locate collection ${collection}`;
  const cl = `Could not load "${name}": ${repr(why)}`;
  const esc = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const inTemplate = new RegExp(`(\\|\\s*|\\bis\\s+(not\\s+)?)${esc}(?![\\w.])`).test(src);
  return inTemplate ? `template error while templating string: ${cl}. String: ${shown}. ${cl}` : `TemplateSyntaxError: ${cl}\n  line 0`;
}
