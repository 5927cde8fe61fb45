// `agri-play inventory` against ansible-inventory: the inventories of this repository and of
// Ansible's own targets, each printed every way ansible-inventory prints a whole inventory.
// scripts/record-inventory-cli.ts records ansible-inventory's output once
// (test/inventory/cli.expected.json); test/inventory-cli.test.ts compares agri-play's with it.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { root } from './helpers.js';

export const INVENTORY_CLI_EXPECTED = join(root, 'test/inventory/cli.expected.json');

const targets = 'test/third_party/ansible/targets';
/** An inventory (paths from the repository's root) with the options it is read with; `env` set for both tools, `modes` where not all. */
export interface InventoryCase {
  args: string[];
  env?: Record<string, string>;
  modes?: string[][];
}
const cases = (...args: string[][]): InventoryCase[] => args.map((a) => ({ args: a }));
export const INVENTORIES: InventoryCase[] = [
  ...cases(['test/inventory/farm.ini'], ['test/inventory/layers/inv/hosts.yml'], ['test/inventory/layers/inv/hosts.yml', '--playbook-dir', 'test/inventory/layers/pb'], ['test/inventory/order.yaml']),
  ...cases(...['edge', 'cloud', 'local'].map((i) => [`inventories/${i}.yaml`])),
  ...cases(['test/third_party/ansible/inventory'], [`${targets}/inventory_yaml/test.yml`], [`${targets}/handlers/inventory.handlers`]),
  ...cases(
    ...readdirSync(join(root, targets))
      .filter((t) => readdirSync(join(root, targets, t)).includes('inventory'))
      .map((t) => [`${targets}/${t}/inventory`]),
  ),
  ...cases(...['inventory.yml', 'inventory_new.yml', 'inventory_old.yml', 'inventory_refresh.yml'].map((f) => [`${targets}/meta_tasks/${f}`])),
  // (INI values of every literal kind, ranges, `host:port`, group priorities, quoting and comments as shlex reads them, group names in Unicode, IPv6 addresses with and without a port, a host's `:port` under its written ansible_port, a child declared after its parent; a folder — `hosts` in INI without an extension, YAML, JSON, a sub-folder, files ansible-core ignores —; YAML nested groups, dates, group_vars/ files and folders, JSON, host_vars, under both hash behaviours)
  ...cases(['test/inventory/cli/probe.ini'], ['test/inventory/cli/quoting.ini'], ['test/inventory/cli/comments.ini'], ['test/inventory/cli/addresses.ini'], ['test/inventory/cli/ports.yml'], ['test/inventory/cli/folder'], ['test/inventory/cli/layered/hosts.yml']),
  // (a folder: hosts, then ansible.builtin.constructed over them — compose, groups, keyed_groups with prefix, separator, parent_group, default_value, leading_separator —, group_vars of a group it makes)
  ...cases(['test/inventory/cli/constructed']),
  // (Ansible's own inventory_constructed target: each of its runme.sh's pairs of sources)
  ...cases(
    ...[
      ['static_inventory.yml', 'constructed.yml'],
      ['static_inventory.yml', 'no_leading_separator_constructed.yml'],
      ...['default_value', 'list_default_value', 'str_default_value', 'trailing_separator'].map((k) => ['tag_inventory.yml', `keyed_group_${k}.yml`]),
      ['invs/1/one.yml', 'invs/2/constructed.yml'],
    ].map(([a, b]) => [`${targets}/inventory_constructed/${a}`, '-i', `${targets}/inventory_constructed/${b}`]),
  ),
  { args: ['test/inventory/cli/layered/hosts.yml'], env: { ANSIBLE_HASH_BEHAVIOUR: 'merge' } },
  // (group names with characters ansible-core finds invalid — `-`, `.`, a space, a leading digit, Unicode words —, and two that are one
  // after the replacement, under each force_valid_group_names; Ansible's inventory-invalid-group target's inventory)
  ...['never', 'always', 'ignore', 'silently'].flatMap((m) =>
    ['test/inventory/cli/group-names.ini', 'test/inventory/cli/group-names.yml', `${targets}/inventory-invalid-group/inventory.ini`].map((f) => ({ args: [f], env: { ANSIBLE_TRANSFORM_INVALID_GROUP_CHARS: m }, modes: [['--list'], ['--graph', '--vars']] })),
  ),
  // (a host list, `-i 'a,b:port,'`: its hosts in `ungrouped`, under `all`; with advanced_host_list enabled, a range expanded)
  { args: ['web1,web2:2222,[2001:db8::1]:22'], modes: [['--list'], ['--graph', '--vars']] },
  { args: ['web[1:3],'], env: { ANSIBLE_INVENTORY_ENABLED: 'advanced_host_list,host_list,yaml,ini' }, modes: [['--list'], ['--graph']] },
  // (a host list before a file, and after one naming a host of it: the sources read in the order given)
  { args: ['web1,', '-i', 'test/inventory/farm.ini'], modes: [['--list'], ['--graph']] },
  { args: ['test/inventory/farm.ini', '-i', 'web1,edge-gw'], modes: [['--list'], ['--graph']] },
  // (constructed over hosts named by an address or a dotted name: the magic variables it sees, inventory_hostname_short whole for an
  // address, group_names as the sources before it made them — `ungrouped` only where a source put the host there itself, as a host list does)
  ...cases(['test/inventory/cli/magic']),
  { args: ['web_host.example.com,', '-i', `${targets}/inventory/1/2/inventory.yml`], modes: [['--list'], ['--graph', '--vars']] },
  // (a !vault value: its ciphertext in --list; --graph --vars would decrypt it, and prints no secret)
  { args: ['test/inventory/cli/vault.yml'], modes: [['--list'], ['--list', '--yaml'], ['--list', '--export']] },
];

/** The ways each is printed. */
export const MODES: string[][] = [['--list'], ['--list', '--yaml'], ['--list', '--export'], ['--list', '--yaml', '--export'], ['--graph', '--vars'], ['--graph', '--vars', '--export']];

/** What agri-play prints differently, on purpose: an INI value that is a Python tuple is a list (as a play sees it), so --graph --vars prints [3, 4] where ansible-inventory prints (3, 4). */
export const KNOWN: Record<string, string> = {
  'test/inventory/farm.ini --graph --vars': 'tuples as lists',
  'test/inventory/farm.ini --graph --vars --export': 'tuples as lists',
};

export const caseName = (c: InventoryCase, mode: string[]): string => [...Object.entries(c.env ?? {}).map(([k, v]) => `${k}=${v}`), ...c.args, ...mode].join(' ');
export type Printed = { stdout: string; code: number };
