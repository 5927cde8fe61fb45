// ansible-core's async for the modules agri-play runs from the controller: every module whose
// ansible-core action supports async (its `normal` action: apt, file, stat, get_url, a library
// module, …; and package, service, uri, reboot), but command and shell, which run as real jobs on
// the host (modules/util/async-job.ts). poll > 0: the module runs within `async` seconds and its
// result carries the job's keys, as ansible-core's poll of async_status returns it. poll 0: it runs
// in the background of the run, its job id registered at once; async_status asks the run for it,
// its result is written to the host's results file (ansible-core's JSON) when it ends, and the
// run waits for its jobs before it ends (their commands go over the run's connections).
import { asyncDir, jobResult, newJobId, type Module } from '../modules/index.js';
import type { Step } from '../plan/index.js';
import type { ControllerJob, RunCtx, Vars } from './context.js';
import { contextFor, withDeadline, type ItemResult } from './invoke.js';
import type { AsyncSpec } from './async-spec.js';
import { jsonText } from '../source/pyint.js';

/** ansible-core's action plugins that do not support async (ActionBase's _supports_async): their task fails. */
const NO_ASYNC = new Set(['add_host', 'assemble', 'assert', 'async_status', 'copy', 'debug', 'fail', 'fetch', 'gather_facts', 'group_by', 'include_vars', 'pause', 'raw', 'script', 'set_fact', 'set_stats', 'template', 'unarchive', 'validate_argument_spec', 'wait_for_connection']);

/** Why an async task cannot run, in ansible-core's words (ActionBase.run); undefined when it can. */
export function asyncRefused(mod: Module, check: boolean): string | undefined {
  if (NO_ASYNC.has(mod.name)) return 'async is not supported for this task.';
  if (check) return 'check mode and async cannot be used on same task.';
  return undefined;
}

/** Whether the controller runs the module's async (all but command and shell: their jobs are the host's). */
export const runsFromController = (mod: Module): boolean => mod.name !== 'command' && mod.name !== 'shell';

/**
 * Runs one invocation (`run`, the module with its arguments) as an async task; `rc.jobs` keeps the
 * background ones.
 */
export async function asyncRun(rc: RunCtx, step: Step, vars: Vars, spec: AsyncSpec, run: (signal?: AbortSignal) => Promise<ItemResult>): Promise<ItemResult> {
  const jid = newJobId();
  let file: string;
  try {
    file = await resultsFile(rc, step, vars, jid);
  } catch {
    // (the host cannot be reached: the module meets that too, and says so)
    return run();
  }
  if (spec.poll > 0) {
    const out = await withDeadline(rc, spec.seconds, run);
    if (!out) return { status: 'failed', result: { failed: true, changed: false, msg: `async task did not complete within the requested time - ${spec.seconds}s`, async_result: jobResult({}, { ansible_job_id: jid, started: 1, finished: 0, results_file: file }) } };
    return finished(out, jid, file);
  }
  const job: ControllerJob = { file, done: Promise.resolve() };
  job.done = withDeadline(rc, spec.seconds, run)
    .then((out) => out ?? { status: 'failed' as const, result: { failed: true, msg: 'Timeout exceeded' } })
    .then((out) => {
      job.out = finished(out, jid, file);
      return writeResults(rc, step, vars, jid, out);
    })
    // (the results file is ansible-core's record for later runs; this run answers from job.out)
    .catch(() => undefined);
  rc.jobs.set(jid, job);
  return { status: 'changed', result: { ansible_job_id: jid, changed: true, failed: 0, finished: 0, results_file: file, started: 1 } };
}

/** The module's result as async_status gives it once the job finished. */
function finished(out: ItemResult, jid: string, file: string): ItemResult {
  if (out.status === 'unreachable') return out;
  return { ...out, result: jobResult(out.result, { ansible_job_id: jid, results_file: file, started: 1, finished: 1 }) };
}

/** The job's results file on the host: its async dir (`~` the host's home), then the id. */
async function resultsFile(rc: RunCtx, step: Step, vars: Vars, jid: string): Promise<string> {
  const ctx = contextFor(rc, step, vars, false);
  const r = await ctx.exec({ shell: `printf %s ${asyncDir(ctx)}` });
  if (r.rc !== 0) throw new Error(r.stderr);
  return `${r.stdout}/${jid}`;
}

/** Writes a background job's result as async_wrapper does (the module's JSON), secrets redacted. */
async function writeResults(rc: RunCtx, step: Step, vars: Vars, jid: string, out: ItemResult): Promise<void> {
  const ctx = contextFor(rc, step, vars, false);
  const data = rc.opts.redactor.redactValue(out.result);
  await ctx.exec({ shell: `d=${asyncDir(ctx)}; mkdir -p "$d" && chmod 700 "$d" && umask 077 && cat > "$d/${jid}"` }, { stdin: jsonText(data) });
}
