import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { AgriError, Exit, UsageError } from '../errors.js';
import { closest, packageRoot } from '../source/index.js';
import { formatProblem } from '../report/index.js';
import { Redactor } from '../vars/index.js';
import { parseArgs } from './args.js';
import { CHECK_HELP } from './check.js';
import { NEW_HELP, newCommand } from './new.js';
import { DOC_HELP } from './doc-help.js';
import { COMMANDS, HELP } from './help.js';
import { processOutput, type Output } from './output.js';
import { playbookCommand, type Session } from './playbook.js';

export function version(): string {
  return (JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as { version: string }).version;
}

/** The one catch: AgriError → its message and code; anything else → an internal error report. */
export async function main(argv: string[], out?: Output, cwd = process.cwd()): Promise<number> {
  const verbose = argv.filter((a) => /^-v+$/.test(a)).reduce((n, a) => n + a.length - 1, 0);
  const color = !argv.includes('--no-color') && !argv.includes('--json') && Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;
  // -vvv prints stack traces: through the source maps (a TypeScript role's frames name its .ts lines)
  if (verbose >= 3) process.setSourceMapsEnabled(true);
  const redactor = new Redactor();
  const raw = out ?? processOutput(color);
  // every line the CLI prints passes the redactor: events, errors, recaps
  const o: Output = { color: raw.color, line: (s) => raw.line(redactor.redact(s)), error: (s) => raw.error(redactor.redact(s)) };
  try {
    // `COMMAND [SUB] --help`: that command's own usage, and nothing else happens
    if (COMMANDS.includes(argv[0]) && argv[0] !== 'adhoc' && argv.some((a) => a === '-h' || a === '--help')) {
      const subHelp = argv[1] && !argv[1].startsWith('-') ? HELP[`${argv[0]} ${argv[1]}`] : undefined;
      o.line(subHelp ?? (argv[0] === 'doc' ? DOC_HELP : argv[0] === 'check' ? CHECK_HELP : argv[0] === 'new' ? NEW_HELP : HELP[argv[0]]));
      return Exit.ok;
    }
    if (argv[0] === 'doc') return await (await import('./doc.js')).docCommand(argv.slice(1), o);
    if (argv[0] === 'new') return newCommand(argv.slice(1), o, cwd);
    if (argv[0] === 'check') return (await import('./check.js')).checkCommand(argv.slice(1), o, cwd);
    const typo = argv[0] && !argv[0].startsWith('-') && !COMMANDS.includes(argv[0]) && !existsSync(resolve(cwd, argv[0])) ? closest(argv[0], COMMANDS) : undefined;
    if (typo) throw new UsageError(`'${argv[0]}' is neither a playbook nor a command: did you mean 'agri-play ${typo}'?`);
    if (argv[0] === 'lab') return await (await import('./lab.js')).labCommand(argv.slice(1), o, cwd);
    if (argv[0] === 'roles') return await (await import('./roles.js')).rolesCommand(argv.slice(1), o, cwd);
    if (argv[0] === 'report') return (await import('./report.js')).reportCommand(argv.slice(1), o, cwd);
    if (argv[0] === 'adhoc') return await (await import('./adhoc.js')).adhocCommand(argv.slice(1), o, cwd, redactor, version());
    if (argv[0] === 'inventory') return await (await import('./inventory.js')).inventoryCommand(argv.slice(1), o, cwd, redactor);
    const opts = parseArgs(argv, version());
    if (!opts) return Exit.ok;
    // several playbooks run one after the other until one does not end ok, on one inventory, their hosts'
    // variables and counts going on from one to the next (as ansible-playbook runs them: one VariableManager, one recap's stats)
    let code: number = Exit.ok;
    const session: Session = { varDirs: new Set() };
    for (const playbook of opts.playbooks?.length ? opts.playbooks : [opts.playbook]) if ((code = await playbookCommand({ ...opts, playbook }, o, cwd, redactor, session)) !== Exit.ok) break;
    return code;
  } catch (e) {
    if (e instanceof AgriError) {
      if (e.problems.length) {
        for (const p of e.problems.slice(0, 50)) o.error(formatProblem(p, o.color));
        if (e.problems.length > 50) o.error(`… and ${e.problems.length - 50} more problems`);
        o.error(`\n${e.problems.length} problem${e.problems.length === 1 ? '' : 's'} found; nothing was run.`);
      } else o.error(`agri-play: ${e.message}`);
      // bad input is the user's to fix: never a stack trace, whatever the verbosity
      if (verbose >= 3 && e.stack && e.exitCode !== Exit.input && e.exitCode !== Exit.usage) o.error(e.stack);
      return e.exitCode;
    }
    o.error(`agri-play: internal error, please report it: ${(e as Error)?.message ?? String(e)}`);
    o.error((e as Error)?.stack ?? '');
    return Exit.internal;
  }
}
