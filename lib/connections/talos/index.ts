import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { parse } from '../../source/vendor/yaml.js';
import { UnreachableError, type Connection } from '../types.js';
import type { TalosClient, TalosCreds } from './client.js';

// gRPC, proto loading and X.509 cost ~0.3 s to load: only runs that talk to Talos pay for them
export { TalosCallError } from './errors.js';
export type { TalosClient, TalosCreds } from './client.js';
export type { SecretsBundle, CertPair } from './pki.js';
export const talosPki = () => import('./pki.js');
export const talosGrpc = () => import('./client.js');

const unb64 = (s: string) => Buffer.from(s, 'base64').toString('utf8');

/** What modules get from a Talos host: clients for the machine API, secure or in maintenance mode. */
export interface TalosApi {
  endpoint: string;
  secure(): Promise<TalosClient>;
  insecure(): Promise<TalosClient>;
}

/** A talosconfig context's credentials (base64 PEMs, as talosctl writes them). */
export function talosconfigCreds(file: string, context?: string): TalosCreds {
  if (!existsSync(file)) throw new UnreachableError(`talosconfig ${file} does not exist (it is written by talos_secrets)`);
  const doc = parse(readFileSync(file, 'utf8')) as { context?: string; contexts?: Record<string, { ca?: string; crt?: string; key?: string }> };
  const name = context ?? doc.context ?? '';
  const c = doc.contexts?.[name];
  if (!c?.ca || !c.crt || !c.key) throw new UnreachableError(`talosconfig ${file}: context '${name}' has no ca/crt/key`);
  return { ca: unb64(c.ca), crt: unb64(c.crt), key: unb64(c.key) };
}

/** Talos has no shell: a host reached through its machine API (gRPC, mTLS, port 50000). */
export class TalosConnection implements Connection {
  readonly kind = 'talos';
  private clients = new Map<string, TalosClient>();
  private trips = 0;
  readonly talos: TalosApi;

  constructor(
    readonly endpoint: string,
    private readonly talosconfig: string,
    private readonly context?: string,
  ) {
    const get = async (mode: 'secure' | 'insecure') => {
      this.trips++;
      let c = this.clients.get(mode);
      if (!c) {
        const creds = mode === 'insecure' ? 'insecure' : talosconfigCreds(this.talosconfig, this.context);
        const { TalosClient } = await talosGrpc();
        this.clients.set(mode, (c = new TalosClient(endpoint, creds)));
      }
      return c;
    };
    this.talos = { endpoint, secure: () => get('secure'), insecure: () => get('insecure') };
  }

  static fromVars(name: string, vars: Record<string, unknown>): TalosConnection {
    const host = String(vars.ansible_host ?? name);
    const port = Number(vars.talos_port ?? vars.ansible_port ?? 50000);
    const file = String(vars.talosconfig ?? process.env.TALOSCONFIG ?? `${homedir()}/.talos/config`);
    return new TalosConnection(`${host}:${port}`, file, vars.talos_context as string | undefined);
  }

  private noShell(what: string): never {
    throw new UnreachableError(`talos ${this.endpoint}: ${what} is not possible: Talos has no shell or SSH; use the talos_* modules`);
  }
  exec(): never {
    return this.noShell('running a command');
  }
  readFile(): never {
    return this.noShell('reading a file');
  }
  writeFile(): never {
    return this.noShell('writing a file');
  }
  stat(): never {
    return this.noShell('stat');
  }
  mkdir(): never {
    return this.noShell('mkdir');
  }
  chmod(): never {
    return this.noShell('chmod');
  }
  async close(): Promise<void> {
    for (const c of this.clients.values()) c.close();
  }
  roundTrips(): number {
    return this.trips;
  }
}
