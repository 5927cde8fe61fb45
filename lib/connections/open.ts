import { LocalConnection } from './local.js';
import { UnreachableError, type Connection } from './types.js';

export interface HostAddress {
  name: string;
  kind: string;
  vars: Record<string, unknown>;
}

type Opener = (h: HostAddress) => Promise<Connection>;

const openers: Record<string, Opener> = {
  local: async () => new LocalConnection(),
};

/** Connection kinds this build can open; others are refused when a play is checked. */
export function connectionKinds(): string[] {
  return Object.keys(openers);
}

export async function openConnection(h: HostAddress): Promise<Connection> {
  const open = openers[h.kind];
  if (!open) throw new UnreachableError(`connection '${h.kind}' is not available in this build (known: ${connectionKinds().join(', ')})`);
  return open(h);
}
