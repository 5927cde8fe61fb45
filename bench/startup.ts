// npm run bench:startup — how fast `agri-play --version` and a --syntax-check answer.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { packageRoot } from '../lib/source/index.js';
import { median } from './median.js';

function time(args: string[], n: number): number {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    execFileSync(process.execPath, [join(packageRoot, 'bin/agri-play.js'), ...args], { cwd: packageRoot, stdio: 'pipe' });
    times.push(performance.now() - t0);
  }
  return median(times);
}

const node = (() => {
  const times: number[] = [];
  for (let i = 0; i < 10; i++) {
    const t0 = performance.now();
    execFileSync(process.execPath, ['-e', '0']);
    times.push(performance.now() - t0);
  }
  return median(times);
})();
const version = time(['--version'], 15);
const syntax = time(['playbooks/site.yaml', '-i', 'edge', '--syntax-check'], 7);
console.log(`node -e 0            ${node.toFixed(0)} ms (median of 10)`);
console.log(`agri-play --version  ${version.toFixed(0)} ms (median of 15; target < 150 ms) = ${(version / node).toFixed(2)}× bare node`);
console.log(`--syntax-check site  ${syntax.toFixed(0)} ms (median of 7) = ${(syntax / node).toFixed(2)}× bare node`);
