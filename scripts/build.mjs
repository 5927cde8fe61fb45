// npm run build: compiles into a fresh folder, then points dist/ at it with one atomic rename of a
// symlink, so a CLI running meanwhile never loads a half-written build (its lazy imports keep
// resolving in the build it started from, which is kept until two newer builds exist).
import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, readdirSync, readlinkSync, renameSync, rmSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const next = `.build-${Date.now()}-${process.pid}`;
try {
  execFileSync(process.execPath, [tsc, '-p', '.', '--outDir', next], { stdio: 'inherit' });
  // each package lib/source/vendor/ re-exports as one file (lib/source/vendor/typebox.ts says why);
  // a CommonJS package's own require() of Node's built-ins goes through a real require
  const { buildSync } = createRequire(import.meta.url)('esbuild');
  const vendor = `${next}/lib/source/vendor`;
  for (const f of readdirSync(vendor).filter((n) => n.endsWith('.js'))) {
    buildSync({
      entryPoints: [`${vendor}/${f}`], bundle: true, format: 'esm', platform: 'node', target: 'node20', outfile: `${vendor}/${f}`, allowOverwrite: true, logLevel: 'error',
      banner: { js: "import { createRequire as __vendorRequire } from 'node:module'; const require = __vendorRequire(import.meta.url);" },
    });
  }
  // the modules' catalog and the built-in schemas' validators (not with NO_PRECOMPILE), made now instead of at every start-up
  execFileSync(process.execPath, [`${next}/scripts/precompile.js`], { stdio: ['ignore', 'ignore', 'inherit'] });
} catch {
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
