import { randomBytes, webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import { nodeKeyPem } from './key-pem.js';

/**
 * Talos PKI: the secrets bundle (`talosctl gen secrets` shape) and the certificates minted from
 * it. Ed25519 for the Talos OS CA (as Talos), ECDSA P-256 for the Kubernetes/etcd CAs.
 * Every crt/key in the bundle is base64 of a PEM block, as in Talos' files.
 */
x509.cryptoProvider.set(webcrypto as Crypto);
const subtle = webcrypto.subtle;
const ED = { name: 'Ed25519' };
const EC = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
type Alg = typeof ED | typeof EC;

export interface CertPair {
  crt: string;
  key: string;
}
export interface SecretsBundle {
  cluster: { id: string; secret: string };
  secrets: { bootstraptoken: string; secretboxencryptionsecret: string };
  trustdinfo: { token: string };
  certs: { etcd: CertPair; k8s: CertPair; k8saggregator: CertPair; k8sserviceaccount: { key: string }; os: CertPair };
}

const b64 = (s: string) => Buffer.from(s).toString('base64');
export const unb64 = (s: string) => Buffer.from(s, 'base64').toString('utf8');
const token = (n: number) => [...randomBytes(n)].map((b) => 'abcdefghijklmnopqrstuvwxyz0123456789'[b % 36]).join('');
const YEAR = 365 * 24 * 3600 * 1000;

async function pem(key: CryptoKey, label: string): Promise<string> {
  const der = Buffer.from(await subtle.exportKey('pkcs8', key));
  return `-----BEGIN ${label}-----\n${der.toString('base64').match(/.{1,64}/g)!.join('\n')}\n-----END ${label}-----\n`;
}


async function importKey(keyPem: string, alg: Alg): Promise<CryptoKey> {
  const body = nodeKeyPem(keyPem).replace(/-----[^-]+-----|\s/g, '');
  return subtle.importKey('pkcs8', Buffer.from(body, 'base64'), alg, true, ['sign']);
}

async function newCa(name: string, alg: Alg, label: string): Promise<CertPair> {
  const keys = (await subtle.generateKey(alg, true, ['sign', 'verify'])) as CryptoKeyPair;
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomBytes(8).toString('hex'),
    name,
    notBefore: new Date(Date.now() - 60_000),
    notAfter: new Date(Date.now() + 10 * YEAR),
    keys,
    signingAlgorithm: alg,
    extensions: [new x509.BasicConstraintsExtension(true, undefined, true), new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.digitalSignature, true)],
  });
  return { crt: b64(cert.toString('pem') + '\n'), key: b64(await pem(keys.privateKey, label)) };
}

export async function generateSecrets(): Promise<SecretsBundle> {
  const sa = (await subtle.generateKey(EC, true, ['sign', 'verify'])) as CryptoKeyPair;
  return {
    cluster: { id: randomBytes(32).toString('base64url'), secret: randomBytes(32).toString('base64') },
    secrets: { bootstraptoken: `${token(6)}.${token(16)}`, secretboxencryptionsecret: randomBytes(32).toString('base64') },
    trustdinfo: { token: `${token(6)}.${token(16)}` },
    certs: {
      etcd: await newCa('O=etcd', EC, 'EC PRIVATE KEY'),
      k8s: await newCa('O=kubernetes', EC, 'EC PRIVATE KEY'),
      k8saggregator: await newCa('CN=front-proxy', EC, 'EC PRIVATE KEY'),
      k8sserviceaccount: { key: b64(await pem(sa.privateKey, 'EC PRIVATE KEY')) },
      os: await newCa('O=talos', ED, 'ED25519 PRIVATE KEY'),
    },
  };
}

/**
 * A leaf certificate signed by a CA of the bundle: a client (Subject O = role, e.g. os:admin,
 * ExtKeyUsage clientAuth) or a server (SANs = addresses). Returns PEM (not base64).
 */
export async function issue(ca: CertPair, opts: { subject: string; client?: boolean; ips?: string[]; dns?: string[]; days?: number }): Promise<{ crt: string; key: string }> {
  const caCert = new x509.X509Certificate(unb64(ca.crt));
  const alg: Alg = caCert.publicKey.algorithm.name === 'Ed25519' ? ED : EC;
  const caKey = await importKey(unb64(ca.key), alg);
  const keys = (await subtle.generateKey(alg, true, ['sign', 'verify'])) as CryptoKeyPair;
  const san = [...(opts.ips ?? []).map((v) => ({ type: 'ip' as const, value: v })), ...(opts.dns ?? []).map((v) => ({ type: 'dns' as const, value: v }))];
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: randomBytes(8).toString('hex'),
    subject: opts.subject,
    issuer: caCert.subject,
    notBefore: new Date(Date.now() - 60_000),
    notAfter: new Date(Date.now() + (opts.days ?? 365) * 24 * 3600 * 1000),
    publicKey: keys.publicKey,
    signingKey: caKey,
    signingAlgorithm: alg,
    extensions: [
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | (alg === EC ? x509.KeyUsageFlags.keyEncipherment : 0), true),
      new x509.ExtendedKeyUsageExtension([opts.client ? x509.ExtendedKeyUsage.clientAuth : x509.ExtendedKeyUsage.serverAuth]),
      ...(san.length ? [new x509.SubjectAlternativeNameExtension(san)] : []),
    ],
  });
  return { crt: cert.toString('pem') + '\n', key: await pem(keys.privateKey, 'PRIVATE KEY') };
}

/** A self-signed server certificate (Talos' maintenance mode). */
export async function selfSigned(ips: string[]): Promise<{ crt: string; key: string }> {
  const ca = await newCa('O=talos-maintenance', ED, 'PRIVATE KEY');
  return issue(ca, { subject: `CN=${ips[0] ?? 'talos'}`, ips });
}

/** Subject O of a certificate (the Talos role of a client). */
export function certOrg(crtPem: string): string | undefined {
  return /O=([^,]+)/.exec(new x509.X509Certificate(crtPem).subject)?.[1];
}

/** A self-signed ECDSA P-256 CA (PEM), e.g. the Cilium CA shared by the clusters of a mesh. */
export async function generateCa(subject: string): Promise<{ crt: string; key: string }> {
  const ca = await newCa(subject, EC, 'EC PRIVATE KEY');
  return { crt: unb64(ca.crt), key: unb64(ca.key) };
}
