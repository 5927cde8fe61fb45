/** (a task's variables: context.ts's Vars, not imported, since scope.ts reaches this file through play-context.ts) */
type Vars = Record<string, unknown>;

/** How a host is reached: ansible_connection (or agri_connection), else local for localhost, else ssh. */
export function connectionKind(host: string, vars: Vars, playConnection?: string): string {
  const v = vars.ansible_connection ?? vars.agri_connection ?? playConnection;
  if (typeof v === 'string') return v;
  return host === 'localhost' || host === '127.0.0.1' ? 'local' : 'ssh';
}

/**
 * Which of the run's connections (and file caches) a step on `host` uses: one per host, user and
 * kind — a task's remote_user may reach the host as another user, its connection keyword (when no
 * ansible_connection says otherwise) by another way, to another machine. The kind is in the key
 * unless it is the one a host of that name has by default (a step's ansible_connection may be the
 * play context's, play-context.ts: from a play's or task's keyword, not the host's own).
 */
export function connectionKey(host: string, vars: Vars, fallback?: string): { kind: string; key: string; cache: string } {
  const kind = connectionKind(host, vars, fallback);
  const other = kind === connectionKind(host, {}) ? '' : `\0${kind}`;
  return { kind, key: `${host}${vars.ansible_user === undefined ? '' : `\0${String(vars.ansible_user)}`}${other}`, cache: `${host}${other}` };
}
