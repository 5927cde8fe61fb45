// npm run build: compiles into a fresh folder, then points dist/ at it with one atomic rename of a
// symlink, so a CLI running meanwhile never loads a half-written build (its lazy imports keep
// resolving in the build it started from, which is kept until two newer builds exist).
import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, readFileSync, readdirSync, readlinkSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildVendor } from './vendor.mjs';

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const next = `.build-${Date.now()}-${process.pid}`;

try {
  execFileSync(process.execPath, [tsc, '-p', '.', '--outDir', next], { stdio: 'inherit' });
  // each package lib/source/vendor/ re-exports as one file, loaded with its V8 code cache (scripts/vendor.mjs)
  const { build } = createRequire(import.meta.url)('esbuild');
  const { writeCodeCache } = await import(pathToFileURL(`${next}/lib/source/code-cache.js`).href);
  await buildVendor(next, build, writeCodeCache);
  // the modules' catalog and the built-in schemas' validators (not with NO_PRECOMPILE), made now instead of at every start-up
  execFileSync(process.execPath, [`${next}/scripts/precompile.js`], { stdio: ['ignore', 'ignore', 'inherit'] });
  await bundleCli(next);
} catch (e) {
  // (tsc and esbuild have printed their own errors; anything else says what broke)
  if (e && e.status === undefined && !e.errors) console.error(`build: ${e.message ?? e}`);
  rmSync(next, { recursive: true, force: true });
  process.exit(1);
}
if (existsSync('dist') && !lstatSync('dist').isSymbolicLink()) rmSync('dist', { recursive: true, force: true });
const link = `.dist-${process.pid}`;
symlinkSync(next, link);
renameSync(link, 'dist');
const current = readlinkSync('dist');
const builds = readdirSync('.').filter((f) => f.startsWith('.build-') && f !== current).sort();
for (const old of builds.slice(0, Math.max(0, builds.length - 2))) rmSync(old, { recursive: true, force: true });

/**
 * The CLI as one bundle (bin/agri-play.js loads it): ESM start-up pays per file (resolve, read,
 * compile, link), and the engine is ~290 of them: ≈ 100 ms of a run's start. What a command loads
 * lazily stays lazy (each dynamic import is a chunk of its own). The compiled files stay beside it
 * for the library's users and the tests, and every `import.meta.url` in the bundle still names
 * its own file's place among them (the catalog, validators and the simulators' scripts are found
 * as before). Packages are not bundled. The package's entry (`import … from 'agri-play'`, as a
 * TypeScript role writes) is in the same bundle: a role loaded by the CLI shares its engine instead
 * of loading the compiled files again (≈ 100 ms more for the site's roles).
 */
async function bundleCli(build) {
  const { build: esbuild } = createRequire(import.meta.url)('esbuild');
  const outdir = `${build}/bundle`;
  const ownUrl = {
    name: 'own-import-meta-url',
    setup(b) {
      b.onLoad({ filter: /\.js$/ }, (args) => {
        const src = readFileSync(args.path, 'utf8');
        if (!src.includes('import.meta.url')) return undefined;
        const url = `new URL(${JSON.stringify(relative(outdir, args.path))}, import.meta.url).href`;
        return { contents: src.replaceAll('import.meta.url', url), loader: 'js' };
      });
    },
  };
  const { metafile } = await esbuild({
    entryPoints: { main: `${build}/lib/cli/main.js`, index: `${build}/lib/index.js` }, bundle: true, splitting: true, format: 'esm', platform: 'node', target: 'node20',
    outdir, packages: 'external', logLevel: 'error', plugins: [ownUrl], metafile: true,
  });
  // which compiled files each chunk holds (the lazy-load test reads it)
  const chunks = Object.fromEntries(Object.entries(metafile.outputs).map(([out, o]) => [relative(outdir, out), Object.keys(o.inputs).map((i) => relative(build, i))]));
  writeFileSync(`${outdir}/chunks.json`, JSON.stringify(chunks, null, 1));
}
