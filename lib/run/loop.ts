import { readdirSync } from 'node:fs';
import { basename, dirname, isAbsolute, join } from 'node:path';
import picomatch from 'picomatch';
import type { TaskNode } from '../playbook/index.js';
import { renderValue, withLookup } from '../vars/index.js';
import { ModuleFailure } from '../modules/index.js';

type Vars = Record<string, unknown>;

function fileglob(patterns: unknown, dirs: string[]): string[] {
  const out: string[] = [];
  for (const p of (Array.isArray(patterns) ? patterns : [patterns]).map(String)) {
    const candidates = isAbsolute(p) ? [p] : dirs.map((d) => join(d, p));
    for (const c of candidates) {
      const dir = dirname(c);
      const match = picomatch(basename(c));
      let names: string[] = [];
      try {
        names = readdirSync(dir);
      } catch {
        continue;
      }
      const found = names.filter((n) => match(n)).sort().map((n) => join(dir, n));
      if (found.length) {
        out.push(...found);
        break;
      }
    }
  }
  return out;
}

/** The items of a task's loop (loop:, with_items, with_dict, with_fileglob, with_NAME of any lookup). */
export function loopItems(task: TaskNode, vars: Vars, playbookDir: string): unknown[] {
  const spec = task.kw.loop;
  const render = (v: unknown) => renderValue(v, vars);
  if (spec && typeof spec === 'object' && !Array.isArray(spec)) {
    const s = spec as Record<string, unknown>;
    if ('__flatten' in s) {
      const v = render(s.__flatten);
      return (Array.isArray(v) ? v : [v]).flatMap((x) => (Array.isArray(x) ? x : [x]));
    }
    if ('__dict' in s) {
      const d = render(s.__dict);
      if (!d || typeof d !== 'object' || Array.isArray(d)) throw new ModuleFailure('with_dict expects a dict');
      return Object.entries(d).map(([key, value]) => ({ key, value }));
    }
    if ('__with' in s) {
      try {
        return withLookup(String(s.__with), render(s.terms), vars);
      } catch (e) {
        if ((e as Error).name === 'LookupError') throw new ModuleFailure((e as Error).message);
        throw e;
      }
    }
    if ('__fileglob' in s) {
      const dirs = [task.role ? join(task.role.path, 'files') : '', join(task.dir, 'files'), task.dir, join(playbookDir, 'files'), playbookDir].filter(Boolean);
      return fileglob(render(s.__fileglob), dirs);
    }
  }
  const v = render(spec);
  if (!Array.isArray(v)) throw new ModuleFailure(`loop expects a list, got ${v === null ? 'null' : typeof v}`, { loop: v });
  return v;
}
