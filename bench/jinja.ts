// npm run bench:jinja — template engine choice by measurement: the conformance corpus
// (test/jinja/corpus.txt, ansible-core's results in test/jinja/expected.json) and renders per
// second with a 30-variable task context, for agri-play's engine (nunjucks' parser and compiler
// with Python semantics, lib/vars/jinja/) and MiniJinja (minijinja-js, WASM) with its built-ins.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { parse } from 'yaml';
import { packageRoot } from '../lib/source/index.js';
import { renderText } from '../lib/vars/index.js';

type Case = { src: string; text?: string; text_error?: string };
const dir = join(packageRoot, 'test', 'jinja');
const cases = (JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as { cases: Case[] }).cases;
const vars = { ...(parse(readFileSync(join(dir, 'vars.yaml'), 'utf8')) as Record<string, unknown>), inventory_hostname: 'h1', groups: { all: ['h1', 'h2'] } };
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

function conformance(e: Engine): number {
  let ok = 0;
  for (const c of cases) {
    let out: string | undefined;
    try {
      out = e.render(c.src, vars);
    } catch {
      out = undefined;
    }
    if (c.text_error !== undefined ? out === undefined : out === c.text) ok++;
  }
  return ok;
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

console.log(`engine                                     corpus (text form, ${cases.length} cases)   renders/s (30-variable context)`);
for (const e of engines) console.log(`${e.name.padEnd(43)}${String(conformance(e)).padStart(5)} of ${cases.length}                  ${Math.round(speed(e)).toLocaleString('en')}`);
