import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { InputError, UsageError, Exit } from '../errors.js';
import { htmlReport, runModel, type Event } from '../report/index.js';
import { problem, type Problem } from '../source/index.js';
import type { Output } from './output.js';

/** The run journal's events; a line that is not an event is bad input at its line. */
export function readJournal(file: string): Event[] {
  if (!existsSync(file)) throw new InputError([problem({ file, line: 1, col: 1 }, 'no such journal', 'journals are in .agri-play/runs/*.ndjson')]);
  const events: Event[] = [];
  const problems: Problem[] = [];
  const lines = readFileSync(file, 'utf8').split('\n');
  lines.forEach((l, i) => {
    if (!l.trim()) return;
    try {
      const e = JSON.parse(l) as Event;
      if (typeof e?.event !== 'string') throw new Error('no "event" field');
      events.push(e);
    } catch (err) {
      // a torn last line (the run was killed mid-write) is expected; anything else is not a journal
      if (i < lines.length - 2 || events.length === 0) problems.push(problem({ file, line: i + 1, col: 1 }, `not a journal event: ${(err as Error).message}`, 'give the .ndjson file a run wrote (--json output or .agri-play/runs/)'));
    }
  });
  if (problems.length) throw new InputError(problems.slice(0, 5));
  return events;
}

export function newestJournal(stateDir: string): string {
  const dir = join(stateDir, 'runs');
  const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.ndjson')).sort() : [];
  if (!files.length) throw new UsageError(`no journal in ${dir}: name one (agri-play report RUN.ndjson -o run.html)`);
  return join(dir, files[files.length - 1]);
}

/** Writes the HTML picture of a journal; returns the page's path. */
export function writeReport(journal: string, out?: string): string {
  const target = out ?? journal.replace(/\.ndjson$/, '') + '.html';
  writeFileSync(target, htmlReport(runModel(readJournal(journal))), { mode: 0o600 });
  return target;
}

/** `agri-play report [RUN.ndjson] [-o run.html]` (no journal named: the newest in .agri-play/runs). */
export function reportCommand(argv: string[], o: Output, cwd: string): number {
  const at = argv.findIndex((a) => a === '-o' || a === '--output');
  if (at >= 0 && !argv[at + 1]) throw new UsageError('-o needs a file name');
  const out = at >= 0 ? resolve(cwd, argv[at + 1]) : undefined;
  const rest = at >= 0 ? [...argv.slice(0, at), ...argv.slice(at + 2)] : argv;
  if (rest.length > 1 || rest[0]?.startsWith('-')) throw new UsageError(`usage: agri-play report [RUN.ndjson] [-o run.html] (got ${rest.join(' ')})`);
  const journal = rest[0] ? resolve(cwd, rest[0]) : newestJournal(join(cwd, '.agri-play'));
  o.line(`report: ${writeReport(journal, out)}`);
  return Exit.ok;
}
