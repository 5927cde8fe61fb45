import { Type } from '../source/vendor/typebox.js';
import { defineModule } from './types.js';
import { splitlines } from './util/pyfmt.js';

const Args = Type.Object(
  {
    cmd: Type.String({ description: 'The command line, run by the login shell of the connection (no Python needed on the host).' }),
    executable: Type.Optional(Type.String({ description: 'The shell to run it with (default /bin/sh).' })),
  },
  { additionalProperties: false },
);

/**
 * ansible-core's raw: the command as it is, no module on the host (bootstraps a host without
 * Python). Always changed; a non-zero exit fails it; in check mode it is skipped, as ansible-core's.
 */
export default defineModule({
  name: 'raw',
  kind: 'action',
  description: 'Runs a command line on the host as it is (no module, no Python): always changed; skipped in check mode.',
  args: Args,
  freeForm: 'cmd',
  aliases: { _raw_params: 'cmd' },
  async run(ctx, a) {
    if (ctx.checkMode) return { skipped: true };
    const r = await ctx.exec(a.executable ? [a.executable, '-c', a.cmd] : { shell: a.cmd }, { keepEnds: true });
    const data = { rc: r.rc, stdout: r.stdout, stdout_lines: splitlines(r.stdout), stderr: r.stderr, stderr_lines: splitlines(r.stderr) };
    return r.rc !== 0 ? { changed: true, failed: true, msg: 'non-zero return code', data } : { changed: true, data };
  },
});
