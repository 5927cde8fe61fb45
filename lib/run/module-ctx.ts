import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execChmod, execMkdir, execRead, execStat, execWrite, KubeConnection, type Connection, type ExecOptions, type ExecResult, type FileStat, type KubeApi, type TalosApi, type WriteOptions } from '../connections/index.js';
import { homedir } from 'node:os';
import { ModuleFailure, type ModuleCtx } from '../modules/index.js';
import type { Play, TaskNode } from '../playbook/index.js';
import { condition, evaluate, renderText, type JinjaOptions } from '../vars/index.js';
import { dwimStack, fileNotFound } from '../source/index.js';
import type { FileCache } from './file-cache.js';
import { connectionKey } from './reach.js';
import type { RunCtx, Vars } from './context.js';
import type { HostState } from './host-state.js';

/** A step's view of its host for a module (lib/modules/types.ts). */
export function moduleCtx(rc: RunCtx, host: string, task: TaskNode, vars: Vars, execDefaults: ExecOptions, play: Pick<Play, 'connection'> = {}, signal: AbortSignal = rc.abort.signal, hs?: HostState): ModuleCtx {
  return new StepCtx(rc, host, task, vars, execDefaults, play, signal, hs);
}

/**
 * One per step and loop item, so what it needs is made when first asked for (a step that only
 * renders makes no connection, file cache or folder list): its methods live on the class, not as
 * closures made for every step.
 */
class StepCtx implements ModuleCtx {
  checkMode?: boolean;
  diffMode?: boolean;
  async?: { seconds: number; poll: number };
  readonly secrets: ModuleCtx['secrets'];
  readonly ansibleManaged?: string;
  private targetName?: string;
  private cacheOf?: FileCache;
  private filesOf?: ModuleCtx['files'];
  private localOf?: ModuleCtx['local'];

  constructor(
    private readonly rc: RunCtx,
    readonly host: string,
    private readonly task: TaskNode,
    readonly vars: Vars,
    private readonly execDefaults: ExecOptions,
    private readonly play: Pick<Play, 'connection'>,
    readonly signal: AbortSignal,
    /** The step's host's state (its file cache and connection are kept there). */
    private readonly hs?: HostState,
  ) {
    this.secrets = rc.opts.secrets;
    this.ansibleManaged = rc.opts.ansibleManaged;
    if (task.kw.delegateTo !== undefined) this.vars = this.withDelegated(vars);
  }

  /**
   * ansible-core's ansible_delegated_vars: a delegated task sees the delegated host's variables under
   * its name as delegate_to rendered it (rendered once: `groups.x | random` names one host), with the
   * task's host as their inventory_hostname. (One delegate_to cannot render: its error comes where the step asks for its host.)
   */
  private withDelegated(vars: Vars): Vars {
    let name: string;
    try {
      name = this.target;
    } catch {
      return vars;
    }
    const own = (this.delegatedOwn = this.rc.vars.hostvars()[name] ?? {});
    return { ...vars, ansible_delegated_vars: { [name]: { ...own, inventory_hostname: vars.inventory_hostname } } };
  }

  /** The delegated host's own variables (its hostvars: its templates rendered with its own variables), for its connection too. */
  private delegatedOwn?: Vars;

  /** The host the module works on (delegate_to's, else the step's). */
  private get target(): string {
    return (this.targetName ??= this.task.kw.delegateTo ? renderText(this.task.kw.delegateTo, this.vars) : this.host);
  }

  /** How the step reaches its host: the host, the variables its connection reads, the connection keyword's kind. */
  private get reach(): { target: string; vars: Vars; fallback?: string } {
    if (this.reachOf) return this.reachOf;
    const target = this.target;
    // (a delegated host's as its hostvars give them, `ansible_host: '{{ myhost }}'` rendered: withDelegated's)
    const hostVars = target === this.host ? this.vars : (this.delegatedOwn ?? this.rc.vars.inventoryOf(target));
    // a task's remote_user (or its block's, or its play's: lib/plan/flatten.ts) reaches the hosts that
    // do not name their own ansible_user (ansible-core: the variable wins over the keyword)
    const user = this.task.kw.remoteUser;
    const vars = user !== undefined && hostVars.ansible_user === undefined ? { ...hostVars, ansible_user: renderText(String(user), this.vars) } : hostVars;
    // a task's connection keyword (or its block's, role's): for hosts whose ansible_connection does not say otherwise
    const kw = this.task.kw.connection;
    return (this.reachOf = { target, vars, fallback: kw !== undefined ? renderText(kw, this.vars) : this.play.connection });
  }

  private reachOf?: { target: string; vars: Vars; fallback?: string };

  /** (asked for by every file read: the run's connection for the step's reach, looked up once per step) */
  private conn(): Promise<Connection> {
    if (this.connOf) return this.connOf;
    const r = this.reach;
    const key = this.key;
    // (the step's own host's, kept on its state while its key is the same: meta: reset_connection drops it)
    const hs = this.hs && r.target === this.host ? this.hs : undefined;
    if (hs?.conn?.key === key.key) return (this.connOf = hs.conn.c);
    const c = this.rc.connection(r.target, r.vars, key);
    if (hs) hs.conn = { key: key.key, c };
    return (this.connOf = c);
  }

  /** Which of the run's connections and file caches the step's reach is (worked out once per step). */
  private get key(): ReturnType<typeof connectionKey> {
    const r = this.reach;
    return (this.keyOf ??= connectionKey(r.target, r.vars, r.fallback));
  }

  private keyOf?: ReturnType<typeof connectionKey>;

  private connOf?: Promise<Connection>;

  async connectionKind(): Promise<string> {
    return (await this.conn()).kind;
  }

  async resetConnection(): Promise<void> {
    this.connOf = undefined;
    await this.rc.resetConnection(this.reach.target);
    this.cache.clear();
  }

  get cache(): FileCache {
    // (a connection of another kind, `connection: local`, reaches another machine: its files are cached apart)
    if (this.cacheOf) return this.cacheOf;
    const key = this.key.cache;
    // (the step's own host's, kept on its state: not looked up by name in a map of every host at every step)
    return (this.cacheOf = this.hs && key === this.host ? (this.hs.files ??= this.rc.files(key)) : this.rc.files(key));
  }

  /** Whether the step runs under become (else a read is the login user's, as it is). */
  get becomes(): boolean {
    return this.execDefaults.become !== undefined;
  }

  /** Under become to another user than the login's, writes go through become (the file is that user's). */
  asBecome(x: Connection): boolean {
    return this.becomes && (this.execDefaults.become?.user ?? 'root') !== (x.user ?? 'root');
  }

  async changing<T>(path: string, f: (conn: Connection) => Promise<T>): Promise<T> {
    try {
      return await f(await this.conn());
    } finally {
      this.cache.forget(path);
    }
  }

  private async run(cmd: string[] | { shell: string }, o: ExecOptions = {}): Promise<ExecResult> {
    const d = this.execDefaults;
    return (await this.conn()).exec(cmd, { ...d, ...o, env: { ...d.env, ...o.env }, signal: o.signal ?? this.signal });
  }

  async exec(cmd: string[] | { shell: string }, o: ExecOptions = {}): Promise<ExecResult> {
    try {
      return await this.run(cmd, o);
    } finally {
      this.cache.clear();
    }
  }

  /** A read shared by the steps on the host; a shared read is the task's user's (become_user's $HOME is not root's). */
  shared<T>(key: string, read: (exec: ModuleCtx['exec']) => Promise<T>): Promise<T> {
    const b = this.execDefaults.become;
    return this.cache.shared(b ? `${key}\0as:${b.user ?? ''}` : key, () => read((cmd, o) => this.run(cmd, o)));
  }

  /**
   * A read as the module would make it under become. To root: as the login user (root reads it
   * too), and a path the login user may not read (SFTP's permission error, or EACCES) as root, once
   * until something may have changed it. To another user than the login's: as that user (the login
   * user may read what it may not, as root does). (Without become StepFiles reads the cache as it
   * is, making none of this call's closures.)
   */
  orBecome<T>(first: () => Promise<T>, key: string, read: (exec: ModuleCtx['exec']) => Promise<T>): Promise<T> {
    const b = this.execDefaults.become;
    if ((b?.user ?? 'root') !== 'root') return this.conn().then((x) => (this.asBecome(x) ? this.shared(key, read) : first()));
    return first().catch(async (e: { code?: unknown }) => {
      if ((e?.code === 3 || e?.code === 'EACCES') && this.asBecome(await this.conn())) return this.shared(key, read);
      throw e;
    });
  }

  get files(): ModuleCtx['files'] {
    return (this.filesOf ??= this.newFiles());
  }

  // (apart from the getter: V8's unoptimized code makes the context of a function that holds a
  // closure at every call, and `files` is read for every file access of a step)
  private newFiles(): StepFiles {
    return new StepFiles(this, () => this.conn());
  }

  /** Exec options for a write through become (StepFiles uses it, and cache, asBecome, changing and orBecome above). */
  execOpts(): ExecOptions {
    return { ...this.execDefaults, signal: this.signal };
  }

  /**
   * Where the task's action looks for a controller file, as ansible-core's _find_needle: its search
   * path (Task.get_search_path, the ansible_search_path variable but for the playbook's folder that
   * adds) through path_dwim_relative_stack.
   */
  private needle(p: string, kind: 'files' | 'templates' | 'vars'): { found?: string; searched: string[] } {
    const asp = this.vars.ansible_search_path;
    const base = String(this.vars.playbook_dir ?? this.rc.opts.playbookDir);
    const paths = Array.isArray(asp) ? asp.map(String) : [this.task.dir];
    if (paths.length > 1 && paths.at(-1) === base && this.task.dir !== base) paths.pop();
    return dwimStack(paths, kind, p, base);
  }

  get local(): ModuleCtx['local'] {
    const task = this.task;
    return (this.localOf ??= {
      find: (p, kind) => this.needle(p, kind).found,
      missing: (p, kind) => fileNotFound(p, this.needle(p, kind).searched),
      read: (p) => readFile(p),
      where: { role: task.role?.path, dir: task.dir },
    });
  }

  // (async_status's view of a job the run started: async-task.ts)
  controllerJob(jid: string, forget?: boolean): ReturnType<NonNullable<ModuleCtx['controllerJob']>> {
    const job = this.rc.jobs.get(jid);
    if (!job || job.forgotten) return undefined;
    // (a job cleaned up runs on to its end, as ansible-core's: the run still waits for it)
    if (forget) job.forgotten = true;
    if (!job.out) return { finished: false, file: job.file };
    return { finished: true, data: job.out.result, failed: job.out.status === 'failed' || job.out.status === 'unreachable', file: job.file };
  }

  conceal(v: string): void {
    this.rc.opts.redactor.register(v);
  }

  async talos(): Promise<TalosApi> {
    const conn = (await this.conn()) as Connection & { talos?: TalosApi };
    if (!conn.talos) throw new ModuleFailure(`${this.target} is not a Talos host (its connection is ${conn.kind}; set ansible_connection: talos)`);
    return conn.talos;
  }

  async kube(t: { kubeconfig?: string; context?: string } = {}): Promise<KubeApi> {
    const conn = (await this.conn()) as Connection & { kube?: KubeApi };
    if (conn.kube && t.kubeconfig === undefined && t.context === undefined) return conn.kube;
    if (conn.kube) return controllerKube(this.rc, this.target, t);
    if (conn.kind === 'local') {
      // (kubernetes.core's actions look a kubeconfig on a local connection up as a controller file: each of a
      // `:` list in the search path's files/, as _find_needle; a missing one fails the task in its words)
      const found = t.kubeconfig?.split(':').map((p) => {
        const n = this.needle(p, 'files');
        if (n.found === undefined) throw new ModuleFailure(fileNotFound(p, n.searched));
        return n.found;
      });
      return controllerKube(this.rc, this.target, { ...t, kubeconfig: found?.join(':') });
    }
    throw new ModuleFailure(`${this.target} is not a Kubernetes cluster host (its connection is ${conn.kind}); set ansible_connection: kube and kubeconfig, or run the task on localhost with kubeconfig:`);
  }

  render(s: string, extra?: Record<string, unknown>, jinja?: JinjaOptions): string {
    return renderText(s, extra ? { ...this.vars, ...extra } : this.vars, jinja);
  }

  evaluate(e: string): unknown {
    return evaluate(e, this.vars);
  }

  condition(c: unknown): boolean {
    return condition(c, this.vars);
  }

  now(): number {
    return this.rc.opts.now ? this.rc.opts.now() : Date.now() / 1000;
  }
}

type Files = ModuleCtx['files'];

/** The host's files as a module sees them (through the run's file cache; as the become user where needed). */
class StepFiles implements Files {
  constructor(
    private readonly s: StepCtx,
    private readonly conn: () => Promise<Connection>,
  ) {}
  // (without become there is no one else to read as: the cache's answer as it is, no closures nor key
  // for orBecome; those are made in functions of their own: V8's unoptimized code makes the context
  // of a function that holds a closure at every call, taken or not)
  read(p: string): Promise<Buffer | null> {
    return this.s.becomes ? this.readAs(p) : this.s.cache.read(p, this.conn);
  }
  stat(p: string): Promise<FileStat | null> {
    return this.s.becomes ? this.statAs(p) : this.s.cache.stat(p, this.conn);
  }
  private readAs(p: string): Promise<Buffer | null> {
    return this.s.orBecome(() => this.s.cache.read(p, this.conn), `read\0${p}`, (exec) => execRead(exec, p));
  }
  private statAs(p: string): Promise<FileStat | null> {
    return this.s.orBecome(() => this.s.cache.stat(p, this.conn), `stat\0${p}`, (exec) => execStat(exec, p));
  }
  write(p: string, d: Buffer, o?: WriteOptions): Promise<void> {
    return this.s.changing(p, (x) => (this.s.asBecome(x) ? execWrite(x, p, d, o ?? {}, this.s.execOpts()) : x.writeFile(p, d, o)));
  }
  mkdir(p: string, m?: string): Promise<void> {
    return this.s.changing(p, (x) => (this.s.asBecome(x) ? execMkdir(x, p, m, this.s.execOpts()) : x.mkdir(p, m)));
  }
  chmod(p: string, m: string): Promise<void> {
    return this.s.changing(p, (x) => (this.s.asBecome(x) ? execChmod(x, p, m, this.s.execOpts()) : x.chmod(p, m)));
  }
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
