import { Type } from '../source/vendor/typebox.js';
import { setTimeout as sleep } from 'node:timers/promises';
import { defineModule } from './types.js';
import { preciseNow, pyDatetime } from './util/pyfmt.js';

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
  noLines: true,
  async run(ctx, a) {
    const start = preciseNow();
    // (as ansible-core's action: whole seconds, `int()` of what is given, and at least one)
    const given = a.minutes ?? a.seconds;
    const secs = given === undefined ? 0 : Math.max(1, Math.trunc(Number(given)) * (a.minutes !== undefined ? 60 : 1));
    // (at least that long, as Python's time.sleep: a timer may fire a little early by this clock, as libuv
    // counts from its loop's cached time; a pause of 1 s then took 0.999 s, and its `delta` was 0)
    for (let left = secs * 1000; left > 0 && !ctx.signal?.aborted; left = start + secs * 1000 - preciseNow()) {
      await sleep(Math.ceil(left), undefined, { signal: ctx.signal }).catch(() => undefined);
    }
    const stop = preciseNow();
    // (the time it took, rounded to two places as Python's round() and printed as its float)
    const unit = a.minutes === undefined && a.seconds !== undefined ? 'seconds' : 'minutes';
    const took = Math.round(((stop - start) / 1000 / (unit === 'minutes' ? 60 : 1)) * 100) / 100;
    const stdout = `Paused for ${Number.isInteger(took) ? took.toFixed(1) : took} ${unit}`;
    return { changed: false, data: { rc: 0, stderr: '', stdout, start: pyDatetime(start), stop: pyDatetime(stop), delta: Math.trunc((stop - start) / 1000), echo: a.echo ?? true, user_input: '' } };
  },
});
