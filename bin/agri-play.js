#!/usr/bin/env node
// Kept tiny so `agri-play --version` answers without loading the engine.
import { readFileSync } from 'node:fs';

const argv = process.argv.slice(2);
if (argv.length === 1 && argv[0] === '--version') {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  process.stdout.write(pkg.version + '\n');
} else {
  let mod;
  try {
    mod = await import('../dist/bundle/main.js');
  } catch (e) {
    if (e && e.code === 'ERR_MODULE_NOT_FOUND' && String(e.message).includes('dist/bundle/main.js')) {
      process.stderr.write('agri-play: not built yet; run `npm run build` (npm ci does it)\n');
      process.exitCode = 1;
    } else throw e;
  }
  if (mod) process.exitCode = await mod.main(argv);
}
