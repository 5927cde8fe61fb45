import { Command, CommanderError, Option } from '../source/vendor/commander.js';
import { UsageError } from '../errors.js';

export interface CliOptions {
  playbook?: string;
  /** Every playbook named (the first is `playbook`). */
  playbooks?: string[];
  inventory: string[];
  check: boolean;
  diff: boolean;
  detailedExitcode: boolean;
  limit?: string;
  /** --start-at-task: the run starts at the first task of this name (or fnmatch pattern). */
  startAtTask?: string;
  tags: string[];
  skipTags: string[];
  extraVars: string[];
  /** Unset: ansible.cfg's forks, else 10. */
  forks?: number;
  json: boolean;
  listHosts: boolean;
  listTasks: boolean;
  syntaxCheck: boolean;
  graph?: 'mermaid' | 'dot' | 'mermaid-steps' | 'dot-steps';
  resume: boolean;
  verbose: number;
  color?: boolean;
  stateDir?: string;
  sshAcceptNew: boolean;
  /** -c: the connection of hosts whose variables name none (ansible-core's play default). */
  connection?: string;
  forceHandlers: boolean;
  /** --flush-cache: the fact cache of the inventory's hosts is emptied before the run. */
  flushCache: boolean;
  /** Ansible Vault: `[label@]source` ids, password files, --ask-vault-pass. */
  vaultId: string[];
  vaultPasswordFile: string[];
  askVaultPass: boolean;
  /** -b, --become-user, --become-method, -K, -u: the become keywords' and remote_user's defaults, as ansible-playbook's. */
  become?: boolean;
  becomeUser?: string;
  becomeMethod?: string;
  askBecomePass: boolean;
  user?: string;
  /** An ad hoc command (`agri-play adhoc`): its one play, and how its results are shown. */
  adhoc?: AdhocRun;
}

/** What `agri-play adhoc` runs and how it shows it (ansible's minimal or oneline callback, --tree). */
export interface AdhocRun {
  /** The play ansible's AdHocCLI._play_ds makes: the pattern's hosts, no facts, one task. */
  play: Record<string, unknown>;
  oneLine: boolean;
  /** -t DIR: each host's result as JSON in DIR/HOST (ansible's tree callback). */
  tree?: string;
}

const collect = (v: string, prev: string[]) => [...prev, v];
const split = (v: string, prev: string[]) => [...prev, ...v.split(',').map((s) => s.trim()).filter(Boolean)];

export function program(version: string): Command {
  const cmd = new Command('agri-play')
    .usage('PLAYBOOK -i INVENTORY [options]')
    .description('Converge hosts to what a playbook describes: check first, change only what differs.')
    .addHelpText(
      'after',
      `
Other commands:
  agri-play lab [--faults] [--json]        the simulated farm: plan, converge, converge again, stop
  agri-play lab up | site | status | down  keep the lab running and converge it by hand
  agri-play report [RUN.ndjson] [-o FILE]  an HTML picture of a run (default: the newest journal)
  agri-play inventory -i INV --list | --host H | --graph   what agri-play makes of an inventory (like ansible-inventory)
  agri-play adhoc PATTERN -i INV -m MODULE -a ARGS   one module on the hosts of a pattern (like ansible)
  agri-play roles add SPEC | list | why N  roles from npm/git packages, pinned by package-lock.json
  agri-play doc [MODULE] [-t filter|test|lookup]  the modules and their parameters (like ansible-doc)
  agri-play check                          type-check the project's TypeScript roles (roles/*/role.ts)
  agri-play new role NAME                  scaffold a TypeScript role (role.ts, README, tests/test.yaml)
Each command answers --help with its own usage.`,
    )
    .argument('[playbooks...]', 'playbook file (YAML); more run one after the other, as ansible-playbook runs them');
  return shared(cmd, version)
    .option('--detailed-exitcode', 'with --check: exit 7 when something would change', false)
    .option('--start-at-task <name>', 'start at the first task of this name (a glob too), passing over those before it')
    .option('-t, --tags <tags>', 'only tasks with these tags (comma separated, repeatable)', split, [])
    .option('--skip-tags <tags>', 'skip tasks with these tags', split, [])
    .option('--list-tasks', 'list the tasks of each play, then stop', false)
    .option('--syntax-check', 'check the playbook and inventory, then stop', false)
    .addOption(new Option('--graph <format>', 'print the plays as a graph (mermaid, dot) or every step (mermaid-steps, dot-steps), then stop').choices(['mermaid', 'dot', 'mermaid-steps', 'dot-steps']))
    .option('--resume', 're-run only the hosts that failed or were unreachable in the last run', false)
    .option('--force-handlers', 'run notified handlers on hosts that failed too', false)
    .option('--flush-cache', "clear the fact cache of every host in the inventory (ansible.cfg fact_caching)", false);
}

/** The options a playbook run and an ad hoc command share (ansible-playbook's and ansible's). */
export function shared(cmd: Command, version: string): Command {
  return cmd
    .option('-i, --inventory <name|path>', 'inventory: a path, or NAME for inventories/NAME.yaml (repeatable)', collect, [])
    .option('-C, --check', "show what would change; change nothing", false)
    .option('-D, --diff', 'show diffs of what changes (or would)', false)
    .option('-l, --limit <pattern>', 'only these hosts (a host pattern)')
    .option('-e, --extra-vars <key=value|@file|json>', 'extra variables, highest precedence (repeatable)', collect, [])
    .option('-f, --forks <n>', 'how many steps run at once', (v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1) throw new UsageError(`--forks must be a positive integer, got '${v}'`);
      return n;
    })
    .option('--json', 'print events as NDJSON (one JSON object a line)', false)
    .option('--list-hosts', 'list the hosts each play would run on, then stop', false)
    .option('-v, --verbose', 'more output (-vv, -vvv for more)', (_v: string, prev: number) => prev + 1, 0)
    .option('--no-color', 'no colours')
    .option('--state-dir <dir>', 'where journals and saved handlers go', undefined)
    .option('-c, --connection <type>', 'connection of hosts whose variables name none (local, ssh, …)')
    .option('--ssh-accept-new', 'record unknown SSH host keys (a changed key is always refused)', false)
    .option('--vault-id <[label@]source>', 'a vault secret: a password file (or script), or `prompt` (repeatable)', collect, [])
    .option('--vault-password-file <file>', 'the vault password: a file, or a script that prints it (repeatable)', collect, [])
    .addOption(new Option('--vault-pass-file <file>').argParser(collect).default([]).hideHelp())
    .option('-J, --ask-vault-pass', 'ask for the vault password', false)
    .option('-b, --become', "run with become (the default of plays' and tasks' become)")
    .option('--become-user <user>', 'the user to become (default root)')
    .option('--become-method <method>', 'how to become: sudo (default) or su')
    .option('-K, --ask-become-pass', 'ask for the become password', false)
    .option('-u, --user <user>', 'the user hosts are reached as, unless the host or play names one')
    .version(version, '--version', 'print the version')
    .helpOption('-h, --help', 'show this help')
    .exitOverride()
    .configureOutput({ writeOut: (s) => process.stdout.write(s), writeErr: (s) => process.stderr.write(s), outputError: () => undefined })
    .showSuggestionAfterError(true)
    .allowExcessArguments(false);
}

/** Parses argv with `cmd`; false when commander already answered (--help, --version). */
export function parseWith(cmd: Command, argv: string[]): boolean {
  try {
    cmd.parse(argv, { from: 'user' });
    return true;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return false;
      throw new UsageError(e.message.replace(/^error: /, ''));
    }
    throw e;
  }
}

/** Parses the command line; returns undefined when commander already answered (--help, --version). */
export function parseArgs(argv: string[], version: string): CliOptions | undefined {
  const cmd = program(version);
  return parseWith(cmd, argv) ? optionsOf(cmd) : undefined;
}

/** What a parsed command line says, in CliOptions (an ad hoc command's playbook-only options at their defaults). */
export function optionsOf(cmd: Command): CliOptions {
  const o = cmd.opts();
  return {
    playbook: cmd.args[0],
    playbooks: cmd.args,
    inventory: o.inventory,
    check: o.check,
    diff: o.diff,
    detailedExitcode: o.detailedExitcode ?? false,
    limit: o.limit,
    startAtTask: o.startAtTask,
    tags: o.tags ?? [],
    skipTags: o.skipTags ?? [],
    extraVars: o.extraVars,
    forks: o.forks,
    json: o.json,
    listHosts: o.listHosts,
    listTasks: o.listTasks ?? false,
    syntaxCheck: o.syntaxCheck ?? false,
    graph: o.graph,
    resume: o.resume ?? false,
    verbose: o.verbose,
    color: o.color,
    stateDir: o.stateDir,
    sshAcceptNew: o.sshAcceptNew,
    connection: o.connection,
    forceHandlers: o.forceHandlers ?? false,
    flushCache: o.flushCache ?? false,
    vaultId: o.vaultId,
    vaultPasswordFile: [...o.vaultPasswordFile, ...o.vaultPassFile],
    askVaultPass: o.askVaultPass,
    become: o.become,
    becomeUser: o.becomeUser,
    becomeMethod: o.becomeMethod,
    askBecomePass: o.askBecomePass,
    user: o.user,
  };
}
