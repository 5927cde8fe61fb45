import { gzipSync } from 'node:zlib';
import { grpc } from '../../source/vendor/grpc.js';
import { parse } from '../../source/vendor/yaml.js';
import { issue, selfSigned, unb64, type CertPair } from '../../connections/talos/pki.js';
import { machineService } from '../../connections/talos/proto.js';
import { tarOne } from './tar.js';

/**
 * A simulated Talos node (apid on TCP, gRPC over TLS): maintenance mode (self-signed server cert,
 * no client cert, reduced API) → config applied → reboot (down for `rebootMs`) → running with
 * mutual TLS under the OS CA of its config. Answers and error codes as Talos 1.11.
 */
export interface SimCluster {
  name: string;
  bootstrapped: boolean;
  bootstraps: number;
  controlPlanes: Set<SimTalosNode>;
  /** The OS CA with its key, from a control plane's config: workers get their apid certificate from it (trustd, in real Talos). */
  osCa?: CertPair;
}
/** What the lab around the nodes does when something happens on them (the API server starts at bootstrap). */
export interface LabHooks {
  bootstrap?(cluster: SimCluster, node: SimTalosNode): void;
}
export interface Faults {
  /** Refuse every call with Unavailable (a node that does not answer). */
  unavailable?: boolean;
  /** Answer every call this much later. */
  slowMs?: number;
  /** Fail the next n ApplyConfiguration calls with Internal. */
  failApply?: number;
}
type Cfg = { version?: string; machine?: { type?: string; ca?: CertPair }; cluster?: { clusterName?: string; controlPlane?: { endpoint?: string }; ca?: CertPair } };
type Call = grpc.ServerUnaryCall<Record<string, unknown>, unknown>;
type Cb = grpc.sendUnaryData<unknown>;

const err = (code: grpc.status, details: string) => Object.assign(new Error(details), { code, details });
const meta = { hostname: '', error: '', status: null };

export class SimTalosNode {
  state: 'maintenance' | 'rebooting' | 'running' = 'maintenance';
  /** The installed Talos version (Upgrade changes it after a reboot). */
  version = 'v1.11.3';
  config?: string;
  faults: Faults = {};
  applied = 0;
  /** Data disks wiped by Reset in USER_DISKS mode, in order. */
  wiped: string[] = [];
  private server?: grpc.Server;

  constructor(
    readonly ip: string,
    readonly port: number,
    private readonly clusters: Map<string, SimCluster>,
    readonly rebootMs = 200,
    private readonly hooks: LabHooks = {},
  ) {}

  /** The cluster part of the applied machine config (endpoint, Kubernetes CA). */
  clusterConfig(): NonNullable<Cfg['cluster']> {
    return this.parsed().cluster ?? {};
  }

  get endpoint(): string {
    return `${this.ip}:${this.port}`;
  }
  private parsedFor?: { text: string | undefined; cfg: Cfg };
  /** The applied config, parsed once per config (every handler and the lab's supervisor ask). */
  private parsed(): Cfg {
    if (!this.parsedFor || this.parsedFor.text !== this.config) this.parsedFor = { text: this.config, cfg: (this.config ? parse(this.config) : {}) as Cfg };
    return this.parsedFor.cfg;
  }
  get type(): string | undefined {
    return this.parsed().machine?.type;
  }
  cluster(): SimCluster | undefined {
    const name = this.parsed().cluster?.clusterName;
    if (!name) return undefined;
    let c = this.clusters.get(name);
    if (!c) this.clusters.set(name, (c = { name, bootstrapped: false, bootstraps: 0, controlPlanes: new Set() }));
    return c;
  }

  async start(): Promise<void> {
    const server = new grpc.Server();
    server.addService(machineService().service, this.handlers());
    let creds: grpc.ServerCredentials;
    if (this.state === 'running') {
      const own = this.parsed().machine!.ca!;
      const os = own.key ? own : this.cluster()?.osCa;
      if (!os) throw new Error('no control plane has issued certificates yet');
      const cert = await issue(os, { subject: `CN=${this.ip}`, ips: [this.ip] });
      creds = grpc.ServerCredentials.createSsl(Buffer.from(unb64(os.crt)), [{ private_key: Buffer.from(cert.key), cert_chain: Buffer.from(cert.crt) }], true);
    } else {
      const cert = await selfSigned([this.ip]);
      // clients are not asked for a certificate, so the CA list is unused; without one, Node builds
      // its whole default root store for the server (≈ 25 ms alone, 150–350 ms in a busy lab)
      creds = grpc.ServerCredentials.createSsl(Buffer.from(cert.crt), [{ private_key: Buffer.from(cert.key), cert_chain: Buffer.from(cert.crt) }], false);
    }
    await new Promise<void>((resolve, reject) => server.bindAsync(this.endpoint, creds, (e) => (e ? reject(e) : resolve())));
    this.server = server;
  }

  async stop(): Promise<void> {
    const s = this.server;
    this.server = undefined;
    if (s) s.forceShutdown();
  }

  /** Install to disk and reboot into the applied config (apid is down meanwhile). */
  private reboot(into: 'running' | 'maintenance'): void {
    this.state = 'rebooting';
    setTimeout(() => void this.stop().then(async () => {
      await new Promise((r) => setTimeout(r, this.rebootMs));
      this.state = into;
      if (into === 'running' && this.type === 'controlplane') this.cluster()!.controlPlanes.add(this);
      // a worker's apid waits for a control plane to sign its certificate
      for (let i = 0; i < 600 && this.state === into; i++) {
        if (await this.start().then(() => true, () => false)) break;
        await new Promise((r) => setTimeout(r, 100));
      }
    }), 20);
  }

  private guard(f: (call: Call) => unknown | Promise<unknown>) {
    return (call: Call, cb: Cb) => {
      const run = async () => {
        if (this.faults.unavailable || this.state === 'rebooting') throw err(grpc.status.UNAVAILABLE, 'connection refused');
        if (this.faults.slowMs) await new Promise((r) => setTimeout(r, this.faults.slowMs));
        return f(call);
      };
      run().then((r) => cb(null, r), (e: Error & { code?: number }) => cb(e.code !== undefined ? (e as grpc.ServiceError) : err(grpc.status.INTERNAL, e.message)));
    };
  }

  private handlers(): grpc.UntypedServiceImplementation {
    const maintenance = () => this.state === 'maintenance';
    const cpOnly = (what: string) => {
      if (this.type !== 'controlplane') throw err(grpc.status.UNIMPLEMENTED, `${what} is only available on control plane nodes`);
    };
    return {
      Version: this.guard(() => {
        if (maintenance()) throw err(grpc.status.UNIMPLEMENTED, 'API is not implemented in maintenance mode');
        return { messages: [{ metadata: meta, version: { tag: this.version, sha: 'simulated', built: '', go_version: 'go1.24', os: 'linux', arch: 'amd64' }, platform: { name: 'metal', mode: 'metal' }, features: { rbac: true } }] };
      }),
      ApplyConfiguration: this.guard((call) => this.apply(call.request as { data: Buffer; mode: string; dry_run: boolean })),
      Bootstrap: this.guard(() => {
        if (maintenance()) throw err(grpc.status.UNIMPLEMENTED, 'API is not implemented in maintenance mode');
        if (this.type !== 'controlplane') throw err(grpc.status.FAILED_PRECONDITION, 'bootstrap can only be performed on a control plane node');
        const c = this.cluster()!;
        if (c.bootstrapped) throw err(grpc.status.ALREADY_EXISTS, 'etcd data directory is not empty');
        c.bootstrapped = true;
        c.bootstraps++;
        this.hooks.bootstrap?.(c, this);
        return { messages: [{ metadata: meta }] };
      }),
      EtcdMemberList: this.guard(() => {
        if (maintenance()) throw err(grpc.status.UNIMPLEMENTED, 'API is not implemented in maintenance mode');
        cpOnly('etcd');
        const c = this.cluster()!;
        const members = c.bootstrapped ? [...c.controlPlanes].filter((n) => n.state === 'running').map((n, i) => ({ id: 1000 + i, hostname: n.ip, peer_urls: [`https://${n.ip}:2380`], client_urls: [`https://${n.ip}:2379`], is_learner: false })) : [];
        return { messages: [{ metadata: meta, legacy_members: [], members }] };
      }),
      ServiceList: this.guard(() => {
        if (maintenance()) throw err(grpc.status.UNIMPLEMENTED, 'API is not implemented in maintenance mode');
        const cp = this.type === 'controlplane';
        const booted = this.cluster()?.bootstrapped ?? false;
        const svc = (id: string, state: string) => ({ id, state, events: { events: [] }, health: { unknown: false, healthy: state === 'Running', last_message: '' } });
        const services = [svc('apid', 'Running'), svc('machined', 'Running'), svc('containerd', 'Running'), svc('cri', 'Running'), svc('kubelet', booted ? 'Running' : 'Waiting'), ...(cp ? [svc('etcd', booted ? 'Running' : 'Preparing')] : [])];
        return { messages: [{ metadata: meta, services }] };
      }),
      Kubeconfig: (call: grpc.ServerWritableStream<unknown, unknown>) => {
        void this.kubeconfig().then(
          (data) => {
            call.write({ metadata: meta, bytes: data });
            call.end();
          },
          (e: grpc.ServiceError) => call.destroy(e),
        );
      },
      Reboot: this.guard(() => {
        this.reboot(this.config ? 'running' : 'maintenance');
        return { messages: [{ metadata: meta, actor_id: 'sim' }] };
      }),
      Upgrade: this.guard((call) => {
        if (maintenance()) throw err(grpc.status.UNIMPLEMENTED, 'API is not implemented in maintenance mode');
        const { image } = call.request as { image: string };
        const tag = /:(v\d+\.\d+\.\d+[\w.-]*)$/.exec(image)?.[1];
        if (!tag) throw err(grpc.status.INVALID_ARGUMENT, `error validating installer image ${JSON.stringify(image)}: no version tag`);
        this.version = tag;
        this.reboot('running');
        return { messages: [{ metadata: meta, ack: 'Upgrade request received', actor_id: 'sim' }] };
      }),
      Reset: this.guard((call) => {
        const req = call.request as { mode: string; user_disks_to_wipe: string[] };
        if (req.mode === 'USER_DISKS') {
          // only the named data disks: the node keeps its config and reboots into it
          this.wiped.push(...req.user_disks_to_wipe);
          this.reboot('running');
          return { messages: [{ metadata: meta, actor_id: 'sim' }] };
        }
        this.cluster()?.controlPlanes.delete(this);
        this.config = undefined;
        this.reboot('maintenance');
        return { messages: [{ metadata: meta, actor_id: 'sim' }] };
      }),
    };
  }

  private apply(req: { data: Buffer; mode: string; dry_run: boolean }) {
    const text = Buffer.from(req.data).toString('utf8');
    if (this.state === 'maintenance' && !['REBOOT', 'AUTO', 'TRY'].includes(req.mode)) throw err(grpc.status.UNIMPLEMENTED, `apply configuration --mode='${req.mode.toLowerCase().replace('_', '-')}' is not supported in maintenance mode`);
    let cfg: Cfg;
    try {
      cfg = parse(text) as Cfg;
    } catch (e) {
      throw err(grpc.status.INVALID_ARGUMENT, `failed to parse config: ${(e as Error).message}`);
    }
    if (cfg?.version !== 'v1alpha1') throw err(grpc.status.INVALID_ARGUMENT, 'configuration validation failed: no v1alpha1 document');
    const problems = [!['controlplane', 'worker'].includes(cfg.machine?.type ?? '') && `unknown machine type "${cfg.machine?.type ?? ''}"`, !cfg.machine?.ca?.crt && 'machine.ca is required', !cfg.cluster?.clusterName && 'cluster.clusterName is required', !cfg.cluster?.controlPlane?.endpoint && 'cluster.controlPlane.endpoint is required'].filter(Boolean);
    if (problems.length) throw err(grpc.status.INVALID_ARGUMENT, `configuration validation failed: ${problems.length} errors occurred:\n\t* ${problems.join('\n\t* ')}`);
    const same = this.config === text;
    if (req.dry_run) {
      const summary = `Dry run summary:\nNode is running in ${this.state} mode; config would be applied ${this.state === 'maintenance' ? 'with a reboot' : 'without a reboot'}.\n\nConfig diff:\n\n${same ? 'No changes.' : `${this.config ? 'changed' : 'new'} configuration (${text.length} bytes)`}`;
      return { messages: [{ metadata: meta, warnings: [], mode: this.state === 'maintenance' ? 'REBOOT' : 'NO_REBOOT', mode_details: summary }] };
    }
    if ((this.faults.failApply ?? 0) > 0) {
      this.faults.failApply!--;
      throw err(grpc.status.INTERNAL, 'failed to write the configuration (injected fault)');
    }
    this.applied++;
    this.config = text;
    if (cfg.machine?.type === 'controlplane' && cfg.machine.ca?.key) this.cluster()!.osCa = cfg.machine.ca;
    if (this.state === 'maintenance') {
      this.reboot('running');
      return { messages: [{ metadata: meta, warnings: [], mode: 'REBOOT', mode_details: 'Applied configuration with a reboot' }] };
    }
    return { messages: [{ metadata: meta, warnings: [], mode: 'NO_REBOOT', mode_details: 'Applied configuration without a reboot' }] };
  }

  private async kubeconfig(): Promise<Buffer> {
    if (this.faults.unavailable || this.state !== 'running') throw err(this.state === 'maintenance' ? grpc.status.UNIMPLEMENTED : grpc.status.UNAVAILABLE, 'API is not implemented in maintenance mode');
    if (this.type !== 'controlplane') throw err(grpc.status.UNIMPLEMENTED, 'kubeconfig is only available on control plane nodes');
    const cfg = this.parsed();
    const c = this.cluster()!;
    if (!c.bootstrapped) throw err(grpc.status.FAILED_PRECONDITION, 'kubeconfig is not available before bootstrap');
    const client = await issue(cfg.cluster!.ca!, { subject: 'O=system:masters, CN=admin', client: true });
    const ctx = `admin@${c.name}`;
    const yaml = `apiVersion: v1
kind: Config
clusters:
  - name: ${c.name}
    cluster:
      server: ${cfg.cluster!.controlPlane!.endpoint}
      certificate-authority-data: ${cfg.cluster!.ca!.crt}
users:
  - name: ${ctx}
    user:
      client-certificate-data: ${Buffer.from(client.crt).toString('base64')}
      client-key-data: ${Buffer.from(client.key).toString('base64')}
contexts:
  - context:
      cluster: ${c.name}
      namespace: default
      user: ${ctx}
    name: ${ctx}
current-context: ${ctx}
`;
    return gzipSync(await tarOne('kubeconfig', Buffer.from(yaml), 0o600));
  }
}
