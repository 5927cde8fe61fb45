import { Type } from '../source/vendor/typebox.js';
import { defineModule } from './types.js';
import { asyncDir, jobStatus } from './util/async-job.js';

const Args = Type.Object(
  {
    jid: Type.String({ description: 'The job id an async task with poll: 0 registered (ansible_job_id).' }),
    mode: Type.Optional(Type.Union([Type.Literal('status'), Type.Literal('cleanup')], { description: 'status (default): how the job is; cleanup: remove its files.' })),
  },
  { additionalProperties: false },
);

/** ansible.builtin.async_status: the state of a background job (command/shell with async and poll: 0). */
export default defineModule({
  name: 'async_status',
  kind: 'action',
  description: "Reads a background job's state (finished 0/1) and, once finished, its result (rc, stdout, stderr, …); mode: cleanup removes its files.",
  args: Args,
  async run(ctx, a) {
    if (a.mode === 'cleanup') {
      const r = await ctx.exec({ shell: `d=${asyncDir(ctx)}; rm -f "$d/${a.jid.replace(/[^\w.]/g, '')}".*; echo "$d"` });
      return { changed: false, data: { ansible_job_id: a.jid, erased: `${r.stdout.trim()}/${a.jid}` } };
    }
    const s = await jobStatus(ctx, a.jid);
    if (!s.finished) return { changed: false, data: { ansible_job_id: a.jid, started: 1, finished: 0 } };
    return { changed: Boolean(s.data.changed), failed: s.failed, msg: s.failed ? String(s.data.msg) : undefined, data: s.data };
  },
});
