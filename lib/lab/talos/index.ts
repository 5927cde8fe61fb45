import { SimTalosNode, type LabHooks, type SimCluster } from './node.js';

export { SimTalosNode, type SimCluster, type Faults, type LabHooks } from './node.js';

/** A set of simulated Talos nodes sharing cluster state (etcd membership, bootstrap). */
export class TalosLab {
  readonly clusters = new Map<string, SimCluster>();
  readonly nodes = new Map<string, SimTalosNode>();

  constructor(
    readonly rebootMs = 200,
    private readonly hooks: LabHooks = {},
  ) {}

  /** Boots a node from the ISO: maintenance mode on ip:port. */
  async boot(ip: string, port: number): Promise<SimTalosNode> {
    const n = new SimTalosNode(ip, port, this.clusters, this.rebootMs, this.hooks);
    await n.start();
    this.nodes.set(`${ip}:${port}`, n);
    return n;
  }

  async powerOff(endpoint: string): Promise<void> {
    await this.nodes.get(endpoint)?.stop();
    this.nodes.delete(endpoint);
  }

  async stop(): Promise<void> {
    await Promise.all([...this.nodes.values()].map((n) => n.stop()));
    this.nodes.clear();
  }
}
