// npm run record:ansible-names — the module names Ansible resolves (the `ansible` package's
// collections and ansible-core's routing of short names to them), written to
// lib/modules/ansible-names.json: a task naming one that agri-play does not have loads, and fails
// only where it runs (lib/modules/ansible-names.ts). Read from the installed packages
// (apt-get install ansible): each collection's plugins/modules and meta/runtime.yml, and
// ansible-core's config/ansible_builtin_runtime.yml. And the action groups those runtimes define
// (`module_defaults: {group/…}`), as written, to lib/modules/ansible-groups.json
// (lib/playbook/action-groups.ts).
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { parse } from '../lib/source/vendor/yaml.js';
import { packageRoot } from '../lib/source/index.js';

const SITE = process.argv[2] ?? '/usr/lib/python3/dist-packages';
const collections = join(SITE, 'ansible_collections');
if (!existsSync(collections)) {
  console.error(`record:ansible-names: no ${collections} (apt-get install ansible)`);
  process.exit(1);
}
type Routing = { plugin_routing?: { modules?: Record<string, { redirect?: string; tombstone?: unknown }> }; action_groups?: Record<string, unknown> };
const runtime = (file: string): Routing => (existsSync(file) ? ((parse(readFileSync(file, 'utf8')) as Routing | null) ?? {}) : {});
/** Each collection's action groups (ansible.builtin's too), as its runtime writes them. */
const groups: Record<string, Record<string, unknown>> = {};

/** Every collection's module names (its files, and its runtime's redirects that are not removed). */
const names: Record<string, string[]> = {};
for (const ns of readdirSync(collections).filter((n) => !n.includes('.') && !n.startsWith('_')).sort()) {
  for (const coll of readdirSync(join(collections, ns)).sort()) {
    const root = join(collections, ns, coll);
    const dir = join(root, 'plugins', 'modules');
    const own = existsSync(dir) ? readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.py') && !f.endsWith('__init__.py')).map((f) => f.replace(/\.py$/, '').split('/').pop()!) : [];
    const rt = runtime(join(root, 'meta', 'runtime.yml'));
    if (rt.action_groups) groups[`${ns}.${coll}`] = rt.action_groups;
    const routed = Object.entries(rt.plugin_routing?.modules ?? {}).filter(([, r]) => r.redirect && !r.tombstone).map(([n]) => n);
    const all = [...new Set([...own, ...routed])].sort();
    if (all.length) names[`${ns}.${coll}`] = all;
  }
}
const has = (fqcn: string): boolean => {
  const [ns, coll, ...rest] = fqcn.split('.');
  return names[`${ns}.${coll}`]?.includes(rest.join('.')) ?? false;
};
// ansible-core's short names routed to a collection: kept where the module is there
const core = runtime(join(SITE, 'ansible', 'config', 'ansible_builtin_runtime.yml'));
// (by the collection they go to where the name stays the same, as most do; the others by name)
const short: Record<string, string[]> = {};
const renamed: Record<string, string> = {};
// (and those routed to a collection the package has not: followed only where it is installed)
const elsewhere: Record<string, string> = {};
for (const [n, r] of Object.entries(core.plugin_routing?.modules ?? {})) {
  if (r.redirect && !r.tombstone && !has(r.redirect)) elsewhere[n] = r.redirect;
  if (!r.redirect || r.tombstone || !has(r.redirect)) continue;
  const i = r.redirect.lastIndexOf('.');
  if (r.redirect.slice(i + 1) === n) (short[r.redirect.slice(0, i)] ??= []).push(n);
  else renamed[n] = r.redirect;
}
const version = execFileSync('dpkg-query', ['-W', '-f', '${Version}', 'ansible'], { encoding: 'utf8' }).trim();
const out = { source: `Debian's ansible ${version}: its collections' modules, and ansible-core's routing of short names to them`, short, renamed, elsewhere, collections: names };
writeFileSync(join(packageRoot, 'lib', 'modules', 'ansible-names.json'), JSON.stringify(out) + '\n');
groups['ansible.builtin'] = core.action_groups ?? {};
writeFileSync(join(packageRoot, 'lib', 'modules', 'ansible-groups.json'), JSON.stringify({ source: `Debian's ansible ${version}: the action groups of ansible-core's runtime and its collections' meta/runtime.yml`, groups }) + '\n');
console.log(`record:ansible-names: ${Object.values(names).reduce((n, l) => n + l.length, 0)} modules in ${Object.keys(names).length} collections, ${Object.values(short).reduce((n, l) => n + l.length, Object.keys(renamed).length)} short names`);
