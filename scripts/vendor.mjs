// Run by scripts/build.mjs after tsc: each package lib/source/vendor/ re-exports (typebox.ts there
// says why) becomes one CommonJS file, `NAME.cjs`, with V8's code cache of it, `NAME.cjs.v8`
// (lib/source/code-cache.ts), and `NAME.js` becomes the ES module that loads them and exports
// what the package's file did. Node 20 caches no compiled code of its own: the yaml parse and the
// templates' compile of a --syntax-check ran their packages' functions cold, each compiled on its
// first call. The cache holds the functions that ran before it was written: WARM runs what a load
// runs first (a playbook's YAML, its templates, the CLI's options, a role's parameters, a local
// command, an SSH key, Talos' machine API).
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, resolve } from 'node:path';

/**
 * The yaml package reads its debug switches process.env.LOG_TOKENS for every token it parses and
 * LOG_STREAM for every document: a getenv() each time, ≈ 15% of parsing a 10,000-host inventory
 * (timed by hand on 4 Dec).
 * They are read once, when the package loads (setting them still works, before the run starts).
 */
const envOnce = {
  name: 'yaml-env-once',
  setup(b) {
    b.onLoad({ filter: /[\\/]node_modules[\\/]yaml[\\/]dist[\\/].*\.js$/ }, (args) => {
      const src = readFileSync(args.path, 'utf8');
      const names = [...new Set([...src.matchAll(/node_process\.env\.(LOG_\w+)/g)].map((m) => m[1]))];
      if (!names.length) return undefined;
      const once = names.map((n) => `const __env_${n} = node_process.env.${n};`).join(' ');
      // (after the line that requires the process module, so node_process is there)
      const body = src.replace(/node_process\.env\.(LOG_\w+)/g, '__env_$1').replace(/^(var node_process = require\('process'\);)$/m, `$1 ${once}`);
      if (!body.includes(once)) throw new Error(`build: ${args.path} no longer requires 'process' as node_process: see envOnce in scripts/vendor.mjs`);
      return { contents: body, loader: 'js' };
    });
  },
};

const YAML = `# a playbook's shapes
- name: play
  hosts: "{{ target | default('all') }}"
  vars: &defaults {port: 8080, enabled: yes, mode: 0644, ratio: 1.5, none: ~, when: 2024-01-02}
  tasks:
    - copy:
        dest: /etc/app.conf
        content: |
          line one
          line two
      when: enabled and port > 80
    - debug: {msg: 'single', var: "double"}
      loop: [a, b, c]
      vars:
        <<: *defaults
        folded: >
          text
          folded
        tagged: !unsafe '{{ raw }}'
`;

const TEMPLATE = `{% set x = items | default([]) %}{% for i in x if i is defined %}{{ loop.index }}: {{ i.name ~ '-' ~ (i.n + 1) | string }}{% if i.on and not i.off %} on{% elif i.n > 2 %} big{% else %} off{% endif %}{% endfor %}
{% macro m(a, b=2) %}{{ a * b }}{% endmacro %}{{ m(3) }} {{ {'k': [1, 2]}['k'][0] }} {{ 'a' in 'abc' }} {{ none is none }} {{ x | length }}`;

const TALOS_PROTO = resolve('lib/connections/talos/proto/machine.proto');

/**
 * A package's native addon (ssh2's crypto binding) stays a file of the package, required by its
 * path in node_modules (the package has no `exports` to refuse it): it cannot be in the bundle.
 */
const nativeAddons = {
  name: 'native-addons',
  setup(b) {
    b.onResolve({ filter: /\.node$/ }, (args) => {
      const abs = resolve(args.resolveDir, args.path);
      const at = abs.lastIndexOf('/node_modules/');
      if (at < 0) throw new Error(`build: ${abs} is a native addon outside node_modules`);
      return { path: abs.slice(at + '/node_modules/'.length), external: true };
    });
  },
};

/** Per package: what runs before its cache is written (`m`: the package's exports as the vendor file names them). */
const WARM = {
  yaml: (m) => {
    const doc = m.parseDocument(YAML, { version: '1.1', lineCounter: new m.LineCounter() });
    m.visit(doc, { Scalar: () => undefined });
    doc.toJS();
    m.stringify(doc.toJS());
    m.parse('a: [1, {b: c}]');
  },
  nunjucks: (m) => {
    const env = new m.default.Environment(undefined, { autoescape: false, throwOnUndefined: true, trimBlocks: true, dev: true });
    new m.default.Template(TEMPLATE, env, undefined, true).render({ items: [{ name: 'a', n: 1, on: true }, { name: 'b', n: 3 }] });
  },
  commander: (m) => {
    const c = new m.Command('x').exitOverride().argument('[playbook...]').option('-i, --inventory <path...>', 'inventory', []).option('-v, --verbose', 'more', (_, n) => n + 1, 0);
    c.addOption(new m.Option('--check').default(false));
    c.parse(['-i', 'edge', '-v', '--check', 'site.yaml'], { from: 'user' });
  },
  // (a process started: what a local step's command runs of it; `true` ends at once)
  execa: (m) => {
    m.execa('true', [], { reject: false, all: true, env: { A: '1' } }).catch(() => undefined);
  },
  // (Talos' machine API as proto.ts loads it, from the .proto files of this checkout, and a client of it)
  grpc: (m) => {
    const def = m.loader.loadSync(TALOS_PROTO, { includeDirs: [dirname(TALOS_PROTO)], keepCase: true, longs: Number, enums: String, defaults: true, oneofs: true });
    const { machine } = m.grpc.loadPackageDefinition(def);
    new m.grpc.Metadata().set('a', 'b');
    new machine.MachineService('127.0.0.1:1', m.grpc.credentials.createInsecure()).close();
  },
  // (a key made and read, a client and a server made: what a connection's start runs, short of the network)
  // (ssh2 cannot parse ≈ 1 in 130 of the ed25519 keys it makes: one is made again until it parses, as lib/lab/sshd.ts's sshKeyPair does)
  ssh2: (m) => {
    let key;
    for (let i = 0; i < 50 && !key; i++) {
      const k = m.utils.generateKeyPairSync('ed25519');
      if (!(m.utils.parseKey(k.private) instanceof Error)) key = k;
    }
    new m.Client().on('error', () => undefined);
    new m.default.Server({ hostKeys: [key.private] }, () => undefined).close();
  },
  picomatch: (m) => {
    m.default('**/*.y?(a)ml')('roles/a/tasks/main.yml');
    m.default(['web[0-9]*', '!db*'], { nocase: true })('web1');
  },
  typebox: (m) => {
    const { Type } = m;
    Type.Object({ name: Type.String({ description: 'd' }), port: Type.Optional(Type.Integer({ minimum: 1 })), mode: Type.Union([Type.String(), Type.Number()]), tags: Type.Array(Type.String()), on: Type.Boolean({ default: false }), any: Type.Record(Type.String(), Type.Unknown()), lit: Type.Literal('a') });
  },
};

/** Builds every vendor package of the build `next` with `esbuild`'s build and the build's own writeCodeCache. */
export async function buildVendor(next, build, writeCodeCache) {
  const dir = resolve(next, 'lib/source/vendor');
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.js'))) {
    const name = basename(f, '.js');
    const file = resolve(dir, f);
    if (!WARM[name]) throw new Error(`build: lib/source/vendor/${f} has no WARM entry in scripts/vendor.mjs`);
    const cjs = resolve(dir, `${name}.cjs`);
    await build({ entryPoints: [file], bundle: true, format: 'cjs', platform: 'node', target: 'node20', outfile: cjs, logLevel: 'error', plugins: [envOnce, nativeAddons] });
    // the names the file exports, as the bundle of it has them (Node's own import of a CommonJS
    // package sees only the names its lexer finds: not ssh2's `utils`)
    const names = Object.keys(createRequire(import.meta.url)(cjs));
    writeCodeCache(cjs, WARM[name]);
    const named = names.filter((n) => n !== 'default' && n !== '__esModule');
    writeFileSync(
      file,
      [
        `// generated by scripts/vendor.mjs: the package as one CommonJS file (${name}.cjs), loaded with its V8 code cache`,
        "import { fileURLToPath } from 'node:url';",
        "import { loadCached } from '../code-cache.js';",
        `const m = loadCached(fileURLToPath(new URL('./${name}.cjs', import.meta.url)));`,
        ...(named.length ? [`export const { ${named.join(', ')} } = m;`] : []),
        ...(names.includes('default') ? ['export default m.default;'] : []),
        '',
      ].join('\n'),
    );
  }
}
