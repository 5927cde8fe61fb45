import { Type } from '../source/vendor/typebox.js';
import { defineModule, type ResultData } from './types.js';
import { asyncDir, jobFile, jobResult, jobStatus } from './util/async-job.js';

const Args = Type.Object(
  {
    jid: Type.String({ description: 'The job id an async task with poll: 0 registered (ansible_job_id).' }),
    mode: Type.Optional(Type.Union([Type.Literal('status'), Type.Literal('cleanup')], { description: 'status (default): how the job is; cleanup: remove its files.' })),
  },
  { additionalProperties: false },
);

/**
 * ansible.builtin.async_status: the state of a background job (an async task with poll: 0): one the
 * run started from the controller (a module of agri-play's own), else the job's files on the host
 * (command and shell's, or ansible-core's results file).
 */
export default defineModule({
  name: 'async_status',
  kind: 'action',
  description: "Reads a background job's state (finished 0/1) and, once finished, its result (rc, stdout, stderr, … or the module's); mode: cleanup removes its files.",
  args: Args,
  async run(ctx, a) {
    const jid = a.jid.replace(/[^\w.]/g, '');
    // (its module does not support check mode: the action's own keys, the job not looked at nor cleaned up)
    if (ctx.checkMode) {
      const file = ctx.controllerJob?.(a.jid)?.file ?? (await jobFile(ctx, a.jid));
      const keys = a.mode === 'cleanup' ? { ansible_job_id: a.jid, started: 0, finished: 0, erased: file } : { ansible_job_id: a.jid, started: 1, finished: 0, results_file: file };
      return { changed: false, skipped: true, msg: 'remote module (ansible.legacy.async_status) does not support check mode', data: jobResult({}, keys) };
    }
    if (a.mode === 'cleanup') {
      ctx.controllerJob?.(a.jid, true);
      const r = await ctx.exec({ shell: `d=${asyncDir(ctx)}; rm -f "$d/${jid}" "$d/${jid}".*; echo "$d"` });
      return { changed: false, data: { ansible_job_id: a.jid, erased: `${r.stdout.trim()}/${a.jid}` } };
    }
    const s = ctx.controllerJob?.(a.jid) ?? (await jobStatus(ctx, a.jid));
    if (!s.finished) return { changed: false, data: jobResult({}, { ansible_job_id: a.jid, started: 1, finished: 0, results_file: s.file }) };
    const data: ResultData = jobResult(s.data, { results_file: s.file });
    return { changed: Boolean(s.data.changed), failed: s.failed, msg: s.failed ? String(s.data.msg ?? '') : undefined, data };
  },
});
