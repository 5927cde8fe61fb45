// What ansible-core's AnsiballZ does for a Python module of a role's library/ or of a collection:
// the module and the module_utils files it imports (found as module_common's ModuleDepFinder finds
// them: ansible.module_utils from the controller's ansible-core, a collection's from where it is
// installed) travel to the host with its arguments, in one Python program on
// stdin; the modules import from memory (no file is left on the host). agri-play has no
// module_utils of its own: it takes the controller's, as ansible-core ships its own.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { controllerPython } from '../../source/controller-python.js';
import { deflateSync } from 'node:zlib';
import { pyJsonLoads } from '../../source/pyjson-loads.js';
import { jsonText } from '../../source/pyint.js';

/** The folder holding the controller's `ansible` package (null when its Python has no ansible-core). */
export function ansibleRoot(): string | null {
  const ansible = controllerPython()?.ansible;
  return ansible && existsSync(join(ansible, 'ansible', 'module_utils', 'basic.py')) ? ansible : null;
}

const IMPORTS = /^[ \t]*(?:from[ \t]+(\.*[\w.]*)[ \t]+import[ \t]+(?:\(([^)]*)\)|([\w, \t]+))|import[ \t]+([\w.]+))/gm;

/** Where a module's import root is: the folder its `ansible/…` or `ansible_collections/…` path is under (undefined: not shipped). */
export type ImportRoots = (mod: string[]) => string | undefined;

/** The controller's ansible-core for `ansible.…` imports (the only root of a library/ module's). */
export const ansibleOnly =
  (root: string): ImportRoots =>
  (mod) =>
    mod[0] === 'ansible' ? root : undefined;

/**
 * The files (paths under their import root, `ansible/module_utils/….py`,
 * `ansible_collections/ns/coll/plugins/module_utils/….py`) a source imports, transitively; `pkg`:
 * the source's own package, for its relative imports. A collection's packages that have no
 * `__init__.py` (namespace packages) get an empty one, as AnsiballZ makes them.
 */
export function moduleUtilsOf(source: string, rootOf: ImportRoots, pkg: string[] = []): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  const visit = (src: string, pkg: string[]): void => {
    for (const m of src.matchAll(IMPORTS)) {
      const [base, names, plain] = [m[1], m[2] ?? m[3], m[4]];
      let mod: string[];
      if (plain !== undefined) mod = plain.split('.');
      else {
        const dots = /^\.*/.exec(base)![0].length;
        const rest = base.slice(dots).split('.').filter(Boolean);
        mod = dots ? [...pkg.slice(0, pkg.length - (dots - 1)), ...rest] : rest;
      }
      if (mod[0] !== 'ansible' && mod[0] !== 'ansible_collections') continue;
      const candidates = [mod, ...(names ?? '').split(',').map((n) => n.trim().split(/\s+/)[0]).filter(Boolean).map((n) => [...mod, n])];
      for (const c of candidates) add(c);
    }
  };
  const add = (mod: string[]): void => {
    const root = rootOf(mod);
    if (root === undefined) return;
    for (let i = 2; i <= mod.length; i++) {
      const parts = mod.slice(0, i);
      for (const [rel, isPkg] of [[`${parts.join('/')}/__init__.py`, true], [`${parts.join('/')}.py`, false]] as const) {
        if (files.has(rel) || !existsSync(join(root, rel))) continue;
        const data = readFileSync(join(root, rel));
        files.set(rel, data);
        visit(data.toString('utf8'), isPkg ? parts : parts.slice(0, -1));
      }
    }
  };
  visit(source, pkg);
  // the packages the files are in, the source's own too (ansible/__init__.py is AnsiballZ's own, below)
  for (const parts of [...[...files.keys()].map((rel) => rel.split('/').slice(0, -1)), pkg]) {
    for (let i = parts[0] === 'ansible_collections' ? 1 : 2; i <= parts.length; i++) {
      const dir = parts.slice(0, i);
      const init = `${dir.join('/')}/__init__.py`;
      if (files.has(init)) continue;
      const root = dir[0] === 'ansible_collections' && dir.length < 3 ? undefined : rootOf(dir);
      if (root !== undefined && existsSync(join(root, init))) files.set(init, readFileSync(join(root, init)));
      else if (dir[0] === 'ansible_collections') files.set(init, Buffer.alloc(0));
    }
  }
  return files;
}

const b64z = (data: Buffer | string): string => JSON.stringify(deflateSync(data).toString('base64'));

/**
 * The Python program for the host, made once per module: an importer of the embedded files,
 * `_ANSIBLE_ARGS` set as AnsiballZ sets it (each call's arguments), then the module run as
 * `__main__` (it prints its JSON result and exits).
 */
export function program(name: string, source: Buffer, files: Map<string, Buffer>, version: string, pkg: string[] = []): (args: Record<string, unknown>) => string {
  const table = [...files].map(([rel, data]) => `${JSON.stringify(rel)}: ${b64z(data)}`).join(',\n');
  const file = JSON.stringify(`${name}.py`);
  const head = `import base64, importlib.abc, importlib.util, sys, zlib
FILES = {
${table},
"ansible/__init__.py": ${b64z(`__version__ = ${JSON.stringify(version)}\n__author__ = 'Ansible, Inc.'\n`)},
}
class Embedded(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def find_spec(self, fullname, path, target=None):
        base = fullname.replace('.', '/')
        for rel, pkg in ((base + '/__init__.py', True), (base + '.py', False)):
            if rel in FILES:
                return importlib.util.spec_from_loader(fullname, self, origin=rel, is_package=pkg)
        return None
    def create_module(self, spec):
        return None
    def exec_module(self, module):
        rel = module.__spec__.origin
        module.__file__ = rel
        exec(compile(zlib.decompress(base64.b64decode(FILES[rel])), rel, 'exec'), module.__dict__)
sys.meta_path.insert(0, Embedded())
sys.argv = [${file}]
`;
  const tail = `try:
    from ansible.module_utils import basic
    basic._ANSIBLE_ARGS = ARGS
except ImportError:
    pass
SOURCE = zlib.decompress(base64.b64decode(${b64z(source)}))
exec(compile(SOURCE, ${file}, 'exec'), {'__name__': '__main__', '__file__': ${file}, '__package__': ${pkg.length ? JSON.stringify(pkg.join('.')) : 'None'}, '__builtins__': __builtins__})
`;
  return (args) => `${head}ARGS = zlib.decompress(base64.b64decode(${b64z(jsonText({ ANSIBLE_MODULE_ARGS: args }))}))\n${tail}`;
}

/**
 * ansible-core's _filter_non_json_lines (objects only, as its action reads a module's output): the
 * JSON between the first line that opens it and the last that closes it, and the lines after it.
 */
export function jsonParts(stdout: string): { json?: Record<string, unknown>; after: string[] } {
  const lines = stdout.split(/\r?\n/);
  const start = lines.findIndex((l) => l.trim().startsWith('{'));
  if (start < 0) return { after: [] };
  let end = lines.length - 1;
  while (end > start && !lines[end].trim().endsWith('}')) end--;
  const after = lines.slice(end + 1);
  // (Python's splitlines: no line after a final line end)
  if (after.at(-1) === '') after.pop();
  try {
    const v = pyJsonLoads(lines.slice(start, end + 1).join('\n'));
    return { json: v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined, after };
  } catch {
    return { after };
  }
}
