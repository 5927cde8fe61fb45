import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { becomeChmod, becomeMkdir, becomeRead, becomeStat, becomeWrite, KubeConnection, type Connection, type ExecOptions, type KubeApi, type TalosApi } from '../connections/index.js';
import { homedir } from 'node:os';
import { ModuleFailure, type ModuleCtx } from '../modules/index.js';
import type { Play, TaskNode } from '../playbook/index.js';
import { condition, evaluate, renderText } from '../vars/index.js';
import type { RunCtx, Vars } from './context.js';

/** Controller paths a task's src is looked up in (Ansible's search path, simplified). */
function searchDirs(task: TaskNode, kind: 'files' | 'templates' | 'vars', playbookDir: string): string[] {
  return [task.role ? join(task.role.path, kind) : '', task.role?.path ?? '', join(task.dir, kind), join(task.dir, '..', kind), task.dir, join(playbookDir, kind), playbookDir].filter(Boolean);
}

export function moduleCtx(rc: RunCtx, host: string, task: TaskNode, vars: Vars, execDefaults: ExecOptions, play: Pick<Play, 'connection'> = {}, signal: AbortSignal = rc.abort.signal): ModuleCtx {
  const target = (task.kw.delegateTo ? renderText(task.kw.delegateTo, vars) : host) as string;
  const hostVars = target === host ? vars : rc.vars.inventoryOf(target);
  // a task's remote_user (or its block's, or its play's: lib/plan/flatten.ts) reaches the hosts that
  // do not name their own ansible_user (ansible-core: the variable wins over the keyword)
  const user = task.kw.remoteUser;
  const connVars = user !== undefined && hostVars.ansible_user === undefined ? { ...hostVars, ansible_user: renderText(String(user), vars) } : hostVars;
  const c = (): Promise<Connection> => rc.connection(target, connVars, play.connection);
  const cache = rc.files(target, c);
  // under become to another user than the login's, writes go through become (the file is that user's)
  const asBecome = (x: Connection): boolean => execDefaults.become !== undefined && (execDefaults.become.user ?? 'root') !== (x.user ?? 'root');
  const execOpts = { ...execDefaults, signal };
  const changing = async <T>(path: string, f: (conn: Connection) => Promise<T>): Promise<T> => {
    try {
      return await f(await c());
    } finally {
      cache.forget(path);
    }
  };
  const run: ModuleCtx['exec'] = async (cmd, o = {}) => (await c()).exec(cmd, { ...execDefaults, ...o, env: { ...execDefaults.env, ...o.env }, signal: o.signal ?? signal });
  // a shared read is the task's user's (become_user's $HOME is not root's)
  const shared: ModuleCtx['shared'] = (key, read) => cache.shared(execDefaults.become ? `${key}\0as:${execDefaults.become.user ?? ''}` : key, () => read(run));
  // a path the login user may not read (SFTP's permission error, or EACCES) is read as the become
  // user, once until something may have changed it (a shared read)
  const orBecome = <T>(p: Promise<T>, key: string, read: (exec: typeof run) => Promise<T>): Promise<T> =>
    p.catch(async (e: { code?: unknown }) => {
      if ((e?.code === 3 || e?.code === 'EACCES') && asBecome(await c())) return shared(key, read);
      throw e;
    });
  return {
    host,
    vars,
    exec: async (cmd, o = {}) => {
      try {
        return await run(cmd, o);
      } finally {
        cache.clear();
      }
    },
    shared,
    files: {
      read: (p) => orBecome(cache.read(p), `read\0${p}`, (exec) => becomeRead(exec, p)),
      stat: (p) => orBecome(cache.stat(p), `stat\0${p}`, (exec) => becomeStat(exec, p)),
      write: (p, d, o) => changing(p, (x) => (asBecome(x) ? becomeWrite(x, p, d, o ?? {}, execOpts) : x.writeFile(p, d, o))),
      mkdir: (p, m) => changing(p, (x) => (asBecome(x) ? becomeMkdir(x, p, m, execOpts) : x.mkdir(p, m))),
      chmod: (p, m) => changing(p, (x) => (asBecome(x) ? becomeChmod(x, p, m, execOpts) : x.chmod(p, m))),
    },
    local: {
      find: (p, kind) => (isAbsolute(p) ? (existsSync(p) ? p : undefined) : searchDirs(task, kind, rc.opts.playbookDir).map((d) => join(d, p)).find((f) => existsSync(f))),
      read: (p) => readFile(p),
      where: { role: task.role?.path, dir: task.dir },
    },
    conceal: (v) => rc.opts.redactor.register(v),
    secrets: rc.opts.secrets,
    talos: async () => {
      const conn = (await c()) as Connection & { talos?: TalosApi };
      if (!conn.talos) throw new ModuleFailure(`${target} is not a Talos host (its connection is ${conn.kind}; set ansible_connection: talos)`);
      return conn.talos;
    },
    kube: async (t = {}) => {
      const conn = (await c()) as Connection & { kube?: KubeApi };
      if (conn.kube && t.kubeconfig === undefined && t.context === undefined) return conn.kube;
      if (conn.kube || conn.kind === 'local') return controllerKube(rc, target, t);
      throw new ModuleFailure(`${target} is not a Kubernetes cluster host (its connection is ${conn.kind}); set ansible_connection: kube and kubeconfig, or run the task on localhost with kubeconfig:`);
    },
    render: (s, extra, jinja) => renderText(s, extra ? { ...vars, ...extra } : vars, jinja),
    evaluate: (e) => evaluate(e, vars),
    condition: (c) => condition(c, vars),
    signal,
    now: rc.opts.now ?? (() => Date.now() / 1000),
  };
}

const controllerKubes = new WeakMap<RunCtx, Map<string, KubeConnection>>();

/**
 * A cluster reached from the controller by a task's kubeconfig/context (kubernetes.core's way, on
 * localhost): helm runs with the operator's own helm configuration, as it would under Ansible.
 * One connection per kubeconfig and context for the run.
 */
function controllerKube(rc: RunCtx, host: string, t: { kubeconfig?: string; context?: string }): KubeApi {
  const kubeconfig = t.kubeconfig ?? process.env.K8S_AUTH_KUBECONFIG ?? process.env.KUBECONFIG ?? join(homedir(), '.kube', 'config');
  const context = t.context ?? process.env.K8S_AUTH_CONTEXT;
  let byKey = controllerKubes.get(rc);
  if (!byKey) controllerKubes.set(rc, (byKey = new Map()));
  const key = `${kubeconfig}\n${context ?? ''}`;
  let k = byKey.get(key);
  if (!k) byKey.set(key, (k = KubeConnection.fromVars(host, { kubeconfig, kube_context: context, helm_home: false })));
  return k.kube;
}
