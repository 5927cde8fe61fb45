// Layers import only downward, no import cycles, no file over 400 lines (run by `npm test`).
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const root = resolve(dirname(new URL(import.meta.url).pathname), '..');
const lib = join(root, 'lib');
const allowed = {
  source: [],
  errors: ['source'],
  connections: ['errors', 'source'],
  modules: ['connections', 'errors', 'source'],
  vars: ['connections', 'errors', 'source'],
  inventory: ['errors', 'source'],
  playbook: ['errors', 'source', 'modules', 'vars'],
  plan: ['errors', 'source', 'playbook', 'inventory', 'vars'],
  report: ['source'],
  run: ['errors', 'source', 'plan', 'playbook', 'inventory', 'vars', 'modules', 'connections', 'report'],
  lab: ['errors', 'source', 'connections', 'modules', 'vars'],
  cli: ['*'],
  index: ['*'],
};

const files = [];
const walk = (d) => {
  for (const f of readdirSync(d)) {
    const p = join(d, f);
    if (statSync(p).isDirectory()) walk(p);
    else if (p.endsWith('.ts')) files.push(p);
  }
};
walk(lib);

const layerOf = (file) => {
  const rel = relative(lib, file).split('/');
  return rel.length === 1 ? rel[0].replace(/\.ts$/, '') : rel[0];
};

const problems = [];
const graph = new Map();
for (const f of files) {
  const text = readFileSync(f, 'utf8');
  const lines = text.split('\n').length;
  if (lines > 400) problems.push(`${relative(root, f)}: ${lines} lines (split it; the limit is 400)`);
  const deps = [];
  for (const m of text.matchAll(/^(?:import|export)\s[^'"]*?from\s+['"](\.[^'"]+)['"]/gm)) {
    const target = resolve(dirname(f), m[1].replace(/\.js$/, '.ts'));
    deps.push(target);
    const from = layerOf(f);
    const to = layerOf(target);
    const ok = from === to || allowed[from]?.includes('*') || allowed[from]?.includes(to);
    if (!ok) problems.push(`${relative(root, f)} imports ${relative(root, target)}: layer '${from}' may not import '${to}'`);
  }
  graph.set(f, deps);
}

const state = new Map();
const stack = [];
const visit = (f) => {
  if (state.get(f) === 2) return;
  if (state.get(f) === 1) {
    const cycle = [...stack.slice(stack.indexOf(f)), f].map((x) => relative(root, x));
    problems.push(`import cycle: ${cycle.join(' → ')}`);
    return;
  }
  state.set(f, 1);
  stack.push(f);
  for (const d of graph.get(f) ?? []) if (graph.has(d)) visit(d);
  stack.pop();
  state.set(f, 2);
};
for (const f of files) visit(f);

if (problems.length) {
  console.error(problems.join('\n'));
  process.exit(1);
}
console.log(`check-imports: ${files.length} files, layers one-way, no cycles`);
