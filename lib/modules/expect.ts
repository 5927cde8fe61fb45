import { Type } from '../source/vendor/typebox.js';
import { str } from '../source/python.js';
import { defineModule } from './types.js';
import { EXPECT_PY } from './util/expect-py.js';
import { runHostModule } from './util/ansible-py.js';
import { splitlines } from './util/pyfmt.js';

const Args = Type.Object(
  {
    command: Type.String({ description: 'The command, run without a shell (its words split as pexpect splits them); a shell is `bash -c "…"`.' }),
    responses: Type.Record(Type.String(), Type.Unknown(), { description: 'A regular expression of the output → what to answer (a list: one answer per match, in turn).' }),
    chdir: Type.Optional(Type.String({ description: 'Run in this folder.' })),
    creates: Type.Optional(Type.String({ description: 'A path: when it exists the command is not run.' })),
    removes: Type.Optional(Type.String({ description: 'A path: when it is missing the command is not run.' })),
    timeout: Type.Optional(Type.Integer({ description: 'Seconds to wait for each expected text (default 30).' })),
    echo: Type.Optional(Type.Boolean({ description: 'Show the answers in the output (default false).' })),
  },
  { additionalProperties: false },
);

/**
 * ansible.builtin.expect: a command run under a pseudo-terminal on the host, its prompts answered
 * (pexpect.run's rules, `util/expect-py.ts`: the host needs Python 3, not pexpect); changed, `cmd`,
 * `stdout`, `rc`, `start`, `end`, `delta` as ansible-core's module returns them; skipped in check
 * mode, as ansible-core skips a module that does not support it. The answers are the task's
 * arguments, shown as ansible-core shows them: a password answered wants `no_log`, or a vault or
 * Doppler value (those are never shown).
 */
export default defineModule({
  name: 'expect',
  kind: 'action',
  description: 'ansible.builtin.expect: a command under a pseudo-terminal, its prompts (regular expressions) answered; creates/removes, chdir, timeout per prompt, echo.',
  args: Args,
  paths: ['chdir', 'creates', 'removes'],
  async run(ctx, a) {
    if (ctx.checkMode) return { skipped: true, msg: 'remote module (expect) does not support check mode' };
    const responses = Object.entries(a.responses).map(([k, v]) => [k, Array.isArray(v) ? v.map((x) => str(x)) : str(v)] as const);
    const cfg = { command: a.command, responses, chdir: a.chdir ?? null, creates: a.creates ?? null, removes: a.removes ?? null, timeout: a.timeout ?? 30, echo: a.echo ?? false };
    const r = await runHostModule(ctx, EXPECT_PY, 'expect', cfg);
    // (as ansible-core's action adds it to a result with stdout)
    if (typeof r.data?.stdout === 'string') r.data.stdout_lines = splitlines(r.data.stdout);
    return r;
  },
});
