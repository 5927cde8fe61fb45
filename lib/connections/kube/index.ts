import { existsSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { LocalConnection } from '../local.js';
import { UnreachableError, type Connection, type ExecOptions, type ExecResult, type WriteOptions } from '../types.js';
import { KubeClient } from './client.js';
import { cacheDir, kubeTools, type KubeTools } from './tools.js';

export { kubeTools, cacheDir, type KubeTools } from './tools.js';
export { KubeClient, KubeHttpError, type KubeResource } from './client.js';

/** What modules get from a cluster host: the real helm and kubectl, pointed at its kubeconfig. */
export interface KubeApi {
  kubeconfig: string;
  context?: string;
  /** Runs helm; connection failures throw UnreachableError, other failures come back as rc != 0. */
  helm(args: string[], o?: { stdin?: string; timeoutMs?: number }): Promise<ExecResult>;
  kubectl(args: string[], o?: { stdin?: string; timeoutMs?: number }): Promise<ExecResult>;
  /**
   * The API itself, for reads without a subprocess; undefined when the kubeconfig needs what
   * only kubectl does (exec/auth-provider plugins, a proxy) or `kube_native: false` is set.
   */
  api(): Promise<KubeClient | undefined>;
}

/** client-go and helm phrasings of "the API server could not be reached". */
const UNREACHABLE = /Kubernetes cluster unreachable|Unable to connect to the server|connection refused|no such host|i\/o timeout|dial tcp|couldn't get current server API group list|TLS handshake timeout|x509: certificate/;

/**
 * A Kubernetes cluster reached through a kubeconfig (ansible_connection: kube). helm and
 * kubectl run on the controller; so do `command`/`shell` tasks, with KUBECONFIG set.
 * Vars: kubeconfig (default $KUBECONFIG, ~/.kube/config), kube_context, helm_home (helm's
 * config/cache/data, kept apart from the operator's own), helm_binary/kubectl_binary.
 */
export class KubeConnection implements Connection {
  readonly kind = 'kube';
  readonly kube: KubeApi;
  private local = new LocalConnection();
  private env: Record<string, string>;

  constructor(
    readonly name: string,
    kubeconfig: string,
    context: string | undefined,
    /** helm's config/cache/data, apart from the operator's own; undefined: the operator's (HELM_* of the environment). */
    helmHome: string | undefined,
    tools: () => Promise<KubeTools>,
    native = true,
  ) {
    this.env = {
      KUBECONFIG: kubeconfig,
      ...(helmHome ? { HELM_CONFIG_HOME: join(helmHome, 'config'), HELM_CACHE_HOME: join(helmHome, 'cache'), HELM_DATA_HOME: join(helmHome, 'data') } : {}),
      ...(context ? { HELM_KUBECONTEXT: context } : {}),
    };
    const ctxArgs = (tool: 'helm' | 'kubectl') => (context ? [tool === 'helm' ? '--kube-context' : '--context', context] : []);
    const run = async (tool: 'helm' | 'kubectl', args: string[], o: { stdin?: string; timeoutMs?: number } = {}) => {
      if (!existsSync(kubeconfig)) throw new UnreachableError(`kube ${name}: kubeconfig ${kubeconfig} does not exist`);
      const bin = (await tools())[tool];
      const extra = tool === 'kubectl' && helmHome ? ['--cache-dir', join(helmHome, 'kube-cache')] : [];
      const r = await this.local.exec([bin, ...ctxArgs(tool), ...extra, ...args], { env: this.env, stdin: o.stdin ?? '', timeoutMs: o.timeoutMs });
      const shown = { ...r, cmd: `${tool} ${args.join(' ')}` };
      if (r.rc !== 0 && UNREACHABLE.test(r.stderr)) throw new UnreachableError(`kube ${name}: ${tool}: ${r.stderr.split('\n').find((l) => UNREACHABLE.test(l))?.trim()}`);
      return shown;
    };
    // one client per kubeconfig as written: a kubeconfig rewritten during the run gets a new one
    let client: { mtime: number; c: KubeClient | undefined } | undefined;
    const api = async () => {
      if (!native) return undefined;
      if (!existsSync(kubeconfig)) throw new UnreachableError(`kube ${name}: kubeconfig ${kubeconfig} does not exist`);
      const mtime = statSync(kubeconfig).mtimeMs;
      if (client?.mtime !== mtime) {
        client?.c?.close();
        client = { mtime, c: KubeClient.fromKubeconfig(kubeconfig, context, `kube ${name}`) };
      }
      return client.c;
    };
    this.closeApi = () => client?.c?.close();
    this.kube = { kubeconfig, context, helm: (a, o) => run('helm', a, o), kubectl: (a, o) => run('kubectl', a, o), api };
  }

  private closeApi: () => void;

  static fromVars(name: string, vars: Record<string, unknown>): KubeConnection {
    const kubeconfig = String(vars.kubeconfig ?? process.env.KUBECONFIG ?? join(homedir(), '.kube', 'config'));
    const helmHome = vars.helm_home === false ? undefined : String(vars.helm_home ?? join(cacheDir(), 'helm'));
    return new KubeConnection(name, kubeconfig, vars.kube_context as string | undefined, helmHome, () => kubeTools(vars), vars.kube_native !== false && vars.kube_native !== 'false');
  }

  exec(cmd: string[] | { shell: string }, opts: ExecOptions = {}): Promise<ExecResult> {
    return this.local.exec(cmd, { ...opts, env: { ...this.env, ...opts.env } }); // execa adds process.env
  }
  readFile(path: string): Promise<Buffer | null> {
    return this.local.readFile(path);
  }
  writeFile(path: string, data: Buffer, opts?: WriteOptions): Promise<void> {
    return this.local.writeFile(path, data, opts);
  }
  stat(path: string) {
    return this.local.stat(path);
  }
  mkdir(path: string, mode?: string): Promise<void> {
    return this.local.mkdir(path, mode);
  }
  chmod(path: string, mode: string): Promise<void> {
    return this.local.chmod(path, mode);
  }
  async close(): Promise<void> {
    this.closeApi();
  }
  roundTrips(): number {
    return this.local.roundTrips();
  }
}
