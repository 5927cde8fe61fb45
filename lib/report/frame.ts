import { readFileSync, statSync } from 'node:fs';
import type { Problem } from '../source/problem.js';

const cache = new Map<string, string[] | null>();

function linesOf(file: string): string[] | null {
  if (!cache.has(file)) {
    try {
      const st = statSync(file);
      // only regular files: a FIFO or device would block or never end
      if (!st.isFile() || st.size > 8 * 1024 * 1024) cache.set(file, null);
      else {
        const text = readFileSync(file, 'utf8');
        cache.set(file, text.includes('\0') ? null : text.split('\n'));
      }
    } catch {
      cache.set(file, null);
    }
  }
  return cache.get(file)!;
}

/** A warning's one line: `warning: FILE:LINE:COL: message (hint)`. */
export const formatWarning = (w: Problem): string => `warning: ${w.file}:${w.line}:${w.col}: ${w.message}${w.hint ? ` (${w.hint})` : ''}`;

/** `file:line:col: message`, the line with a marker under the column, and the hint. */
export function formatProblem(p: Problem, color = false): string {
  const red = (s: string) => (color ? `\x1b[31m${s}\x1b[0m` : s);
  const dim = (s: string) => (color ? `\x1b[2m${s}\x1b[0m` : s);
  // (line 0: a place in no file, as an ad hoc command's play has)
  const out = [`${p.line ? `${p.file}:${p.line}:${p.col}: ` : ''}${red('error:')} ${p.message}`];
  const lines = linesOf(p.file);
  if (lines && p.line >= 1 && p.line <= lines.length) {
    const width = String(Math.min(lines.length, p.line + 1)).length;
    for (let n = Math.max(1, p.line - 1); n <= Math.min(lines.length, p.line + 1); n++) {
      const text = lines[n - 1].replace(/\t/g, '→').slice(0, 160);
      if (n === p.line) {
        out.push(`${red('>')} ${String(n).padStart(width)} | ${text}`);
        out.push(`  ${' '.repeat(width)} | ${' '.repeat(Math.max(0, p.col - 1))}${red('^')}`);
      } else if (text.trim()) out.push(dim(`  ${String(n).padStart(width)} | ${text}`));
    }
  }
  if (p.hint) out.push(`  hint: ${p.hint}`);
  return out.join('\n');
}
