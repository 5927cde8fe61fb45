import { isAbsolute } from 'node:path';
import { findModule, probe, quickDirectory } from '../modules/index.js';
import type { Step } from '../plan/index.js';
import { removeOmit, renderValue } from '../vars/index.js';
import type { RunCtx, Vars } from './context.js';
import { moduleCtx } from './module-ctx.js';
import { varsForStep } from './step-vars.js';
import { connectionKind } from './reach.js';

/** Argument names that hold a path a module's check will stat. */
const PATH_ARGS = ['path', 'dest', 'creates', 'removes'];
/** Modules whose check also reads the file at `dest`/`path`. */
const READS = new Set(['copy', 'template', 'lineinfile', 'blockinfile']);
/** Modules whose unchanged result names the file's owner and group. */
const NAMES = new Set(['copy', 'template']);
/** Bigger files are compared by size and a hash on the host, never read back. */
const READ_LIMIT = 256 * 1024;

/**
 * Puts the stat/read requests of a host's upcoming checks in flight together, before the first
 * step runs, so an idempotent re-run costs a couple of round trips per host instead of several
 * per task. Steps whose arguments can't be rendered yet (they use a later register) are skipped;
 * errors are left for the step itself to meet and report.
 */
export function prefetch(rc: RunCtx, chain: Step[]): void {
  if (rc.stopping) return;
  const first = chain[0];
  if (!first || rc.host(first.host).gate([]) === 'skip') return;
  // only where a request costs a round trip: elsewhere (local, in memory) it would render every step twice for nothing
  let vars: Vars;
  try {
    vars = varsForStep(rc, first);
  } catch {
    return;
  }
  // (the kind is read, not the connection opened: a later set_fact may still say where the host is)
  if (!rc.opts.connect && ROUND_TRIPS.has(connectionKind(first.host, vars, first.play.play.connection))) putInFlight(rc, chain);
}

/** Connection kinds whose file requests travel: batching them pays. */
const ROUND_TRIPS = new Set(['ssh']);

function putInFlight(rc: RunCtx, chain: Step[]): void {
  if (rc.stopping) return;
  let ctx: ReturnType<typeof moduleCtx> | undefined;
  let names: Promise<unknown> | undefined;
  const fileNodes: string[] = [];
  for (const step of chain) {
    const task = step.flat.task;
    const mod = findModule(task.module);
    if (!mod || mod.kind !== 'state' || task.kw.delegateTo || task.kw.connection !== undefined || task.kw.loop !== undefined) continue;
    let args: Vars;
    try {
      const vars = varsForStep(rc, step);
      args = removeOmit(renderValue(task.args, vars)) as Vars;
      ctx ??= moduleCtx(rc, step.host, task, vars, {}, step.play.play);
    } catch {
      continue;
    }
    // the file module reads its path with a script (links count, names, real path): every file step's path in one;
    // a directory it only makes sure of is read from its stat and the host's names (below): no command
    const quick = mod.name === 'file' && quickDirectory(args);
    if (mod.name === 'file' && !quick && typeof args.path === 'string' && isAbsolute(args.path)) fileNodes.push(args.path);
    for (const key of PATH_ARGS) {
      const p = args[key];
      if (typeof p !== 'string' || !isAbsolute(p) || p.endsWith('/')) continue;
      const files = ctx.files;
      const stat = files.stat(p);
      if (READS.has(mod.name) && (key === 'dest' || key === 'path')) stat.then((st) => (st?.type === 'file' && st.size <= READ_LIMIT ? files.read(p) : null)).catch(() => undefined);
      else stat.catch(() => undefined);
      // an unchanged copy or template gives the owner's and group's names: the host's user and group lists, read in the same flight
      if (((NAMES.has(mod.name) && key === 'dest') || (quick && key === 'path')) && !names) names = Promise.all([files.read('/etc/passwd'), files.read('/etc/group')]).catch(() => undefined);
    }
  }
  if (ctx && fileNodes.length) probe(ctx, fileNodes).catch(() => undefined);
}
