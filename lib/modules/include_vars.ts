import { Type } from '../source/vendor/typebox.js';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { deepMerge, isRecord, parseYaml, withFloats } from '../source/index.js';
import { defineModule, ModuleFailure, type ActionResult, type ModuleCtx } from './types.js';

const Args = Type.Object(
  {
    file: Type.Optional(Type.String({ description: "A YAML or JSON file on the controller: a role's vars/, then beside the task and the playbook." })),
    dir: Type.Optional(Type.String({ description: "A folder of variable files (in a role: under its vars/), read in Ansible's order: folders sorted by path, files by name." })),
    depth: Type.Optional(Type.Integer({ description: 'How many folders of the walk to read (0: all; Ansible counts folders in walk order, not levels).' })),
    files_matching: Type.Optional(Type.String({ description: 'Only file names this regular expression finds.' })),
    ignore_files: Type.Optional(Type.Union([Type.Array(Type.String()), Type.String()], { description: 'File names to leave out (regular expressions, anchored at the end).' })),
    extensions: Type.Optional(Type.Array(Type.String(), { description: "Extensions read from a dir (default yaml, yml, json; '' for none)." })),
    ignore_unknown_extensions: Type.Optional(Type.Boolean({ description: 'Skip files with another extension instead of failing.' })),
    hash_behaviour: Type.Optional(Type.Union([Type.Literal('replace'), Type.Literal('merge')], { description: 'merge: dictionaries are merged into the values the host has.' })),
    name: Type.Optional(Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_]*$', description: 'Put the variables under this one name.' })),
  },
  { additionalProperties: false },
);
type A = typeof Args.static;
const DIR_ARGS = ['dir', 'depth', 'files_matching', 'ignore_files', 'extensions', 'ignore_unknown_extensions'] as const;
const VALID = ['yaml', 'yml', 'json'];

class Failed extends Error {}

function load(file: string, text: string): Record<string, unknown> {
  // YAML 1.1 as Ansible reads vars files (PyYAML): `mode: 02770` is octal, `yes` a boolean
  const parsed = parseYaml(text, file);
  if (parsed.problems.length) throw new ModuleFailure(`${file}: not YAML or JSON: ${parsed.problems[0].message}`);
  const doc = parsed.value ?? {};
  if (!isRecord(doc)) throw new Failed(`${file} must be stored as a dictionary/hash`);
  // `x: 1.0` stays a float, as PyYAML reads it
  return withFloats(doc);
}

/** Ansible's _traverse_dir_depth: os.walk's folders sorted by path, the first `depth` of them (0: all). */
function walk(root: string, depth: number): [string, string[]][] {
  const all: [string, string[]][] = [];
  const visit = (d: string): void => {
    const entries = readdirSync(d, { withFileTypes: true });
    all.push([d, entries.filter((e) => !e.isDirectory()).map((e) => e.name).sort()]);
    for (const e of entries) if (e.isDirectory()) visit(join(d, e.name));
  };
  visit(root);
  all.sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
  return depth > 0 ? all.slice(0, depth) : all;
}

function fromDir(ctx: ModuleCtx, a: A, files: string[]): Record<string, unknown> {
  const { role, dir: taskDir } = ctx.local.where;
  const src = a.dir!;
  const root = role ? (src.split('/')[0] === 'vars' && existsSync(join(role, src)) ? join(role, src) : join(role, 'vars', src)) : join(taskDir, src);
  if (!existsSync(root)) throw new Failed(`${root} directory does not exist`);
  if (!statSync(root).isDirectory()) throw new Failed(`${root} is not a directory`);
  const ignore = (typeof a.ignore_files === 'string' ? a.ignore_files.split(/\s+/) : (a.ignore_files ?? [])).map((p) => new RegExp(`${p}$`));
  const matcher = a.files_matching ? new RegExp(a.files_matching) : undefined;
  const valid = a.extensions ?? VALID;
  const validExt = (f: string): boolean => valid.includes(extname(f).slice(1));
  const out: Record<string, unknown> = {};
  for (const [d, names] of walk(root, a.depth ?? 0)) {
    for (const name of names) {
      if (matcher && !matcher.test(name)) continue;
      if (ignore.some((r) => r.test(name)) || (a.ignore_unknown_extensions && !validExt(name))) continue;
      const path = join(d, name);
      if (!validExt(name)) throw new Failed(`${path} does not have a valid extension: ${valid.join(', ')}`);
      Object.assign(out, load(path, readFileSync(path, 'utf8')));
      files.push(path);
    }
  }
  return out;
}

async function fromFile(ctx: ModuleCtx, file: string | undefined, files: string[]): Promise<Record<string, unknown>> {
  if (!file) throw new Failed('Could not find file on the Ansible Controller.\nIf you are using a module and expect the file to exist on the remote, see the remote_src option');
  const found = ctx.local.find(file, 'vars');
  if (!found) throw new Failed(ctx.local.missing(file, 'vars'));
  const vars = load(found, (await ctx.local.read(found)).toString('utf8'));
  files.push(found);
  return vars;
}

/**
 * Ansible's include_vars: a file's (or a folder's) variables for the rest of the run on this host,
 * rendered where they are used. Their precedence is just below set_fact and registered results,
 * as in ansible-core (include_vars is 16, set_facts 17). A failure carries `message` (and no `msg`), as Ansible's.
 */
export default defineModule({
  name: 'include_vars',
  kind: 'action',
  description: 'Loads variables from a YAML/JSON file, or a folder of them, on the controller for the rest of the run on this host.',
  args: Args,
  freeForm: 'file',
  async run(ctx, a): Promise<ActionResult> {
    if (a.file !== undefined && DIR_ARGS.some((k) => a[k] !== undefined)) throw new ModuleFailure('You are mixing file only and dir only arguments, these are incompatible');
    const files: string[] = [];
    try {
      let vars = a.dir !== undefined ? fromDir(ctx, a, files) : await fromFile(ctx, a.file?.replace(/\n+$/, ''), files);
      if (a.name) vars = { [a.name]: vars };
      if (a.hash_behaviour === 'merge') vars = Object.fromEntries(Object.entries(vars).map(([k, v]) => [k, deepMerge(ctx.vars[k], v)]));
      return { changed: false, included: vars, data: { ansible_facts: vars, ansible_included_var_files: files } };
    } catch (e) {
      if (!(e instanceof Failed)) throw e;
      return { failed: true, data: { message: e.message, ansible_facts: {}, ansible_included_var_files: [] } };
    }
  },
});
