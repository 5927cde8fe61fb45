// npm run bench:jinja — template engine choice by measurement: the conformance corpus
// (test/jinja/corpus.txt, ansible-core's results in test/jinja/expected.json) and renders per
// second with a 30-variable task context, for agri-play's engine (nunjucks' parser and compiler
// with Python semantics, lib/vars/jinja/) and MiniJinja (minijinja-js, WASM) with its built-ins.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { packageRoot } from '../lib/source/index.js';
import { renderText } from '../lib/vars/index.js';
import { parseYaml } from '../lib/source/index.js';

type Case = { src: string; text?: string; text_error?: string };
const dir = join(packageRoot, 'test', 'jinja');
const cases = (JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as { cases: Case[] }).cases;
// (read as the engine reads a vars file: keys YAML types as numbers keep their types)
const vars = { ...(parseYaml(readFileSync(join(dir, 'vars.yaml'), 'utf8'), 'vars.yaml').value as Record<string, unknown>), inventory_hostname: 'h1', groups: { all: ['h1', 'h2'] } };
process.env.AGRI_CORPUS_ENV = 'corpus';

type Engine = { name: string; render(src: string, ctx: Record<string, unknown>): string };
const { Environment } = createRequire(import.meta.url)('minijinja-js') as { Environment: new () => { renderStr(s: string, c: unknown): string; enablePyCompat(): void; undefinedBehavior: string; trimBlocks: boolean } };
const mj = new Environment();
mj.enablePyCompat();
mj.undefinedBehavior = 'strict';
mj.trimBlocks = true;
const engines: Engine[] = [
  { name: 'agri-play (nunjucks + Python semantics)', render: (s, c) => renderText(s, c) },
  { name: 'minijinja-js 2.11 (built-ins only)', render: (s, c) => mj.renderStr(s, c) },
];

/** Whether an engine renders corpus case `c` as ansible-core did (its text, or a failure where ansible-core failed). */
function matches(e: Engine, c: Case): boolean {
  let out: string | undefined;
  try {
    out = e.render(c.src, vars);
  } catch {
    out = undefined;
  }
  return c.text_error !== undefined ? out === undefined : out === c.text;
}

// a worker renders cases from `from` on and says how each went (see conformance)
if (!isMainThread) {
  const { engine, from } = workerData as { engine: number; from: number };
  for (let i = from; i < cases.length; i++) parentPort!.postMessage({ i, ok: matches(engines[engine], cases[i]) });
}

/**
 * How many corpus cases an engine renders as ansible-core did, in a worker thread: a case that
 * does not end within STALL_MS (minijinja-js loops forever on `'abc'.count('')`) counts as a
 * failure, its worker is ended and a new one goes on with the next case.
 */
const STALL_MS = 10_000;
async function conformance(engine: number): Promise<{ ok: number; stalled: number[] }> {
  let ok = 0;
  const stalled: number[] = [];
  for (let from = 0; from < cases.length; ) {
    from = await new Promise<number>((resolve) => {
      const w = new Worker(fileURLToPath(import.meta.url), { workerData: { engine, from } });
      let next = from;
      const stall = () => {
        stalled.push(next);
        void w.terminate();
        resolve(next + 1);
      };
      let timer = setTimeout(stall, STALL_MS);
      w.on('message', (m: { i: number; ok: boolean }) => {
        if (m.ok) ok++;
        next = m.i + 1;
        clearTimeout(timer);
        timer = setTimeout(stall, STALL_MS);
      });
      w.on('exit', () => {
        clearTimeout(timer);
        resolve(next);
      });
    });
  }
  return { ok, stalled };
}

function speed(e: Engine): number {
  const ctx: Record<string, unknown> = { inventory_hostname: 'host-0001', groups: { all: Array.from({ length: 100 }, (_, i) => `host-${i}`) } };
  for (let i = 0; i < 28; i++) ctx[`var${i}`] = i % 3 === 0 ? `value-${i}` : i % 3 === 1 ? { name: `n${i}`, ports: [80, 443], labels: { a: 'b' } } : [i, i + 1, i + 2];
  const templates = ['/srv/{{ inventory_hostname }}/d1', 'zone={{ var0 }} n={{ var1.ports | join(",") }}', "{{ var2 | length > 2 and 'x' in var3 }}", '{{ var4.name | upper }}-{{ inventory_hostname }}'];
  for (let i = 0; i < 200; i++) for (const t of templates) e.render(t, ctx);
  const n = 20000;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) e.render(templates[i % templates.length], ctx);
  return n / ((performance.now() - t0) / 1000);
}

if (isMainThread) {
  console.log(`engine                                     corpus (text form, ${cases.length} cases)   renders/s (30-variable context)`);
  for (const [i, e] of engines.entries()) {
    const { ok, stalled } = await conformance(i);
    console.log(`${e.name.padEnd(43)}${String(ok).padStart(5)} of ${cases.length}                  ${Math.round(speed(e)).toLocaleString('en')}`);
    if (stalled.length) console.log(`  (never ended, counted as failures: ${stalled.map((k) => `corpus.txt:${(cases[k] as Case & { line: number }).line}`).join(', ')})`);
  }
}
