import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { lazyModule } from '../source/lazy-module.js';
import { packageRoot } from '../source/index.js';

/** (loaded when a package's roles are read: its start-up builds ≈ 40 regular expressions) */
const semver = lazyModule<typeof import('semver')>('semver', import.meta.url);

/** The role API this agri-play offers; a role package states the range it supports. */
export const API_VERSION = (JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as { version: string }).version;

/** A role a package declares: `"agri-play": {"api": "^0.1", "roles": {"ollama": "roles/ollama"}}`. */
export interface PackageRole {
  /** As a play names it: `@acme/agri-roles/ollama`. */
  ref: string;
  pkg: string;
  role: string;
  version: string;
  /** A role folder (Ansible layout) or a JavaScript module exporting defineRole(...). */
  path: string;
  kind: 'dir' | 'module';
  /** The package.json spec (`git+file:///…#v1.0.0`) and what the lockfile pinned (`…#<commit>`). */
  spec?: string;
  resolved?: string;
  api?: string;
}

export class PackageProblem extends Error {}

interface Manifest {
  name?: string;
  version?: string;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  'agri-play'?: { api?: string; roles?: Record<string, string> };
}

const readJson = <T>(f: string): T | undefined => (existsSync(f) ? (JSON.parse(readFileSync(f, 'utf8')) as T) : undefined);

/** The project a playbook belongs to: the nearest folder at or above it with a package.json. */
export function projectDir(from: string): string | undefined {
  for (let d = resolve(from); ; d = dirname(d)) {
    if (existsSync(join(d, 'package.json'))) return d;
    if (dirname(d) === d) return undefined;
  }
}

/** `@scope/pkg/role` or `pkg/role` → [package, role]; undefined for a plain role name. */
export function splitRef(ref: string): [string, string] | undefined {
  const at = ref.lastIndexOf('/');
  if (at <= 0) return undefined;
  const pkg = ref.slice(0, at);
  return pkg.startsWith('@') && !pkg.includes('/') ? undefined : [pkg, ref.slice(at + 1)];
}

interface Project {
  dir: string;
  manifest?: Manifest;
  lock?: { packages?: Record<string, { resolved?: string }> };
}

const readProject = (dir: string): Project => ({ dir, manifest: readJson<Manifest>(join(dir, 'package.json')), lock: readJson(join(dir, 'package-lock.json')) });
const manifestOf = (p: Project, pkg: string) => readJson<Manifest>(join(p.dir, 'node_modules', pkg, 'package.json'));

/** The roles one package declares (its manifest `m`, read by the caller); PackageProblem when it can't be used. */
function rolesOf(p: Project, pkg: string, m: Manifest | undefined): PackageRole[] {
  const spec = p.manifest?.dependencies?.[pkg] ?? p.manifest?.devDependencies?.[pkg];
  if (!m) throw new PackageProblem(spec ? `package ${pkg} is in package.json but not installed: run npm ci` : `no package ${pkg} in ${p.dir} (add it: agri-play roles add SPEC)`);
  const decl = m['agri-play'];
  if (!decl?.roles || !Object.keys(decl.roles).length) throw new PackageProblem(`package ${pkg}@${m.version} declares no agri-play roles ("agri-play": {"roles": {"NAME": "path"}} in its package.json)`);
  if (!decl.api) throw new PackageProblem(`package ${pkg}@${m.version} does not say which agri-play API it supports ("agri-play": {"api": "^${API_VERSION}"})`);
  if (!semver.validRange(decl.api) || !semver.satisfies(API_VERSION, decl.api, { includePrerelease: true }))
    throw new PackageProblem(`package ${pkg}@${m.version} supports agri-play API ${decl.api}; this is agri-play ${API_VERSION}`);
  const resolved = p.lock?.packages?.[`node_modules/${pkg}`]?.resolved;
  const dir = join(p.dir, 'node_modules', pkg);
  return Object.entries(decl.roles).map(([role, rel]) => {
    const path = join(dir, rel);
    if (!existsSync(path)) throw new PackageProblem(`package ${pkg}@${m.version}: role ${role} points at ${rel}, which is not in the package`);
    return { ref: `${pkg}/${role}`, pkg, role, version: m.version ?? '0.0.0', path, kind: /\.[cm]?[jt]s$/.test(rel) ? 'module' : 'dir', spec, resolved, api: decl.api };
  });
}

/** The roles of one installed package; throws PackageProblem when it is not a usable role package. */
export function rolesOfPackage(project: string, pkg: string): PackageRole[] {
  const p = readProject(project);
  return rolesOf(p, pkg, manifestOf(p, pkg));
}

/** Every role of every dependency that declares agri-play roles, and why others that try can't be used. */
export function projectRoles(project: string): { roles: PackageRole[]; problems: string[] } {
  const p = readProject(project);
  const out = { roles: [] as PackageRole[], problems: [] as string[] };
  for (const pkg of Object.keys({ ...p.manifest?.devDependencies, ...p.manifest?.dependencies })) {
    const m = manifestOf(p, pkg);
    if (!m?.['agri-play']) continue;
    try {
      out.roles.push(...rolesOf(p, pkg, m));
    } catch (e) {
      if (!(e instanceof PackageProblem)) throw e;
      out.problems.push(e.message);
    }
  }
  return out;
}

/** The commit a git dependency is pinned to (the lockfile's `resolved` ends in #<sha>). */
export const commitOf = (resolved?: string) => resolved?.match(/#([0-9a-f]{40})$/)?.[1];
