/** (a task's variables: context.ts's Vars, not imported, since scope.ts reaches this file through play-context.ts) */
type Vars = Record<string, unknown>;

/**
 * A task's variables whose ansible_connection the play context gave (play-context.ts): the run
 * reaches the host by the task's `connection` keyword where it has one, as if none were given. (A
 * set of the objects, not a symbol key on them: V8 copies and spreads an object with a symbol
 * key on its slow path, ≈ 20% of the 10,000-host bench's run and 28 MiB.)
 */
export const CONNECTION_DEFAULTED = new WeakSet<object>();

/** How a host is reached: ansible_connection (or agri_connection), else local for localhost, else ssh. */
export function connectionKind(host: string, vars: Vars, playConnection?: string): string {
  // (an ansible_connection the play context gave, play-context.ts, names no connection of its own)
  const v = (CONNECTION_DEFAULTED.has(vars) ? undefined : vars.ansible_connection) ?? vars.agri_connection ?? playConnection;
  if (typeof v === 'string') return v;
  return host === 'localhost' || host === '127.0.0.1' ? 'local' : 'ssh';
}

/**
 * Which of the run's connections (and file caches) a step on `host` uses: one per host, user and
 * kind — a task's remote_user may reach the host as another user, its connection keyword (when no
 * ansible_connection says otherwise) by another way, to another machine.
 */
export function connectionKey(host: string, vars: Vars, fallback?: string): { kind: string; key: string; cache: string } {
  const kind = connectionKind(host, vars, fallback);
  const other = kind === connectionKind(host, vars) ? '' : `\0${kind}`;
  return { kind, key: `${host}${vars.ansible_user === undefined ? '' : `\0${String(vars.ansible_user)}`}${other}`, cache: `${host}${other}` };
}
