// `agri-play inventory`: what agri-play makes of an inventory, printed as ansible-inventory prints
// it (--list as JSON or YAML, --host, --graph with --vars, --export), so the two can be compared
// byte for byte (test/inventory-cli.test.ts against recorded ansible-inventory output).
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Exit, InputError, UsageError } from '../errors.js';
import { addImplicitLocalhost, inventoryVars, readVarDir, selectHosts, setGroupChars, varDirsInOrder, type Group, type Host, type Inventory, type Vars } from '../inventory/index.js';
import { ansibleSettings, combineVars, setDuplicateKeys, setHashMerge, takeYamlWarnings, vaultFailure, type Problem } from '../source/index.js';
import { pyJson } from '../source/pyjson.js';
import { str } from '../source/python.js';
import { pyyamlDump } from '../vars/jinja/pyyaml-dump.js';
import { formatWarning } from '../report/index.js';
import type { Redactor } from '../vars/index.js';
import { inventoriesFrom } from './inventories.js';
import { setupVault } from './vault.js';
import type { Output } from './output.js';

/** ansible-inventory's INTERNAL_VARS: magic variables it leaves out of what it prints. */
const INTERNAL = ['ansible_diff_mode', 'ansible_config_file', 'ansible_facts', 'ansible_forks', 'ansible_inventory_sources', 'ansible_limit', 'ansible_playbook_python', 'ansible_run_tags', 'ansible_skip_tags', 'ansible_verbosity', 'ansible_version', 'inventory_dir', 'inventory_file', 'inventory_hostname', 'inventory_hostname_short', 'groups', 'group_names', 'omit', 'playbook_dir'];

const OPTIONS = {
  inventory: { type: 'string', short: 'i', multiple: true },
  list: { type: 'boolean' },
  host: { type: 'string' },
  graph: { type: 'boolean' },
  vars: { type: 'boolean' },
  yaml: { type: 'boolean', short: 'y' },
  export: { type: 'boolean' },
  'playbook-dir': { type: 'string' },
  output: { type: 'string' },
  'vault-id': { type: 'string', multiple: true },
  'vault-password-file': { type: 'string', multiple: true },
  'ask-vault-pass': { type: 'boolean', short: 'J' },
} as const;

interface Shown {
  inv: Inventory;
  export: boolean;
}

/** `agri-play inventory -i INV (--list [--yaml] [--export] | --host HOST | --graph [GROUP] [--vars]) [--playbook-dir DIR] [--output FILE]`. */
export async function inventoryCommand(argv: string[], o: Output, cwd: string, redactor: Redactor): Promise<number> {
  let args: ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>;
  try {
    args = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true });
  } catch (e) {
    throw new UsageError(`${(e as Error).message} (agri-play inventory --help)`);
  }
  const v = args.values;
  const modes = [v.list, v.host !== undefined, v.graph].filter(Boolean).length;
  if (modes !== 1) throw new UsageError('agri-play inventory needs one of --list, --host HOST or --graph [GROUP]');
  if (args.positionals.length > (v.graph ? 1 : 0)) throw new UsageError(`unexpected argument: ${args.positionals.join(' ')}`);
  // (ansible.cfg and ANSIBLE_*: its inventory where no -i names one, its hash_behaviour for the merges)
  const cfg = ansibleSettings(cwd);
  setHashMerge(cfg.hashMerge);
  setDuplicateKeys(cfg.duplicateKeys);
  setGroupChars(cfg.groupChars);
  // (a `!vault` value's text: --graph --vars prints it — the redactor hides it —, --list its ciphertext)
  await setupVault({ vaultId: v['vault-id'] ?? [], vaultPasswordFile: v['vault-password-file'] ?? [], askVaultPass: Boolean(v['ask-vault-pass']) }, cfg, cwd, redactor);
  const { inventory: inv, warnings } = inventoriesFrom(v.inventory?.length ? v.inventory : cfg.inventory, cwd, cfg.inventoryEnabled);
  for (const w of warnings) o.error(`[WARNING]: ${w}`);
  if (v['playbook-dir']) {
    const problems: Problem[] = [];
    readVarDir(inv, resolve(cwd, v['playbook-dir']), true, problems);
    if (problems.length) throw new InputError(problems);
  }
  for (const w of takeYamlWarnings()) o.error(formatWarning(w));
  const s: Shown = { inv, export: Boolean(v.export) };
  let text: string;
  if (v.host !== undefined) {
    addImplicitLocalhost(inv, v.host);
    const hosts = selectHosts(inv, v.host).hosts;
    if (hosts.length !== 1) throw new UsageError('You must pass a single valid host to --host parameter');
    text = dump(hostVars(s, inv.hosts.get(hosts[0])!), Boolean(v.yaml));
  } else if (v.graph) {
    const start = inv.groups.get(args.positionals[0] ?? 'all');
    if (!start) throw new UsageError('Pattern must be valid group name when using --graph');
    text = graph(s, start, 0, Boolean(v.vars)).join('\n');
  } else text = dump(v.yaml ? yamlList(s, inv.groups.get('all')!, new Set()) : jsonList(s), Boolean(v.yaml));
  // (a file as the terminal: a decrypted secret never written, --graph --vars's own)
  if (v.output) writeFileSync(resolve(cwd, v.output), redactor.redact(text));
  // (as Display.display: a text's own last newline is the line's)
  else o.line(text.endsWith('\n') ? text.slice(0, -1) : text);
  return Exit.ok;
}

/** json.dumps(sort_keys=True, indent=4, ensure_ascii=False) with AnsibleJSONEncoder (a `!vault` value as its ciphertext), or yaml.dump(default_flow_style=False, allow_unicode=True), as ansible-inventory's dump. */
function dump(data: unknown, yaml: boolean): string {
  return yaml ? pyyamlDump(data, { defaultFlowStyle: false, allowUnicode: true }) : pyJson(data, { indent: 4, sortKeys: true, ensureAscii: false, separators: [',', ': '], vaultToText: false });
}

const withoutInternal = (vars: Vars): Vars => {
  const out = { ...vars };
  for (const k of INTERNAL) delete out[k];
  return out;
};

/** A host's variables: merged from its groups (VariableManager.get_vars), or with --export its own and its host_vars only. */
function hostVars(s: Shown, h: Host): Vars {
  if (!s.export) return withoutInternal(inventoryVars(s.inv, h));
  return withoutInternal(combineVars(h.vars, ...varDirsInOrder(s.inv).map((d) => d.hosts.get(h.name)?.vars)));
}

/** A group's own variables and its group_vars (ansible_group_priority where it is not 1), as _get_group_variables. */
function groupVars(s: Shown, g: Group): Vars {
  const out = combineVars(g.vars, ...varDirsInOrder(s.inv).map((d) => d.groups.get(g.name)?.vars));
  const priority = s.inv.priorities?.get(g.name);
  if (priority !== undefined && priority !== 1) out.ansible_group_priority = priority;
  return withoutInternal(out);
}

/** Leaves out hosts, vars and children that are empty, as _remove_empty. */
function dropEmpty(body: Record<string, unknown>): Record<string, unknown> {
  for (const k of ['hosts', 'vars', 'children']) {
    const x = body[k];
    if (x !== undefined && (Array.isArray(x) ? x.length === 0 : Object.keys(x as object).length === 0)) delete body[k];
  }
  return body;
}

/** A group's children in ansible-core's order: `ungrouped` is `all`'s first, as InventoryData makes it. */
const childrenOf = (g: Group): string[] => (g.name === 'all' && g.children.includes('ungrouped') ? ['ungrouped', ...g.children.filter((c) => c !== 'ungrouped')] : g.children);

/** ansible-inventory's json_inventory: each group once (hosts, children), then _meta.hostvars of the hosts that have any. */
function jsonList(s: Shown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const seen = new Set<string>();
  const walk = (g: Group): void => {
    const body: Record<string, unknown> = {};
    if (g.name !== 'all') body.hosts = [...g.hosts];
    body.children = childrenOf(g);
    out[g.name] = body;
    for (const c of childrenOf(g)) {
      if (seen.has(c)) continue;
      walk(s.inv.groups.get(c)!);
      seen.add(c);
    }
    if (s.export) body.vars = groupVars(s, g);
    dropEmpty(body);
    if (!Object.keys(body).length) delete out[g.name];
  };
  walk(s.inv.groups.get('all')!);
  const hostvars: Record<string, Vars> = {};
  for (const h of s.inv.hosts.values()) {
    if (s.inv.implicit?.has(h.name)) continue;
    const vars = hostVars(s, h);
    if (Object.keys(vars).length) hostvars[h.name] = vars;
  }
  out._meta = { hostvars };
  return out;
}

/** ansible-inventory's yaml_inventory: groups nested under their parents, a host's variables where it is first listed. */
function yamlList(s: Shown, g: Group, seen: Set<string>): Record<string, unknown> {
  const body: Record<string, unknown> = { children: {} };
  for (const c of childrenOf(g)) if (c !== 'all') Object.assign(body.children as object, yamlList(s, s.inv.groups.get(c)!, seen));
  const hosts: Record<string, Vars> = {};
  if (g.name !== 'all')
    for (const h of g.hosts) {
      hosts[h] = seen.has(h) ? {} : hostVars(s, s.inv.hosts.get(h)!);
      seen.add(h);
    }
  body.hosts = hosts;
  if (s.export) {
    const vars = groupVars(s, g);
    if (Object.keys(vars).length) body.vars = vars;
  }
  return { [g.name]: dropEmpty(body) };
}

const graphLine = (name: string, depth: number): string => (depth ? '  |'.repeat(depth) + '--' + name : name);
const varLines = (vars: Vars, depth: number): string[] =>
  Object.keys(vars)
    .sort()
    .map((k) => {
      // (str() of a !vault value decrypts it: without its secret, ansible-inventory's error)
      const failed = vaultFailure(vars[k]);
      if (failed) throw new UsageError(failed);
      return graphLine(`{${k} = ${str(vars[k])}}`, depth);
    });

/** ansible-inventory's --graph: `@group:` lines, children then hosts, indented by `  |`; with --vars each host's and group's variables. */
function graph(s: Shown, g: Group, depth: number, vars: boolean): string[] {
  const out = [graphLine(`@${g.name}:`, depth)];
  for (const c of childrenOf(g)) out.push(...graph(s, s.inv.groups.get(c)!, depth + 1, vars));
  if (g.name !== 'all')
    for (const h of g.hosts) {
      out.push(graphLine(h, depth + 1));
      if (vars) out.push(...varLines(hostVars(s, s.inv.hosts.get(h)!), depth + 2));
    }
  if (vars) out.push(...varLines(groupVars(s, g), depth + 1));
  return out;
}
