import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parameters } from '../lib/cli/doc.js';
import { builtinModules } from '../lib/modules/all.js';
import { cli, fixture } from './helpers.js';

const COMMANDS = [['lab'], ['lab', 'run'], ['lab', 'up'], ['lab', 'site'], ['lab', 'status'], ['lab', 'down'], ['report'], ['roles'], ['roles', 'add'], ['roles', 'list'], ['roles', 'why'], ['doc'], []];

test('every command and subcommand answers --help and -h with its own usage, exit 0, touching nothing (the lab folder and its reports stay)', async () => {
  const d = fixture({});
  const lab = join(d, '.agri-play', 'lab', 'state', 'runs');
  mkdirSync(lab, { recursive: true });
  writeFileSync(join(lab, 'earlier.html'), '<html>');
  writeFileSync(join(d, '.agri-play', 'lab', 'pve-state.json'), '{}');
  const seen = new Set<string>();
  for (const c of COMMANDS) {
    for (const flag of ['--help', '-h']) {
      const r = await cli([...c, flag], d);
      assert.equal(r.code, 0, `${c.join(' ')} ${flag}: ${r.stdout}${r.stderr}`);
      assert.match(r.stdout, c.length ? new RegExp(`usage: agri-play ${c[0]}`) : /Usage: agri-play PLAYBOOK/, c.join(' '));
      if (c.length === 2) assert.match(r.stdout, new RegExp(`${c[0]}( \\[?${c[1]}| \\[run\\])`), `${c.join(' ')} shows its own usage`);
      assert.equal(r.stderr, '');
      seen.add(r.stdout);
    }
  }
  assert.ok(seen.size >= 10, 'subcommands have their own help');
  assert.deepEqual(readdirSync(lab), ['earlier.html']);
  assert.deepEqual(readdirSync(join(d, '.agri-play', 'lab')).sort(), ['pve-state.json', 'state']);
});

test('errors appear once; did-you-mean for commands, options and playbook files', async () => {
  const d = fixture({ 'site.yaml': '- hosts: all\n  tasks: []\n' });
  const opt = await cli(['site.yaml', '--chek'], d);
  assert.equal(opt.code, 5);
  assert.equal(opt.stderr.match(/unknown option '--chek'/g)?.length, 1, opt.stderr);
  assert.match(opt.stderr, /Did you mean --check\?/);
  const cmd = await cli(['raport'], d);
  assert.equal(cmd.code, 5);
  assert.match(cmd.stderr, /did you mean 'agri-play report'\?/);
  const file = await cli(['site.yml'], d);
  assert.equal(file.code, 4);
  assert.match(file.stderr, /did you mean '.*site\.yaml'\?/);
});

test('agri-play doc lists every module and shows each module’s parameters as its schema has them', async () => {
  const d = fixture({});
  const list = await cli(['doc'], d);
  assert.equal(list.code, 0);
  for (const m of builtinModules) assert.match(list.stdout, new RegExp(`^${m.name}\\s`, 'm'), m.name);
  // all of them in one call, as ansible-doc takes several: each page starts with its `NAME — ` line
  const all = await cli(['doc', ...builtinModules.map((m) => m.name)], d);
  assert.equal(all.code, 0, all.stderr);
  const pages = all.stdout.split(new RegExp(`^(?=(?:${builtinModules.map((m) => m.name).join('|')}) — )`, 'm'));
  assert.equal(pages.length, builtinModules.length);
  for (const [i, m] of builtinModules.entries()) {
    assert.ok(pages[i].startsWith(`${m.name} — `), m.name);
    const shown = [...pages[i].matchAll(/^ {2}(\w+) \(/gm)].map((x) => x[1]);
    assert.deepEqual(shown, parameters(m).map((p) => p.name), m.name);
    assert.deepEqual(shown, Object.keys((m.args as { properties?: object }).properties ?? {}), m.name);
  }
  const copy = await cli(['doc', 'ansible.builtin.copy'], d);
  // copy's dest is checked by the module at run time ('dest is required', as ansible-core's action): template's dest is required by its schema
  assert.match(copy.stdout, /dest \(str\)/);
  assert.match((await cli(['doc', 'ansible.builtin.template'], d)).stdout, /dest \(str; required\)/);
  assert.match(copy.stdout, /names: copy, ansible\.builtin\.copy/);
  const filters = await cli(['doc', '-t', 'filter'], d);
  assert.match(filters.stdout, /\bregex_replace\b.*\bto_nice_json\b/s);
  assert.equal((await cli(['doc', 'cpy'], d)).code, 5);
});
