// Ansible's own script-style integration targets (a runme.sh that runs playbooks): each
// ansible-playbook invocation of the runme.sh, unchanged (its playbook, its -i/-e/--tags and the
// environment it sets), run in a copy of the target folder beside the inventory ansible-test writes
// (test/third_party/ansible/inventory). Compared by exit code and every host's recap; a playbook
// both refuse (ansible-core: ERROR!, exit 1 or 4; agri-play: exit 4) counts as the same.
// scripts/record-targets.ts records ansible-core's results; test/target-scripts.test.ts compares.
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { keygen, SSHD, sshdConfig } from '../lib/lab/sshd.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { root } from './helpers.js';
import { adhocTool, inNamespaces, LOOPBACK, toolsOnPath } from './targets-ref.js';

export interface ScriptRun {
  target: string;
  /** The arguments as runme.sh gives them (no quoting needed in these). */
  args: string;
  env?: Record<string, string>;
  /** What runme.sh greps the run's output (stdout and stderr) for: agri-play's must have it too (each of a list). */
  grep?: string | RegExp | (string | RegExp)[];
  /** What runme.sh's grep must not find in the output. */
  notGrep?: string;
  /** A shell command run first, as root, in a mount and network namespace of the run's own (runme.sh's `mount`), with the run's environment. */
  setup?: string;
  /** The folder of the target runme.sh runs it from, where not the target's own (`cd 1/2`). */
  dir?: string;
  /** Why agri-play does not give ansible-core's result here (the README lists these); not run by the test. */
  known?: string;
  /** A shell command run after it: what it leaves on the machine outside its folder (ansible-test's container would not keep it). */
  after?: string;
  /**
   * Run in a network namespace of its own with only loopback: a host it cannot reach (a link-local
   * address, a name no resolver knows) is refused there at once, not looked for on the machine's
   * network (test traffic stays on loopback).
   */
  netns?: boolean;
  /**
   * Run where ansible-test's ssh hosts answer (127.0.0.3, .4, .254): in network, mount and pid
   * namespaces of their own with a real sshd on port 22 of every loopback address, this user's
   * logins by a key made for the run (ANSIBLE_PRIVATE_KEY_FILE); host keys accepted and kept nowhere,
   * as ansible-test's throw-away ssh setup has it (ANSIBLE_HOST_KEY_CHECKING, ANSIBLE_SSH_ARGS, unless the run sets them).
   */
  sshd?: boolean;
  /** The playbook runs `ansible-playbook` or `ansible` itself (a `command` task): those names are the tool under test (`ansible`: its ad hoc command), on the PATH before the machine's. */
  nested?: boolean;
  /**
   * runme.sh runs the ad hoc `ansible` command (agri-play: `agri-play adhoc`): compared by exit code
   * and each host's state as its minimal or oneline callback shows it (SUCCESS, CHANGED, FAILED!, …),
   * or the hosts of --list-hosts.
   */
  adhoc?: boolean;
  /** The words as the shell gives them, where `args` (as runme.sh writes them) has double quotes or a `"` inside a word. */
  argv?: string[];
}


const INV = '../../inventory';

/** A runme.sh line as it is written: its VAR=value words, then the arguments (after the environment runme.sh exports). */
function runmeLine(target: string, line: string, exported: Record<string, string> = {}): ScriptRun {
  const words = line.split(' ');
  const assigns = words.filter((w, i) => /^[A-Z_]+=/.test(w) && words.slice(0, i).every((x) => /^[A-Z_]+=/.test(x)));
  const env = { ...exported, ...Object.fromEntries(assigns.map((a) => [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)])) };
  return { target, args: words.slice(assigns.length).join(' '), ...(Object.keys(env).length ? { env } : {}) };
}
/** runme.sh's `mktemp -d`, one per target and process, removed at exit: `${MYTMPDIR}` in an env value. */
const FACT_CACHE = { ANSIBLE_CACHE_PLUGIN: 'jsonfile', ANSIBLE_CACHE_PLUGIN_CONNECTION: '${MYTMPDIR}', ANSIBLE_CACHE_PLUGIN_PREFIX: 'prefix_' };
const tmpDirs = new Map<string, string>();
function myTmpDir(target: string): string {
  let d = tmpDirs.get(target);
  if (!d) {
    tmpDirs.set(target, (d = mkdtempSync(join(tmpdir(), 'agri-mytmpdir-'))));
    if (tmpDirs.size === 1) process.on('exit', () => tmpDirs.forEach((x) => rmSync(x, { recursive: true, force: true })));
  }
  return d;
}

export const SCRIPT_RUNS: ScriptRun[] = [
  ...['quiet', 'nested_tmpl'].map((t) => ({ target: 'assert', args: `-i localhost, -c local ${t}.yml` })),
  { target: 'set_fact', args: '-i inventory incremental.yml', env: { ANSIBLE_INJECT_FACT_VARS: '0' } },
  { target: 'set_fact', args: '-i inventory incremental.yml', env: { ANSIBLE_INJECT_FACT_VARS: '1' } },
  { target: 'set_fact', args: '-i inventory nowarn_clean_facts.yml' },
  // runme.sh's fact cache: one folder for the three runs, in this order
  ...['set_fact_cached_1.yml', 'set_fact_cached_2.yml', '--flush-cache set_fact_no_cache.yml'].map((p) => ({ target: 'set_fact', args: `-i inventory ${p}`, env: FACT_CACHE })),
  { target: 'set_fact', args: '-v set_fact_bool_conv.yml', env: { ANSIBLE_JINJA2_NATIVE: '0' } },
  { target: 'set_fact', args: '-v set_fact_bool_conv_jinja2_native.yml', env: { ANSIBLE_JINJA2_NATIVE: '1' } },
  { target: 'set_fact', args: '-i inventory set_fact_empty_str_key.yml' },
  { target: 'set_fact', args: '-i inventory set_fact_auto_unsafe.yml' },
  ...['', ' -e test_strategy=free', ' -e test_strategy=host_pinned'].map((e) => ({ target: 'blocks', args: `-vv main.yml -i ${INV}${e}` })),
  ...[
    `-vv block_fail.yml -i ${INV}`, '-vv block_rescue_vars.yml', '-vv always_failure_with_rescue_rc.yml', '-vv always_no_rescue_rc.yml', '-vv always_failure_no_rescue_rc.yml',
    `-vv issue29047.yml -i ${INV}`, `-vv block_in_rescue.yml -i ${INV}`, '-i host1,host2 -vv issue71306.yml', '-i host1,host2 --tags foo -vv 69848.yml',
    'inherit_notify.yml', 'unsafe_failed_task.yml', 'finalized_task.yml', '-i host1,host2 -vv 72725.yml', '-vv 43191.yml', '-vv 43191-2.yml',
  ].map((args) => ({ target: 'blocks', args })),
  { target: 'blocks', args: '-i host1,host2 -vv 72781.yml' },
  { target: 'blocks', args: '-i host1,host2 -vv 78612.yml' },
  { target: 'blocks', args: '-vv 79711.yml', env: { ANSIBLE_FORCE_HANDLERS: '0' } },
  ...[
    'test_handlers.yml -i inventory.handlers -v --tags scenario1', 'test_listening_handlers.yml -i inventory.handlers -v',
    'test_handlers.yml -i inventory.handlers -v --tags scenario2 -l A',
    'test_force_handlers.yml -i inventory.handlers -v --tags normal', 'test_force_handlers.yml -i inventory.handlers -v --tags normal --force-handlers',
    'test_force_handlers.yml -i inventory.handlers -v --tags normal --force-handlers -e fail_all=yes', 'test_force_handlers.yml -i inventory.handlers -v --tags force_true_in_play',
    'test_force_handlers.yml -i inventory.handlers -v --tags force_false_in_play --force-handlers',
    `test_handlers_include.yml -i ${INV} -v --tags playbook_include_handlers`, `test_handlers_include.yml -i ${INV} -v --tags role_include_handlers`,
    'test_handlers_listen.yml -i inventory.handlers -v', 'test_handlers_inexistent_notify.yml -i inventory.handlers',
    `test_handlers_including_task.yml -i ${INV} -v`, `test_role_handlers_including_tasks.yml -i ${INV} -v`, 'test_handlers_template_run_once.yml -i inventory.handlers',
    'test_handlers_meta.yml -i inventory.handlers -vv', '52561.yml -i inventory.handlers', '54991.yml -i inventory.handlers', 'order.yml -i inventory.handlers',
    'order.yml --force-handlers -e test_force_handlers=true -i inventory.handlers', 'test_flush_handlers_as_handler.yml -i inventory.handlers', 'test_skip_flush.yml -i inventory.handlers',
    'test_fqcn_meta_flush_handlers.yml -i inventory.handlers', '79776.yml -i inventory.handlers', 'test_block_as_handler.yml', 'test_block_as_handler-import.yml',
  ].map((args) => ({ target: 'handlers', args })),
  { target: 'handlers', args: 'from_handlers.yml -i inventory.handlers -v --tags scenario1' },
  { target: 'handlers', args: `test_handlers_include_role.yml -i ${INV} -v` },
  { target: 'handlers', args: 'test_handlers_any_errors_fatal.yml -e output_dir=/tmp -i inventory.handlers -v' },
  { target: 'handlers', args: '46447.yml -i inventory.handlers -vv' },
  { target: 'handlers', args: 'test_notify_included.yml' },
  { target: 'handlers', args: 'test_block_as_handler-include.yml' },
  { target: 'handlers', args: 'include_handlers_fail_force.yml --force-handlers -i inventory.handlers' },
  { target: 'handlers', args: 'test_flush_in_rescue_always.yml -i inventory.handlers' },
  { target: 'handlers', args: 'test_flush_handlers_rescue_always.yml -i inventory.handlers' },
  { target: 'handlers', args: 'test_handlers_inexistent_notify.yml -i inventory.handlers -v', env: { ANSIBLE_ERROR_ON_MISSING_HANDLER: 'false' } },
  { target: 'handlers', args: 'test_role_as_handler.yml' },
  { target: 'handlers', args: 'test_templating_in_handlers.yml -v', env: { ANSIBLE_ERROR_ON_MISSING_HANDLER: 'false' } },
  ...['--tags lazy_evaluation', '--tags evaluation_time -e test_var=myvar', '--tags evaluation_time'].map((a) => ({ target: 'handlers', args: `58841.yml ${a}` })),
  { target: 'handlers', args: 'test_handlers_infinite_loop.yml -i inventory.handlers' },
  // template: each ansible-playbook line of its runme.sh (the ad-hoc `ansible` and `ansible-config` lines are not playbooks)
  ...[`ansible_managed.yml -c ansible_managed.cfg -i ${INV} -v`, `custom_template.yml -i ${INV} -v`, 'unused_vars_include.yml -v', '6653.yml -v', '72262.yml -v', 'in_template_overrides.yml -v'].map((args) => ({ target: 'template', args })),
  { target: 'template', args: `template.yml -i ${INV} -v`, known: "`type_debug` naming Ansible's own class (NativeJinjaUnsafeText) of a convert_data=False template lookup's text: its first 154 tasks pass, task 155 fails" },
  { target: 'template', args: 'corner_cases.yml -v' },
  { target: 'template', args: 'filter_plugins.yml -v' },
  { target: 'template', args: 'undefined_var_info.yml -v' },
  { target: 'template', args: '72615.yml -v' },
  { target: 'template', args: 'unsafe.yml -v', known: "`type_debug` names Ansible's own classes (AnsibleUnsafeText)" },
  { target: 'template', args: `lazy_eval.yml -i ${INV} -v` },
  { target: 'template', args: `undefined_in_import.yml -i ${INV} -v` },
  // register: its runme.sh's three runs (the last two refused by both: a register name that is no variable name)
  ...['can_register.yml', 'invalid.yml', 'invalid_skipped.yml'].map((p) => ({ target: 'register', args: `${p} -i ${INV} -v` })),
  // loop_control: extended.yml (label.yml's run greps the output for its labels, not compared here)
  { target: 'loop_control', args: 'extended.yml' },
  // check_mode: its runme.sh's three runs
  ...[`check_mode.yml -i ${INV} -v --check`, `check_mode-on-cli.yml -i ${INV} -v --check`, `check_mode-not-on-cli.yml -i ${INV} -v`].map((args) => ({ target: 'check_mode', args })),
  { target: 'conditionals', args: `-i ${INV} play.yml` },
  // strategy_linear: its two runs (the second names each host's module by a template)
  ...['test_include_file_noop.yml -i inventory', 'task_action_templating.yml -i inventory'].map((args) => ({ target: 'strategy_linear', args })),
  // templating_settings: the first run (the second greps the output for a warning, not compared here)
  { target: 'templating_settings', args: `test_templating_settings.yml -i ${INV} -v` },
  // json_cleanup: a library module that writes text around its JSON
  { target: 'json_cleanup', args: 'module_output_cleaning.yml' },
  // throttle: its two runs (play-level run_once; a block's and a task's throttle; group_vars naming the loop's variable)
  ...['linear', 'free'].map((s) => ({ target: 'throttle', args: 'test_throttle.yml -vv -i inventory --forks 12', env: { SELECTED_STRATEGY: s } })),
  // omit: its runme.sh's runs (the first names two playbooks: the second sees the first's facts, as ansible-playbook runs them)
  { target: 'omit', args: `48673.yml 75692.yml -i ${INV} -v` },
  ...['-C C75692.yml', 'C75692.yml', '-C C75692.yml'].map((p) => ({ target: 'omit', args: `${p} -i ${INV} -v` })),
  // tags: its ansible_run_tags runs (the others grep --list-tasks output)
  ...['expect=all', 'expect=all --tags all', 'expect=list --tags tag1,tag3', 'expect=list --tags tag1 --tags tag3', 'expect=untagged --tags untagged', 'expect=untagged_list --tags untagged,tag3', 'expect=tagged --tags tagged'].map((e) => ({ target: 'tags', args: `-i ${INV} ansible_run_tags.yml -e ${e}` })),
  // includes: three of its runs (import_playbook's vars, the legacy include's key=value words and vars:; a handler notified from an include's task; a loop of includes with a rescue)
  ...[`test_includes.yml -i ${INV}`, 'inherit_notify.yml', 'includes_loop_rescue.yml --extra-vars strategy=linear'].map((args) => ({ target: 'includes', args })),
  // gathering: its three runs, one for each ANSIBLE_GATHERING
  // (its local fact goes, its /etc/ansible/facts.d stays: removed when empty)
  ...['smart', 'implicit', 'explicit'].map((g) => ({ target: 'gathering', args: `${g}.yml --flush-cache -i ${INV} -v`, env: { ANSIBLE_GATHERING: g }, after: 'rmdir /etc/ansible/facts.d /etc/ansible 2>/dev/null; true' })),
  { target: 'roles_var_inheritance', args: `-i ${INV} play.yml` },
  // playbook: its types.yml (a keyword's text that is no boolean fails the task) and timeout.yml runs
  ...['types.yml', 'timeout.yml'].map((p) => ({ target: 'playbook', args: `-i ${INV} ${p} -v` })),
  // var_templating: its run of task_vars_templating.yml (hostvars' templates rendered; no inventory: `all` is not the implicit localhost)
  { target: 'var_templating', args: 'task_vars_templating.yml -v' },
  // environment: play, block and task environments (a value that needs ansible_env before the facts are there is left out)
  { target: 'environment', args: `test_environment.yml -i ${INV}` },
  // filter_core: ansible-core's core filters (combine, comment, subelements, items2dict, to_uuid, b64encode's encodings, …), and undefined values' type errors
  ...['runme.yml', 'handle_undefined_type_errors.yml'].map((p) => ({ target: 'filter_core', args: p })),
  // test_core: ansible-core's tests (result tests on what is no result, reachable, started, version's types and errors, truthy's convert_bool, vault_encrypted)
  { target: 'test_core', args: '--vault-password-file vault-password runme.yml -i inventory' },
  // keyword_inheritance: a role's become from its meta dependency entry; include_role of a templated name over a loop (its handlers)
  ...['test.yml', 'dep_keyword_inheritance.yml'].map((p) => ({ target: 'keyword_inheritance', args: `-i ${INV} ${p}` })),
  // any_errors_fatal: its five runs (a play's, an include's, a failed host's always section still running; an include of a
  // role or file that is not there, reached behind a `when`, fails when reached and ends the play)
  ...['play_level.yml', 'on_includes.yml', 'always_block.yml'].map((p) => ({ target: 'any_errors_fatal', args: `-i inventory ${p}` })),
  ...['test_include_role', 'test_include_tasks'].map((t) => ({ target: 'any_errors_fatal', args: `-i inventory -e test_name=${t} 50897.yml` })),
  // debug: its nosetfacts.yml run (the other two grep the output for its item lines)
  { target: 'debug', args: 'nosetfacts.yml' },
  // order: its six runs, a templated `order:` (the JSON of its -e written without spaces: the same values)
  ...[
    '{"inputlist":["hostB","hostA","hostD","hostC"]}',
    '{"myorder":"inventory","inputlist":["hostB","hostA","hostD","hostC"]}',
    '{"myorder":"sorted","inputlist":["hostA","hostB","hostC","hostD"]}',
    '{"myorder":"reverse_sorted","inputlist":["hostD","hostC","hostB","hostA"]}',
    '{"myorder":"reverse_inventory","inputlist":["hostC","hostD","hostA","hostB"]}',
    '{"myorder":"shuffle","inputlist":["hostC","hostD","hostA","hostB"]}',
  ].map((e) => ({ target: 'order', args: `order.yml --forks 1 -i inventory -e ${e}` })),
  // hosts_field: its six runs, a play's hosts from a list, a variable of -e (kv, JSON, @file) or a list of them (JSON without spaces: the same values)
  ...['string_digit_host_in_list', 'hosts_from_kv_string', 'hosts_from_cli_json_string', 'hosts_from_cli_json_list', 'hosts_from_json_file_string', 'hosts_from_json_file_list'].map((t) => ({
    target: 'hosts_field',
    args: `test_hosts_field.yml -i inventory.hosts_field -e target_kv=42 -e {"target_json_cli":"42","target_json_cli_list":["42","localhost"]} -e @test_hosts_field.json -t ${t} -v`,
  })),
  // unicode: its two runs (the second with --start-at-task)
  { target: 'unicode', args: 'unicode.yml -i inventory -v -e extra_var=café' },
  { target: 'unicode', args: 'unicode.yml -i inventory -v --start-at-task *¶ -e start_at_task=True', env: { ANSIBLE_HOST_PATTERN_MISMATCH: 'warning' } },
  // lookup_ini: INI and .properties files, as Python's ConfigParser reads them
  { target: 'lookup_ini', args: 'test_ini.yml -i inventory -v' },
  // async_extra_data: an async library module whose output has text around its JSON (runme.sh greps the warning)
  runmeLine('async_extra_data', 'ANSIBLE_DEBUG=0 -i ../../inventory test_async.yml -v'),
  // special_vars_hosts: ansible_play_batch/ansible_play_hosts without a failed and an unreachable host (refused on 127.0.0.1:1011), across plays and meta: clear_host_errors
  { target: 'special_vars_hosts', args: '-i ./inventory playbook.yml' },
  // lookup_inventory_hostnames: patterns (`:!`, `:&`, globs) over the `groups` variable
  { target: 'lookup_inventory_hostnames', args: 'main.yml -i inventory' },
  // inventory: a --limit that matches no host, one naming a limit file that is not there or is a folder (all refused), an empty
  // limit file (runme.sh's is a `mktemp`; the target's test_empty.yml is empty too), group names with `-` under each
  // force_valid_group_names, an empty folder as the inventory, and a constructed source over a host list with -e from a file
  ...['--limit foo', '--limit @foo', '--limit @${OUTPUT_DIR}', '--limit @test_empty.yml'].map((l) => ({ target: 'inventory', args: `-i ${INV} ${l} playbook.yml` })),
  ...[undefined, 'always', 'never'].map((m) => ({ target: 'inventory', args: `-i ${INV} strategy.yml`, ...(m ? { env: { ANSIBLE_TRANSFORM_INVALID_GROUP_CHARS: m } } : {}) })),
  { target: 'inventory', args: '-i ${OUTPUT_DIR} playbook.yml' },
  { target: 'inventory', dir: '1/2', args: "-e @../vars.yml -i web_host.example.com, -i inventory.yml 3/extra_vars_relative.yml" },
  // dataloader: a vars file that is neither JSON nor YAML (refused); runme.sh greps the output for its JSON error
  { target: 'dataloader', args: '-i ../../inventory attempt_to_load_invalid_json.yml', grep: 'JSON:' },
  // noexec: the remote temp folder on a tmpfs mounted noexec (runme.sh's mount, here in the run's own mount namespace): ping and an async command
  { target: 'noexec', args: '-i inventory test-noexec.yml', env: { ANSIBLE_REMOTE_TMP: '${OUTPUT_DIR}/ramdisk' }, setup: 'mkdir -p "$OUTPUT_DIR/ramdisk" && mount -t tmpfs -o size=32m,noexec,rw tmpfs "$OUTPUT_DIR/ramdisk"' },
  // interpreter_discovery_python_delegate_facts: ping delegated to a host whose interpreter is discovered, with and without delegate_facts
  { target: 'interpreter_discovery_python_delegate_facts', args: 'delegate_facts.yml -i inventory' },
  // vars_files: a list entry's first file that is there, named by each host's inventory variable, directly and through a first_found lookup
  runmeLine('vars_files', 'runme.yml -i inventory -v'),
  // var_blending: group_vars/ files without an extension, -e @file
  { target: 'var_blending', args: 'test_var_blending.yml -i inventory -e @test_vars.yml -v' },
  // meta_tasks: end_host, end_play (with serial: 1, the second batch never starts), end_batch, under both strategies; refresh_inventory
  ...['linear', 'free'].flatMap((s) =>
    ['test_end_host', 'test_end_host_fqcn', 'test_end_host_all', 'test_end_host_all_fqcn', 'test_end_play', 'test_end_play_fqcn', 'test_end_play_serial_one', 'test_end_play_multiple_plays', 'test_end_batch'].map((p) => ({
      target: 'meta_tasks',
      args: `${p}.yml -i inventory.yml -e test_strategy=${s} -vv`,
    })),
  ),
  ...['refresh.yml', 'refresh_preserve_dynamic.yml'].map((p) => ({ target: 'meta_tasks', args: `-i inventory_refresh.yml ${p}` })),
  // delegate_to: 11 of its 14 runs (the others load a Python connection plugin, make a virtualenv, or run
  // ansible-playbook itself from a task)
  ...['test_delegate_to_loop_randomness.yml', 'delegate_and_nolog.yml', 'delegate_facts_block.yml', 'test_delegate_to_loop_caching.yml', 'discovery_applied.yml', 'resolve_vars.yml', 'delegate_facts_loop.yml'].map((p) => ({
    target: 'delegate_to',
    args: `${p} -i inventory -v`,
  })),
  { target: 'delegate_to', args: 'delegate_local_from_root.yml -i inventory -v -e ansible_user=root' },
  // (its hosts at 127.0.0.3 and .4, and one not in the inventory at 127.0.0.254, reached over ssh; a delegated host's ansible_host from a template of its own vars)
  { ...runmeLine('delegate_to', "test_delegate_to.yml -i inventory -v", { ANSIBLE_SSH_ARGS: '-C -o ControlMaster=auto -o ControlPersist=60s -o UserKnownHostsFile=/dev/null', ANSIBLE_HOST_KEY_CHECKING: 'false' }), sshd: true },
  { ...runmeLine('delegate_to', 'ANSIBLE_TIMEOUT=3 delegate_vars_hanldling.yml -i inventory -v'), sshd: true },
  // (its host at 4.2.2.2 is refused at once in a namespace with only loopback)
  { ...runmeLine('delegate_to', 'delegate_with_fact_from_delegate_host.yml'), netns: true },
  // include_import: 48 of its runme.sh's 49 runs, with its ANSIBLE_ROLES_PATH=./roles and strategies (the other greps
  // import_apply's error)
  ...[
    'ANSIBLE_STRATEGY=linear playbook/test_import_playbook_tags.yml -i inventory --tags canary1,canary22,validate --skip-tags skipme',
    'ANSIBLE_STRATEGY=linear tasks/test_import_tasks.yml -i inventory',
    'ANSIBLE_STRATEGY=free tasks/test_import_tasks.yml -i inventory',
    'ANSIBLE_STRATEGY=free tasks/test_import_tasks_tags.yml -i inventory --tags tasks1,canary1,validate',
    'ANSIBLE_STRATEGY=linear tasks/test_include_tasks.yml -i inventory',
    'ANSIBLE_STRATEGY=free tasks/test_include_tasks.yml -i inventory',
    'ANSIBLE_STRATEGY=free tasks/test_include_tasks_tags.yml -i inventory --tags tasks1,canary1,validate',
    'ANSIBLE_STRATEGY=linear role/test_include_role.yml -i inventory',
    'ANSIBLE_STRATEGY=free role/test_include_role.yml -i inventory',
    '-v role/test_include_role_vars_from.yml',
    'ANSIBLE_STRATEGY=linear test_role_recursion.yml -i inventory',
    'ANSIBLE_STRATEGY=linear test_role_recursion_fqcn.yml -i inventory',
    'ANSIBLE_STRATEGY=linear test_nested_tasks.yml -i inventory',
    'ANSIBLE_STRATEGY=linear test_nested_tasks_fqcn.yml -i inventory',
    'ANSIBLE_STRATEGY=free test_nested_tasks.yml -i inventory',
    'ANSIBLE_STRATEGY=free test_nested_tasks_fqcn.yml -i inventory',
    'ANSIBLE_STRATEGY=linear test_copious_include_tasks.yml -i inventory',
    'ANSIBLE_STRATEGY=linear test_copious_include_tasks_fqcn.yml -i inventory',
    'ANSIBLE_STRATEGY=free test_copious_include_tasks.yml -i inventory',
    'ANSIBLE_STRATEGY=free test_copious_include_tasks_fqcn.yml -i inventory',
    'ANSIBLE_STRATEGY=linear test_grandparent_inheritance.yml -i inventory',
    'ANSIBLE_STRATEGY=linear test_grandparent_inheritance_fqcn.yml -i inventory',
    'ANSIBLE_STRATEGY=linear undefined_var/playbook.yml -i inventory',
    'ANSIBLE_STRATEGY=free undefined_var/playbook.yml -i inventory',
    'ANSIBLE_STRATEGY=linear apply/include_apply.yml -i inventory --tags foo',
    'ANSIBLE_STRATEGY=linear ANSIBLE_PLAYBOOK_VARS_ROOT=all apply/include_apply_65710.yml -i inventory',
    'ANSIBLE_STRATEGY=free ANSIBLE_PLAYBOOK_VARS_ROOT=all apply/include_apply_65710.yml -i inventory',
    'ANSIBLE_STRATEGY=linear tasks/test_include_dupe_loop.yml -i inventory',
    'ANSIBLE_STRATEGY=free tasks/test_include_dupe_loop.yml -i inventory',
    'public_exposure/playbook.yml -i inventory',
    'public_exposure/no_bleeding.yml -i inventory',
    'public_exposure/no_overwrite_roles.yml -i inventory',
    'ANSIBLE_HOST_PATTERN_MISMATCH=warning run_once/playbook.yml',
    '-v handler_addressing/playbook.yml',
    '-v parent_templating/playbook.yml',
    'test_loop_var_bleed.yaml',
    'valid_include_keywords/playbook.yml',
    'tasks/test_allow_single_role_dup.yml',
    'ANSIBLE_HOST_PATTERN_MISMATCH=error empty_group_warning/playbook.yml',
    'test_include_loop.yml',
    'test_include_loop_fqcn.yml',
    'include_role_omit/playbook.yml',
    'tasks/test_templating_IncludeRole_FA.yml',
    'issue73657.yml',
    'playbook/test_import_playbook.yml -i inventory',
    'ANSIBLE_STRATEGY=linear role/test_import_role.yml -i inventory',
    'ANSIBLE_STRATEGY=free role/test_import_role.yml -i inventory',
    // (runme.sh gives its three key=value words in one -e: the same variables)
    'playbook/test_templated_filenames.yml -e pb=validate_templated_playbook.yml -e tasks=validate_templated_tasks.yml -e tasks_from=templated.yml',
  ].map((line) => runmeLine('include_import', line, { ANSIBLE_ROLES_PATH: './roles' })),
  // parsing: its two runs (bad and good key=value forms)
  ...['bad_parsing.yml -i ../../inventory -vvv --tags prepare,common,scenario5', 'good_parsing.yml -i ../../inventory -v'].map((line) => runmeLine('parsing', line)),
  // templating_lookups: 2 of its 3 runs, the template lookup of a vaulted file and a deep copy (the third loads a Python lookup plugin)
  ...['template_lookup_vaulted/playbook.yml --vault-password-file template_lookup_vaulted/test_vault_pass', 'template_deepcopy/playbook.yml -i template_deepcopy/hosts'].map((line) => runmeLine('templating_lookups', line)),
  // var_precedence: its run (vars_files naming a playbook: a list of mappings, merged), then runme.sh's own Python check, not a playbook
  runmeLine('var_precedence', 'test_var_precedence.yml -i inventory -v -e extra_var=extra_var -e extra_var_override=extra_var_override'),
  // group_by: its 2 runs (a group_by in an included file, groups' group_vars, parents); includes_race and handler_race: their one
  ...['test_group_by.yml -i inventory.group_by -v', 'ANSIBLE_HOST_PATTERN_MISMATCH=warning test_group_by_skipped.yml -i inventory.group_by -v'].map((line) => runmeLine('group_by', line)),
  runmeLine('includes_race', 'test_includes_race.yml -i inventory -v'),
  runmeLine('handler_race', 'test_handler_race.yml -i inventory -v'),
  // tasks: an undefined name, free-form text on a module that takes none; path_lookups: where a file lookup looks, in a role and in a play
  runmeLine('tasks', 'playbook.yml'),
  runmeLine('path_lookups', 'play.yml -i ../../inventory -v'),
  // ignore_unreachable: its 3 runs (the third's unreachable host: ansible-core exits 4, agri-play 3, DESIGN's exit code, inAgriTerms)
  runmeLine('ignore_unreachable', 'ANSIBLE_CONNECTION_PLUGINS=./fake_connectors test_with_bad_plugins.yml -i inventory -v'),
  // (their host `nonexistent` is 169.254.199.200: in a namespace of their own, refused at once)
  { ...runmeLine('ignore_unreachable', 'test_cannot_connect.yml -i inventory -v'), netns: true },
  { ...runmeLine('ignore_unreachable', 'test_base_cannot_connect.yml -i inventory -v'), netns: true },
  // include_when_parent_is_dynamic/_static, retry_task_name_in_callback: their one run (runme.sh then greps its output)
  ...['include_when_parent_is_dynamic', 'include_when_parent_is_static'].map((t) => runmeLine(t, 'playbook.yml')),
  runmeLine('retry_task_name_in_callback', '-i ../../inventory test.yml'),
  // roles: its 8 runs (runme.sh greps the first 6 for their debug lines; here their recaps): a role once per play unless
  // allow_duplicates, defaults/main/ as a folder of files, a tasks_from outside the role refused
  ...['no_dupes.yml -i ../../inventory --tags inroles', 'no_dupes.yml -i ../../inventory --tags acrossroles', 'no_dupes.yml -i ../../inventory --tags intasks', 'no_dupes.yml -i ../../inventory', 'allowed_dupes.yml -i ../../inventory --tags importrole', 'allowed_dupes.yml -i ../../inventory --tags includerole', 'data_integrity.yml -i ../../inventory', 'no_outside.yml -i ../../inventory'].map((line) => runmeLine('roles', line)),
  // module_precedence: its 16 runs (a library module shadows a built-in: the playbook's and roles' library/, then
  // ANSIBLE_LIBRARY; of ping.py and ping.ini, the .py)
  ...[
    'modules_test.yml -i ../../inventory -v',
    'ANSIBLE_LIBRARY=lib_with_extension modules_test_envvar.yml -i ../../inventory -v',
    'ANSIBLE_LIBRARY=lib_no_extension modules_test_envvar.yml -i ../../inventory -v',
    'ANSIBLE_ROLES_PATH=roles_with_extension modules_test_role.yml -i ../../inventory -v',
    'ANSIBLE_ROLES_PATH=roles_no_extension modules_test_role.yml -i ../../inventory -v',
    'ANSIBLE_LIBRARY=lib_no_extension ANSIBLE_ROLES_PATH=roles_with_extension modules_test_role.yml -i ../../inventory -v',
    'ANSIBLE_LIBRARY=lib_with_extension ANSIBLE_ROLES_PATH=roles_with_extension modules_test_role.yml -i ../../inventory -v',
    'ANSIBLE_LIBRARY=lib_no_extension ANSIBLE_ROLES_PATH=roles_no_extension modules_test_role.yml -i ../../inventory -v',
    'ANSIBLE_LIBRARY=lib_with_extension ANSIBLE_ROLES_PATH=roles_no_extension modules_test_role.yml -i ../../inventory -v',
    'ANSIBLE_LIBRARY=lib_no_extension ANSIBLE_ROLES_PATH=multiple_roles modules_test_multiple_roles.yml -i ../../inventory -v',
    'ANSIBLE_LIBRARY=lib_with_extension ANSIBLE_ROLES_PATH=multiple_roles modules_test_multiple_roles.yml -i ../../inventory -v',
    'ANSIBLE_LIBRARY=lib_no_extension ANSIBLE_ROLES_PATH=multiple_roles modules_test_multiple_roles.yml -i ../../inventory -v',
    'ANSIBLE_LIBRARY=lib_with_extension ANSIBLE_ROLES_PATH=multiple_roles modules_test_multiple_roles.yml -i ../../inventory -v',
    'ANSIBLE_LIBRARY=lib_with_extension ANSIBLE_ROLES_PATH=multiple_roles modules_test_multiple_roles_reverse_order.yml -i ../../inventory -v',
    'ANSIBLE_LIBRARY=lib_with_extension modules_test_envvar_ext.yml -i ../../inventory -v',
    'ANSIBLE_ROLES_PATH=roles_with_extension modules_test_role_ext.yml -i ../../inventory -v',
  ].map((line) => runmeLine('module_precedence', line)),
  // no_log: its 8 runs (runme.sh counts what their output hides; here their recaps; no_log_local.yml's unreachable
  // host: ansible-core exits 4, agri-play 3, DESIGN's exit code, inAgriTerms)
  // (no_log_local.yml's host `fake` is reached over SSH by that name: in a namespace of its own, no resolver knows it)
  { ...runmeLine('no_log', 'no_log_local.yml -i ../../inventory -vvvvv'), netns: true },
  ...['dynamic.yml -i ../../inventory -vvvvv -e unsafe_show_logs=no', 'dynamic.yml -i ../../inventory -vvvvv -e unsafe_show_logs=yes', 'no_log_suboptions.yml -i ../../inventory -vvvvv', 'no_log_suboptions_invalid.yml -i ../../inventory -vvvvv', 'no_log_config.yml -i ../../inventory -vvvvv', 'ANSIBLE_NO_LOG=0 no_log_config.yml -i ../../inventory -vvvvv', 'ANSIBLE_NO_LOG=1 no_log_config.yml -i ../../inventory -vvvvv'].map((line) => runmeLine('no_log', line)),
  // unvault and lookup_unvault: the unvault lookup of a vaulted file and of a plain one (runme.sh's quotes around 'secret' are the shell's)
  runmeLine('unvault', '--vault-password-file password main.yml'),
  runmeLine('lookup_unvault', 'unvault.yml --vault-password-file=secret -v'),
  // lookup_fileglob: its 9 runs, the loops of runme.sh written out (`-e "seed='x'"` is the word seed='x')
  ...[
    ...['play_adj', 'play_adj_subdir', 'somepath/play_adj_subsubdir', 'in_role', 'otherpath/in_role_subdir'].map((seed) => `find_levels/play.yml -e seed='${seed}'`),
    ...['foo', 'foo/bar', 'foo/bar/baz'].map((seed) => `non_existent/play.yml -e seed='${seed}'`),
    'issue72873/test.yml',
  ].map((line) => runmeLine('lookup_fileglob', line)),
  // jinja2_native_types: 4 of its 5 runs, with runme.sh's ANSIBLE_JINJA2_NATIVE=1 (runtests.yml's casts need NativeJinjaText)
  ...['--vault-password-file test_vault_pass test_vault.yml -v', 'test_hostvars.yml -v', 'nested_undefined.yml -v', 'test_preserving_quotes.yml -v'].map((line) => runmeLine('jinja2_native_types', line, { ANSIBLE_JINJA2_NATIVE: '1' })),
  // hash: its 4 runs, hash_behaviour replace and merge over every layer (runme.sh's JSON_ARG, in the quotes it is one word in)
  // set_stats: both runs (runme.sh greps the second's output for the aggregated value: test/custom-stats.test.ts)
  ...['test_simple.yml', 'test_aggregate.yml'].map((p) => runmeLine('set_stats', `${p} -i ${INV}`, { ANSIBLE_SHOW_CUSTOM_STATS: 'yes' })),
  // strategy_free: an include_tasks in the always section of a failed block runs (runme.sh greps its task's output; the recap counts it)
  runmeLine('strategy_free', 'test_last_include_in_always.yml -i inventory', { ANSIBLE_STRATEGY: 'free' }),
  // gathering_facts: 8 of its 9 runs (gather_subset, filter, fact_path, ansible_mounts, smart gathering with a play's run_once, the facts
  // modules of ansible_facts_modules and ANSIBLE_FACTS_MODULES merged, module_defaults of gather_facts and setup; not the network
  // devices' facts modules, which need their collections); its first run leaves a local fact in
  // /etc/ansible/facts.d, which it makes world-writable (mode 0777: any user's .fact would run as root at the next gathering)
  { ...runmeLine('gathering_facts', 'test_gathering_facts.yml -i inventory -e output_dir=${OUTPUT_DIR} -v'), after: 'rm -rf /etc/ansible/facts.d/testfact.fact /tmp/custom_facts.d; rmdir /etc/ansible/facts.d /etc/ansible 2>/dev/null; [ ! -d /etc/ansible/facts.d ] || chmod 0755 /etc/ansible/facts.d' },
  // (test_run_once.yml's copy makes /etc/ansible/facts.d and removes only its fact: the empty folder goes)
  { ...runmeLine('gathering_facts', 'ANSIBLE_GATHERING=smart test_run_once.yml -i inventory -v'), after: 'rmdir /etc/ansible/facts.d /etc/ansible 2>/dev/null; true' },
  ...['test_prevent_injection.yml -i inventory -v', 'prevent_clobbering.yml -v', 'verify_subset.yml'].map((line) => runmeLine('gathering_facts', line)),
  ...["verify_merge_facts.yml -v -e 'ansible_facts_parallel: False'", 'test_module_defaults.yml --tags default_fact_module'].map((line) => runmeLine('gathering_facts', line)),
  runmeLine('gathering_facts', 'test_module_defaults.yml --tags custom_fact_module', { ANSIBLE_FACTS_MODULES: 'ansible.legacy.setup' }),
  // template_jinja2_non_native: with runme.sh's ANSIBLE_JINJA2_NATIVE=1, a template's `#jinja2:` overrides and its macro; its
  // other run's first 5 tasks pass (a JSON template written as it is), its 6th asks type_debug for Ansible's own class
  runmeLine('template_jinja2_non_native', 'macro_override.yml -v', { ANSIBLE_JINJA2_NATIVE: '1' }),
  { ...runmeLine('template_jinja2_non_native', '46169.yml -v', { ANSIBLE_JINJA2_NATIVE: '1' }), known: "`type_debug` naming Ansible's own class (NativeJinjaUnsafeText) of a template lookup's text in native mode" },
  // lookup_password: its run (runme.sh's pip install of passlib is not needed: ansible-core hashes with Python's crypt without it)
  runmeLine('lookup_password', 'runme.yml -e output_dir=${OUTPUT_DIR}', { ANSIBLE_ROLES_PATH: '../' }),
  // unsafe_writes: its 3 runs (a file in an immutable folder replaced in place with unsafe_writes, or ANSIBLE_UNSAFE_WRITES in the task's environment)
  ...['', 'ANSIBLE_UNSAFE_WRITES=1 ', 'ANSIBLE_UNSAFE_WRITES=0 '].map((env) => runmeLine('unsafe_writes', `${env}basic.yml -i ${INV}`)),
  // path_with_comma_in_inventory: an inventory path with commas is a path; inventory_advanced_host_list: its playbook run
  // (`local100,local[100:110:2]`: a host list with a range; its other lines run the ad hoc `ansible` command)
  runmeLine('path_with_comma_in_inventory', '-i this,path,has,commas/hosts playbook.yml -v'),
  { target: 'inventory_advanced_host_list', args: "-i 'local100,local[100:110:2]' test_advanced_host_list.yml -v", env: { ANSIBLE_INVENTORY_ENABLED: 'advanced_host_list' } },
  // remote_tmp: become to an unprivileged user the play makes, and no AnsiballZ files left in ~/.ansible/tmp
  runmeLine('remote_tmp', `-i ${INV} playbook.yml -v`),
  // filter_mathstuff: its one run (a variable whose template needs one rendered after it, through a lazy hostvars entry)
  runmeLine('filter_mathstuff', 'runme.yml', { ANSIBLE_ROLES_PATH: '../' }),
  // play_iterator: --start-at-task of a task whose name has a space
  runmeLine('play_iterator', "playbook.yml --start-at-task 'task 2'"),
  // import_tasks: a notify on an import_tasks goes to its tasks; inventory_ini: become settings as ini host variables
  runmeLine('import_tasks', 'inherit_notify.yml'),
  runmeLine('inventory_ini', '-v -i inventory.ini test_ansible_become.yml'),
  ...['replace', 'merge'].flatMap((b) => [`ANSIBLE_HASH_BEHAVIOUR=${b} test_hash.yml -i ../../inventory -v -e '{"test_hash":{"extra_args":"this is an extra arg"}}'`, `ANSIBLE_HASH_BEHAVIOUR=${b} test_inventory_hash.yml -i test_inv1.yml -i test_inv2.yml -v`]).map((line) => runmeLine('hash', line)),
  // (its grep of the warning: test/cli.test.ts)
  runmeLine('var_reserved', 'reserved_varname_warning.yml'),
  // (become_method su, from root: to itself)
  runmeLine('raw', '-i ../../inventory runme.yml -v', { ANSIBLE_BECOME_ALLOW_SAME_USER: '1', ANSIBLE_ROLES_PATH: '../' }),
  // roles' argument specs: the validate_argument_spec task a role starts with (rescued, its errors' words), a collection's role by its FQCN (its last run's grep: not compared)
  ...['test.yml', 'test_complex_role_fails.yml', 'test_play_level_role_fails.yml', 'test_tags.yml -i ../../inventory --tags bar'].map((f) => runmeLine('roles_arg_spec', f.includes(' ') ? f : `${f} -i ../../inventory`)),
  // module_defaults' action groups: ansible-core's own (`testgroup`, `testlegacy`) and a collection's (its meta/runtime.yml, extend_group), by
  // short and full names, a module ansible-core's runtime routes to the collection (formerly_core_ping), the collections keyword;
  // its test_defaults.yml needs the collection's Python action plugins
  runmeLine('module_defaults', `test_action_groups.yml -i ${INV} -v`),
  // (the metadata warnings in ansible-core's words, and none with ANSIBLE_VALIDATE_ACTION_GROUP_METADATA false, from runs it starts itself)
  { ...runmeLine('module_defaults', `test_action_group_metadata.yml -i ${INV} -v`), nested: true },
  // The ad hoc `ansible` command's runs in the targets' runme.sh (agri-play adhoc): adhoc's (a task timeout, -a as JSON)
  { target: 'adhoc', adhoc: true, args: "-a 'sleep 20' --task-timeout 5 localhost", grep: 'The command action failed to execute in the expected time frame (5) and was terminated' },
  { target: 'adhoc', adhoc: true, args: `--task-timeout 5 localhost -m command -a '{"cmd": "whoami"}'`, grep: 'rc=0' },
  // include_vars-ad-hoc: include_vars of a file, and of a folder
  ...["'dir/inc.yml'", "'dir=dir'"].map((a) => ({ target: 'include_vars-ad-hoc', adhoc: true, args: `testhost -i ../../inventory -m include_vars -a ${a}` })),
  // limit_inventory: patterns and --limit with empty terms (runme.sh greps --list-hosts' count)
  ...(
    [
      ['all --limit ,,', 3], [',,', 3], [',', 3], ['all --limit ,', 3], ["all --limit ''", 3], ['all --limit ,,host1', 1], [',,host1', 1], ['all --limit host1,,', 1], ['host1,,', 1],
      ['all --limit host1,,host3', 2], ['host1,,host3', 2], ["all --limit 'host1, ,    ,host3'", 2], ["'host1, ,    ,host3'", 2],
    ] as const
  ).map(([a, n]) => ({ target: 'limit_inventory', adhoc: true, args: `-i hosts.yml ${a} --list-hosts`, grep: `hosts (${n})` })),
  // template: a host's variables that cannot be rendered are not rendered when another host's hostvars are
  { target: 'template', adhoc: true, args: `testhost -i testhost, -m debug -a 'msg={{ hostvars["localhost"] }}' -e "vars1={{ undef() }}" -e "vars2={{ vars1 }}"`, argv: ['testhost', '-i', 'testhost,', '-m', 'debug', '-a', 'msg={{ hostvars["localhost"] }}', '-e', 'vars1={{ undef() }}', '-e', 'vars2={{ vars1 }}'] },
  // lookup_env: the env lookup's default for an unset variable (runme.sh greps for it), an empty one, and default=Undefined (fails)
  ...(['nobody', '', 'Undefined'] as const).map((d) => {
    const msg = `msg={{ lookup('env', 'USR', default=${d === 'Undefined' ? d : "'nobody'"})}}`;
    return { target: 'lookup_env', adhoc: true, args: `-m debug -a ${msg.replace('msg=', 'msg="')}" localhost`, argv: ['-m', 'debug', '-a', msg, 'localhost'], ...(d === '' ? { env: { USR: '' } } : {}), ...(d === 'nobody' ? { grep: 'nobody' } : {}) };
  }),
  // include_import: include_role ad hoc
  { ...runmeLine('include_import', '-m include_role -a name=role1 localhost', { ANSIBLE_ROLES_PATH: './roles' }), adhoc: true },
  // inventory_advanced_host_list: a host list's ranges (runme.sh greps each host's pong, in the oneline callback it sets), one
  // whose range does not parse (the source is passed over), a list without a comma (no source), a range without an end (a host as written)
  ...[
    { argv: ['-i', 'local[0:10],', '-m', 'ping', '--connection=local', '-e', 'ansible_python_interpreter={{ ansible_playbook_python }}', 'all', '-v'], grep: Array.from({ length: 11 }, (_, i) => new RegExp(`local${i} \\| SUCCESS.*"ping": "pong"`)) },
    { argv: ['-i', 'local[1:j],', '-m', 'ping', '--connection=local', 'all', '-v'], grep: 'Failed to parse local[1:j], with advanced_host_list' },
    { argv: ['-i', 'local[1:],', '-m', 'ping', '--connection=local', '-e', 'ansible_python_interpreter={{ ansible_playbook_python }}', 'all', '-vvv'], grep: /local\[1:\] \| SUCCESS/ },
  ].map((r) => ({ target: 'inventory_advanced_host_list', adhoc: true, args: r.argv.join(' '), env: { ANSIBLE_INVENTORY_ENABLED: 'advanced_host_list', ANSIBLE_LOAD_CALLBACK_PLUGINS: 'True', ANSIBLE_STDOUT_CALLBACK: 'oneline' }, ...r })),
  // ansible: ping and setup on the controller inventory's host; playbook_dir from ANSIBLE_PLAYBOOK_DIR, --playbook-dir and ansible.cfg
  ...['-m ping', '-m setup'].map((m) => ({ target: 'ansible', adhoc: true, args: `testhost -i ../../inventory ${m}` })),
  ...[{ env: { ANSIBLE_PLAYBOOK_DIR: '/doesnotexist/tmp' } }, { args: ' --playbook-dir=/doesnotexist/tmp' }, { env: { ANSIBLE_CONFIG: './playbookdir_cfg.ini' } }].map((v) => ({
    target: 'ansible',
    adhoc: true,
    args: `localhost -m debug -a var=playbook_dir${v.args ?? ''}`,
    ...(v.env ? { env: v.env } : {}),
    grep: '"playbook_dir": "/doesnotexist/tmp"',
  })),
  // missing_required_lib: a library module's missing_required_lib message, from ad hoc `ansible -m import_role` runs its tasks start
  { ...runmeLine('missing_required_lib', `-i ${INV} runme.yml -e output_dir=\${OUTPUT_DIR} -v`, { ANSIBLE_ROLES_PATH: '../' }), nested: true },
  // connection_local: the connection target's test.sh with its local hosts (from ../connection, as runme.sh cds there): unicode
  // through raw, copy and fetch, meta: reset_connection, and set_fact ad hoc, whose output has no connection variable
  ...['test_connection.yml', 'test_reset_connection.yml'].map((p) => ({ target: 'connection_local', dir: '../connection', args: `${p} -i ../connection_local/test_connection.inventory -e target_hosts=local -e action_prefix= -e local_tmp=/tmp/ansible-local -e remote_tmp=/tmp/ansible-remote` })),
  { target: 'connection_local', dir: '../connection', adhoc: true, args: 'all -i ../connection_local/test_connection.inventory -m set_fact -a testing=value -v', notGrep: 'ansible_host' },
  // (and its playbook runs: -e of a file name without `@` is refused, with it read)
  ...['--extra-vars /tmp/non-existing-file', '--extra-vars ./vars.yml', '--extra-vars @./vars.yml'].map((e) => runmeLine('ansible', `-i ../../inventory ${e} playbook.yml`)),
];

/** The words of a run's arguments: split at spaces, but for a word in single quotes (given without them). */
const argWords = (args: string): string[] => (args.match(/'[^']*'|\S+/g) ?? []).map((w) => (w.length > 1 && w.startsWith("'") && w.endsWith("'") ? w.slice(1, -1) : w));

/** What a test compares: exit code and each host's recap line. */
export interface ScriptResult {
  rc: number;
  recap: Record<string, string>;
}

export const runKey = (r: ScriptRun): string => `${r.target}: ${r.args}${r.env ? ` (${Object.entries(r.env).map(([k, v]) => `${k}=${v}`).join(' ')})` : ''}`;

/** Runs one invocation in a fresh copy of the targets, from the target's folder as runme.sh does. */
export async function scriptRun(cmd: string[], r: ScriptRun): Promise<ScriptResult> {
  return (await scriptRunOutput(cmd, r)).result;
}

/** scriptRun's result, and the run's output (stdout, then stderr). */
export async function scriptRunOutput(cmd: string[], r: ScriptRun): Promise<{ result: ScriptResult; output: string }> {
  const d = mkdtempSync(join(tmpdir(), 'agri-script-'));
  // the target itself is copied (its playbooks write beside them); the others, which it reads as
  // roles and files, are linked (a copy of all 7 MiB was half of CI's time)
  const targets = join(root, 'test/third_party/ansible/targets');
  mkdirSync(join(d, 'targets'));
  // (and the one it runs from, where runme.sh cds to another target: it writes there too)
  const from = r.dir?.startsWith('../') ? r.dir.split('/')[1] : undefined;
  for (const t of readdirSync(targets)) {
    if (t === r.target || t === from) cpSync(join(targets, t), join(d, 'targets', t), { recursive: true });
    else symlinkSync(join(targets, t), join(d, 'targets', t));
  }
  cpSync(join(root, 'test/third_party/ansible/inventory'), join(d, 'inventory'));
  const cwd = join(d, 'targets', r.target, r.dir ?? '');
  // ansible-test gives a script target an OUTPUT_DIR of its own
  const output = join(d, 'output');
  mkdirSync(output);
  const env = { ANSIBLE_NOCOLOR: '1', NO_COLOR: '1', ANSIBLE_LOCALHOST_WARNING: 'False', ANSIBLE_ROLES_PATH: join(d, 'targets'), OUTPUT_DIR: output, ANSIBLE_ASYNC_DIR: join(d, '.ansible_async'), ...Object.fromEntries(Object.entries(r.env ?? {}).map(([k, v]) => [k, v.replace('${MYTMPDIR}', () => myTmpDir(r.target)).replace('${OUTPUT_DIR}', output)])) };
  if (r.nested) Object.assign(env, { PATH: toolsOnPath(d, cmd) });
  const args = (r.argv ?? argWords(r.args)).map((w) => w.replace('${OUTPUT_DIR}', output));
  const tool = r.adhoc ? adhocTool(cmd) : cmd;
  const argv = r.sshd ? inNamespaces(withSshd(d, env), [...tool, ...args], true) : r.netns || r.setup ? inNamespaces(r.setup ? `${LOOPBACK} && ${r.setup}` : LOOPBACK, [...tool, ...args]) : [...tool, ...args];
  const res = await execa(argv[0], argv.slice(1), { cwd, reject: false, timeout: 300_000, env, stdin: 'ignore' }).finally(async () => {
    rmSync(d, { recursive: true, force: true });
    if (r.after) await execa('sh', ['-c', r.after], { reject: false });
  });
  const recap = r.adhoc ? adhocStates(String(res.stdout)) : recapsOf(String(res.stdout));
  return { result: { rc: res.exitCode ?? -1, recap }, output: `${String(res.stdout)}\n${String(res.stderr)}` };
}

/** Each host's recap line. */
function recapsOf(stdout: string): Record<string, string> {
  const recap: Record<string, string> = {};
  for (const m of stdout.matchAll(/^(\S+)\s+:\s+(ok=\d+\s+changed=\d+\s+unreachable=\d+\s+failed=\d+\s+skipped=\d+\s+rescued=\d+\s+ignored=\d+)/gm)) recap[m[1]] = m[2].replace(/\s+/g, ' ');
  return recap;
}


/** An ad hoc run's hosts: each one's state (`HOST | SUCCESS =>`, `HOST | FAILED | rc=1 >>`, …), or --list-hosts' count and names. */
function adhocStates(stdout: string): Record<string, string> {
  const states: Record<string, string> = {};
  for (const m of stdout.matchAll(/^(\S+) \| (SUCCESS|CHANGED|FAILED!?|UNREACHABLE!|SKIPPED)\b/gm)) states[m[1]] = m[2];
  const listed = /^ {2}hosts \((\d+)\):\n((?: {4}\S+\n?)*)/m.exec(stdout);
  if (listed) states['--list-hosts'] = `${listed[1]}: ${listed[2].trim().split(/\s+/).filter(Boolean).join(' ')}`;
  return states;
}

/** The setup of an `sshd` run's namespaces: keys and config in `dir`, sshd started and answering; the run's env told of the key. */
function withSshd(dir: string, env: Record<string, string>): string {
  const ssh = join(dir, 'ssh');
  mkdirSync(ssh, { mode: 0o700 });
  const login = keygen(ssh, 'id_ed25519');
  writeFileSync(join(ssh, 'authorized_keys'), login.pub + '\n');
  writeFileSync(join(ssh, 'sshd_config'), sshdConfig({ port: 22, listen: '0.0.0.0', hostKey: keygen(ssh, 'host').priv, dir: ssh }) + '\n');
  Object.assign(env, { ANSIBLE_PRIVATE_KEY_FILE: login.priv, ANSIBLE_HOST_KEY_CHECKING: 'False', ANSIBLE_SSH_ARGS: '-o UserKnownHostsFile=/dev/null' }, { ...env });
  return `${LOOPBACK} && mkdir -p /run/sshd && ${SSHD} -f ${join(ssh, 'sshd_config')} && for i in $(seq 100); do ssh-keyscan -T 1 127.0.0.1 >/dev/null 2>&1 && break; sleep 0.1; done`;
}

/** Both refuse the playbook: ansible-core's ERROR! (exit 1 or 4, no recap) and agri-play's exit 4. */
export const bothRefuse = (want: ScriptResult, got: ScriptResult): boolean => (want.rc === 1 || want.rc === 4) && Object.keys(want.recap).length === 0 && got.rc === 4;

/**
 * ansible-core's result as agri-play's exit codes say it (DESIGN's contract): its 4 after a run
 * (a recap: hosts were unreachable, failed ones or not) is agri-play's 3 when no host failed, else 2.
 */
export function inAgriTerms(want: ScriptResult): ScriptResult {
  if (want.rc !== 4 || Object.keys(want.recap).length === 0) return want;
  const failed = Object.values(want.recap).some((line) => !/\bfailed=0\b/.test(line));
  return { ...want, rc: failed ? 2 : 3 };
}
