// apart from pki.ts, whose X.509 library the gRPC client does not need (it costs ≈ 140 ms to load)

/** Node rejects Talos' `ED25519 PRIVATE KEY` label (the body is plain PKCS#8): use `PRIVATE KEY`. */
export function nodeKeyPem(keyPem: string): string {
  return keyPem.replace(/(BEGIN|END) (ED25519|EC) PRIVATE KEY/g, '$1 PRIVATE KEY');
}
