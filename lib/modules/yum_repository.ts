import { posix } from 'node:path';
import { Type } from '../source/vendor/typebox.js';
import { defineModule, ModuleFailure } from './types.js';
import { applyContent, checkContent, FileAttrs, sha1 } from './util/content.js';
import { asList, optBool, optList, optOneOf, optStr } from './util/arg-types.js';
import { itemsOf, PyConfigError, readPyConfig, writePyConfig, type PyConfig } from '../source/pyconfig.js';

const str = optStr;
const bool = optBool;
const list = optList;
const oneOf = optOneOf;

/** The repo file's keys, as ansible-core 2.14's yum_repository writes them (its allowed_params). */
const Keys = {
  async: bool(),
  bandwidth: str(),
  baseurl: list('URL(s) of the repository (several: one per line in the file).'),
  cost: str(),
  deltarpm_metadata_percentage: str(),
  deltarpm_percentage: str(),
  enabled: bool(),
  enablegroups: bool(),
  exclude: list('Packages to exclude (space-separated in the file).'),
  failovermethod: oneOf('roundrobin', 'priority'),
  gpgcakey: str(),
  gpgcheck: bool(),
  gpgkey: list('URL(s) of the GPG key(s).'),
  module_hotfixes: bool(),
  http_caching: oneOf('all', 'packages', 'none'),
  include: str(),
  includepkgs: list('The only packages to use from the repository.'),
  ip_resolve: oneOf('4', '6', 'IPv4', 'IPv6', 'whatever'),
  keepalive: bool(),
  keepcache: oneOf('0', '1'),
  metadata_expire: str(),
  metadata_expire_filter: oneOf('never', 'read-only:past', 'read-only:present', 'read-only:future'),
  metalink: str(),
  mirrorlist: str(),
  mirrorlist_expire: str(),
  password: str(),
  priority: str(),
  protect: bool(),
  proxy: str(),
  proxy_password: str(),
  proxy_username: str(),
  repo_gpgcheck: bool(),
  retries: str(),
  s3_enabled: bool(),
  skip_if_unavailable: bool(),
  sslcacert: str(),
  ssl_check_cert_permissions: bool(),
  sslclientcert: str(),
  sslclientkey: str(),
  sslverify: bool(),
  throttle: str(),
  timeout: str(),
  ui_repoid_vars: str(),
  username: str(),
};

const Args = Type.Object(
  {
    name: Type.String({ description: 'The repository id: the [section] of the repo file.' }),
    description: str("The repository's human name (its `name =` key); required with state: present."),
    file: str('The repo file, without .repo (default: the name).'),
    reposdir: str('Where repo files are (default /etc/yum.repos.d).'),
    state: oneOf('present', 'absent'),
    params: Type.Optional(Type.Unknown()),
    ...Keys,
    ...FileAttrs,
  },
  { additionalProperties: false },
);
type A = typeof Args.static;

const LISTS_SPACED = new Set(['exclude', 'includepkgs']);

/** The section's keys, sorted, as YumRepo.add sets them: lists joined, booleans as 1/0, the description as `name`. */
function sectionOf(a: A): Map<string, string> {
  const given: Record<string, unknown> = { ...a, name: a.description };
  const out = new Map<string, string>();
  for (const key of Object.keys({ ...Keys, name: 0 }).sort()) {
    let v = given[key];
    if (v === undefined || v === null) continue;
    if (key === 'baseurl' || key === 'gpgkey') v = asList(v as string | string[]).join('\n');
    else if (LISTS_SPACED.has(key)) v = asList(v as string | string[]).join(' ');
    else if (typeof v === 'boolean') v = v ? 1 : 0;
    out.set(key, String(v));
  }
  return out;
}

/** YumRepo.dump: the sections sorted, their items (defaults too) sorted: what "changed" compares. */
function dump(cfg: PyConfig): string {
  return [...cfg.sections.keys()]
    .sort()
    .map((s) => `[${s}]\n${[...itemsOf(cfg, s)].sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)).map(([k, v]) => `${k} = ${v}\n`).join('')}\n`)
    .join('');
}

const destOf = (a: A) => posix.join(a.reposdir ?? '/etc/yum.repos.d', `${a.file ?? a.name}.repo`);

async function plan(ctx: Parameters<typeof checkContent>[0], a: A) {
  const state = a.state ?? 'present';
  if (a.params) throw new ModuleFailure("The params option to yum_repository was removed in Ansible 2.5 since it circumvents Ansible's option handling");
  if (state === 'present') {
    if (a.baseurl === undefined && a.metalink === undefined && a.mirrorlist === undefined) throw new ModuleFailure("Parameter 'baseurl', 'metalink' or 'mirrorlist' is required.");
    if (a.description === undefined) throw new ModuleFailure("Parameter 'description' is required.");
  }
  const dir = a.reposdir ?? '/etc/yum.repos.d';
  if ((await ctx.files.stat(dir))?.type !== 'directory') throw new ModuleFailure(`Repo directory '${dir}' does not exist.`);
  const dest = destOf(a);
  const have = (await ctx.files.stat(dest))?.type === 'file' ? await ctx.files.read(dest) : null;
  let cfg: PyConfig;
  try {
    cfg = have ? readPyConfig(have.toString('utf8'), dest) : { defaults: new Map(), sections: new Map() };
  } catch (e) {
    if (e instanceof PyConfigError) throw new ModuleFailure(e.message);
    throw e;
  }
  const before = dump(cfg);
  cfg.sections.delete(a.name);
  if (state === 'present') cfg.sections.set(a.name, sectionOf(a));
  const after = dump(cfg);
  return { dest, before, after, changed: before !== after, text: writePyConfig(cfg), empty: cfg.sections.size === 0, exists: have !== null };
}

/** ansible.builtin.yum_repository: one [repo] section of a .repo file, as ansible-core 2.14 writes it. */
export default defineModule({
  name: 'yum_repository',
  kind: 'state',
  description: 'Adds or removes a YUM/DNF repository: a [name] section of reposdir/file.repo, written as ansible-core writes it (the whole file through Python configparser: comments go when it changes).',
  args: Args,
  paths: ['reposdir'],
  async check(ctx, a) {
    const p = await plan(ctx, a);
    const data = { repo: a.name, state: a.state ?? 'present', diff: { before_header: p.dest, before: p.before, after_header: p.dest, after: p.after } };
    if (!p.changed) {
      if (!p.exists) return { kind: 'ok', why: 'no such repository', data };
      const d = await checkContent(ctx, p.dest, (await ctx.files.read(p.dest))!, a, { result: false });
      return d.kind === 'ok' ? { kind: 'ok', why: 'repository as wanted', data } : { ...d, data };
    }
    if (p.empty) return { kind: 'remove', target: p.dest, before: p.before, after: '', data };
    const content = Buffer.from(p.text);
    const d = await checkContent(ctx, p.dest, content, a, { result: false });
    const fields = d.kind === 'ok' ? [] : (d.fields ?? []);
    // configparser rewrites the file whenever the repository changed, even to the same bytes
    if (p.exists && !fields.some((f) => f.path === 'content')) fields.push({ path: 'content', from: sha1(content), to: sha1(content) });
    return { kind: p.exists ? 'modify' : 'create', fields, target: p.dest, before: p.before, after: p.after, data, content };
  },
  async apply(ctx, a, diff) {
    const dest = destOf(a);
    if (diff.kind === 'remove') {
      const r = await ctx.exec(['rm', '-f', '--', dest]);
      if (r.rc !== 0) throw new ModuleFailure(`Cannot remove empty repo file ${dest}.`, { details: r.stderr.trim() });
      return { ...diff.data };
    }
    await applyContent(ctx, dest, diff.content ?? (await ctx.files.read(dest)) ?? Buffer.alloc(0), a, diff);
    return { ...diff.data };
  },
});
