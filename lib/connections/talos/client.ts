import { checkServerIdentity } from 'node:tls';
import { gunzipSync } from 'node:zlib';
import { grpc } from '../../source/vendor/grpc.js';
import { UnreachableError } from '../types.js';
import { TalosCallError } from './errors.js';
import { nodeKeyPem } from './key-pem.js';
import { machineService, Status } from './proto.js';

/** Credentials for the machine API: mutual TLS (normal mode) or none (maintenance mode: TLS, no verification). */
export type TalosCreds = { ca: string; crt: string; key: string } | 'insecure';


const codeName = (c: number) => Object.entries(Status).find(([, v]) => v === c)?.[0] ?? String(c);
const DOWN = [Status.UNAVAILABLE, Status.DEADLINE_EXCEEDED];

type Unary = (req: unknown, meta: grpc.Metadata, opts: grpc.CallOptions, cb: (e: grpc.ServiceError | null, r: unknown) => void) => void;
type Stream = (req: unknown, meta: grpc.Metadata, opts: grpc.CallOptions) => grpc.ClientReadableStream<{ bytes: Buffer }>;

/** One node's machine API over gRPC (no talosctl). Calls go to the node dialled, without `nodes` metadata. */
export class TalosClient {
  private readonly client: grpc.Client;

  constructor(
    readonly endpoint: string,
    creds: TalosCreds,
    private readonly timeoutMs = 10_000,
  ) {
    const Ctor = machineService();
    const host = endpoint.replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
    // the node's certificate names its addresses: check the one dialled (TLS SNI can't carry an IP)
    const ssl =
      creds === 'insecure'
        ? grpc.credentials.createSsl(null, null, null, { rejectUnauthorized: false, checkServerIdentity: () => undefined })
        : grpc.credentials.createSsl(Buffer.from(creds.ca), Buffer.from(nodeKeyPem(creds.key)), Buffer.from(creds.crt), { checkServerIdentity: (_h, cert) => checkServerIdentity(host, cert) });
    this.client = new Ctor(endpoint, ssl, {
      'grpc.ssl_target_name_override': 'talos',
      'grpc.max_receive_message_length': 32 * 1024 * 1024,
      'grpc.initial_reconnect_backoff_ms': 200,
      'grpc.max_reconnect_backoff_ms': 1000,
    });
  }

  private fail(method: string, e: grpc.ServiceError): Error {
    if (DOWN.includes(e.code)) return new UnreachableError(`talos ${this.endpoint}: ${method}: ${e.details || e.message}`);
    return new TalosCallError(e.code, codeName(e.code), e.details || e.message);
  }

  call<T>(method: string, req: unknown = {}): Promise<T> {
    const f = (this.client as unknown as Record<string, Unary>)[method].bind(this.client);
    return new Promise((resolve, reject) =>
      f(req, new grpc.Metadata(), { deadline: Date.now() + this.timeoutMs }, (e, r) => (e ? reject(this.fail(method, e)) : resolve(r as T))),
    );
  }

  /** Kubeconfig: a stream of common.Data chunks, together a gzip'd tar with one file `kubeconfig`. */
  async kubeconfig(): Promise<string> {
    const f = (this.client as unknown as Record<string, Stream>).Kubeconfig.bind(this.client);
    const chunks: Buffer[] = [];
    await new Promise<void>((resolve, reject) => {
      const s = f({}, new grpc.Metadata(), { deadline: Date.now() + this.timeoutMs });
      s.on('data', (d: { bytes: Buffer }) => chunks.push(Buffer.from(d.bytes)));
      s.on('error', (e: grpc.ServiceError) => reject(this.fail('Kubeconfig', e)));
      s.on('end', () => resolve());
    });
    return untarOne(gunzipSync(Buffer.concat(chunks)), 'kubeconfig');
  }

  close(): void {
    this.client.close();
  }
}

/** Reads one regular file from a ustar archive; tolerates a missing end trailer (Talos writes none). */
export function untarOne(tar: Buffer, name: string): string {
  for (let off = 0; off + 512 <= tar.length; ) {
    const header = tar.subarray(off, off + 512);
    if (header.every((b) => b === 0)) break;
    const file = header.subarray(0, 100).toString('utf8').replace(/\0.*$/s, '');
    const size = parseInt(header.subarray(124, 136).toString('utf8').replace(/\0.*$/s, '').trim() || '0', 8);
    if (file === name || file === `./${name}`) return tar.subarray(off + 512, off + 512 + size).toString('utf8');
    off += 512 + Math.ceil(size / 512) * 512;
  }
  throw new Error(`no ${name} in the archive Talos sent`);
}
