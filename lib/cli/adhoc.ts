// `agri-play adhoc PATTERN -m MODULE -a ARGS`: ansible's ad hoc command. One task on the hosts of a
// pattern, as ansible's AdHocCLI runs it: a play of its own (no facts gathered), each host's result
// shown by its `minimal` callback (or `oneline`, -o), no recap.
import { resolve } from 'node:path';
import { Command } from '../source/vendor/commander.js';
import { ansibleSettings } from '../source/index.js';
import { Exit, UsageError } from '../errors.js';
import type { Redactor } from '../vars/index.js';
import { optionsOf, parseWith, shared } from './args.js';
import { playbookCommand } from './playbook.js';
import type { Output } from './output.js';

/** C.MODULE_REQUIRE_ARGS: ad hoc refuses them without -a. */
const REQUIRE_ARGS = new Set(['command', 'win_command', 'ansible.windows.win_command', 'shell', 'win_shell', 'ansible.windows.win_shell', 'raw', 'script']);
const requiresArgs = (m: string): boolean => REQUIRE_ARGS.has(m.replace(/^ansible\.(builtin|legacy)\./, ''));
/** C._ACTION_IMPORT_PLAYBOOK, and the includes async does not apply to (C._ACTION_ALL_INCLUDE_ROLE_TASKS). */
const IMPORT_PLAYBOOK = /^(ansible\.(builtin|legacy)\.)?import_playbook$/;
const INCLUDES = /^(ansible\.(builtin|legacy)\.)?(include_role|import_role|include_tasks|import_tasks|include)$/;

const seconds = (name: string) => (v: string) => {
  if (!/^\d+$/.test(v.trim())) throw new UsageError(`${name}: invalid int value: '${v}'`);
  return Number(v);
};

function adhocProgram(version: string): Command {
  const cmd = new Command('agri-play adhoc')
    .usage('PATTERN -i INVENTORY [-m MODULE] [-a ARGS] [options]')
    .description("Run one module on the hosts of a pattern (ansible's ad hoc command), and show each host's result as ansible does.")
    .argument('<pattern>', 'the hosts: a host pattern (all, a group, web*:!db, …)')
    .addHelpText('after', `
examples:
  agri-play adhoc all -i edge -m ping
  agri-play adhoc proxmox -i edge -a 'qm list'
  agri-play adhoc web -i inv.yaml -m service -a 'name=nginx state=restarted' -b`);
  return shared(cmd, version)
    .option('-m, --module-name <module>', 'the module to run', 'command')
    .option('-a, --args <args>', "the module's arguments: key=value words (a command's free form), or a JSON object")
    .option('-B, --background <seconds>', 'run asynchronously, failing after this many seconds', seconds('-B'), 0)
    .option('-P, --poll <seconds>', 'with -B: how often to poll the job (0: start it and go on)', seconds('-P'), 15)
    .option('-o, --one-line', 'one line per host', false)
    .option('-t, --tree <dir>', "write each host's result as JSON to DIR/HOST")
    .option('--task-timeout <seconds>', 'end the task after this many seconds (0: no limit)', seconds('--task-timeout'))
    .option('--playbook-dir <dir>', 'the folder the one play counts as its playbook\'s (playbook_dir, where files are looked for)');
}

/** AdHocCLI._play_ds: the task's arguments are a JSON object, or key=value words (parse_kv, which the task's free form gets). */
function task(module: string, raw: string | undefined, o: { background: number; poll: number; taskTimeout?: number }): Record<string, unknown> {
  let args: unknown = raw ? raw : null;
  if (raw?.startsWith('{') && raw.endsWith('}')) {
    try {
      const parsed: unknown = JSON.parse(raw.trim());
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) args = parsed;
    } catch {
      /* not JSON: key=value words, as ansible falls back to */
    }
  }
  const t: Record<string, unknown> = { [module]: args };
  if (o.taskTimeout) t.timeout = o.taskTimeout;
  if (o.background && !INCLUDES.test(module)) Object.assign(t, { async: o.background, poll: o.poll });
  return t;
}

/** `agri-play adhoc PATTERN [options]`: exit codes as a playbook run's. */
export async function adhocCommand(argv: string[], out: Output, cwd: string, redactor: Redactor, version: string): Promise<number> {
  const cmd = adhocProgram(version);
  if (!parseWith(cmd, argv)) return Exit.ok;
  const o = cmd.opts();
  const pattern = String(cmd.args[0]);
  const module = String(o.moduleName);
  // (--list-hosts answers before the arguments are looked at)
  if (!o.listHosts && requiresArgs(module) && !o.args) throw new UsageError(`No argument passed to ${module} module${pattern.endsWith('.yml') ? ' (did you mean to run ansible-playbook?)' : ''}`);
  if (IMPORT_PLAYBOOK.test(module)) throw new UsageError(`'${module}' is not a valid action for ad-hoc commands`);
  const cfg = ansibleSettings(cwd);
  // (-v: which configuration it read, as ansible says first)
  if (o.verbose >= 1) out.line(cfg.file ? `Using ${cfg.file} as config file` : 'No config file found; using defaults');
  const play = { name: 'Ansible Ad-Hoc', hosts: pattern, gather_facts: false, tasks: [task(module, o.args, { background: o.background, poll: o.poll, taskTimeout: o.taskTimeout ?? cfg.taskTimeout })] };
  // (ansible names it so; its folder is the playbook_dir: --playbook-dir, ANSIBLE_PLAYBOOK_DIR, else here)
  const dir = o.playbookDir ? resolve(cwd, o.playbookDir) : (cfg.playbookDir ?? cwd);
  const opts = { ...optionsOf(cmd), playbook: resolve(dir, '__adhoc_playbook__'), playbooks: undefined, adhoc: { play, oneLine: Boolean(o.oneLine) || cfg.adhocCallback === 'oneline', ...(o.tree ? { tree: resolve(cwd, o.tree) } : {}) } };
  return playbookCommand(opts, out, cwd, redactor, undefined, cfg);
}
