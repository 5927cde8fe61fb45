import { pack } from 'tar-stream';

/** A tar with one regular file, as Talos' Kubeconfig stream carries (then gzip'd). */
export function tarOne(name: string, data: Buffer, mode: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const p = pack();
    const chunks: Buffer[] = [];
    p.on('data', (c: unknown) => void chunks.push(c as Buffer));
    p.on('end', () => resolve(Buffer.concat(chunks)));
    p.on('error', reject);
    p.entry({ name, mode, size: data.length, type: 'file' }, data, (e) => (e ? reject(e) : p.finalize()));
  });
}
