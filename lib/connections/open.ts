import { LocalConnection } from './local.js';
import { SshConnection, sshTarget, type SshDefaults } from './ssh/index.js';
import { TalosConnection } from './talos/index.js';
import { KubeConnection } from './kube/index.js';
import { UnreachableError, type Connection } from './types.js';

export interface HostAddress {
  name: string;
  kind: string;
  vars: Record<string, unknown>;
}

/** Settings from the command line that shape how connections open. */
export interface ConnectOptions {
  ssh?: SshDefaults;
}

type Opener = (h: HostAddress, o: ConnectOptions) => Promise<Connection>;

const openers: Record<string, Opener> = {
  local: async () => new LocalConnection(),
  ssh: (h, o) => SshConnection.open(sshTarget(h.name, h.vars, o.ssh)),
  paramiko: (h, o) => SshConnection.open(sshTarget(h.name, h.vars, o.ssh)),
  talos: async (h) => TalosConnection.fromVars(h.name, h.vars),
  kube: async (h) => KubeConnection.fromVars(h.name, h.vars),
};

/** Connection kinds this build can open; others are refused when a play is checked. */
export function connectionKinds(): string[] {
  return Object.keys(openers);
}

export async function openConnection(h: HostAddress, o: ConnectOptions = {}): Promise<Connection> {
  const open = openers[h.kind];
  if (!open) throw new UnreachableError(`connection '${h.kind}' is not available in this build (known: ${connectionKinds().join(', ')})`);
  return open(h, o);
}
