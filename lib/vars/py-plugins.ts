import { execFileSync, spawn } from 'node:child_process';
import { constants, existsSync, mkdtempSync, openSync, readdirSync, readFileSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PyError } from '../source/python.js';
import { pyJson } from '../source/pyjson.js';
import { controllerPython } from '../source/controller-python.js';
import { pyJsonLoads } from '../source/pyjson-loads.js';

/**
 * Ansible's Python filter and test plugins (a role's or the playbook's `filter_plugins/` and
 * `test_plugins/`: a FilterModule whose filters() or a TestModule whose tests() names functions),
 * run as Python runs them: one `python3` for the run, started when a plugin folder is first found,
 * imports each file once and calls the functions with the arguments as JSON, its results read back
 * as JSON. Rendering is synchronous, so the two talk over two FIFOs read and written synchronously. There is no JavaScript port of Python to run them in place, so this is the closest real thing.
 */

/**
 * The server: reads one JSON request a line from the request FIFO and writes one JSON answer a line
 * to the answer FIFO: `list` the names of files' plugins, or `call` one (each file imported once).
 * Values cross as JSON (sets and other objects as lists and text).
 */
const SERVER = String.raw`
import importlib.util, json, os, sys
mods = {}
def load(path):
    if path not in mods:
        sys.path.insert(0, os.path.dirname(path))
        spec = importlib.util.spec_from_file_location('agri_plugin_%d' % len(mods), path)
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        mods[path] = mod
    return mods[path]
def table(mod, kind):
    cls = getattr(mod, 'FilterModule' if kind == 'filter' else 'TestModule', None)
    if cls is None:
        return {}
    return cls().filters() if kind == 'filter' else cls().tests()
def plain(o):
    if isinstance(o, (set, frozenset)):
        return list(o)
    return str(o)
def answer(req):
    if req['op'] == 'list':
        out = {}
        for path in req['files']:
            try:
                out[path] = {'names': sorted(table(load(path), req['kind']).keys())}
            except Exception as e:
                out[path] = {'error': '%s: %s' % (type(e).__name__, e)}
        return json.dumps(out)
    try:
        f = table(load(req['file']), req['kind'])[req['name']]
        return json.dumps({'ok': f(*req['args'], **req['kwargs'])}, default=plain)
    except Exception as e:
        return json.dumps({'error': type(e).__name__, 'msg': str(e)})
requests = open(sys.argv[1], 'r')
answers = open(sys.argv[2], 'w')
answers.write('ready\n')
answers.flush()
for line in requests:
    answers.write(answer(json.loads(line)) + '\n')
    answers.flush()
`;

export type PluginKind = 'filter' | 'test';

/** A plugin found: the file that defines it. */
export interface PyPlugin {
  kind: PluginKind;
  name: string;
  file: string;
}

/** The Python to run plugins with (plugins import ansible's own modules: AnsibleFilterError, …). */
function pythonPath(): string {
  const found = controllerPython();
  if (!found) throw new PyError('AnsibleError', `Python plugins need python3 (looked for ${process.env.AGRI_PYTHON ?? 'python3, /usr/bin/python3'})`);
  return found.python;
}

/**
 * The running server. Both FIFOs are opened without blocking (the request one for reading and
 * writing, so its open never waits for Python), and every wait is a short sleep that first looks
 * whether Python is still alive: a Python that never starts or dies fails the call, never hangs it.
 */
let server: { pid: number; req: number; ans: number; pending: string } | undefined;

const pause = new Int32Array(new SharedArrayBuffer(4));
/** Whether a process runs (not gone, not a zombie no one has reaped: this thread is busy waiting). */
function alive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

function start(): NonNullable<typeof server> {
  const python = pythonPath();
  const dir = mkdtempSync(join(tmpdir(), 'agri-py-'));
  const [reqPath, ansPath] = [join(dir, 'req'), join(dir, 'ans')];
  execFileSync('mkfifo', [reqPath, ansPath]);
  const child = spawn(python, ['-c', SERVER, reqPath, ansPath], { stdio: ['ignore', 'ignore', 'inherit'] });
  child.unref();
  child.on('error', () => undefined);
  // it goes with this process, and its folder with it
  process.once('exit', () => {
    child.kill();
    rmSync(dir, { recursive: true, force: true });
  });
  const s = { pid: child.pid ?? -1, req: openSync(reqPath, constants.O_RDWR | constants.O_NONBLOCK), ans: openSync(ansPath, constants.O_RDONLY | constants.O_NONBLOCK), pending: '' };
  if (line(s) !== 'ready') throw new PyError('AnsibleError', 'the Python plugin server did not start');
  return s;
}

/** Waits a moment for Python, or fails when it is gone. */
function waitFor(s: NonNullable<typeof server>): void {
  if (!alive(s.pid)) {
    server = undefined;
    throw new PyError('AnsibleError', `the Python plugin server ended (see its error above)`);
  }
  Atomics.wait(pause, 0, 0, 1);
}

/** The next line Python writes (an answer; before it opened its end, nothing yet). */
function line(s: NonNullable<typeof server>): string {
  const buf = Buffer.alloc(65536);
  while (!s.pending.includes('\n')) {
    let n = 0;
    try {
      n = readSync(s.ans, buf, 0, buf.length, null);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') throw e;
    }
    if (n > 0) s.pending += buf.toString('utf8', 0, n);
    else waitFor(s);
  }
  const at = s.pending.indexOf('\n');
  const out = s.pending.slice(0, at);
  s.pending = s.pending.slice(at + 1);
  return out;
}

/** One request and its answer, synchronously (rendering is synchronous). */
function python(req: unknown): unknown {
  server ??= start();
  const s = server;
  // (pyJson: Python's values as Python's json writes them, floats as floats)
  let data = Buffer.from(pyJson(req) + '\n');
  while (data.length) {
    try {
      data = data.subarray(writeSync(s.req, data));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') throw e;
      waitFor(s);
    }
  }
  return pyJsonLoads(line(s));
}

/** The plugins of `<dir>/filter_plugins` and `<dir>/test_plugins`, and the files that would not load (their error, as ansible-core skips them with a warning). */
export function findPyPlugins(dir: string): { plugins: PyPlugin[]; broken: string[] } {
  const plugins: PyPlugin[] = [];
  const broken: string[] = [];
  for (const kind of ['filter', 'test'] as const) {
    const sub = join(dir, `${kind}_plugins`);
    if (!existsSync(sub)) continue;
    const files = readdirSync(sub).filter((f) => f.endsWith('.py') && !f.startsWith('_')).sort().map((f) => resolve(sub, f));
    if (!files.length) continue;
    const listed = python({ op: 'list', kind, files }) as Record<string, { names?: string[]; error?: string }>;
    for (const file of files) {
      const l = listed[file];
      if (l?.error) broken.push(`${file}: ${l.error}`);
      for (const name of l?.names ?? []) plugins.push({ kind, name, file });
    }
  }
  return { plugins, broken };
}

/** A plugin's function as the template engine calls it: the value and arguments in, the result out (a Python exception as the same error). */
export function pyPluginFn(p: PyPlugin, splitKw: (a: unknown[]) => [unknown[], Record<string, unknown>]): (...a: unknown[]) => unknown {
  return (...a: unknown[]) => {
    const [args, kwargs] = splitKw(a);
    const out = python({ op: 'call', kind: p.kind, file: p.file, name: p.name, args, kwargs }) as { ok?: unknown; error?: string; msg?: string };
    if (out.error) throw new PyError(out.error, out.msg ?? '');
    return out.ok ?? null;
  };
}
