// A step's module, once its task's variables are known: on this host, or (run_once, add_host) once
// for the batch, the other hosts given the first one's result.
import type { Module } from '../modules/index.js';
import type { Step } from '../plan/index.js';
import { SecretsPending } from '../vars/index.js';
import { flag } from './conditions.js';
import type { RunCtx, Vars } from './context.js';
import { freeRunOnce } from './free.js';
import type { HostState } from './host-state.js';
import { items, type Outcome } from './items.js';
import { onceKey } from './once.js';
import { failureMessage } from './step-failure.js';

/** (what throws here is a rejection either way: execute's catch, or the promise of a module's load) */
export function withModule(rc: RunCtx, step: Step, hs: HostState, base: Vars, mod: Module): Promise<Outcome> {
  // add_host runs once for the play, as ansible-core's BYPASS_HOST_LOOP
  const once = flag(step.flat.task.kw.runOnce, base) && !freeRunOnce(rc, step);
  if (!once && mod.name !== 'add_host') return items(rc, step, hs, base, mod);
  const key = onceKey(step);
  const p = rc.once.get(key) as Promise<Outcome> | undefined;
  const why = 'run_once: the result of the first host';
  // (the first host's error too: ansible-core fails every host of the batch with it, counted on the first alone)
  // (a secret not fetched yet is not a result: this host waits for it and tries again, as the first does)
  if (p) return p.then((o) => ({ ...o, copied: true, why }), (e: Error) => (e instanceof SecretsPending ? Promise.reject(e) : { status: 'failed', result: { failed: true, msg: failureMessage(step.flat.task, e) }, diffs: [], copied: true, why }));
  // (an error of its `when` is the first host's result too, kept as a rejection for the others)
  let run: Promise<Outcome>;
  try {
    run = items(rc, step, hs, base, mod);
  } catch (e) {
    run = Promise.reject(e as Error);
  }
  const first = once ? run.then((o) => ({ ...o, once })) : run;
  rc.once.set(key, first);
  void first.catch((e: unknown) => {
    if (e instanceof SecretsPending && rc.once.get(key) === first) rc.once.delete(key);
  });
  return first;
}
