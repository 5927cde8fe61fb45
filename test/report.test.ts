import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { startDoppler, type DopplerSim } from '../lib/lab/index.js';
import { CANARY, STACK, cli, fixture, stepEnds } from './helpers.js';

// `agri-play report RUN.ndjson -o run.html`: one self-contained page per journal, checked as
// text and, where Debian's chromium is installed, rendered in headless Chromium.
let sim: DopplerSim;
before(async () => {
  sim = await startDoppler();
  sim.set('farm', 'prd', 'HONEYCOMB_API_KEY', CANARY);
});
after(() => sim.close());

const inv = `all:\n  hosts:\n    edge-1: {ansible_connection: local}\n    cloud-1: {ansible_connection: local}\n`;
const playbook = `
- name: files on both hosts
  hosts: all
  tasks:
    - name: collector config
      copy:
        dest: "{{ root }}/{{ inventory_hostname }}.yaml"
        content: "exporters: {otlp: {key: {{ lookup('doppler', 'HONEYCOMB_API_KEY') }}}}\\nlevel: 1\\n"
    - name: a probe that fails and is ignored
      command: "false"
      ignore_errors: true
    - name: say the key
      debug: msg="key={{ lookup('doppler', 'HONEYCOMB_API_KEY') }}"
- name: after the files
  hosts: edge-1
  tasks:
    - name: marker
      file: {path: "{{ root }}/done", state: touch}
`;

function chromium(): string | undefined {
  const names = [process.env.CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];
  return names.find((n): n is string => !!n && existsSync(n));
}

async function runAndReport() {
  const d = fixture({ 'inv.yaml': inv, 'p.yaml': playbook });
  const env = { DOPPLER_TOKEN: sim.serviceToken('farm', 'prd'), DOPPLER_API_HOST: sim.url };
  const run = await cli(['p.yaml', '-i', 'inv.yaml', '-e', `root=${d}`, '--diff', '--json'], d, { env });
  assert.equal(run.code, 0, run.stdout + run.stderr);
  const journal = join(d, 'run.ndjson');
  writeFileSync(journal, run.stdout);
  const r = await cli(['report', 'run.ndjson', '-o', 'run.html'], d);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  return { d, run, html: readFileSync(join(d, 'run.html'), 'utf8') };
}

test('report: a journal becomes one self-contained page with every host and step, and no secret', async () => {
  const { d, run, html } = await runAndReport();
  assert.doesNotMatch(html, /<(script|link|img)[^>]+(src|href)=/, 'nothing loaded from elsewhere');
  for (const h of ['edge-1', 'cloud-1']) assert.ok(html.includes(h), `host ${h} missing`);
  for (const t of ['collector config', 'a probe that fails and is ignored', 'say the key', 'marker', 'files on both hosts', 'after the files']) assert.ok(html.includes(t), `"${t}" missing`);
  const steps = JSON.parse(html.match(/<script type="application\/json" id="steps">([\s\S]*?)<\/script>/)![1]) as { status: string; diff?: string; host: string }[];
  assert.equal(steps.length, stepEnds(run.events).length, 'one bar per step');
  assert.ok(steps.some((s) => s.status === 'changed' && /level: 1/.test(s.diff ?? '')), 'the copy diff is in the page');
  assert.ok(steps.some((s) => s.status === 'failed' || s.status === 'ignored'), 'the ignored failure is marked');
  assert.ok(!html.includes(CANARY), 'the canary leaked into the page');
  // the default: the newest journal in .agri-play/runs, written beside it
  const r = await cli(['report'], d);
  assert.equal(r.code, 0, r.stderr);
  const page = r.stdout.match(/report: (\S+\.html)/)![1];
  assert.ok(readdirSync(join(d, '.agri-play/runs')).some((f) => page.endsWith(f)), page);
});

test('report: a file that is not a journal is exit 4 with file:line, no stack trace', async () => {
  const d = fixture({ 'bad.ndjson': '{"event":"run_start"}\nnot json\n{"event":"recap","hosts":{}}\n' });
  const r = await cli(['report', 'bad.ndjson'], d);
  assert.equal(r.code, 4, r.stdout + r.stderr);
  assert.match(r.stderr, /bad\.ndjson:2:1/);
  assert.doesNotMatch(r.stderr, STACK);
  const missing = await cli(['report', 'nope.ndjson'], d);
  assert.equal(missing.code, 4);
  assert.match(missing.stderr, /nope\.ndjson:1:1.*no such journal/);
});

const browser = chromium();
test('report: headless Chromium renders the hosts and every step bar, and takes a screenshot', { skip: browser ? false : 'chromium is not installed (CI installs Debian chromium)' }, async () => {
  const { d, run } = await runAndReport();
  // Chromium's profile inside the fixture, removed with it
  const profile = join(d, 'chromium-profile');
  const base = [`--user-data-dir=${profile}`, '--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-dev-shm-usage'];
  const url = `file://${join(d, 'run.html')}`;
  const dom = await execa(browser!, [...base, '--virtual-time-budget=3000', '--dump-dom', url], { timeout: 60_000, reject: false });
  const out = String(dom.stdout);
  assert.match(out, /data-ready="(\d+)"/, String(dom.stderr).slice(-1500));
  assert.equal(Number(out.match(/data-ready="(\d+)"/)![1]), stepEnds(run.events).length, 'the page script saw every step');
  assert.equal((out.match(/<rect class="bar[^"]*"/g) ?? []).length, stepEnds(run.events).length, 'one Gantt bar per step');
  for (const h of ['edge-1', 'cloud-1']) assert.ok(out.includes(`data-host="${h}"`), `no bar for ${h}`);
  const png = join(d, 'run.png');
  await execa(browser!, [...base, `--screenshot=${png}`, '--window-size=1200,900', url], { timeout: 60_000, reject: false });
  const img = readFileSync(png);
  assert.equal(img.subarray(1, 4).toString(), 'PNG');
  assert.ok(img.length > 5000, `screenshot is ${img.length} bytes`);
});

test('report: failed, unreachable, skipped and ok each have their own colour and legend; header counts equal the recap; a play that did not run is grey', { skip: browser ? false : 'chromium is not installed (CI installs Debian chromium)' }, async () => {
  const d = fixture({
    'inv.yaml': 'all:\n  hosts:\n    good: {ansible_connection: local}\n    bad: {ansible_connection: local}\n    gone: {ansible_connection: ssh, ansible_host: 127.0.0.1, ansible_port: 1, ansible_ssh_connect_timeout: 2}\n',
    'p.yaml': `- name: first\n  hosts: all\n  gather_facts: false\n  tasks:\n    - name: fails on bad\n      command: "{{ 'false' if inventory_hostname == 'bad' else 'true' }}"\n    - name: skipped\n      debug: {msg: x}\n      when: false\n- name: never runs\n  hosts: bad\n  tasks:\n    - debug: {msg: x}\n`,
  });
  const run = await cli(['p.yaml', '-i', 'inv.yaml', '--json'], d, { timeoutMs: 60_000 });
  assert.equal(run.code, 2, run.stdout + run.stderr);
  writeFileSync(join(d, 'run.ndjson'), run.stdout);
  assert.equal((await cli(['report', 'run.ndjson', '-o', 'run.html'], d)).code, 0);
  const html = readFileSync(join(d, 'run.html'), 'utf8');
  const recap = run.events.find((e) => e.event === 'recap');
  assert.ok(recap && recap.event === 'recap');
  const sum = (k: 'failed' | 'unreachable' | 'skipped') => Object.values(recap.hosts).reduce((n, c) => n + c[k], 0);
  for (const k of ['failed', 'unreachable', 'skipped'] as const) assert.match(html, new RegExp(`<span class="count-${k}">${sum(k)} ${k}</span>`), `header ${k}`);
  assert.match(html, /class="play play-none"/, 'the play that ran nowhere is grey');
  // Chromium's profile inside the fixture, removed with it
  const profile = join(d, 'chromium-profile');
  const base = [`--user-data-dir=${profile}`, '--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-dev-shm-usage'];
  const url = `file://${join(d, 'run.html')}`;
  const dom = String((await execa(browser!, [...base, '--virtual-time-budget=3000', '--dump-dom', url], { timeout: 60_000, reject: false })).stdout);
  const colors = JSON.parse(dom.match(/data-colors="([^"]*)"/)![1].replace(/&quot;/g, '"')) as Record<string, string>;
  for (const k of ['ok', 'changed', 'failed', 'unreachable', 'skipped', 'rescued', 'ignored']) assert.ok(colors[k], `no legend colour for ${k}`);
  assert.equal(new Set(Object.values(colors)).size, Object.keys(colors).length, `colours repeat: ${JSON.stringify(colors)}`);
  const png = join(d, 'statuses.png');
  await execa(browser!, [...base, `--screenshot=${png}`, '--window-size=1300,900', url], { timeout: 60_000, reject: false });
  assert.ok(readFileSync(png).length > 5000);
});
