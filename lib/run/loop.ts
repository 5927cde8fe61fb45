import { readdirSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { basename, dirname, isAbsolute, join } from 'node:path';
import picomatch from '../source/vendor/picomatch.js';
import type { LoopControl, TaskNode } from '../playbook/index.js';
import { renderData, renderValue, withLookup } from '../vars/index.js';
import { ModuleFailure } from '../modules/index.js';
import { str as pyStr } from '../source/python.js';
import { dictItems, withFloats } from '../source/index.js';

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
  // (a whole-valued float written in the loop stays a float: `loop: [2.0]`)
  const render = (v: unknown) => renderData(withFloats(v), vars);
  if (spec && typeof spec === 'object' && !Array.isArray(spec)) {
    const s = spec as Record<string, unknown>;
    if ('__flatten' in s) {
      const v = render(s.__flatten);
      return (Array.isArray(v) ? v : [v]).flatMap((x) => (Array.isArray(x) ? x : [x]));
    }
    if ('__list' in s) {
      const v = render(s.__list);
      if (!Array.isArray(v)) throw new ModuleFailure('with_list expects a list');
      return v;
    }
    if ('__dict' in s) {
      const d = render(s.__dict);
      if (!d || typeof d !== 'object' || Array.isArray(d)) throw new ModuleFailure('with_dict expects a dict');
      return dictItems(d as Record<string, unknown>).map(([key, value]) => ({ key, value }));
    }
    if ('__with' in s) {
      try {
        return withLookup(String(s.__with), render(s.terms), vars, task.module);
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
  if (!Array.isArray(v)) throw new ModuleFailure(`Invalid data passed to 'loop', it requires a list, got this instead: ${pyStr(v)}. Hint: If you passed a list/dict of just one element, try adding wantlist=True to your lookup invocation or use q/query instead of lookup.`, { loop: v });
  return v;
}

/** Ansible's `ansible_loop` under `loop_control: {extended: true}`. */
export function loopInfo(items: unknown[], i: number, allitems: unknown = true): Vars {
  const n = items.length;
  const info: Vars = { index: i + 1, index0: i, first: i === 0, last: i + 1 === n, length: n, revindex: n - i, revindex0: n - i - 1 };
  if (allitems !== false && allitems !== 'false' && allitems !== 'no') info.allitems = items;
  if (i + 1 < n) info.nextitem = items[i + 1];
  if (i > 0) info.previtem = items[i - 1];
  return info;
}

/** loop_control's pause between items; an abort of the run ends it early. */
export async function pauseFor(ms: number, signal: AbortSignal): Promise<void> {
  await sleep(ms, undefined, { signal }).catch(() => undefined);
}

/** loop_control as ansible-core's post_validate gives it: templated, but `label` (templated per item). */
export function renderLoopControl(lc: LoopControl | undefined, vars: Vars): LoopControl {
  if (!lc) return {};
  const { label, ...rest } = lc;
  return { ...(renderValue(rest, vars) as LoopControl), ...(label !== undefined ? { label } : {}) };
}
