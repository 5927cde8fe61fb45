import { Type } from '../source/vendor/typebox.js';
import { setTimeout as sleep } from 'node:timers/promises';
import { defineModule } from './types.js';
import { pyDatetime } from './util/pyfmt.js';

const Args = Type.Object(
  {
    seconds: Type.Optional(Type.Union([Type.Number(), Type.String()], { description: 'How long to wait.' })),
    minutes: Type.Optional(Type.Union([Type.Number(), Type.String()], { description: 'How long to wait, in minutes.' })),
    prompt: Type.Optional(Type.String({ description: 'A question; agri-play runs unattended, so as ansible-core without a terminal it does not wait for an answer.' })),
    echo: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

/** ansible.builtin.pause: waits seconds/minutes; a prompt gets no answer (no terminal), as ansible-core's does without one. */
export default defineModule({
  name: 'pause',
  kind: 'action',
  description: 'Waits `seconds` or `minutes` (an interrupt ends the wait); a `prompt` is not waited for (runs are unattended, as ansible-core without a terminal).',
  args: Args,
  async run(ctx, a) {
    const start = new Date();
    const secs = a.seconds !== undefined ? Number(a.seconds) : a.minutes !== undefined ? Number(a.minutes) * 60 : 0;
    if (secs > 0) await sleep(secs * 1000, undefined, { signal: ctx.signal }).catch(() => undefined);
    const stop = new Date();
    const stdout = a.seconds !== undefined ? `Paused for ${secs.toFixed(1)} seconds` : `Paused for ${(secs / 60).toFixed(1)} minutes`;
    return { changed: false, data: { delta: Math.round((stop.getTime() - start.getTime()) / 1000), echo: a.echo ?? true, rc: 0, start: pyDatetime(start), stop: pyDatetime(stop), stderr: '', stdout, user_input: '' } };
  },
});
