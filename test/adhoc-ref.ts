// The ad hoc command's cases: each an `ansible` command line (agri-play: `agri-play adhoc` with the
// same words), run in a folder of its own with test/adhoc/ (an inventory of local hosts with their
// interpreter named, so neither tool discovers one). `npm run record:adhoc` records ansible-core's
// stdout and exit code of each (test/adhoc/expected.json); test/adhoc.test.ts compares agri-play's.
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { root } from './helpers.js';

export const ADHOC_DIR = join(root, 'test/adhoc');
export const ADHOC_EXPECTED = join(ADHOC_DIR, 'expected.json');

export interface AdhocCase {
  argv: string[];
  /** Refused before anything runs: by both, not compared by output (ansible's usage text or ERROR!, exit 1 or 5; agri-play's message on stderr, exit 4 or 5). */
  refused?: boolean;
  /** Files the run writes (its --tree), compared too. */
  files?: string[];
}

const INV = ['-i', 'inv.ini'];
export const ADHOC_CASES: AdhocCase[] = [
  { argv: ['localhost', '-m', 'ping'] },
  { argv: ['all', ...INV, '-m', 'ping', '-f', '1'] },
  { argv: ['h1', ...INV, '-a', 'echo hello'] },
  { argv: ['h1', ...INV, '-m', 'shell', '-a', 'echo out; echo err >&2; exit 3'] },
  { argv: ['h1', ...INV, '-o', '-m', 'shell', '-a', 'echo out; echo two; echo err >&2'] },
  { argv: ['h1', ...INV, '-o', '-m', 'fail', '-a', 'msg=boom'] },
  { argv: ['h1', ...INV, '-o', '-m', 'debug', '-a', 'msg=x'] },
  { argv: ['h1', ...INV, '-m', 'command', '-a', '{"argv": ["echo", "a b"]}'] },
  { argv: ['h1', ...INV, '-m', 'debug', '-a', 'msg="hello {{ inventory_hostname }}"'] },
  { argv: ['h1', ...INV, '-m', 'debug', '-a', 'var=group_names'] },
  { argv: ['h1', ...INV, '-m', 'debug', '-a', 'msg={{ undefined_thing }}'] },
  { argv: ['h1', ...INV, '-m', 'file', '-a', 'path=missing/x'] },
  { argv: ['h1', ...INV, '-m', 'copy', '-a', 'content=x dest=out.txt', '--check'] },
  { argv: ['h1', ...INV, '-m', 'set_fact', '-a', 'a=1 b=two'] },
  { argv: ['h1', ...INV, '-m', 'stat', '-a', 'path=/nonexistent'] },
  { argv: ['h1', ...INV, '-m', 'fail', '-a', 'msg=boom'] },
  { argv: ['h1', ...INV, '-m', 'assert', '-a', 'that="1 == 2"'] },
  { argv: ['h1', ...INV, '-m', 'ping', '-o'] },
  { argv: ['h1', ...INV, '-m', 'ping', '-t', 'tree'], files: ['tree/h1'] },
  { argv: ['h1', ...INV, '-a', 'echo {{ greeting }}', '-e', 'greeting=hi'] },
  { argv: ['g', ...INV, '--list-hosts'] },
  { argv: ['all', ...INV, '-l', 'h2', '--list-hosts'] },
  { argv: ['g', ...INV, '-l', 'h2', '-m', 'ping'], refused: true },
  { argv: ['nomatch', ...INV, '-m', 'ping'] },
  { argv: ['h1', ...INV, '-m', 'command'], refused: true },
  { argv: ['h1', ...INV, '-m', 'include_vars', '-a', 'vars.yml'] },
  { argv: ['h1', ...INV, '-m', 'shell', '-a', 'echo {{ item }}', '-e', '{"item": "x"}', '-v'] },
];

export const caseKey = (c: AdhocCase): string => c.argv.join(' ');

export interface AdhocOutput {
  rc: number;
  stdout: string;
  files?: Record<string, string>;
}

/** Runs one case with `tool` (the words before the case's) in a copy of test/adhoc. */
export async function adhocRun(tool: string[], c: AdhocCase, env: Record<string, string> = {}): Promise<AdhocOutput> {
  const d = mkdtempSync(join(tmpdir(), 'agri-adhoc-'));
  try {
    cpSync(ADHOC_DIR, d, { recursive: true });
    const r = await execa(tool[0], [...tool.slice(1), ...c.argv], { cwd: d, reject: false, stdin: 'ignore', env: { ANSIBLE_NOCOLOR: '1', NO_COLOR: '1', ...env } });
    const files = c.files ? Object.fromEntries(c.files.map((f) => [f, readFileSync(join(d, f), 'utf8')])) : undefined;
    // (the folder's name, which differs from run to run, as <dir>)
    return { rc: r.exitCode ?? -1, stdout: String(r.stdout).replaceAll(d, '<dir>'), ...(files ? { files } : {}) };
  } finally {
    rmSync(d, { recursive: true, force: true });
  }
}
