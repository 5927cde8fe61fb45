// ansible-core's `config` lookup: a setting's value as ansible.constants has it, or a plugin's option
// as ConfigManager resolves it for a task (its `vars`, then ANSIBLE_* variables, then ansible.cfg,
// then its default). The definitions are ansible-core's own (config/base.yml, a plugin's
// DOCUMENTATION and its doc fragments), read from the controller's ansible-core, as a library
// module's ansible.module_utils are: agri-play ships no copy of them.
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, normalize, resolve } from 'node:path';
import { controllerPython } from '../../source/controller-python.js';
import { findAnsibleCfg } from '../../source/ansible-cfg.js';
import { processWide } from '../../source/process-wide.js';
import { parseYaml } from '../../source/yaml.js';
import { pyFloat, pyType, str, tuple } from '../../source/python.js';
import { BOOLEANS_TRUE } from '../../source/data.js';
import { LookupError, type LookupPlugin } from './lookups.js';

type Entry = { name?: string; section?: string; key?: string };
type Def = { default?: unknown; type?: string; env?: Entry[]; ini?: Entry[]; vars?: Entry[] };

/** A setting there is no such setting of: on_missing decides (ansible-core's MissingSetting, its message twice). */
class MissingSetting extends Error {}

const PLUGIN_TYPES = ['become', 'cache', 'callback', 'cliconf', 'connection', 'httpapi', 'inventory', 'lookup', 'netconf', 'shell', 'vars'];
/** ansible.constants' names that are functions or classes: "Invalid setting" (the lookup refuses callables). */
const CALLABLES = new Set(['ConfigManager', 'Sequence', 'to_text', 'add_internal_fqcns', 'set_constant', '_warning', '_deprecated', '_DeprecatedSequenceConstant']);
/** The constants ansible.constants sets itself, beside the settings (their values in ansible-core 2.14). */
const CONSTANTS: Record<string, unknown> = {
  DEFAULT_BECOME_PASS: null,
  DEFAULT_REMOTE_PASS: null,
  DEFAULT_SUBSET: null,
  TREE_DIR: null,
  DEFAULT_PASSWORD_CHARS: 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.,:-_',
  REJECT_EXTS: tuple(['.pyc', '.pyo', '.swp', '.bak', '~', '.rpm', '.md', '.txt', '.rst']),
  CONFIGURABLE_PLUGINS: tuple(PLUGIN_TYPES),
  IGNORE_FILES: tuple(['COPYING', 'CONTRIBUTING', 'LICENSE', 'README', 'VERSION', 'GUIDELINES', 'MANIFEST', 'Makefile']),
  INTERNAL_RESULT_KEYS: tuple(['add_host', 'add_group']),
  LOCALHOST: tuple(['127.0.0.1', 'localhost', '::1']),
  RESTRICTED_RESULT_KEYS: tuple(['ansible_rsync_path', 'ansible_playbook_python', 'ansible_facts']),
  SYNTHETIC_COLLECTIONS: tuple(['ansible.builtin', 'ansible.legacy']),
  VAULT_VERSION_MIN: pyFloat(1),
  VAULT_VERSION_MAX: pyFloat(1),
};

/** The controller's ansible package folder (`…/ansible`), or the lookup's error. */
function ansiblePackage(): string {
  const root = controllerPython()?.ansible;
  if (!root) throw new LookupError("the config lookup reads ansible-core's setting definitions from the controller's ansible-core, which is not installed here (apt-get install ansible-core)", true);
  return join(root, 'ansible');
}

const yamlOf = (text: string, file: string): Record<string, unknown> => (parseYaml(text, file).value ?? {}) as Record<string, unknown>;

/** config/base.yml: every setting's definition. */
const baseDefs = (): Record<string, Def> => processWide('configBaseDefs', () => yamlOf(readFileSync(join(ansiblePackage(), 'config', 'base.yml'), 'utf8'), 'base.yml') as Record<string, Def>);

/** A Python source's documentation string assigned to `name` (a plugin's DOCUMENTATION, a fragment's). */
function docString(source: string, name: string): string | undefined {
  return new RegExp(`^\\s*${name}\\s*=\\s*r?('''|""")([\\s\\S]*?)\\1`, 'm').exec(source)?.[2];
}

/** ansible.cfg as ansible-core read it at start-up: once for the run, not for every term. */
const configFile = (): ReturnType<typeof findAnsibleCfg> => processWide('configFile', () => findAnsibleCfg(process.cwd()));

/** Each plugin's options, read once (undefined for a plugin there is not). */
const pluginCache = (): Map<string, Record<string, Def> | undefined> => processWide('configPluginDefs', () => new Map());
function pluginDefs(ptype: string, pname: string): Record<string, Def> | undefined {
  const key = `${ptype}/${pname}`;
  const cache = pluginCache();
  if (!cache.has(key)) cache.set(key, readPluginDefs(ptype, pname));
  return cache.get(key);
}

/** A plugin's options: its DOCUMENTATION's, its doc fragments' under them. */
function readPluginDefs(ptype: string, pname: string): Record<string, Def> | undefined {
  const short = pname.replace(/^ansible\.(builtin|legacy)\./, '');
  const file = join(ansiblePackage(), 'plugins', ptype, `${short}.py`);
  if (!/^\w+$/.test(short) || !existsSync(file)) return undefined;
  const doc = yamlOf(docString(readFileSync(file, 'utf8'), 'DOCUMENTATION') ?? '', file);
  const options: Record<string, Def> = {};
  const fragments = doc.extends_documentation_fragment;
  for (const f of (Array.isArray(fragments) ? fragments : fragments ? [fragments] : []).map(String)) {
    const [name, attr] = f.replace(/^ansible\.builtin\./, '').split('.');
    const path = join(ansiblePackage(), 'plugins', 'doc_fragments', `${name}.py`);
    const text = existsSync(path) ? docString(readFileSync(path, 'utf8'), (attr ?? 'DOCUMENTATION').toUpperCase()) : undefined;
    Object.assign(options, (yamlOf(text ?? '', path).options ?? {}) as Record<string, Def>);
  }
  // (an option both declare: the fragment's keys under the plugin's own, ssh's `pipelining` its default and type)
  for (const [name, def] of Object.entries((doc.options ?? {}) as Record<string, Def>)) options[name] = { ...options[name], ...def };
  return options;
}

/** ConfigManager's _loop_entries: the last entry that has a value. */
function lastOf(entries: Entry[] | undefined, get: (e: Entry) => unknown): unknown {
  let value: unknown;
  for (const e of entries ?? []) {
    const v = get(e);
    if (v !== undefined && v !== null) value = v;
  }
  return value;
}

const unquote = (s: string): string => (s.length > 1 && (s[0] === '"' || s[0] === "'") && s.endsWith(s[0]) ? s.slice(1, -1) : s);

/** unfrackpath: ~ and $VARS expanded, relative to the config file's folder (or the working folder). */
function resolvePath(p: string, base: string): string {
  const expanded = p.replace('{{CWD}}', process.cwd()).replace(/^~(?=\/|$)/, process.env.HOME ?? homedir()).replace(/\$(\w+)|\$\{(\w+)\}/g, (m, a: string, b: string) => process.env[a ?? b] ?? m);
  return normalize(isAbsolute(expanded) ? expanded : resolve(base, expanded));
}

/** ensure_type: the value as its definition's type has it. */
function ensureType(value: unknown, type: string | undefined, base: string, entry: string): unknown {
  if (value === null || value === undefined) return null;
  const t = type?.toLowerCase();
  const text = typeof value === 'string';
  switch (t) {
    case 'boolean':
    case 'bool':
      return value === true || BOOLEANS_TRUE.has(str(value).toLowerCase().trim());
    case 'integer':
    case 'int': {
      if (typeof value === 'number' && Number.isInteger(value)) return value;
      if (text && /^\s*[-+]?\d+\s*$/.test(value)) return Number(value);
      throw new LookupError(`Invalid type for configuration option ${entry}: invalid literal for int() with base 10: '${str(value)}'`, true);
    }
    case 'float':
      return pyFloat(Number(value));
    case 'list':
      return text ? value.split(',').map((x) => unquote(x.trim())) : value;
    case 'path':
      return text ? resolvePath(value, base) : value;
    case 'tmp':
    case 'temppath':
    case 'tmppath':
      // (ansible-core makes a folder ansible-local-<pid><random> in it at start-up; its name is what a lookup can see)
      return text ? join(resolvePath(value, base), `ansible-local-${process.pid}`) : value;
    case 'pathspec':
      return (text ? value.split(':') : (value as unknown[])).map((x) => resolvePath(String(x), base));
    case 'pathlist':
      return (text ? value.split(',').map((x) => x.trim()) : (value as unknown[])).map((x) => resolvePath(String(x), base));
    default:
      return text ? unquote(value) : value;
  }
}

const entryName = (ptype: string | undefined, pname: string | undefined, name: string): string => `${ptype ? `plugin_type: ${ptype} ${pname ? `plugin: ${pname} ` : ''}` : ''}setting: ${name} `;

/** get_config_value: `vars` (a task's), ANSIBLE_* variables, ansible.cfg, then the default (a template of the other values rendered). */
function valueOf(def: Def, vars: Record<string, unknown> | undefined, entry: string, render: (s: string, v: Record<string, unknown>) => unknown, others: (name: string) => unknown): unknown {
  const cfg = configFile();
  let value = vars ? lastOf(def.vars, (e) => (e.name && Object.hasOwn(vars, e.name) ? vars[e.name] : undefined)) : undefined;
  let base = process.cwd();
  value ??= lastOf(def.env, (e) => (e.name ? process.env[e.name] : undefined));
  if (value === undefined && cfg.file) {
    value = lastOf(def.ini, (e) => cfg.ini[e.section ?? 'defaults']?.[e.key ?? '']);
    if (value !== undefined) base = dirname(cfg.file);
  }
  if (value === undefined) {
    value = def.default;
    if (typeof value === 'string' && value.startsWith('{{') && value.endsWith('}}')) {
      const names = [...value.matchAll(/\b[A-Z][A-Z0-9_]+\b/g)].map((m) => m[0]);
      value = render(value, { ...Object.fromEntries(names.map((n) => [n, others(n)])), ...vars });
    }
  }
  return ensureType(typeof value === 'string' && value.includes('{{') && vars ? render(value, vars) : value, def.type, base, entry.trim());
}

/** The lookup: `render` templates a default (and a `vars` value that is a template) with the given variables. */
export function configLookup(render: (s: string, v: Record<string, unknown>) => unknown): LookupPlugin {
  return (terms, { vars, kw }) => {
    const missing = kw.on_missing ?? 'error';
    const ptype = kw.plugin_type as string | undefined;
    const pname = kw.plugin_name as string | undefined;
    const invalid = (option: string, v: unknown, valid: string[]) => new LookupError(`Invalid value "${str(v)}" for configuration option "plugin_type: lookup plugin: config setting: ${option} ", valid values are: ${valid.join(', ')}`, true);
    if (!['error', 'warn', 'skip'].includes(String(missing))) throw invalid('on_missing', missing, ['error', 'skip', 'warn']);
    if (ptype !== undefined && ptype !== null && !PLUGIN_TYPES.includes(String(ptype))) throw invalid('plugin_type', ptype, PLUGIN_TYPES);
    if (Boolean(ptype) !== Boolean(pname)) throw new LookupError('Both plugin_type and plugin_name are required, cannot use one without the other', true);
    const global = (name: string): unknown => {
      if (CALLABLES.has(name)) throw new LookupError(`Invalid setting "${name}" attempted`, true);
      if (name === 'CONFIG_FILE') return configFile().file ?? null;
      if (Object.hasOwn(CONSTANTS, name)) return CONSTANTS[name];
      const def = baseDefs()[name];
      if (!def) throw new MissingSetting(`module 'ansible.constants' has no attribute '${name}'`);
      return valueOf(def, undefined, entryName(undefined, undefined, name), render, global);
    };
    const ofPlugin = (name: string): unknown => {
      const defs = pluginDefs(String(ptype), String(pname));
      if (!defs) throw new LookupError(`Unable to load ${ptype} plugin "${pname}"`, true);
      const entry = entryName(String(ptype), String(pname), name);
      if (!Object.hasOwn(defs, name)) throw new MissingSetting(`Requested entry (${entry}) was not defined in configuration.`);
      return valueOf(defs[name], vars, entry, render, global);
    };
    const out: unknown[] = [];
    for (const term of terms) {
      if (typeof term !== 'string') throw new LookupError(`Invalid setting identifier, "${str(term)}" is not a string, its a <class '${pyType(term)}'>`, true);
      try {
        out.push(pname ? ofPlugin(term) : global(term));
      } catch (e) {
        if (!(e instanceof MissingSetting)) throw e;
        // (warn: ansible-core's warning, which a template has no way to show here, so as skip)
        if (missing === 'error') throw new LookupError(`Unable to find setting ${term}. ${e.message}. ${e.message}`, true);
      }
    }
    return out;
  };
}
