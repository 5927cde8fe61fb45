import { posix } from 'node:path';
import { Type } from '../source/vendor/typebox.js';
import { shq } from '../connections/quote.js';
import { defineModule, ModuleFailure, type ModuleCtx } from './types.js';
import { hostPython } from './util/library.js';
import { runOk } from './util/run.js';

const Args = Type.Object(
  {
    name: Type.Optional(Type.Union([Type.String(), Type.Array(Type.String())], { description: 'Packages, each optionally with a specifier (`jinja2>=3`).' })),
    version: Type.Optional(Type.String({ description: 'The version of the one package named.' })),
    requirements: Type.Optional(Type.String({ description: 'A requirements file on the host.' })),
    state: Type.Optional(Type.Union(['present', 'absent', 'latest', 'forcereinstall'].map((s) => Type.Literal(s)))),
    virtualenv: Type.Optional(Type.String({ description: 'Install into this virtualenv (made when missing).' })),
    virtualenv_command: Type.Optional(Type.String()),
    virtualenv_python: Type.Optional(Type.String()),
    virtualenv_site_packages: Type.Optional(Type.Boolean()),
    extra_args: Type.Optional(Type.String()),
    executable: Type.Optional(Type.String({ description: 'The pip to run (default: pip3 of the host).' })),
    chdir: Type.Optional(Type.String()),
    editable: Type.Optional(Type.Boolean()),
    umask: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);
type A = typeof Args.static;

const NAME = /^([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?\s*(.*)$/;
const norm = (n: string) => n.toLowerCase().replace(/[-_.]+/g, '-');

/** A path, URL or VCS reference, not a name pip can be asked about: installed as given, changed when `pip list` changes. */
const isSource = (n: string) => /[/\\]|:\/\/|^(git|hg|svn|bzr)\+|\.(whl|zip|tar\.gz|tgz|tar\.bz2)$/.test(n);

/** `name[extras] spec` split; a bare version (name + version:) becomes `==version`. */
function specs(a: A): { name: string; spec: string; text: string; source?: boolean }[] {
  const split = a.name === undefined ? [] : (Array.isArray(a.name) ? a.name : [a.name]).flatMap((n) => n.split(',')).map((s) => s.trim());
  // ansible-core's _recover_package_name: `a>=1,<2` split at its comma is one package again
  const names: string[] = [];
  for (const n of split) if (/^(==|!=|>=|<=|~=|>|<)/.test(n) && names.length) names[names.length - 1] += `,${n}`;
  else names.push(n);
  if (a.version && names.length !== 1) throw new ModuleFailure('version is incompatible with a list of packages: name a single package, or give specifiers');
  return names.filter(Boolean).map((text) => {
    if (isSource(text.trim())) return { name: text.trim(), spec: '', text: text.trim(), source: true };
    const m = NAME.exec(text.trim());
    if (!m) throw new ModuleFailure(`not a package name: ${JSON.stringify(text)}`);
    const spec = a.version ? `==${a.version}` : m[3].trim();
    return { name: m[1], spec, text: `${m[1]}${m[2] ?? ''}${spec}` };
  });
}

/** Whether version `v` satisfies a PEP 440 specifier list (==, !=, >=, <=, >, <, ~=; release parts compared as numbers). */
function satisfies(v: string, spec: string): boolean {
  const parts = (s: string) => s.split(/[.+-]/).map((x) => (/^\d+$/.test(x) ? Number(x) : x));
  const cmp = (x: string, y: string) => {
    const [p, q] = [parts(x), parts(y)];
    for (let i = 0; i < Math.max(p.length, q.length); i++) {
      const [s, t] = [p[i] ?? 0, q[i] ?? 0];
      if (s !== t) return typeof s === 'number' && typeof t === 'number' ? s - t : String(s) < String(t) ? -1 : 1;
    }
    return 0;
  };
  return spec
    .split(',')
    .map((c) => c.trim())
    .filter(Boolean)
    .every((c) => {
      const m = /^(==|!=|>=|<=|~=|>|<)\s*(.+)$/.exec(c);
      if (!m) return false;
      const d = cmp(v, m[2].replace(/\.\*$/, ''));
      if (m[2].endsWith('.*')) return (m[1] === '==') === v.startsWith(m[2].slice(0, -1));
      return { '==': d === 0, '!=': d !== 0, '>=': d >= 0, '<=': d <= 0, '>': d > 0, '<': d < 0, '~=': d >= 0 && v.startsWith(m[2].split('.').slice(0, -1).join('.')) }[m[1]]!;
    });
}

/**
 * The pip to run, as ansible-core's _get_pip picks it: `executable`; a virtualenv's pip3, else its
 * pip; else the pip module of the host's Python (the interpreter the module would run under:
 * `PYTHON -m pip.__main__`), else pip3 on the PATH. A shell command of quoted words.
 */
async function pipOf(ctx: ModuleCtx, a: A): Promise<string> {
  if (a.executable) return shq(a.executable);
  if (a.virtualenv) {
    const bin = posix.join(a.virtualenv, 'bin');
    return shq((await ctx.files.stat(`${bin}/pip3`)) ? `${bin}/pip3` : `${bin}/pip`);
  }
  const r = await ctx.exec({ shell: `${hostPython(ctx)} -c 'import pip, sys; print(sys.executable)' 2>/dev/null || command -v pip3` });
  const found = r.stdout.trim();
  if (r.rc !== 0 || !found) throw new ModuleFailure('Unable to find any of pip3 to use.  pip needs to be installed.');
  return found.endsWith('/pip3') ? shq(found) : `${shq(found)} -m pip.__main__`;
}

async function installed(ctx: ModuleCtx, a: A, pip: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (a.virtualenv && !(await ctx.files.stat(posix.join(a.virtualenv, 'bin')))) return out;
  for (const line of (await runOk(ctx, { shell: `${pip} list --format=freeze --disable-pip-version-check 2>/dev/null` })).split('\n')) {
    const m = /^([^=\s]+)==(\S+)/.exec(line);
    if (m) out.set(norm(m[1]), m[2]);
  }
  return out;
}

export default defineModule({
  name: 'pip',
  kind: 'state',
  description: "Python packages through the host's pip (or a virtualenv's, made when missing): present, latest, absent or reinstalled, compared with `pip list`.",
  args: Args,
  async check(ctx, a) {
    // (a password or token in an index or VCS URL, `https://user:TOKEN@host`, is concealed by the engine before any module runs)
    const list = specs(a);
    if (!list.length && !a.requirements) throw new ModuleFailure('one of the following is required: name, requirements');
    const state = a.state ?? 'present';
    const have = await installed(ctx, a, await pipOf(ctx, a));
    const data = { name: list.map((p) => p.text), state, virtualenv: a.virtualenv ?? null, requirements: a.requirements ?? null };
    if (a.requirements || a.extra_args || list.some((p) => p.source) || state === 'latest' || state === 'forcereinstall') return { kind: 'modify', target: a.requirements ?? list.map((p) => p.text).join(' '), fields: [{ path: 'pip', to: state }], data };
    const todo = list.filter((p) => {
      const v = have.get(norm(p.name));
      return state === 'absent' ? v !== undefined : v === undefined || (p.spec !== '' && !satisfies(v, p.spec));
    });
    if (!todo.length) return { kind: 'ok', why: `${state === 'absent' ? 'not installed' : 'installed'}: ${list.map((p) => p.text).join(', ')}`, data };
    return { kind: state === 'absent' ? 'remove' : 'create', target: todo.map((p) => p.text).join(' '), fields: todo.map((p) => ({ path: p.name, from: have.get(norm(p.name)) ?? null, to: state === 'absent' ? 'absent' : p.spec || 'installed' })), data: { ...data, todo: todo.map((p) => p.text) } };
  },
  async apply(ctx, a, diff) {
    const state = a.state ?? 'present';
    const cd = a.chdir ? `cd ${shq(a.chdir)} && ` : '';
    const um = a.umask ? `umask ${shq(a.umask)} && ` : '';
    if (a.virtualenv && !(await ctx.files.stat(posix.join(a.virtualenv, 'bin')))) {
      const make = a.virtualenv_command ?? 'virtualenv';
      const py = a.virtualenv_python ? (make.includes('venv') ? '' : ` -p ${shq(a.virtualenv_python)}`) : '';
      await runOk(ctx, { shell: `${cd}${um}${make}${py}${a.virtualenv_site_packages ? ' --system-site-packages' : ''} ${shq(a.virtualenv)}` });
    }
    const pip = await pipOf(ctx, a);
    const before = await installed(ctx, a, pip);
    const todo = (diff.data as { todo?: string[] }).todo ?? specs(a).map((p) => p.text);
    const extra = a.extra_args ? ` ${a.extra_args}` : '';
    const pkgs = [...(a.requirements ? ['-r', a.requirements] : []), ...todo.map((t) => (a.editable ? `-e ${shq(t)}` : shq(t)))].join(' ');
    const verb = state === 'absent' ? 'uninstall -y' : state === 'latest' ? 'install -U' : state === 'forcereinstall' ? 'install -U --force-reinstall' : 'install';
    const cmd = `${pip} ${verb}${extra} ${pkgs}`;
    const out = await runOk(ctx, { shell: `${cd}${um}${cmd}` });
    const after = await installed(ctx, a, pip);
    const changed = state === 'forcereinstall' || [...new Set([...before.keys(), ...after.keys()])].some((k) => before.get(k) !== after.get(k));
    return { changed, cmd, stdout: out };
  },
});
