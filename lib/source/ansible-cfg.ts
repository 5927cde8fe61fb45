import { existsSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { yes } from './data.js';

/** The become keywords' defaults: ansible.cfg's [privilege_escalation], then ansible-playbook's options over them. */
export interface BecomeDefaults {
  become?: boolean;
  user?: string;
  method?: string;
  flags?: string;
  askPass?: boolean;
  /** -K's answer (a secret). */
  password?: string;
}

/** What agri-play takes from ansible.cfg and ANSIBLE_* variables (the settings it has). */
export interface AnsibleSettings {
  /** The file read, if any. */
  file?: string;
  become: BecomeDefaults;
  /** implicit (gather unless gather_facts: false, the default), explicit (only with gather_facts: true), smart (as implicit). */
  gathering: 'implicit' | 'explicit' | 'smart';
  rolesPath: string[];
  /** library (ANSIBLE_LIBRARY): module folders, after the playbook's and roles' library/. */
  library: string[];
  inventory: string[];
  /** [inventory] enable_plugins (ANSIBLE_INVENTORY_ENABLED): the inventory plugins in the order they are tried (advanced_host_list before host_list expands a host list's ranges). */
  inventoryEnabled: string[];
  forks?: number;
  hostKeyChecking?: boolean;
  timeout?: number;
  remoteUser?: string;
  /** remote_port (ANSIBLE_REMOTE_PORT): the ssh port of a host without ansible_port. */
  remotePort?: number;
  privateKeyFile?: string;
  /** [ssh_connection] ssh_args: the ssh command line's first options (its `-o` ones are read: UserKnownHostsFile, StrictHostKeyChecking). */
  sshArgs?: string;
  forceHandlers?: boolean;
  /** error_on_missing_handler (ANSIBLE_ERROR_ON_MISSING_HANDLER): a notify naming no handler is an error (true, ansible-core's default) or a warning. */
  errorOnMissingHandler?: boolean;
  /** any_errors_fatal (ANSIBLE_ANY_ERRORS_FATAL): every play's, unless it sets its own. */
  anyErrorsFatal?: boolean;
  /** inject_facts_as_vars: facts are also variables of their own (`ansible_hostname`), not only under `ansible_facts`. */
  injectFacts: boolean;
  /** jinja2_native: templated values are the Python values their text spells. */
  jinja2Native: boolean;
  /** no_log: every task's no_log unless it (or a block or play around it) says otherwise. */
  noLog: boolean;
  /** private_role_vars: a role's vars are its own tasks' only, not the whole play's. */
  privateRoleVars: boolean;
  /** show_custom_stats: set_stats' statistics are shown after the recap. */
  showCustomStats: boolean;
  /** facts_modules: the modules gather_facts runs (`smart`: setup). */
  factsModules: string[];
  /** TAGS_RUN and TAGS_SKIP: ansible-playbook's --tags and --skip-tags add to these. */
  runTags: string[];
  skipTags: string[];
  /** hash_behaviour = merge: a dict variable over a dict of the same name merges into it (every layer), not replaces it. */
  hashMerge: boolean;
  /** duplicate_dict_key: a YAML mapping's key written twice is warned of (the last value kept), refused, or passed over. */
  duplicateKeys: 'warn' | 'error' | 'ignore';
  /** force_valid_group_names: a group name's invalid characters kept with a warning (never), kept (ignore), replaced by `_` with a warning (always), or replaced (silently). */
  groupChars: 'never' | 'always' | 'ignore' | 'silently';
  factCache: FactCacheSettings;
  /** vault_password_file: a file (or script) with the vault password. */
  vaultPasswordFile?: string;
  /** vault_identity_list: `label@source` vault ids. */
  vaultIdentityList: string[];
  /** ask_vault_pass: ask for the vault password at the terminal. */
  askVaultPass: boolean;
  /** gather_subset, gather_timeout, fact_path (ANSIBLE_GATHER_SUBSET, _GATHER_TIMEOUT, _FACT_PATH): the implicit fact gathering's defaults. */
  gatherDefaults: { gather_subset?: string[]; gather_timeout?: number; fact_path?: string };
  /** executable (ANSIBLE_EXECUTABLE): the play context's shell (ansible_shell_executable's default), which the shell module runs its command with. */
  executable?: string;
  /** strategy (ANSIBLE_STRATEGY): the strategy of a play that names none; one agri-play does not have (mitogen_linear) is named in the warning and linear kept. */
  strategy?: 'linear' | 'free' | 'host_pinned';
  /** ansible_managed (DEFAULT_MANAGED_STR, no environment variable): the template module's `ansible_managed`, formatted with {host}, {uid}, {file} and the template's time. */
  ansibleManaged?: string;
  /** playbook_dir (ANSIBLE_PLAYBOOK_DIR): an ad hoc command's playbook folder (its `playbook_dir`, where it looks for files), unless --playbook-dir. */
  playbookDir?: string;
  /** localhost_warning (ANSIBLE_LOCALHOST_WARNING): an ad hoc command on an inventory with no hosts says only the implicit localhost is there. */
  localhostWarning: boolean;
  /** stdout_callback with bin_ansible_callbacks (ANSIBLE_STDOUT_CALLBACK, ANSIBLE_LOAD_CALLBACK_PLUGINS): an ad hoc command's callback (oneline or minimal), where set and loaded. */
  adhocCallback?: string;
  /** task_timeout (ANSIBLE_TASK_TIMEOUT): an ad hoc command's --task-timeout, unless given. */
  taskTimeout?: number;
  /** Settings found that agri-play does not have: each is named in a warning. */
  ignored: string[];
}

/** ansible.cfg's fact_caching settings (ANSIBLE_CACHE_PLUGIN*): where host facts outlive a run. */
export interface FactCacheSettings {
  /** jsonfile: one JSON file per host in `connection`; memory (the default): this run only. */
  plugin: 'memory' | 'jsonfile';
  connection?: string;
  prefix: string;
  /** Seconds a cached host stays valid (0: forever); ansible-core's default is 86400. */
  timeout: number;
}

/** [defaults] keys and their ANSIBLE_* variables, as ansible-core names them. */
const KNOWN: Record<string, string> = {
  gathering: 'ANSIBLE_GATHERING',
  roles_path: 'ANSIBLE_ROLES_PATH',
  library: 'ANSIBLE_LIBRARY',
  inventory: 'ANSIBLE_INVENTORY',
  forks: 'ANSIBLE_FORKS',
  host_key_checking: 'ANSIBLE_HOST_KEY_CHECKING',
  timeout: 'ANSIBLE_TIMEOUT',
  remote_user: 'ANSIBLE_REMOTE_USER',
  remote_port: 'ANSIBLE_REMOTE_PORT',
  private_key_file: 'ANSIBLE_PRIVATE_KEY_FILE',
  // ([ssh_connection]'s)
  ssh_args: 'ANSIBLE_SSH_ARGS',
  force_handlers: 'ANSIBLE_FORCE_HANDLERS',
  any_errors_fatal: 'ANSIBLE_ANY_ERRORS_FATAL',
  error_on_missing_handler: 'ANSIBLE_ERROR_ON_MISSING_HANDLER',
  inject_facts_as_vars: 'ANSIBLE_INJECT_FACT_VARS',
  jinja2_native: 'ANSIBLE_JINJA2_NATIVE',
  private_role_vars: 'ANSIBLE_PRIVATE_ROLE_VARS',
  hash_behaviour: 'ANSIBLE_HASH_BEHAVIOUR',
  duplicate_dict_key: 'ANSIBLE_DUPLICATE_YAML_DICT_KEY',
  force_valid_group_names: 'ANSIBLE_TRANSFORM_INVALID_GROUP_CHARS',
  strategy: 'ANSIBLE_STRATEGY',
  executable: 'ANSIBLE_EXECUTABLE',
  gather_subset: 'ANSIBLE_GATHER_SUBSET',
  gather_timeout: 'ANSIBLE_GATHER_TIMEOUT',
  fact_path: 'ANSIBLE_FACT_PATH',
  facts_modules: 'ANSIBLE_FACTS_MODULES',
  show_custom_stats: 'ANSIBLE_SHOW_CUSTOM_STATS',
  no_log: 'ANSIBLE_NO_LOG',
  fact_caching: 'ANSIBLE_CACHE_PLUGIN',
  fact_caching_connection: 'ANSIBLE_CACHE_PLUGIN_CONNECTION',
  fact_caching_prefix: 'ANSIBLE_CACHE_PLUGIN_PREFIX',
  fact_caching_timeout: 'ANSIBLE_CACHE_PLUGIN_TIMEOUT',
  vault_password_file: 'ANSIBLE_VAULT_PASSWORD_FILE',
  vault_identity_list: 'ANSIBLE_VAULT_IDENTITY_LIST',
  // (read from the file only: ansible-core has no variable for it)
  ansible_managed: '',
  ask_vault_pass: 'ANSIBLE_ASK_VAULT_PASS',
  playbook_dir: 'ANSIBLE_PLAYBOOK_DIR',
  task_timeout: 'ANSIBLE_TASK_TIMEOUT',
  localhost_warning: 'ANSIBLE_LOCALHOST_WARNING',
  stdout_callback: 'ANSIBLE_STDOUT_CALLBACK',
  bin_ansible_callbacks: 'ANSIBLE_LOAD_CALLBACK_PLUGINS',
};
/** [privilege_escalation] keys and their ANSIBLE_* variables: the become keywords' defaults (ansible-playbook's -b, --become-user, …). */
const BECOME: Record<string, string> = { become: 'ANSIBLE_BECOME', become_user: 'ANSIBLE_BECOME_USER', become_method: 'ANSIBLE_BECOME_METHOD', become_flags: 'ANSIBLE_BECOME_FLAGS', become_ask_pass: 'ANSIBLE_BECOME_ASK_PASS' };

/** Settings that change only how Ansible itself looks or works inside; nothing to do or say here. */
const COSMETIC = new Set(['nocows', 'cow_selection', 'deprecation_warnings', 'display_args_to_stdout', 'display_skipped_hosts', 'display_ok_hosts', 'callback_whitelist', 'callbacks_enabled', 'retry_files_enabled', 'interpreter_python', 'local_tmp', 'remote_tmp', 'pipelining', 'control_path_dir', 'command_warnings', 'system_warnings', 'nocolor', 'force_color']);

/** ansible.cfg as ansible-core finds it: $ANSIBLE_CONFIG, ./ansible.cfg, ~/.ansible.cfg, /etc/ansible/ansible.cfg (the first that exists), and its sections. */
export function findAnsibleCfg(cwd: string, env: NodeJS.ProcessEnv = process.env): { file?: string; ini: Record<string, Record<string, string>> } {
  const candidates = [env.ANSIBLE_CONFIG ? resolve(cwd, env.ANSIBLE_CONFIG) : '', join(cwd, 'ansible.cfg'), join(env.HOME ?? homedir(), '.ansible.cfg'), '/etc/ansible/ansible.cfg'].filter(Boolean);
  const file = candidates.find((f) => existsSync(f) && statSync(f).isFile());
  return { file, ini: file ? parseIni(readFileSync(file, 'utf8')) : {} };
}

/**
 * ansible.cfg (findAnsibleCfg), then ANSIBLE_* variables over it. Relative paths in it are
 * relative to the file, as Ansible reads them.
 */
export function ansibleSettings(cwd: string, env: NodeJS.ProcessEnv = process.env): AnsibleSettings {
  const { file, ini } = findAnsibleCfg(cwd, env);
  const base = file ? dirname(file) : cwd;
  const get = (key: string, section = 'defaults'): string | undefined => env[KNOWN[key] ?? ''] ?? ini[section]?.[key];
  const paths = (v: string | undefined, from: string) => (v ? v.split(/[:,]/).filter(Boolean).map((p) => expand(p, from, env)) : []);
  const num = (v: string | undefined) => (v !== undefined && /^\d+$/.test(v.trim()) ? Number(v) : undefined);
  const gathering = (get('gathering') ?? 'implicit').trim().toLowerCase();
  const fromEnv = (key: string) => env[KNOWN[key]] !== undefined;
  const flag = (key: string): boolean | undefined => bool(get(key));
  const s: AnsibleSettings = {
    file,
    gathering: gathering === 'explicit' || gathering === 'smart' ? gathering : 'implicit',
    rolesPath: paths(get('roles_path'), fromEnv('roles_path') ? cwd : base),
    library: paths(get('library'), fromEnv('library') ? cwd : base),
    inventory: paths(get('inventory'), fromEnv('inventory') ? cwd : base),
    inventoryEnabled: list(env.ANSIBLE_INVENTORY_ENABLED ?? ini.inventory?.enable_plugins),
    forks: num(get('forks')),
    hostKeyChecking: flag('host_key_checking'),
    timeout: num(get('timeout')),
    remoteUser: get('remote_user'),
    remotePort: num(get('remote_port')),
    privateKeyFile: get('private_key_file') ? expand(get('private_key_file')!, fromEnv('private_key_file') ? cwd : base, env) : undefined,
    sshArgs: get('ssh_args', 'ssh_connection'),
    forceHandlers: flag('force_handlers'),
    anyErrorsFatal: flag('any_errors_fatal'),
    errorOnMissingHandler: flag('error_on_missing_handler'),
    injectFacts: flag('inject_facts_as_vars') ?? true,
    jinja2Native: flag('jinja2_native') ?? false,
    privateRoleVars: flag('private_role_vars') ?? false,
    showCustomStats: flag('show_custom_stats') ?? false,
    hashMerge: get('hash_behaviour')?.trim().toLowerCase() === 'merge',
    duplicateKeys: (['error', 'ignore'] as const).find((m) => m === get('duplicate_dict_key')?.trim().toLowerCase()) ?? 'warn',
    // (its values as written: ansible-core's choices are compared as they are, `Always` is refused)
    groupChars: (['always', 'ignore', 'silently'] as const).find((m) => m === get('force_valid_group_names')) ?? 'never',
    factsModules: list(get('facts_modules') ?? 'smart'),
    noLog: flag('no_log') ?? false,
    factCache: factCache(get, (v) => expand(v, fromEnv('fact_caching_connection') ? cwd : base, env)),
    vaultPasswordFile: get('vault_password_file') ? expand(get('vault_password_file')!, fromEnv('vault_password_file') ? cwd : base, env) : undefined,
    vaultIdentityList: list(get('vault_identity_list')),
    askVaultPass: flag('ask_vault_pass') ?? false,
    ansibleManaged: ini.defaults?.ansible_managed,
    executable: get('executable')?.trim() || undefined,
    playbookDir: get('playbook_dir') ? expand(get('playbook_dir')!, fromEnv('playbook_dir') ? cwd : base, env) : undefined,
    taskTimeout: num(get('task_timeout')),
    localhostWarning: flag('localhost_warning') ?? true,
    adhocCallback: flag('bin_ansible_callbacks') ? get('stdout_callback')?.trim().replace(/^ansible\.builtin\./, '') : undefined,
    gatherDefaults: {
      ...(get('gather_subset') !== undefined ? { gather_subset: list(get('gather_subset')) } : {}),
      ...(num(get('gather_timeout')) !== undefined ? { gather_timeout: num(get('gather_timeout')) } : {}),
      ...(get('fact_path')?.trim() ? { fact_path: expand(get('fact_path')!, fromEnv('fact_path') ? cwd : base, env) } : {}),
    },
    strategy: (['linear', 'free', 'host_pinned'] as const).find((m) => m === get('strategy')?.trim().replace(/^ansible\.builtin\./, '')),
    become: becomeSettings((k) => env[BECOME[k]] ?? ini.privilege_escalation?.[k]),
    // ([tags] run/skip, ANSIBLE_RUN_TAGS/ANSIBLE_SKIP_TAGS: the tags --tags and --skip-tags add to)
    runTags: list(env.ANSIBLE_RUN_TAGS ?? ini.tags?.run),
    skipTags: list(env.ANSIBLE_SKIP_TAGS ?? ini.tags?.skip),
    ignored: [],
  };
  // a cache plugin agri-play does not have (redis, memcached, yaml, pickle, mongodb) is named, as a setting it does not have
  const plugin = get('fact_caching')?.trim();
  // (ansible-core refuses any other value; here it is named and the default kept)
  const hash = get('hash_behaviour')?.trim().toLowerCase();
  if (hash && hash !== 'merge' && hash !== 'replace') s.ignored.push(`hash_behaviour=${hash}`);
  const dup = get('duplicate_dict_key')?.trim().toLowerCase();
  if (dup && !['warn', 'error', 'ignore'].includes(dup)) s.ignored.push(`duplicate_dict_key=${dup}`);
  const strategy = get('strategy')?.trim();
  if (strategy && !s.strategy) s.ignored.push(`strategy=${strategy}`);
  const chars = get('force_valid_group_names');
  if (chars && !['always', 'never', 'ignore', 'silently'].includes(chars)) s.ignored.push(`force_valid_group_names=${chars}`);
  if (plugin && s.factCache.plugin === 'memory' && !/^(ansible\.builtin\.)?memory$/.test(plugin)) s.ignored.push(`fact_caching=${plugin}`);
  for (const [section, keys] of Object.entries(ini))
    for (const k of Object.keys(keys)) if (!(section === 'defaults' && (Object.hasOwn(KNOWN, k) || COSMETIC.has(k))) && !(section === 'ssh_connection' && (COSMETIC.has(k) || k === 'ssh_args')) && !(section === 'privilege_escalation' && BECOME[k]) && !(section === 'tags' && (k === 'run' || k === 'skip')) && !(section === 'inventory' && k === 'enable_plugins')) s.ignored.push(`${section}.${k}`);
  return s;
}

/** A list setting as ansible-core's config reads one: comma-separated, each item stripped. */
const list = (v: string | undefined): string[] => (v ?? '').split(',').map((t) => t.trim()).filter(Boolean);

/** A setting's truth as ansible-core's config reads a boolean (BOOLEANS_TRUE, any case); undefined when not set. */
const bool = (v: string | undefined): boolean | undefined => (v === undefined ? undefined : yes(v.trim()));

/** The become keywords' defaults of [privilege_escalation] (or their ANSIBLE_* variables). */
function becomeSettings(get: (key: string) => string | undefined): BecomeDefaults {
  const text = (v: string | undefined) => (v === undefined || v.trim() === '' ? undefined : v.trim());
  return { become: bool(get('become')), user: text(get('become_user')), method: text(get('become_method')), flags: text(get('become_flags')), askPass: bool(get('become_ask_pass')) };
}

function factCache(get: (key: string) => string | undefined, path: (v: string) => string): FactCacheSettings {
  const plugin = get('fact_caching')?.trim().replace(/^ansible\.builtin\./, '');
  const connection = get('fact_caching_connection')?.trim();
  const timeout = get('fact_caching_timeout')?.trim();
  return {
    plugin: plugin === 'jsonfile' ? 'jsonfile' : 'memory',
    ...(connection ? { connection: path(connection) } : {}),
    prefix: get('fact_caching_prefix') ?? 'ansible_facts',
    timeout: timeout !== undefined && /^\d+$/.test(timeout) ? Number(timeout) : 86400,
  };
}

function expand(p: string, from: string, env: NodeJS.ProcessEnv): string {
  const v = p.trim().replace(/^~(?=$|\/)/, env.HOME ?? homedir()).replace(/\$(\w+)|\$\{(\w+)\}/g, (_, a: string, b: string) => env[a ?? b] ?? '');
  return isAbsolute(v) ? v : resolve(from, v);
}

/** Python configparser's subset ansible.cfg uses: [section], key = value / key: value, # and ; comments. */
export function parseIni(text: string): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  let section = '';
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith(';')) continue;
    const sec = /^\[([^\]]+)\]$/.exec(line);
    if (sec) {
      section = sec[1].trim();
      out[section] ??= {};
      continue;
    }
    const m = /^([^=:]+?)\s*[=:]\s*(.*)$/.exec(line);
    // (as ansible-core's ConfigParser(inline_comment_prefixes=(';',)) reads it: a `;` after a space starts a comment, a `#` does not)
    if (m && section) out[section][m[1].trim().toLowerCase()] = m[2].replace(/\s;.*$/, '').trim();
  }
  return out;
}
