import { createHash } from 'node:crypto';
import { chmodSync, existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { projectDir } from './packages.js';
import { cacheValidators, makeDirs, writeWhole } from '../source/index.js';

/**
 * Loads a role written in TypeScript (`roles/NAME/role.ts`) without a build step: esbuild strips
 * the types (Node 20 cannot), the result goes to `.agri-play/ts/` of the role's project (so
 * `import … from 'agri-play'` resolves as it would from the role), with its source map beside it
 * (`.mjs.map`, linked) so step positions name the .ts file and line. Node reads the map only with
 * --enable-source-maps (-vvv turns it on): decoding every role's map at load cost a --syntax-check
 * of the site ≈ 12 ms, and a step's position is mapped when it is first read (ts-role.ts).
 */
const req = createRequire(import.meta.url);
// esbuild itself loads only when a role needs transpiling (a cached one does not)
const esbuildVersion = (req('esbuild/package.json') as { version: string }).version;

export function loadTsModule(file: string): unknown {
  const src = readFileSync(file, 'utf8');
  const root = projectDir(dirname(file)) ?? dirname(file);
  const dir = join(root, '.agri-play', 'ts');
  // its parameters' validator is kept beside it, compiled once
  cacheValidators(join(dir, 'validators'));
  // named by the source (and esbuild's version, and how it is written: 2 = the map beside it): an unchanged role is not transpiled again
  const target = join(dir, `${basename(dirname(file))}-${createHash('sha256').update(file).update(src).update(esbuildVersion).update('2').digest('hex').slice(0, 16)}.mjs`);
  if (!existsSync(target)) {
    const { transformSync } = req('esbuild') as typeof import('esbuild');
    const out = transformSync(src, { loader: 'ts', format: 'esm', sourcemap: 'external', sourcefile: file, target: 'node20' });
    makeDirs(dir, 0o700);
    chmodSync(dir, 0o700);
    // (each written whole: another run that loads the role meanwhile never reads half a file; the map first)
    writeWhole(`${target}.map`, out.map, 0o600);
    writeWhole(target, `${out.code}//# sourceMappingURL=${basename(target)}.map\n`, 0o600);
  }
  return req(target);
}
