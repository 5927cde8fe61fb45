import { existsSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Exit, UsageError } from '../errors.js';
import type { Output } from './output.js';
import { makeDirs } from '../source/index.js';

export const NEW_HELP = `usage: agri-play new role NAME

Scaffolds a TypeScript role in roles/NAME: role.ts (typed parameters, defaults, one task),
README.md, and tests/test.yaml (a playbook that applies it to localhost).

example: agri-play new role motd && npx agri-play roles/motd/tests/test.yaml --check`;

const role = (name: string, v: string) => `import { defineRole, Type } from 'agri-play';

/** ${name}: what this role makes true on a host (say it here; \`agri-play check\` type-checks this file). */
export default defineRole({
  name: '${name}',
  params: Type.Object({
    ${v}_dir: Type.String({ description: 'Where the file goes.' }),
    ${v}_text: Type.Optional(Type.String({ description: 'What it says.' })),
  }),
  defaults: { ${v}_text: 'managed by agri-play' },
  tasks(t, { host, params }) {
    t.file({ path: params.${v}_dir, state: 'directory', mode: '0755' });
    t.copy({ dest: \`\${params.${v}_dir}/${name}.txt\`, content: \`\${params.${v}_text} on \${host}\\n\`, mode: '0644' }, { name: '${name} file' });
  },
});
`;

/** \`agri-play new role NAME\`. */
export function newCommand(argv: string[], o: Output, cwd: string): number {
  const [kind, name] = argv;
  if (kind !== 'role' || !name) throw new UsageError(NEW_HELP);
  if (!/^[a-z][a-z0-9_-]*$/.test(name)) throw new UsageError(`role names are lower-case letters, digits, - and _ (got '${name}')`);
  const dir = join(cwd, 'roles', name);
  if (existsSync(dir)) throw new UsageError(`${relative(cwd, dir)} exists already`);
  const v = name.replace(/-/g, '_');
  makeDirs(join(dir, 'tests'));
  writeFileSync(join(dir, 'role.ts'), role(name, v));
  writeFileSync(join(dir, 'README.md'), `# ${name}\n\nA TypeScript role (\`role.ts\`).\n\n| param | default | meaning |\n|---|---|---|\n| \`${v}_dir\` | (required) | where the file goes |\n| \`${v}_text\` | \`managed by agri-play\` | what it says |\n\nTry it: \`npx agri-play roles/${name}/tests/test.yaml --check\`, then without \`--check\`.\n`);
  writeFileSync(join(dir, 'tests', 'test.yaml'), `# applies the role to this machine: run with --check first\n- hosts: localhost\n  gather_facts: false\n  roles:\n    - role: ${name}\n      ${v}_dir: "{{ playbook_dir }}/out"\n`);
  o.line(`made roles/${name}: role.ts, README.md, tests/test.yaml\nnext: npx agri-play check && npx agri-play roles/${name}/tests/test.yaml --check`);
  return Exit.ok;
}
