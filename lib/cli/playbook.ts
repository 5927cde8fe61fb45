import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { addLibraryDir } from '../modules/util/library-dirs.js';
import { setFactsModules } from '../modules/util/facts-modules.js';
import { Exit, InputError, UsageError } from '../errors.js';
import { checkTemplates, loadPlaybook, loadWarnings, setErrorOnMissingHandler } from '../playbook/index.js';
import { readVarDir, setGroupChars, type Inventory, type VarSet } from '../inventory/index.js';
import { buildPlan, segmentsOf, startAt, type Plan } from '../plan/index.js';
import { adhocRenderers, dumpResult, formatWarning, graphText, playGraphText, renderText, textRenderers, type Event } from '../report/index.js';
import { DopplerClient, dopplerFromEnv, loadVarsFiles, type PlayFiles, Redactor, renderText as renderTemplate, SecretError, SecretStore } from '../vars/index.js';
import { ansibleSettings, type AnsibleSettings, jinja2, makeDirs, problem, setDuplicateKeys, setHashMerge, takeYamlWarnings, type Problem } from '../source/index.js';
import type { Playbook } from '../playbook/index.js';
import type { CliOptions } from './args.js';
import type { RunCarry } from '../run/index.js';
import { parseExtraVars } from './extra-vars.js';
import { limitWithFiles } from './limit.js';
import { inventoriesFrom } from './inventories.js';
import { askVarsPrompts } from './prompt.js';
import { setupVault } from './vault.js';
import { becomeDefaults } from './become.js';
import { interrupts } from './signals.js';
import type { Output } from './output.js';
import { jsonText } from '../source/pyint.js';

function listHosts(plan: Plan, out: Output): void {
  for (const pp of plan.plays) {
    out.line(`\nplay #${pp.play.index + 1} (${pp.play.hosts}): ${pp.play.name}\tTAGS: [${pp.play.tags.join(', ')}]`);
    out.line(`  pattern: ['${pp.play.hosts}']`);
    out.line(`  hosts (${pp.hosts.length}):`);
    for (const h of pp.hosts) out.line(`    ${h}`);
  }
}

/** The ad hoc command's --list-hosts: its one play's hosts, without the play. */
function listAdhocHosts(plan: Plan, out: Output): void {
  const hosts = plan.plays[0]?.hosts ?? [];
  out.line(`  hosts (${hosts.length}):`);
  for (const h of hosts) out.line(`    ${h}`);
}

/**
 * CLI.get_host_list's warnings: an inventory with no hosts has only the implicit localhost (which
 * `all` does not match; localhost_warning), and a pattern that matches none of its hosts runs nothing;
 * a --limit that leaves none is an error.
 */
function adhocHostWarnings(plan: Plan, inventory: Inventory, o: { limit?: string; localhostWarning: boolean }, out: Output): void {
  const pattern = plan.plays[0]?.pattern ?? '';
  const empty = [...inventory.hosts.keys()].every((h) => inventory.implicit?.has(h));
  if (empty && o.localhostWarning && !['localhost', '127.0.0.1', '::1'].includes(pattern)) out.error("[WARNING]: provided hosts list is empty, only localhost is available. Note that the implicit localhost does not match 'all'");
  if (plan.plays[0]?.hosts.length || empty) return;
  if (o.limit !== undefined) throw new UsageError('Specified inventory, host pattern and/or --limit leaves us with no hosts to target.');
  out.error('[WARNING]: No hosts matched, nothing to do');
}

/** ansible's tree callback (ad hoc -t DIR): each host's result, as JSON, in DIR/HOST (a skipped host's not). */
function writeTree(dir: string, e: Extract<Event, { event: 'step_end' }>, verbosity: number, redactor: Redactor): void {
  if (e.status === 'skipped' || e.run_once_copy || !e.result) return;
  try {
    makeDirs(dir, 0o755);
    // (what it writes passes the redactor, as every line printed does)
    writeFileSync(join(dir, e.host), redactor.redact(dumpResult(e.result, verbosity, undefined)));
  } catch (err) {
    throw new UsageError(`--tree ${dir}: cannot write ${e.host}'s result: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

/** Ansible's --list-tasks: `ROLE : name` (rendered where play-level variables suffice), with tags. */
function listTasks(plan: Plan, out: Output, extraVars: Record<string, unknown>): void {
  for (const pp of plan.plays) {
    out.line(`\n  play #${pp.play.index + 1} (${pp.play.hosts}): ${pp.play.name}\tTAGS: [${pp.play.tags.join(', ')}]`);
    out.line('    tasks:');
    for (const f of pp.flat) {
      if (f.handler || f.task.module === 'meta') continue;
      const role = f.task.role;
      let name = f.task.name;
      try {
        if (name.includes('{')) name = renderTemplate(name, { ...(role?.defaults ?? {}), ...pp.play.vars, ...(role?.vars ?? {}), ...extraVars, role_name: role?.name });
      } catch {
        /* needs host variables: shown as written, as Ansible does */
      }
      out.line(`      ${role ? `${role.name} : ` : ''}${name}\tTAGS: [${f.tags.join(', ')}]`);
    }
  }
}

function graphOf(plan: Plan, format: 'mermaid' | 'dot' | 'mermaid-steps' | 'dot-steps'): string {
  return (format.endsWith('-steps') ? graphText : playGraphText)(
    {
      plays: plan.plays.map((pp) => ({
        name: pp.play.name,
        index: pp.play.index,
        after: pp.after,
        ...(pp.lanes ? { lanes: [...pp.lanes.keys()] } : {}),
        hosts: pp.hosts.map((host) => ({ host, steps: pp.flat.filter((f) => !f.handler && f.task.module !== 'meta').map((f, i) => ({ id: `${pp.play.index}/${host}/${i}`, label: f.task.name })) })),
      })),
    },
    format.replace(/-steps$/, '') as 'mermaid' | 'dot',
  );
}

/** `vars_from: doppler` (or `{doppler: {project, config}}`): a play's variables from a Doppler config. */
async function loadVarsFrom(pb: Playbook, secrets: SecretStore, playFiles: Map<number, PlayFiles>): Promise<void> {
  for (const play of pb.plays) {
    const spec = play.varsFrom;
    if (spec === undefined) continue;
    const scope = typeof spec === 'object' && spec && 'doppler' in spec ? ((spec as { doppler: { project?: string; config?: string } }).doppler ?? {}) : spec === 'doppler' ? {} : undefined;
    if (!scope) throw new InputError([problem(play.pos, `play '${play.name}': vars_from must be 'doppler' or {doppler: {project, config}}`)]);
    try {
      const secret = await secrets.load(scope);
      const files = playFiles.get(play.index);
      // (over the play's vars_files: for every host, whatever files its own variables name)
      if (files) {
        Object.assign(files.vars, secret);
        files.parts?.push(secret);
      }
    } catch (e) {
      if (e instanceof SecretError) throw new InputError([problem(play.pos, `play '${play.name}': vars_from: doppler: ${e.message}`)]);
      throw e;
    }
  }
}

/** Inventory variables' templates are parsed at load too: a syntax error stops the run (exit 4); an unknown filter warns. */
function checkInventoryTemplates(inventory: Inventory): void {
  const problems: Problem[] = [];
  const all: VarSet[] = [...inventory.groups.values(), ...inventory.hosts.values(), ...inventory.varDirs.flatMap((d) => [...d.groups.values(), ...d.hosts.values()])];
  for (const owner of all) {
    for (const [k, v] of Object.entries(owner.vars)) {
      const at = owner.varPos?.[k] ?? { file: inventory.sources[0] ?? '<inventory>', line: 1, col: 1 };
      const found: Problem[] = [];
      checkTemplates(v, at, found, true);
      problems.push(...found.map((p) => ({ ...p, ...at })));
    }
  }
  if (problems.length) throw new InputError(problems);
}

/**
 * What the playbooks of one command share (ansible-playbook A B: one inventory, one
 * VariableManager, one set of stats): the inventory as the playbook before left it (add_host,
 * group_by), the folders whose group_vars/host_vars it has read, and its run's variables and counts.
 */
export interface Session {
  inventory?: { inventory: Inventory; sources: string[] };
  varDirs: Set<string>;
  run?: RunCarry;
}

/** `agri-play PLAYBOOK -i INV`: load → resolve → plan → run → report. Returns the exit code. */
export async function playbookCommand(o: CliOptions, out: Output, cwd = process.cwd(), redactor = new Redactor(), session: Session = { varDirs: new Set() }, settings?: AnsibleSettings): Promise<number> {
  if (!o.playbook) throw new UsageError('missing PLAYBOOK (try: agri-play playbooks/site.yaml -i edge)');
  if (o.detailedExitcode && !o.check) throw new UsageError('--detailed-exitcode needs --check');
  // ansible.cfg and ANSIBLE_* as ansible-core finds them; what agri-play has no use for is named
  // (the caller's, where it read them already: an ad hoc command)
  const cfg = settings ?? ansibleSettings(cwd);
  // ([tags] run/skip of ansible.cfg, ANSIBLE_RUN_TAGS/_SKIP_TAGS: --tags and --skip-tags are appended to them, as ansible-playbook's)
  const tags = [...new Set([...cfg.runTags, ...o.tags])];
  const skipTags = [...new Set([...cfg.skipTags, ...o.skipTags])];
  // hash_behaviour: how every layer of variables goes over the one below (before anything is read)
  setHashMerge(cfg.hashMerge);
  // duplicate_dict_key: a YAML key written twice is warned of (printed as each file is read), refused, or passed over
  setDuplicateKeys(cfg.duplicateKeys);
  setGroupChars(cfg.groupChars);
  setErrorOnMissingHandler(cfg.errorOnMissingHandler);
  // (an ad hoc command's warnings as ansible's: its one play has no file to point at)
  const warning = (w: Problem) => (o.adhoc ? `[WARNING]: ${w.message}` : formatWarning(w));
  const yamlWarned = () => takeYamlWarnings().forEach((w) => out.error(warning(w)));
  // facts_modules (ANSIBLE_FACTS_MODULES): what gather_facts runs, unless a host's ansible_facts_modules says
  setFactsModules(cfg.factsModules);
  // vault secrets before anything is read: any YAML file (an -e @file too) may be vaulted
  await setupVault(o, cfg, cwd, redactor);
  const extraVars = parseExtraVars(o.extraVars, cwd);
  jinja2.native = cfg.jinja2Native;
  if (cfg.ignored.length) out.error(`warning: ${cfg.file ?? 'ANSIBLE_* variables'}: settings agri-play does not have, ignored: ${cfg.ignored.join(', ')}`);
  // ansible.cfg's library (ANSIBLE_LIBRARY): module folders after the playbook's and roles' own library/
  for (const d of cfg.library) addLibraryDir(d, { configured: true });
  const playbook = loadPlaybook(resolve(cwd, o.playbook), { ...(o.adhoc ? { doc: [o.adhoc.play] } : {}), gathering: cfg.gathering, rolesPath: cfg.rolesPath, extraVars, anyErrorsFatal: cfg.anyErrorsFatal, gatherDefaults: cfg.gatherDefaults });
  // ansible.cfg's no_log (ANSIBLE_NO_LOG): the keyword's default, under whatever a play, block or task says
  if (cfg.noLog) for (const play of playbook.plays) play.kw.noLog ??= true;
  // read once (or the one the playbook before in the command left), and again by meta: refresh_inventory
  const readInventory = (fresh = true) => {
    const { inventory, sources, warnings } = !fresh && session.inventory ? { ...session.inventory, warnings: [] } : inventoriesFrom(o.inventory.length ? o.inventory : cfg.inventory, cwd, cfg.inventoryEnabled);
    for (const w of warnings) out.error(`[WARNING]: ${w}`);
    if (fresh) session.varDirs.clear();
    // group_vars/ and host_vars/ beside the playbook, as ansible-core's host_group_vars reads them (over those beside the inventory)
    const varProblems: Problem[] = [];
    if (!session.varDirs.has(playbook.dir)) readVarDir(inventory, playbook.dir, true, varProblems);
    session.varDirs.add(playbook.dir);
    if (varProblems.length) throw new InputError(varProblems);
    checkInventoryTemplates(inventory);
    // -c is the default a variable overrides: the `all` group's value, unless the inventory sets one there
    const all = inventory.groups.get('all');
    if (o.connection && all && all.vars.ansible_connection === undefined) all.vars.ansible_connection = o.connection;
    return { inventory, sources };
  };
  const { inventory, sources } = readInventory(false);
  session.inventory = { inventory, sources };
  if (playbook.plays.some((p) => p.varsPrompt)) await askVarsPrompts(playbook, extraVars, redactor, Boolean(process.stdin.isTTY) && !o.syntaxCheck && !o.listHosts && !o.listTasks && !o.graph, (msg) => out.error(`warning: ${msg}`));
  yamlWarned();
  for (const w of loadWarnings) out.error(warning(w));
  const stateDir = resolve(cwd, o.stateDir ?? '.agri-play');
  // journals and saved handlers go there: a folder that cannot be made is the operator's to fix, named before anything runs
  if (!o.syntaxCheck && !o.listHosts && !o.listTasks && !o.graph) {
    try {
      makeDirs(stateDir, 0o700);
    } catch (e) {
      throw new UsageError(`${o.stateDir ? '--state-dir' : 'the state folder'} ${stateDir} cannot be made: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message} (give --state-dir a folder you can write)`);
    }
  }
  let limit = o.limit === undefined ? undefined : limitWithFiles(o.limit, cwd);
  if (o.resume) {
    const { hostsToResume } = await import('../run/journal.js');
    const last = hostsToResume(stateDir);
    const again = last?.hosts ?? [];
    if (again.length === 0) {
      out.line(last ? `--resume: nothing to resume, every host of the last run (${last.file}) succeeded` : '--resume: no earlier run in ' + stateDir);
      return Exit.ok;
    }
    out.error(`--resume: ${again.join(', ')} (${last!.why}: ${last!.file})`);
    limit = limit ? `${again.join(',')}:&${limit}` : again.join(',');
  }
  const start = o.startAtTask === undefined ? undefined : startAt(playbook, o.startAtTask, { tags, skipTags });
  // (ansible-playbook says so after its run; nothing runs then)
  if (start === null) out.error(`agri-play: No matching task "${o.startAtTask}" found. Note: --start-at-task can only follow static includes.`);
  const planOpts = { limit, tags, skipTags, extraVars, startAt: start, strategy: cfg.strategy };
  const plan = buildPlan(playbook, inventory, planOpts);
  // plays after a group_by/add_host are planned when it has run, on the inventory it changed (their warnings then)
  const segments = segmentsOf(plan);
  const warn = (p: Plan) => p.warnings.forEach((w) => out.error(warning(w)));
  const segment = (k: number) => {
    const part = buildPlan(playbook, inventory, { ...planOpts, only: segments[k] });
    if (k > 0) warn(part);
    return part;
  };
  const first = segments.length > 1 ? segment(0) : plan;
  warn(first);
  const playFiles = loadVarsFiles(playbook);
  yamlWarned();
  const secrets = new SecretStore(new DopplerClient(dopplerFromEnv()), redactor);
  if (o.syntaxCheck) {
    out.line(`\nplaybook: ${o.playbook}`);
    return Exit.ok;
  }
  if (o.adhoc) adhocHostWarnings(plan, inventory, { limit: o.limit, localhostWarning: cfg.localhostWarning }, out);
  if (o.listHosts || o.listTasks || o.graph) {
    if (o.listHosts) (o.adhoc ? listAdhocHosts : listHosts)(plan, out);
    if (o.listTasks) listTasks(plan, out, extraVars);
    if (o.graph) out.line(graphOf(plan, o.graph));
    return Exit.ok;
  }
  await loadVarsFrom(playbook, secrets, playFiles);
  const renderers = o.adhoc
    ? adhocRenderers({ color: out.color, verbosity: o.verbose, diff: o.diff, oneLine: o.adhoc.oneLine, warn: (s) => out.error(s) })
    : textRenderers({ color: out.color, verbosity: o.verbose, diff: o.diff, customStats: cfg.showCustomStats });
  const tree = o.adhoc?.tree;
  const emit = (e: Event) => {
    if (tree && e.event === 'step_end') writeTree(tree, e, o.verbose, redactor);
    if (o.json) out.line(jsonText(e));
    else {
      const text = renderText(e, renderers);
      if (text !== undefined) out.line(text);
    }
  };
  // the executor (connections, drivers) loads only for a run: --syntax-check, --list-* never need it
  const { runPlan } = await import('../run/index.js');
  let next = 1;
  const summary = await runPlan(
    first,
    inventory,
    {
      configFile: cfg.file ?? null,
      check: o.check,
      diff: o.diff,
      forks: o.forks ?? cfg.forks ?? 10,
      verbosity: o.verbose,
      results: Boolean(o.adhoc),
      extraVars,
      tagFilter: { tags, skipTags },
      playbook: o.playbook,
      playbookDir: playbook.dir,
      inventorySources: sources,
      limit: o.limit,
      reloadInventory: () => (session.inventory = readInventory()).inventory,
      stateDir,
      emit,
      redactor,
      secrets,
      signals: interrupts(),
      // host_key_checking = False: StrictHostKeyChecking=no (unknown keys recorded, a changed one let through for key logins)
      connectOptions: { ssh: { acceptNew: o.sshAcceptNew, hostKeyChecking: cfg.hostKeyChecking, user: o.user ?? cfg.remoteUser, port: cfg.remotePort, keyFile: cfg.privateKeyFile, timeout: cfg.timeout, args: cfg.sshArgs } },
      becomeDefaults: await becomeDefaults(o, cfg, redactor),
      forceHandlers: o.forceHandlers || cfg.forceHandlers === true,
      facts: { cache: cfg.factCache, inject: cfg.injectFacts, flush: o.flushCache },
      privateRoleVars: cfg.privateRoleVars,
      ansibleManaged: cfg.ansibleManaged,
      shellExecutable: cfg.executable,
      carry: session.run,
    },
    playFiles,
    () => (next < segments.length ? segment(next++) : undefined),
  );
  session.run = summary.carry;
  // (include_vars, a template's from_yaml… read during the run)
  yamlWarned();
  if (summary.exitCode === Exit.ok && o.check && o.detailedExitcode && Object.values(summary.recap).some((c) => c.changed > 0)) return Exit.changes;
  return summary.exitCode;
}
