import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { AgriError, Exit } from '../errors.js';
import { projectDir } from '../playbook/packages.js';
import type { Output } from './output.js';
import { makeDirs } from '../source/index.js';

export const CHECK_HELP = `usage: agri-play check [PROJECT]

Type-checks the project's TypeScript roles (roles/*/role.ts) against agri-play's types with the
TypeScript compiler: a misspelt module argument or a wrong type is an error at the role's line.

example: agri-play check`;

/** `agri-play check`: tsc --noEmit over roles/*\/role.ts; exit 4 with file(line,col) and the argument when a role is wrong. */
export function checkCommand(argv: string[], o: Output, cwd: string): number {
  const project = projectDir(argv[0] ?? cwd) ?? cwd;
  const rolesDir = join(project, 'roles');
  const files = existsSync(rolesDir) ? readdirSync(rolesDir).flatMap((r) => ['role.ts', 'role.mts'].map((f) => join(rolesDir, r, f)).filter((f) => existsSync(f))) : [];
  if (files.length === 0) {
    o.line(`agri-play check: no TypeScript roles in ${rolesDir}`);
    return Exit.ok;
  }
  let tsc: string;
  try {
    tsc = createRequire(join(project, 'package.json')).resolve('typescript/bin/tsc');
  } catch {
    try {
      tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
    } catch {
      throw new AgriError('agri-play check needs the TypeScript compiler: npm install --save-dev typescript', Exit.usage);
    }
  }
  const dir = join(project, '.agri-play', 'ts');
  makeDirs(dir);
  const config = join(dir, 'tsconfig.check.json');
  writeFileSync(config, JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true, skipLibCheck: true, types: [] }, files }, null, 2));
  try {
    execFileSync(process.execPath, [tsc, '-p', config, '--pretty', 'false'], { cwd: project, encoding: 'utf8', stdio: 'pipe' });
  } catch (e) {
    const out = String((e as { stdout?: string }).stdout ?? '') + String((e as { stderr?: string }).stderr ?? '');
    for (const line of out.split('\n').filter(Boolean)) o.error(line.replace(project + '/', ''));
    throw new AgriError(`${files.length} TypeScript role(s) checked: errors above`, Exit.input);
  }
  o.line(`agri-play check: ${files.map((f) => relative(project, f)).join(', ')}: no type errors`);
  return Exit.ok;
}
