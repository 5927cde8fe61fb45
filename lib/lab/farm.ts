import { writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { issue, unb64 } from '../connections/talos/pki.js';
import { startChartRepo, startKubeApi, type ChartRepo, type KubeSim } from './kube/index.js';
import { startDoppler, type DopplerSim } from './doppler.js';
import { leaseOf, readState, startPveHost, type PveHost } from './proxmox/index.js';
import { delayProxy } from './delay-proxy.js';
import { freePort, keygen } from './sshd.js';
import { TalosLab, type SimCluster, type SimTalosNode } from './talos/index.js';
import { makeDirs } from '../source/index.js';

/**
 * The simulated farm on loopback: a Proxmox VE node per site (each over its own real sshd),
 * Talos nodes that boot when their VM runs from the Talos ISO, a Kubernetes API per cluster that
 * starts when the cluster is bootstrapped (TLS under the cluster's own CA, so the Talos kubeconfig
 * works), the lab chart repository and Doppler. Every port is chosen free and written into the
 * inventory.
 */
export interface Farm {
  dir: string;
  /** Inventory overlay for inventories/edge.yaml + cloud.yaml (the PVE hosts' SSH address). */
  inventory: string;
  /** Extra vars (-e @file): the simulators' ports and the lab's own folders, above group_vars. */
  varsFile: string;
  env: Record<string, string>;
  ports: Record<string, number>;
  talos: TalosLab;
  apis: Map<string, KubeSim>;
  /** The faults injected (--faults), in words. */
  faults: string[];
  /** Processes the farm started (OpenSSH's sshd), which stop() ends. */
  children: number[];
  stop(): Promise<void>;
}

export { pidAlive } from '../source/index.js';

export const LAB_NETWORKS = { '1500': '127.0.15.', '2000': '127.0.20.' };
const REPO_VARS = ['gateway_api_chart_repo', 'cilium_chart_repo', 'metrics_server_chart_repo', 'tetragon_chart_repo', 'rook_chart_repo', 'prometheus_chart_repo', 'robusta_chart_repo', 'ollama_chart_repo', 'otel_chart_repo'];

/** `--faults`: what goes wrong once, so a run shows it recovers (or says exactly what failed). */
const FAULTS = {
  bootHangMs: 4000,
  linkOneWayMs: 15,
  // every fault hits the edge site (the rural one); the cloud site should not notice
  site: 'pve-east',
  network: LAB_NETWORKS['1500'],
  apiCluster: 'talos-east',
  apiKind: 'Deployment',
};

/**
 * The hook that gives a simulated cluster its Kubernetes API when it is bootstrapped: TLS under
 * the cluster's own CA at the control plane endpoint of its machine config (so the kubeconfig
 * Talos hands out works with kubectl and helm).
 */
export function kubeApiAtBootstrap(apis: Map<string, KubeSim>, nodes: () => SimTalosNode[], opts: { defaultPort?: number; failFirstWriteOf?: (cluster: string) => string | undefined } = {}) {
  const starting = new Map<string, Promise<void>>();
  const hook = (c: SimCluster, node: SimTalosNode) => {
    const cfg = node.clusterConfig();
    const url = new URL(cfg.controlPlane?.endpoint ?? `https://${node.ip}:${opts.defaultPort ?? 6443}`);
    const ca = cfg.ca!;
    const p = (async () => {
      const server = await issue(ca, { subject: 'CN=kube-apiserver', ips: [url.hostname, '127.0.0.1'], dns: ['localhost', 'kubernetes'] });
      const tls = { cert: server.crt, key: server.key, ca: unb64(ca.crt) };
      apis.set(c.name, await startKubeApi({ host: url.hostname, port: Number(url.port), tls, nodes: () => nodes().filter((n) => n.cluster() === c).length, failFirstWriteOf: opts.failFirstWriteOf?.(c.name) }));
    })();
    starting.set(c.name, p.catch(() => {}));
  };
  return { hook, starting };
}

export async function startFarm(dir: string, opts: { rebootMs?: number; pollMs?: number; faults?: boolean } = {}): Promise<Farm> {
  makeDirs(dir);
  const apis = new Map<string, KubeSim>();
  const [talosPort, apiPort] = [await freePort(), await freePort()];
  const { hook: startApi, starting } = kubeApiAtBootstrap(apis, () => [...talos.nodes.values()], {
    defaultPort: apiPort,
    failFirstWriteOf: (cluster) => (opts.faults && cluster === FAULTS.apiCluster ? FAULTS.apiKind : undefined),
  });
  const talos = new TalosLab(opts.rebootMs ?? 150, { bootstrap: startApi });

  const keys = keygen(dir, 'operator');
  // each site's own PVE node (its VMs, ISO storage and /etc/pve), as the platform has them
  const SITES = ['pve-east', 'pve-west'] as const;
  const [east, west]: PveHost[] = await Promise.all(SITES.map((node) => startPveHost(join(dir, node), [keys.pub], { node, networks: LAB_NETWORKS, agentDelayMs: 100 })));
  const [repo, doppler]: [ChartRepo, DopplerSim] = await Promise.all([startChartRepo(), startDoppler({ stateFile: join(dir, 'doppler.json') })]);
  for (const [k, v] of Object.entries({ ROBUSTA_ACCOUNT_ID: 'lab-account', ROBUSTA_SIGNING_KEY: 'lab-signing-key-0123456789', ROBUSTA_SINK_TOKEN: 'lab-sink-token-0123456789', HONEYCOMB_API_KEY: 'lab-honeycomb-key-0123456789' }))
    if (doppler.get('farm', 'prd', k) === undefined) doppler.set('farm', 'prd', k, v);

  // the slow link: the operator reaches the PVE host's sshd through a delaying proxy
  const link = opts.faults ? await delayProxy(east.sshd.port, FAULTS.linkOneWayMs) : undefined;
  const sshPort = link?.port ?? east.sshd.port;

  // the "hardware": a running VM booted from the Talos ISO is a Talos node at its lease address
  let bootFault = !!opts.faults;
  const boot = async (ip: string) => {
    const node = await talos.boot(ip, talosPort);
    if (!bootFault || !ip.startsWith(FAULTS.network)) return;
    // its first boot hangs; the VM's watchdog resets it and the second boot comes up
    bootFault = false;
    node.faults.unavailable = true;
    setTimeout(() => (node.faults.unavailable = false), FAULTS.bootHangMs).unref();
  };
  let polling = true;
  const supervise = async () => {
    while (polling) {
      try {
        const want = new Set<string>();
        for (const s of SITES.map((node) => readState(join(dir, node))))
          for (const [id, vm] of Object.entries(s.vms)) {
            const ip = leaseOf(s, Number(id), vm)?.ip;
            if (vm.status === 'running' && ip && /talos/.test(String(vm.config.ide2 ?? ''))) want.add(`${ip}:${talosPort}`);
          }
        for (const ep of want) if (!talos.nodes.has(ep)) await boot(ep.split(':')[0]);
        for (const ep of [...talos.nodes.keys()]) if (!want.has(ep)) await talos.powerOff(ep);
        for (const [name, api] of apis)
          if (![...talos.nodes.values()].some((n) => n.cluster()?.name === name)) {
            apis.delete(name);
            talos.clusters.delete(name);
            await api.close();
          }
      } catch {
        // the state file is rewritten under a lock; read again next tick
      }
      await new Promise((r) => setTimeout(r, opts.pollMs ?? 100));
    }
  };
  const loop = supervise();

  const reach = (port: number) => `{ansible_host: 127.0.0.1, ansible_port: ${port}, ansible_user: ${userInfo().username}, ansible_ssh_private_key_file: ${keys.priv}, ansible_ssh_known_hosts_file: ${join(dir, 'known_hosts')}}`;
  const lines = [east.sshd.knownHostsLine, west.sshd.knownHostsLine, ...(link ? [east.sshd.knownHostsLine.replace(`]:${east.sshd.port} `, `]:${sshPort} `)] : [])];
  writeFileSync(join(dir, 'known_hosts'), lines.join('\n') + '\n');
  const inventory = join(dir, 'lab.yaml');
  // only the edge's PVE node is behind the slow link
  writeFileSync(inventory, `# Written by agri-play lab: the simulated PVE nodes over SSH on loopback (over edge.yaml + cloud.yaml).\nall:\n  hosts:\n    pve-east: ${reach(sshPort)}\n    pve-west: ${reach(west.sshd.port)}\n`);
  const varsFile = join(dir, 'lab-vars.yaml');
  writeFileSync(
    varsFile,
    `# Written by agri-play lab (passed as -e @file): the simulators' free ports and the lab's folders.
talos_port: ${talosPort}
k8s_api_port: ${apiPort}
talos_dir: ${join(dir, 'talos')}/{{ cluster_name }}
cilium_ca_dir: ${join(dir, 'mesh')}
helm_home: ${join(dir, 'helm')}
talos_wait: 60
vm_ip_timeout: 60
${REPO_VARS.map((v) => `${v}: ${repo.url}/${v.replace(/_chart_repo$/, '')}`).join('\n')}
`,
  );
  const env = { DOPPLER_TOKEN: doppler.serviceToken('farm', 'prd'), DOPPLER_API_HOST: doppler.url };
  return {
    dir,
    inventory,
    varsFile,
    env,
    ports: { pveEast: sshPort, pveWest: west.sshd.port, talos: talosPort, kubeApi: apiPort, charts: repo.port, doppler: doppler.port },
    talos,
    apis,
    children: [east, west].map((h) => h.sshd.pid).filter((pid) => pid !== process.pid),
    faults: opts.faults
      ? [
          `the first edge Talos node to boot hangs; its watchdog resets it and it answers ${FAULTS.bootHangMs / 1000} s late`,
          `the link to the edge's Proxmox host (${FAULTS.site}) is slow: +${2 * FAULTS.linkOneWayMs} ms per round trip (a delaying proxy in front of sshd)`,
          `${FAULTS.apiCluster}'s API fails the first ${FAULTS.apiKind} write with an etcd timeout (a helm install fails once)`,
        ]
      : [],
    stop: async () => {
      polling = false;
      await loop;
      await Promise.all(starting.values());
      await Promise.all([...apis.values()].map((a) => a.close()));
      await Promise.all([talos.stop(), east.stop(), west.stop(), repo.close(), doppler.close(), link?.close()]);
    },
  };
}
