import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { execa } from '../source/vendor/execa.js';
import { Exit, UsageError } from '../errors.js';
import { API_VERSION, commitOf, projectDir, projectRoles, splitRef, type PackageRole } from '../playbook/packages.js';
import { packageRoot } from '../source/index.js';
import { installRoles, parseRoleArg, readRequirements } from './galaxy.js';
import type { Output } from './output.js';

interface Row {
  name: string;
  source: string;
  version: string;
  commit: string;
}

const dirRoles = (dir: string) => (existsSync(dir) ? readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name) : []);

function rows(project: string, o: Output): Row[] {
  const found = projectRoles(project);
  for (const p of found.problems) o.error(`warning: ${p}`);
  const local = dirRoles(join(project, 'roles')).map((name) => ({ name, source: 'roles/ (this project)', version: '-', commit: '-' }));
  const builtin = project === packageRoot ? [] : dirRoles(join(packageRoot, 'roles')).map((name) => ({ name, source: 'agri-play (built in)', version: API_VERSION, commit: '-' }));
  const pkgs = found.roles.map((r: PackageRole) => ({ name: r.ref, source: r.spec ?? r.pkg, version: r.version, commit: commitOf(r.resolved) ?? (r.resolved ? 'registry' : '-') }));
  return [...local, ...builtin, ...pkgs];
}

function table(o: Output, list: Row[]): void {
  const head: Row = { name: 'ROLE', source: 'SOURCE', version: 'VERSION', commit: 'COMMIT' };
  const w = (k: keyof Row) => Math.max(...[head, ...list].map((r) => r[k].length));
  for (const r of [head, ...list]) o.line(`${r.name.padEnd(w('name'))}  ${r.source.padEnd(w('source'))}  ${r.version.padEnd(w('version'))}  ${r.commit}`);
}

const deps = (project: string) => Object.keys((JSON.parse(readFileSync(join(project, 'package.json'), 'utf8')) as { dependencies?: object }).dependencies ?? {});

/** `agri-play roles add SPEC | list | why NAME`: role packages through npm, pinned by package-lock.json. */
export async function rolesCommand(argv: string[], o: Output, cwd: string): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === 'install') return install(rest, o, cwd);
  const project = projectDir(cwd);
  if (!project) throw new UsageError('no package.json here or above: role packages are npm dependencies (npm init -y first)');
  switch (sub) {
    case 'add': {
      if (!rest.length) throw new UsageError('usage: agri-play roles add SPEC (e.g. github:org/roles#v1.2.0, git+https://…#tag, @acme/agri-roles@1)');
      const flag = rest.find((r) => r.startsWith('-'));
      if (flag) throw new UsageError(`roles add takes package specs, not options (got ${flag})`);
      const before = new Set(deps(project));
      const r = await execa('npm', ['install', '--save', '--no-audit', '--no-fund', '--', ...rest], { cwd: project, reject: false, all: true });
      if (r.exitCode !== 0) throw new UsageError(`npm install ${rest.join(' ')} failed:\n${String(r.all).trim()}`);
      const added = deps(project).filter((d) => !before.has(d));
      table(o, rows(project, o).filter((x) => added.some((a) => x.name.startsWith(a + '/'))));
      return Exit.ok;
    }
    case 'list':
    case undefined:
      table(o, rows(project, o));
      return Exit.ok;
    case 'why': {
      const name = rest[0];
      if (!name) throw new UsageError('usage: agri-play roles why NAME');
      const local = [join(project, 'roles', name), join(packageRoot, 'roles', name)].find((p) => existsSync(p));
      if (local) return o.line(`${name}: the folder ${local} (a roles/ folder is looked at before packages)`), Exit.ok;
      const ref = splitRef(name);
      const r = ref && projectRoles(project).roles.find((x) => x.ref === name);
      if (!r) throw new UsageError(`no role ${name}: not in roles/ and no installed package declares it (agri-play roles list)`);
      o.line(`${name}: role '${r.role}' of package ${r.pkg}@${r.version} (${r.kind === 'module' ? 'a TypeScript/JavaScript role' : 'an Ansible-layout role'} at ${r.path})`);
      o.line(`  package.json asks for ${r.spec ?? '(not a direct dependency)'}; package-lock.json pins ${r.resolved ?? '(no lockfile entry)'}`);
      o.line(`  it supports agri-play API ${r.api}; this is ${API_VERSION}`);
      return Exit.ok;
    }
    default:
      throw new UsageError(`unknown roles command '${sub}' (meant: roles add SPEC, roles install [-r requirements.yml | SRC[,VERSION[,NAME]]], roles list, roles why NAME)`);
  }
}

/**
 * `agri-play roles install [-r FILE | SRC[,VERSION[,NAME]] ...]`: plain Ansible roles (git or
 * tarball) into roles/, as ansible-galaxy installs them, pinned in roles.lock.json. Without
 * arguments: requirements.yml, or roles/requirements.yml. Collections listed are named, not installed.
 */
async function install(args: string[], o: Output, cwd: string): Promise<number> {
  const project = projectDir(cwd) ?? cwd;
  const r = args.indexOf('-r') >= 0 ? args[args.indexOf('-r') + 1] : args.find((a) => a.startsWith('--role-file='))?.slice(12);
  const file = r ? resolve(cwd, r) : args.length ? undefined : [join(cwd, 'requirements.yml'), join(cwd, 'roles', 'requirements.yml')].find((f) => existsSync(f));
  if (!file && !args.length) throw new UsageError('roles install: no requirements.yml here or in roles/ (or give -r FILE, or SRC[,VERSION[,NAME]])');
  if (file && !existsSync(file)) throw new UsageError(`roles install: ${file} does not exist`);
  const { roles, collections } = file ? readRequirements(file) : { roles: args.filter((a) => !a.startsWith('-')).map(parseRoleArg), collections: [] };
  if (collections.length) o.error(`warning: collections are not installed by agri-play (its kubernetes.core, community.general and ansible.posix modules are built in): ${collections.join(', ')}`);
  return installRoles(roles, project, o);
}
